package record

import (
	"os"
	"strings"
	"testing"
)

// TestDataDocListsSchemas keeps docs/DATA.md in step with the schemas: each
// source's table lists exactly its columns, with "yes" under required and
// key where the schema says so.
func TestDataDocListsSchemas(t *testing.T) {
	b, err := os.ReadFile("../docs/DATA.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	checkSchema(t, doc, PersonSchema)
	checkSchema(t, doc, TaxSchema)
	checkSchema(t, doc, InsuranceSchema)
	checkSchema(t, doc, CivilSchema)
}

// docColumn is one column as a table of DATA.md gives it.
type docColumn struct{ required, key bool }

func checkSchema[T any](t *testing.T, doc string, s Schema[T]) {
	t.Helper()
	got := docColumns(t, doc, s.Source.String())
	for _, c := range s.Columns {
		d, ok := got[c.Name]
		if !ok {
			t.Errorf("DATA.md, %s: no row for column %s", s.Source, c.Name)
			continue
		}
		if d.required != c.Required || d.key != c.Key {
			t.Errorf("DATA.md, %s.%s: required %v, key %v; the schema says %v, %v",
				s.Source, c.Name, d.required, d.key, c.Required, c.Key)
		}
		delete(got, c.Name)
	}
	for name := range got {
		t.Errorf("DATA.md, %s: column %s is not in the schema", s.Source, name)
	}
}

// docColumns reads the table under the heading "## <source> ...": its
// first cell names one or more columns (comma-separated), the second and
// third say "yes" when required and key.
func docColumns(t *testing.T, doc, source string) map[string]docColumn {
	t.Helper()
	_, section, ok := strings.Cut(doc, "\n## "+source+" ")
	if !ok {
		t.Fatalf("DATA.md has no section for %s", source)
	}
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	out := map[string]docColumn{}
	for line := range strings.SplitSeq(section, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 5 || !strings.HasPrefix(line, "| ") || strings.HasPrefix(line, "| column") {
			continue
		}
		d := docColumn{strings.TrimSpace(cells[2]) == "yes", strings.TrimSpace(cells[3]) == "yes"}
		for name := range strings.SplitSeq(cells[1], ",") {
			out[strings.TrimSpace(name)] = d
		}
	}
	if len(out) == 0 {
		t.Fatalf("DATA.md, %s: no table rows", source)
	}
	return out
}
