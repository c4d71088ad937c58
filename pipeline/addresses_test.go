package pipeline

import (
	"context"
	"testing"
)

// TestFindingsCarryRegisterAddress: every finding about a person on the
// register carries the register's address, and the residents are counted
// per commune.
func TestFindingsCarryRegisterAddress(t *testing.T) {
	s := smallProvince()
	cfg := s.write(t, t.TempDir(), "csv")
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	addr := map[string]string{}
	for _, p := range s.population {
		addr[p.PersonID] = p.Address
	}
	checked := 0
	for _, f := range res.Findings {
		want, ok := addr[f.PersonID]
		if !ok || want == "" || f.Rule == "UNKNOWN_RESIDENCE" {
			continue
		}
		checked++
		if f.Address == "" {
			t.Errorf("%s %s about %s: no address (register: %q)", f.Rule, f.Subtype, f.PersonID, want)
		}
	}
	if checked < 10 {
		t.Errorf("only %d findings about register people checked", checked)
	}
	if res.Residents["17842"] == 0 || res.Residents["17833"] == 0 {
		t.Errorf("residents = %v", res.Residents)
	}
}
