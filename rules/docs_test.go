package rules

import (
	"os"
	"strings"
	"testing"
)

// TestRulesDocListsCatalog keeps docs/RULES.md in step with the catalogue:
// a summary row per rule with its label and severity, a section per rule,
// and a row per subtype with its label.
func TestRulesDocListsCatalog(t *testing.T) {
	b, err := os.ReadFile("../docs/RULES.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, r := range Catalog {
		if row := "| " + r.Code + " | " + r.Label + " | " + r.Severity + " |"; !strings.Contains(doc, row) {
			t.Errorf("RULES.md has no summary row %q", row)
		}
		heading := "\n## " + r.Code + ": " + r.Label + " (" + r.Severity + ")\n"
		_, section, ok := strings.Cut(doc, heading)
		if !ok {
			t.Errorf("RULES.md has no section %q", strings.TrimSpace(heading))
			continue
		}
		if end := strings.Index(section, "\n## "); end >= 0 {
			section = section[:end]
		}
		for _, s := range r.Subtypes {
			code := s.Code
			if code == "" {
				code = "(none)"
			}
			if row := "| " + code + " | " + s.Label + " |"; !strings.Contains(section, row) {
				t.Errorf("RULES.md, %s: no subtype row %q", r.Code, row)
			}
		}
	}
}
