package output

import (
	"testing"

	"github.com/doisanh/doisanh/normalize"
	"github.com/doisanh/doisanh/record"
	"github.com/doisanh/doisanh/rules"
)

func TestDisplayNameAndDate(t *testing.T) {
	names := []struct{ in, want string }{
		{" Huỳnh  Hoài Phương", "Huỳnh Hoài Phương"},
		{"NGUYỄN THỊ THI", "Nguyễn Thị Thi (ghi: NGUYỄN THỊ THI)"},
		{nfd, "Nguyễn Văn Ánh"},
		{"", ""},
	}
	var parser normalize.NameParser // with a memo, twice, and without one
	for round := range 2 {
		for _, tt := range names {
			for _, p := range []*normalize.NameParser{&parser, nil} {
				if got := displayName(p, tt.in); got != tt.want {
					t.Errorf("round %d: displayName(%v, %q) = %q, want %q", round, p != nil, tt.in, got, tt.want)
				}
			}
		}
	}
	dates := []struct{ in, want string }{
		{"19840114", "14/01/1984 (ghi: 19840114)"},
		{"1999-06-06", "06/06/1999 (ghi: 1999-06-06)"},
		{"16/7/2014", "16/07/2014 (ghi: 16/7/2014)"},
		{"28/01/1939", "28/01/1939"},
		{"00/05/1962", "05/1962 (ghi: 00/05/1962)"},
		{"không rõ", "không rõ"},
	}
	for _, tt := range dates {
		if got := displayDate(tt.in); got != tt.want {
			t.Errorf("displayDate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDisplayValueAndScore(t *testing.T) {
	res := &record.Finding{Rule: rules.UnknownResidence, Field: "commune_code", Source: "population", Score: 1}
	for in, want := range map[string]string{"| Xóm 5": "(trống)", "16681 | Thôn 9, Xã Nhân Hòa": "16681", "": ""} {
		if got := displayValue(res, in, true); got != want {
			t.Errorf("residence value %q = %q, want %q", in, got, want)
		}
	}
	dup := &record.Finding{Rule: rules.DupID, Field: "person_id"}
	if got := displayValue(dup, "Nguyễn Thị Uyên (18/04/1952); Nguyễn Thị Trang (31/07/1952)", true); got != "Nguyễn Thị Uyên; Nguyễn Thị Trang" {
		t.Errorf("other people's birth dates kept: %q", got)
	}
	scores := []struct {
		f    record.Finding
		want string
	}{
		{record.Finding{Rule: rules.FieldMismatch, Source: "tax", Score: 0.87}, "87%"},
		{record.Finding{Rule: rules.FieldMismatch, Source: "tax", Score: 0.9999999}, "99%"},
		{record.Finding{Rule: rules.FieldMismatch, Source: "tax", Score: 1}, "100%"},
		{record.Finding{Rule: rules.DupID, Source: "population", Score: 1}, ""},
		{record.Finding{Rule: rules.DupPerson, Source: "population", Score: 0.9934}, "99%"}, // the probability of one person
		{record.Finding{Rule: rules.NotInPopulation, Source: "tax", Score: 0}, ""},
	}
	for _, tt := range scores {
		if got := formatScore(&tt.f); got != tt.want {
			t.Errorf("formatScore(%s %s %v) = %q, want %q", tt.f.Rule, tt.f.Source, tt.f.Score, got, tt.want)
		}
	}
}

// TestFixlistSortsSpacedNames: a name written with leading or double
// spaces sorts where its letters put it, not first.
func TestFixlistSortsSpacedNames(t *testing.T) {
	fs := []record.Finding{
		{FindingID: "1", Rule: rules.DupID, FullName: "Bùi Thị Hoa"},
		{FindingID: "2", Rule: rules.DupID, FullName: "  Trần  Văn Bình"},
		{FindingID: "3", Rule: rules.DupID, FullName: "An Văn Cường"},
	}
	idx := []int32{0, 1, 2}
	newSorter().sort(fs, idx)
	if got := []string{fs[idx[0]].FindingID, fs[idx[1]].FindingID, fs[idx[2]].FindingID}; got[0] != "3" || got[1] != "1" || got[2] != "2" {
		t.Errorf("order = %v, want [3 1 2]", got)
	}
}
