package synth

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/doisanh/doisanh/record"
	"github.com/doisanh/doisanh/score"
)

// TestTruthCSVGuarded: truth.csv, an output read back by score, has its
// formula-like cells guarded, and score reads them back as written; the
// synthetic extracts, which stand for raw inputs, are written raw.
func TestTruthCSVGuarded(t *testing.T) {
	dir := t.TempDir()
	truth := []record.Truth{
		{Rule: "FIELD_MISMATCH", Subtype: "NAME", Source: "tax", SourceKey: "=HYPERLINK(\"x\")", PersonID: "-2+3", Field: "@f"},
		{Rule: "DUP_ID", Subtype: "TAX", Source: "tax", SourceKey: "'=1", PersonID: "040085000001", RelatedPersonID: "+1"},
	}
	if _, err := writeFile(dir, "truth", FormatCSV, record.TruthColumns, len(truth),
		func(i int, row *record.Truth) bool { *row = truth[i]; return true }); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "truth.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"'=HYPERLINK(""x"")"`, "'-2+3", "'@f", "''=1", "'+1"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("truth.csv lacks %s:\n%s", want, b)
		}
	}
	got, err := score.ReadTruth(filepath.Join(dir, "truth.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, truth) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, truth)
	}

	pop := []record.Person{{PersonID: "-1", FullName: "=x"}}
	if _, err := writeFile(dir, "population", FormatCSV, record.PersonSchema.Columns, 1,
		func(i int, row *record.Person) bool { *row = pop[i]; return true }); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "population.csv")); !strings.Contains(string(b), "\n-1,,=x,") {
		t.Errorf("population.csv is not raw:\n%s", b)
	}
}

// writeFile writes n rows made by fill to one file, as a run of one shard does.
func writeFile[T any](dir, name, format string, cols []record.Column[T], n int, fill func(i int, row *T) bool) (int, error) {
	s, err := newSink(dir, name, format, cols)
	if err != nil {
		return 0, err
	}
	if err := appendRows(context.Background(), s, false, n, fill); err != nil {
		s.close()
		return 0, err
	}
	err = s.finish()
	return s.rows, err
}
