package score

import (
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"github.com/doisanh/doisanh/record"
)

// TestScorerReusedFinding: a Scorer fed one finding struct reused for
// every finding (output.EachFinding's batches) scores as Compare does on
// the whole slice.
func TestScorerReusedFinding(t *testing.T) {
	truth := []record.Truth{
		{Rule: "DUP_ID", Subtype: "POPULATION", Source: "population", SourceKey: "040085000001"},
		{Rule: "FIELD_MISMATCH", Subtype: "NAME", Source: "tax", SourceKey: "8000000001"},
		{Rule: "ID_INVALID", Subtype: "CHECKSUM", Source: "population", SourceKey: "x", Expect: record.ExpectNone},
	}
	findings := []record.Finding{
		{Rule: "DUP_ID", Subtype: "POPULATION", Source: "population", SourceKey: "040085000001", ProvinceCode: "40"},
		{Rule: "FIELD_MISMATCH", Subtype: "NAME", Source: "tax", SourceKey: "8000000002", ProvinceCode: "40"},
		{Rule: "ID_INVALID", Subtype: "CHECKSUM", Source: "population", SourceKey: "x", ProvinceCode: "01"},
		{Rule: "DUP_ID", Subtype: "POPULATION", Source: "population", SourceKey: "040085000001"},
		// A subtype the truth does not hold, twice: its row is keyed by the finding's strings.
		{Rule: "SPOUSE_CONFLICT", Subtype: "SELF", Source: "population", SourceKey: "040085000003"},
		{Rule: "SPOUSE_CONFLICT", Subtype: "SELF", Source: "population", SourceKey: "040085000004"},
	}
	want := Compare(findings, truth)
	sc := NewScorer(truth)
	var f record.Finding
	for _, g := range findings {
		// The strings of a reused batch are overwritten in place: give
		// each finding bytes of its own, then scribble over them.
		f = g
		var bufs [][]byte
		for _, s := range []*string{&f.SourceKey, &f.Rule, &f.Subtype, &f.Source, &f.ProvinceCode} {
			b := []byte(*s)
			if len(b) > 0 {
				*s = unsafe.String(&b[0], len(b))
			}
			bufs = append(bufs, b)
		}
		sc.Add(&f)
		for _, b := range bufs {
			for i := range b {
				b[i] = '#'
			}
		}
	}
	got := sc.Result()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Scorer = %+v\nCompare = %+v", got, want)
	}
	if sc.Findings() != 6 || sc.Province() != "40" {
		t.Errorf("Findings %d, Province %q; want 6 and 40", sc.Findings(), sc.Province())
	}
	if want.Total.Correct != 1 || want.Total.Consequences != 1 || len(want.FalsePositives) != 4 || len(want.Rows) != 4 {
		t.Errorf("Compare = %+v: want 1 correct, 1 consequence, 4 false positives, 4 rows", want)
	}
}

func TestCompare(t *testing.T) {
	truth := []record.Truth{
		{Rule: "DUP_ID", Subtype: "POPULATION", Source: "population", SourceKey: "040085000001"},
		{Rule: "DUP_ID", Subtype: "POPULATION", Source: "population", SourceKey: "040085000002"},
		{Rule: "DUP_PERSON", Source: "population", SourceKey: "b", PersonID: "b", RelatedPersonID: "a"},
		{Rule: "FIELD_MISMATCH", Subtype: "NAME", Source: "tax", SourceKey: "8000000001", Field: "full_name"},
	}
	findings := []record.Finding{
		{Rule: "DUP_ID", Subtype: "POPULATION", Source: "population", SourceKey: "040085000001"},
		{Rule: "DUP_ID", Subtype: "POPULATION", Source: "population", SourceKey: "040085000001"}, // repeated
		{Rule: "DUP_ID", Subtype: "POPULATION", Source: "population", SourceKey: "040085000009"}, // wrong
		{Rule: "DUP_PERSON", Source: "population", SourceKey: "a", PersonID: "a", RelatedPersonID: "b"},
		{Rule: "FIELD_MISMATCH", Subtype: "NAME", Source: "insurance", SourceKey: "8000000001"}, // other source
	}
	res := Compare(findings, truth)
	tests := []struct {
		rule, subtype         string
		truth, found, correct int
		precision, recall     float64
	}{
		{"DUP_ID", "POPULATION", 2, 2, 1, 0.5, 0.5},
		{"DUP_PERSON", "", 1, 1, 1, 1, 1},
		{"FIELD_MISMATCH", "NAME", 1, 1, 0, 0, 0},
	}
	if len(res.Rows) != len(tests) {
		t.Fatalf("got %d rows, want %d: %+v", len(res.Rows), len(tests), res.Rows)
	}
	for i, tt := range tests {
		r := res.Rows[i]
		if r.Rule != tt.rule || r.Subtype != tt.subtype || r.Truth != tt.truth || r.Found != tt.found ||
			r.Correct != tt.correct || r.Precision() != tt.precision || r.Recall() != tt.recall {
			t.Errorf("row %d = %+v (P %.2f R %.2f), want %+v", i, r, r.Precision(), r.Recall(), tt)
		}
	}
	if res.Total.Truth != 4 || res.Total.Found != 4 || res.Total.Correct != 2 {
		t.Errorf("total = %+v", res.Total)
	}
	if len(res.FalsePositives) != 2 || len(res.FalseNegatives) != 2 {
		t.Errorf("FP %v FN %v", res.FalsePositives, res.FalseNegatives)
	}
	if got := res.Worst(0.99, 0.98); len(got) != 2 {
		t.Errorf("Worst = %v", got)
	}

	// The rows of "doisanh score --json": one per rule and subtype, then
	// TOTAL, with the ratios worked out; res.Rows is left as it was.
	rows := res.JSONRows()
	if len(rows) != len(tests)+1 || len(res.Rows) != len(tests) {
		t.Fatalf("JSONRows: %d rows (Rows %d), want %d", len(rows), len(res.Rows), len(tests)+1)
	}
	if r := rows[0]; r.Rule != "DUP_ID" || r.Subtype != "POPULATION" || r.Found != 2 || r.Precision != 0.5 || r.F1 != 0.5 {
		t.Errorf("JSONRows[0] = %+v", r)
	}
	if r := rows[len(rows)-1]; r.Rule != "TOTAL" || r.Truth != 4 || r.Correct != 2 || r.Recall != 0.5 {
		t.Errorf("JSONRows total = %+v", r)
	}
}

// TestCompareNotFindings: a truth row marked as an expected non-finding is
// no defect to find; a finding that matches it counts against precision
// like any extra one, and is counted as a consequence reported.
func TestCompareNotFindings(t *testing.T) {
	truth := []record.Truth{
		{Rule: "SPOUSE_CONFLICT", Subtype: "MULTIPLE", Source: "population", SourceKey: "b"},
		{Rule: "SPOUSE_CONFLICT", Subtype: "NOT_RECIPROCAL", Source: "population", SourceKey: "c", Expect: record.ExpectNone},
		{Rule: "ID_INVALID", Subtype: "PROVINCE", Source: "population", SourceKey: "d", Expect: record.ExpectNone},
	}
	findings := []record.Finding{
		{Rule: "SPOUSE_CONFLICT", Subtype: "MULTIPLE", Source: "population", SourceKey: "b"},
		{Rule: "SPOUSE_CONFLICT", Subtype: "NOT_RECIPROCAL", Source: "population", SourceKey: "c"}, // a consequence
	}
	res := Compare(findings, truth)
	if res.Total.Truth != 1 || res.Total.Found != 2 || res.Total.Correct != 1 || res.Total.Consequences != 1 {
		t.Errorf("total = %+v, want truth 1, found 2, correct 1, consequences 1", res.Total)
	}
	if res.NotFindings != 2 || len(res.FalseNegatives) != 0 {
		t.Errorf("%d expected non-findings, missed %v; want 2 and none missed", res.NotFindings, res.FalseNegatives)
	}
	var b strings.Builder
	res.WriteMisses(&b)
	if !strings.Contains(b.String(), "consequence     SPOUSE_CONFLICT NOT_RECIPROCAL population c") {
		t.Errorf("misses do not name the consequence:\n%s", b.String())
	}
	b.Reset()
	if err := res.WriteTable(&b); err != nil || !strings.Contains(b.String(), "expected non-findings (consequences of a defect): 2, reported: 1") {
		t.Errorf("table (%v):\n%s", err, b.String())
	}
}
