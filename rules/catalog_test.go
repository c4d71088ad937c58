package rules

import (
	"os"
	"strings"
	"testing"
)

func TestCatalogComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Catalog {
		if seen[r.Code] {
			t.Errorf("rule %s listed twice", r.Code)
		}
		seen[r.Code] = true
		if r.Label == "" || r.Meaning == "" || len(r.Subtypes) == 0 {
			t.Errorf("rule %s lacks a label, meaning or subtype", r.Code)
		}
		switch r.Severity {
		case High, Medium, Low:
		default:
			t.Errorf("rule %s: severity %q", r.Code, r.Severity)
		}
		for _, s := range r.Subtypes {
			if s.Label == "" || !strings.HasPrefix(s.Suggestion, "Đề nghị") {
				t.Errorf("%s/%s: label %q, suggestion %q", r.Code, s.Code, s.Label, s.Suggestion)
			}
			if got, ok := SubtypeInfo(r.Code, s.Code); !ok || got != s {
				t.Errorf("SubtypeInfo(%s, %s) = %v, %v", r.Code, s.Code, got, ok)
			}
		}
	}
	if _, ok := Lookup("NO_SUCH_RULE"); ok {
		t.Error("Lookup of an unknown rule succeeded")
	}
}

// TestREADMEListsCatalog keeps the README's rule table in step with the code.
func TestREADMEListsCatalog(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, r := range Catalog {
		if !strings.Contains(readme, "| "+r.Code+" | "+r.Label+" |") {
			t.Errorf("README.md has no catalogue row for %s (%s)", r.Code, r.Label)
		}
		for _, s := range r.Subtypes {
			if s.Code != "" && !strings.Contains(readme, s.Code) {
				t.Errorf("README.md does not mention %s/%s", r.Code, s.Code)
			}
		}
	}
}
