package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRegistryMatchesCatalog keeps All and Catalog in step: every rule of
// the catalogue is applied by exactly one registered rule, and every
// registered rule is in the catalogue.
func TestRegistryMatchesCatalog(t *testing.T) {
	rs := All()
	var registered []Rule
	for _, r := range rs.Person {
		registered = append(registered, r)
	}
	for _, r := range rs.Record {
		registered = append(registered, r)
	}
	for _, r := range rs.Cross {
		registered = append(registered, r)
	}
	seen := map[string]int{}
	for _, r := range registered {
		info := r.Info()
		if got, ok := Lookup(info.Code); !ok || got.Label != info.Label {
			t.Errorf("registered rule %s (%T) is not in the catalogue", info.Code, r)
		}
		seen[info.Code]++
	}
	for _, info := range Catalog {
		if seen[info.Code] != 1 {
			t.Errorf("rule %s is registered %d times in All, want once", info.Code, seen[info.Code])
		}
	}
}

// TestEveryRuleHasTestdata checks that each rule of the catalogue has its
// file under testdata/ (DUP_ID: testdata/dup_id.txt) and that the file's
// expected findings show every subtype of the rule at least once.
func TestEveryRuleHasTestdata(t *testing.T) {
	for _, info := range Catalog {
		path := filepath.Join("testdata", strings.ToLower(info.Code)+".txt")
		b, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("rule %s has no test data: %v", info.Code, err)
			continue
		}
		for _, s := range info.Subtypes {
			head := info.Code
			if s.Code != "" {
				head += "/" + s.Code
			}
			if !strings.Contains(string(b), "\n"+head+" on ") {
				t.Errorf("%s: no expected finding %s", path, head)
			}
		}
	}
}
