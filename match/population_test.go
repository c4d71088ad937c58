package match

import (
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/doisanh/doisanh/normalize"
)

func TestPopulationBuilderSharesRepeatedStrings(t *testing.T) {
	// Households of three, few communes, relations and villages, names
	// written as displayed but for every fourth row.
	var ins []PersonInput
	for i := range 300 {
		in := PersonInput{Row: int64(i + 1), ID: fmt.Sprintf("0400%08d", i), Name: fmt.Sprintf("Nguyễn Văn %d", i),
			NameKey: fmt.Sprintf("nguyen van %d", i), Household: fmt.Sprintf("HH%05d", i/3),
			Commune: fmt.Sprintf("%05d", 100+i%4), Relation: []string{"Chủ hộ", "Vợ", "Con"}[i%3],
			Village: fmt.Sprintf("Thôn %d", i%5)}
		in.RawName = in.Name
		if i%4 == 0 {
			in.RawName = fmt.Sprintf("NGUYỄN VĂN %d", i)
		}
		if i%7 == 0 {
			in.Village, in.Relation = "", ""
		}
		ins = append(ins, in)
	}
	b := NewPopulationBuilder(len(ins))
	var plain int
	for i := range ins {
		in := &ins[i]
		b.Add(in)
		for _, s := range []string{in.ID, in.OldID, in.Name, in.NameKey, in.RawName, in.RawBirth, in.SpouseID,
			in.Commune, in.Household, in.Relation, in.Village} {
			plain += len(s)
		}
	}
	pop := b.Build()
	for i := range ins {
		in, p := &ins[i], &pop.People[i]
		got := []string{pop.Str(p.ID), pop.Str(p.Name), pop.Str(p.NameKey), pop.Str(p.RawName), pop.Str(p.Commune),
			pop.Str(p.Household), pop.Str(p.Relation), pop.Str(p.Village)}
		want := []string{in.ID, in.Name, in.NameKey, in.RawName, in.Commune, in.Household, in.Relation, in.Village}
		for k := range got {
			if got[k] != want[k] {
				t.Fatalf("row %d: field %d = %q, want %q", i, k, got[k], want[k])
			}
		}
	}
	// Stored once: 4 communes, 3 relations, 5 villages, 100 households, and
	// the raw names that differ from the display form.
	var once int
	for i := range ins {
		in := &ins[i]
		once += len(in.ID) + len(in.Name) + len(in.NameKey)
		if in.RawName != in.Name {
			once += len(in.RawName)
		}
		if i%3 == 0 {
			once += len(in.Household)
		}
	}
	for _, s := range []string{"00100", "00101", "00102", "00103", "Chủ hộ", "Vợ", "Con",
		"Thôn 0", "Thôn 1", "Thôn 2", "Thôn 3", "Thôn 4"} {
		once += len(s)
	}
	if got := pop.arena.Len(); got != int64(once) {
		t.Errorf("arena holds %d bytes, want %d (%d stored with every row)", got, once, plain)
	}
}

func TestPopulationBuilderSharesAtMostMaxShared(t *testing.T) {
	b := NewPopulationBuilder(0)
	for i := range maxShared + 10 {
		b.Add(&PersonInput{Village: fmt.Sprintf("v%d", i)})
	}
	if len(b.shared) != maxShared {
		t.Errorf("%d strings shared, want at most %d", len(b.shared), maxShared)
	}
	pop := b.Build()
	if got := pop.Str(pop.People[maxShared+5].Village); got != fmt.Sprintf("v%d", maxShared+5) {
		t.Errorf("village past the bound = %q", got)
	}
}

// Sorting the indexes one at a time (SerialIndexes) builds the same
// population as sorting them side by side.
// testPopulation builds a population of n rows with repeated IDs, names
// and birth dates, so that every index has groups.
func testPopulation(n int, opt BuilderOptions) *Population {
	b := NewPopulationBuilderWith(0, opt)
	for i := range n {
		b.Add(&PersonInput{Row: int64(i + 1), ID: fmt.Sprintf("0400%08d", i%4900), OldID: fmt.Sprintf("18%07d", i%3000),
			Name: fmt.Sprintf("Nguyễn Văn %d", i%700), NameKey: fmt.Sprintf("nguyen van %d", i%700),
			Phonetic: fmt.Sprintf("ngwen van %d", i%700), Commune: fmt.Sprintf("%05d", 100+i%40),
			Birth: normalize.Date{Year: int16(1950 + i%60), Month: uint8(1 + i%12), Day: uint8(1 + i%28), Precision: normalize.PrecisionDay}})
	}
	return b.Build()
}

func TestPopulationSerialIndexes(t *testing.T) {
	side, serial := testPopulation(5000, BuilderOptions{}), testPopulation(5000, BuilderOptions{SerialIndexes: true})
	if !reflect.DeepEqual(side, serial) {
		t.Fatal("SerialIndexes builds another population")
	}
	if len(side.byID.fps) == 0 || len(side.byOldID.fps) == 0 || len(side.byDate.fps) == 0 {
		t.Fatal("the test population has empty indexes")
	}
}

// TestPopulationPeopleStorage builds populations whose people live in
// memory the caller gives (BuilderOptions.People): the same population as
// on the heap, in that memory while it has room, on the heap past it.
func TestPopulationPeopleStorage(t *testing.T) {
	const n = 5000
	want := testPopulation(n, BuilderOptions{})
	for _, tc := range []struct {
		name string
		room int
		in   bool // the people stay in the memory given
	}{{"room for all", n, true}, {"room to spare", n + 100, true}, {"room for some", n / 3, false}, {"room for one", 1, false}} {
		t.Run(tc.name, func(t *testing.T) {
			mem := make([]byte, tc.room*PersonSize+PersonSize/2) // a part-Person tail is not used
			storage := PeopleIn(mem)
			if len(storage) != 0 || cap(storage) != tc.room {
				t.Fatalf("PeopleIn: len %d cap %d, want 0 and %d", len(storage), cap(storage), tc.room)
			}
			got := testPopulation(n, BuilderOptions{People: storage})
			if in := &got.People[0] == &storage[:1][0]; in != tc.in {
				t.Errorf("people in the memory given: %v, want %v", in, tc.in)
			}
			if !reflect.DeepEqual(got.People, want.People) || !reflect.DeepEqual(got.byDup, want.byDup) {
				t.Fatal("a population in given memory differs from one on the heap")
			}
			for i := range 50 {
				r := int32(i * 97)
				if g, w := got.Str(got.People[r].Name), want.Str(want.People[r].Name); g != w {
					t.Errorf("row %d: name %q, want %q", r, g, w)
				}
			}
		})
	}
	// Grow gives more memory when the first is full; the people end in
	// the last memory given, and once Grow has none, on the heap.
	for _, tc := range []struct {
		name  string
		grows int // how many times Grow gives memory before it gives none
		in    bool
	}{{"grown each time", 100, true}, {"grown once, then none", 1, false}, {"none", 0, false}} {
		t.Run(tc.name, func(t *testing.T) {
			var last []Person
			asked := 0
			grow := func(capacity int) []Person {
				asked++
				if asked > tc.grows {
					return nil
				}
				if capacity <= cap(last) {
					t.Errorf("Grow(%d) with %d already given", capacity, cap(last))
				}
				last = PeopleIn(make([]byte, capacity*PersonSize))
				return last
			}
			last = PeopleIn(make([]byte, 700*PersonSize))
			got := testPopulation(n, BuilderOptions{People: last, Grow: grow})
			if in := &got.People[0] == &last[:1][0]; in != tc.in {
				t.Errorf("people in the last memory given: %v, want %v (Grow asked %d times)", in, tc.in, asked)
			}
			if !reflect.DeepEqual(got.People, want.People) {
				t.Fatal("a population moved between given memories differs from one on the heap")
			}
			if tc.grows == 0 && asked != 1 || tc.grows == 100 && asked < 3 {
				t.Errorf("Grow asked %d times", asked)
			}
		})
	}
	if PeopleIn(make([]byte, PersonSize-1)) != nil {
		t.Error("PeopleIn of less than a Person is not nil")
	}
}

// TestPopulationNameRefs checks the contract on Person that callers rely
// on to compare names without reading the arena: two people's Name,
// NameKey and RawName Refs are equal exactly when their strings are,
// across all three fields, with the cold file on or off.
func TestPopulationNameRefs(t *testing.T) {
	for _, cold := range []bool{false, true} {
		var opt BuilderOptions
		if cold {
			c, err := CreateColdFile(filepath.Join(t.TempDir(), "cold"))
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			opt.Cold = c
		}
		b := NewPopulationBuilderWith(0, opt)
		for i := range 3000 {
			name := fmt.Sprintf("Nguyễn Văn %d", i%97)
			raw := name
			if i%5 == 0 {
				raw = fmt.Sprintf("NGUYEN VAN %d", i%13)
			}
			b.Add(&PersonInput{Row: int64(i + 1), ID: fmt.Sprintf("0400%08d", i), Name: name, RawName: raw,
				NameKey: fmt.Sprintf("nguyen van %d", i%89), RawBirth: "1990"})
		}
		p := b.Build()
		if err := p.Err(); err != nil {
			t.Fatal(err)
		}
		refs := func(q *Person) [3]Ref { return [3]Ref{q.Name, q.NameKey, q.RawName} }
		for i := 0; i < p.Len(); i += 7 {
			for j := i + 1; j < p.Len(); j += 11 {
				ri, rj := refs(&p.People[i]), refs(&p.People[j])
				for x := range ri {
					for y := range rj {
						if (ri[x] == rj[y]) != (p.Str(ri[x]) == p.Str(rj[y])) {
							t.Fatalf("cold %v: rows %d, %d fields %d, %d: Refs %d, %d for %q, %q", cold, i, j, x, y,
								ri[x], rj[y], p.Str(ri[x]), p.Str(rj[y]))
						}
					}
				}
			}
		}
	}
}
