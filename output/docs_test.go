package output

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// TestOutputsDocListsFields keeps docs/OUTPUTS.md in step with the files a
// run writes: every column and JSON field is named in its section.
func TestOutputsDocListsFields(t *testing.T) {
	b, err := os.ReadFile("../docs/OUTPUTS.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	section := func(title string) string {
		_, s, ok := strings.Cut(doc, "\n## "+title+"\n")
		if !ok {
			t.Fatalf("OUTPUTS.md has no section %q", title)
		}
		if end := strings.Index(s, "\n## "); end >= 0 {
			s = s[:end]
		}
		return s
	}
	mentions := func(title string, names []string) {
		t.Helper()
		s := section(title)
		for _, n := range names {
			if !strings.Contains(s, n) {
				t.Errorf("OUTPUTS.md, %s: %s is not described", title, n)
			}
		}
	}
	mentions("Findings", findingColumns)
	mentions("Rejects", rejectColumns)
	mentions("summary.json", jsonFields(reflect.TypeFor[Summary]()))
	mentions("manifest.json", jsonFields(reflect.TypeFor[manifest]()))
	mentions("diff", jsonFields(reflect.TypeFor[DiffResult]()))
	mentions("diff", jsonFields(reflect.TypeFor[DiffRow]()))
	fix := section("Fix lists")
	for _, h := range fixlistHeader {
		if !strings.Contains(fix, "| "+h+" |") {
			t.Errorf("OUTPUTS.md, Fix lists: no row for the header %q", h)
		}
	}
}

// jsonFields returns the JSON names of t's fields, and of the fields of the
// structs its slices hold.
func jsonFields(t reflect.Type) []string {
	var out []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		out = append(out, name)
		if e := f.Type; e.Kind() == reflect.Slice && e.Elem().Kind() == reflect.Struct {
			out = append(out, jsonFields(e.Elem())...)
		}
	}
	return out
}
