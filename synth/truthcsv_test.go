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
	if _, err := writeSource(context.Background(), dir, "truth", FormatCSV, nil, record.TruthColumns, len(truth),
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
	if _, err := writeSource(context.Background(), dir, "population", FormatCSV, nil, record.PersonSchema.Columns, 1,
		func(i int, row *record.Person) bool { *row = pop[i]; return true }); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "population.csv")); !strings.Contains(string(b), "\n-1,,=x,") {
		t.Errorf("population.csv is not raw:\n%s", b)
	}
}
