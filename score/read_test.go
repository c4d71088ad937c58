package score

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/doisanh/doisanh/record"
	"github.com/doisanh/doisanh/synth"
)

// TestReadTruth: the truth.parquet and truth.csv that generate writes read
// the same; a population file given as truth is refused, naming the
// missing columns; generate.json gives the province.
func TestReadTruth(t *testing.T) {
	dir := t.TempDir()
	opts := synth.DefaultOptions()
	opts.People, opts.Seed, opts.Format = 1500, 2, synth.FormatBoth
	if _, err := synth.Generate(context.Background(), dir, opts); err != nil {
		t.Fatal(err)
	}
	fromParquet, err := ReadTruth(filepath.Join(dir, "truth.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	fromCSV, err := ReadTruth(filepath.Join(dir, "truth.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(fromParquet) == 0 || !reflect.DeepEqual(fromParquet, fromCSV) {
		t.Errorf("truth.parquet (%d rows) and truth.csv (%d rows) differ", len(fromParquet), len(fromCSV))
	}
	fromDir, err := ReadTruth(dir)
	if err != nil || !reflect.DeepEqual(fromDir, fromParquet) {
		t.Errorf("ReadTruth(dir): %d rows, %v", len(fromDir), err)
	}
	// A directory with only truth.csv.
	csvOnly := t.TempDir()
	b, _ := os.ReadFile(filepath.Join(dir, "truth.csv"))
	os.WriteFile(filepath.Join(csvOnly, "truth.csv"), b, 0o644)
	if got, err := ReadTruth(csvOnly); err != nil || !reflect.DeepEqual(got, fromParquet) {
		t.Errorf("ReadTruth(dir with truth.csv): %d rows, %v", len(got), err)
	}

	for _, name := range []string{"population.parquet", "population.csv", "tax.csv"} {
		_, err := ReadTruth(filepath.Join(dir, name))
		var nt *NotTruthError
		if !errors.As(err, &nt) || !reflect.DeepEqual(nt.Missing, []string{"rule", "subtype", "source", "source_key", "related_person_id", "field"}) &&
			!reflect.DeepEqual(nt.Missing, []string{"rule", "subtype", "source", "source_key", "person_id", "related_person_id", "field"}) {
			t.Errorf("%s as truth: %v", name, err)
			continue
		}
		if !strings.Contains(err.Error(), "is not a truth file") || !strings.Contains(err.Error(), "missing columns rule, subtype, source, source_key") {
			t.Errorf("%s as truth: %v", name, err)
		}
	}

	code, ok, err := TruthProvince(filepath.Join(dir, "truth.csv"))
	if err != nil || !ok || code != "40" {
		t.Errorf("TruthProvince = %q %v %v, want 40", code, ok, err)
	}
	if _, ok, err := TruthProvince(filepath.Join(csvOnly, "truth.csv")); ok || err != nil {
		t.Errorf("TruthProvince without generate.json: %v %v", ok, err)
	}
}

// TestReadTruthGuardedCSV: the apostrophe guarding a formula-like cell is
// removed, and only it.
func TestReadTruthGuardedCSV(t *testing.T) {
	p := filepath.Join(t.TempDir(), "truth.csv")
	data := "rule,subtype,source,source_key,person_id,related_person_id,field\n" +
		"FIELD_MISMATCH,NAME,tax,'-8000000001,040085000001,,'=full_name\n" +
		"FIELD_MISMATCH,NAME,tax,'abc,040085000002,,''@x\n"
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ReadTruth(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].SourceKey != "-8000000001" || got[0].Field != "=full_name" || got[1].SourceKey != "'abc" || got[1].Field != "'@x" {
		t.Errorf("ReadTruth = %+v", got)
	}
}

func TestFindingsProvince(t *testing.T) {
	tests := []struct {
		codes []string
		want  string
	}{
		{nil, ""},
		{[]string{"", ""}, ""},
		{[]string{"40", "", "01", "40"}, "40"},
		{[]string{"01", "40"}, "01"}, // a tie: the smaller code
		{[]string{"01", "01", "40", "79"}, "01"},
		{[]string{"01", "40", "79", ""}, "all"}, // a national register's: none holds half
	}
	for _, tc := range tests {
		var fs []record.Finding
		for _, c := range tc.codes {
			fs = append(fs, record.Finding{ProvinceCode: c})
		}
		if got := FindingsProvince(fs); got != tc.want {
			t.Errorf("FindingsProvince(%q) = %q, want %q", tc.codes, got, tc.want)
		}
	}
}

// TestTruthProvinceNational: the truth of a national register (generate
// --province all) is of every province.
func TestTruthProvinceNational(t *testing.T) {
	for _, tc := range []struct{ province, want string }{
		{"all", "all"}, {"ALL", "all"}, {"79", "79"}, {"Nghệ An", "40"}, {"", "40"},
	} {
		dir := t.TempDir()
		js := `{"options": {"province": "` + tc.province + `"}}`
		if err := os.WriteFile(filepath.Join(dir, "generate.json"), []byte(js), 0o644); err != nil {
			t.Fatal(err)
		}
		code, ok, err := TruthProvince(filepath.Join(dir, "truth.parquet"))
		if code != tc.want || !ok || err != nil {
			t.Errorf("province %q: TruthProvince = %q %v %v, want %q", tc.province, code, ok, err, tc.want)
		}
	}
	if ProvinceName("all") != "Toàn quốc" {
		t.Errorf("ProvinceName(all) = %q", ProvinceName("all"))
	}
}
