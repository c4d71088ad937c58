package rules

import (
	"fmt"
	"testing"

	"github.com/doisanh/doisanh/admin"
	"github.com/doisanh/doisanh/match"
	"github.com/doisanh/doisanh/normalize"
	"github.com/doisanh/doisanh/record"
)

func date(t *testing.T, s string) normalize.Date {
	t.Helper()
	d, err := normalize.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestKeyOwnersGroups(t *testing.T) {
	var o KeyOwners
	for i, key := range []string{"A", "B", "A", "C", "B", "A"} {
		o.Add(KeyOwner{Key: key, Person: int32(i), NameKey: fmt.Sprint("name", i), Name: fmt.Sprint("Name ", i),
			Commune: "25009"})
	}
	if o.Len() != 6 {
		t.Fatalf("Len = %d, want 6", o.Len())
	}
	var got []string
	o.groups(func(group []KeyOwner) {
		s := group[0].Key + ":"
		for _, k := range group {
			if k.Key != group[0].Key || k.Name != fmt.Sprint("Name ", k.Person) || k.NameKey != fmt.Sprint("name", k.Person) {
				t.Errorf("owner %+v does not round-trip", k)
			}
			if k.Commune != "" {
				t.Errorf("linked owner %d kept its commune %q", k.Person, k.Commune)
			}
			s += fmt.Sprint(" ", k.Person)
		}
		got = append(got, s)
	})
	// Groups come in hash order; members in the order they were added.
	want := map[string]bool{"A: 0 2 5": true, "B: 1 4": true}
	if len(got) != len(want) {
		t.Fatalf("groups = %q, want the two of %v", got, want)
	}
	for _, g := range got {
		if !want[g] {
			t.Errorf("unexpected group %q, want those of %v", g, want)
		}
	}
}

func TestKeyOwnersUnlinkedCommunes(t *testing.T) {
	// Linked and unlinked owners mixed; the unlinked ones keep their
	// commune (or none), whatever their place among the others.
	var o KeyOwners
	owners := []KeyOwner{
		{Key: "K1", Person: 3, Commune: "25009"}, {Key: "K1", Person: -1, Commune: "25010"},
		{Key: "K2", Person: -1}, {Key: "K1", Person: -1, Commune: "25011"}, {Key: "K2", Person: -1, Commune: "25012"},
		{Key: "K2", Person: 7, Commune: "25013"},
	}
	for i := range owners {
		owners[i].Name = fmt.Sprint("Name ", i)
		o.Add(owners[i])
	}
	for i, want := range owners {
		if want.Person >= 0 {
			want.Commune = "" // a linked record is placed by its person
		}
		if got := o.at(int32(i)); got != want {
			t.Errorf("owner %d = %+v, want %+v", i, got, want)
		}
	}
}

func TestKeyOwnersShare(t *testing.T) {
	b := match.NewPopulationBuilder(2)
	b.Add(&match.PersonInput{Row: 1, ID: "040090000001", Name: "Nguyễn Văn An", RawName: "Nguyễn Văn An", NameKey: "nguyen van an"})
	b.Add(&match.PersonInput{Row: 2, ID: "040090000002", Name: "Lê Thị Hoa", RawName: "LÊ THỊ HOA", NameKey: "le thi hoa"})
	pop := b.Build()
	owners := []KeyOwner{
		{Key: "T1", Person: 0, Name: "Nguyễn Văn An", NameKey: "nguyen van an"}, // as on the register
		{Key: "T2", Person: 1, Name: "LÊ THỊ HOA", NameKey: "le thi hoa"},       // as on the register
		{Key: "T3", Person: 1, Name: "Lê Thị Hoa", NameKey: "le thi hoa"},       // written otherwise
		{Key: "T4", Person: 0, Name: "Nguyễn Văn Ân", NameKey: "nguyen van an"}, // another name, same key
		{Key: "T5", Person: -1, Name: "Nguyễn Văn An", NameKey: "nguyen van an", Commune: "25009"},
	}
	var shared, copied KeyOwners
	shared.Share(pop)
	for _, k := range owners {
		shared.Add(k)
		copied.Add(k)
	}
	for i, want := range owners {
		if got := shared.at(int32(i)); got != want {
			t.Errorf("owner %d = %+v, want %+v", i, got, want)
		}
	}
	// Read off the register: owner 0's name and key, 1's name and key, 2's
	// and 3's key.
	saved := int64(len("Nguyễn Văn An") + len("nguyen van an") + len("LÊ THỊ HOA") + 2*len("le thi hoa") + len("nguyen van an"))
	if got := copied.strs.Len() - shared.strs.Len(); got != saved {
		t.Errorf("Share saved %d bytes, want %d", got, saved)
	}
}

func TestDupIDSourceUnlinked(t *testing.T) {
	c := NewChecker(NewPlaces(admin.Default(), "40"), match.NewPopulationBuilder(0).Build())
	tests := []struct {
		name   string
		owners []KeyOwner
		want   string // SourceValue of the one finding; "" for none
	}{
		{"same person twice", []KeyOwner{
			{Key: "8012345678", Person: -1, NameKey: "nguyen van an", Birth: date(t, "1980-01-02"), Name: "Nguyễn Văn An"},
			{Key: "8012345678", Person: -1, NameKey: "nguyen van an", Birth: date(t, "02/01/1980"), Name: "NGUYỄN VĂN AN"},
		}, ""},
		{"year-only birth agrees", []KeyOwner{
			{Key: "8012345678", Person: -1, NameKey: "nguyen van an", Birth: date(t, "1980-01-02"), Name: "Nguyễn Văn An"},
			{Key: "8012345678", Person: -1, NameKey: "nguyen van an", Birth: date(t, "1980"), Name: "Nguyễn Văn An"},
		}, ""},
		{"two names", []KeyOwner{
			{Key: "8012345678", Person: -1, NameKey: "nguyen van an", Birth: date(t, "1980-01-02"), Name: "Nguyễn Văn An", Commune: "99999"},
			{Key: "8012345679", Person: -1, NameKey: "le thi ba", Name: "Lê Thị Ba"},
			{Key: "8012345678", Person: -1, NameKey: "tran van binh", Birth: date(t, "1980-01-02"), Name: "Trần Văn Bình"},
		}, "Nguyễn Văn An; Trần Văn Bình"},
		{"two birth dates", []KeyOwner{
			{Key: "8012345678", Person: -1, NameKey: "nguyen van an", Birth: date(t, "1980-01-02"), Name: "Nguyễn Văn An"},
			{Key: "8012345678", Person: -1, NameKey: "nguyen van an", Birth: date(t, "1991-05-06"), Name: "Nguyễn Văn An"},
		}, "Nguyễn Văn An; Nguyễn Văn An"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var o KeyOwners
			for _, k := range tt.owners {
				o.Add(k)
			}
			fs := c.dupIDSource(record.Tax, &o, nil)
			switch {
			case tt.want == "" && len(fs) != 0:
				t.Errorf("findings %+v, want none", fs)
			case tt.want != "" && len(fs) != 1:
				t.Errorf("%d findings, want 1", len(fs))
			case tt.want != "":
				f := fs[0]
				if f.Rule != DupID || f.Subtype != "TAX" || f.SourceKey != "8012345678" || f.SourceValue != tt.want ||
					f.FullName != tt.owners[0].Name || f.CommuneCode != tt.owners[0].Commune {
					t.Errorf("finding %+v, want DUP_ID/TAX on 8012345678 of %q in %q", f, tt.want, tt.owners[0].Commune)
				}
			}
		})
	}
}
