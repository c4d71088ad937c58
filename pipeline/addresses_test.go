package pipeline

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/doisanh/doisanh/record"
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

// TestRejectedRowGivesNoAddress: a register row the first reading
// rejected (here by the pipeline: a value too long; there by the reader: a
// control character) gives no finding its address, though the addresses
// stage reads only three columns and shares the person_id.
func TestRejectedRowGivesNoAddress(t *testing.T) {
	for _, tc := range []struct {
		name string
		bad  func(p *record.Person)
	}{
		{"too long", func(p *record.Person) { p.MotherName = strings.Repeat("x", maxValueLen+1) }},
		{"control character", func(p *record.Person) { p.MotherName = "Lê\x01Thị" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := smallProvince()
			plain, err := Run(context.Background(), s.write(t, t.TempDir(), "csv"))
			if err != nil {
				t.Fatal(err)
			}
			var first record.Person // a person with a finding that carries the register's address
			for _, f := range plain.Findings {
				for _, p := range s.population {
					if first.PersonID == "" && f.Rule != "UNKNOWN_RESIDENCE" && p.PersonID == f.PersonID && p.Address != "" && f.Address == p.Address {
						first = p
					}
				}
			}
			if first.PersonID == "" {
				t.Fatal("no finding carries a register address: the test proves nothing")
			}
			bad := first
			bad.Address = "Số 99 đường Sai, không phải nhà anh ấy"
			tc.bad(&bad)
			s.population = append([]record.Person{bad}, s.population...)
			res, err := Run(context.Background(), s.write(t, t.TempDir(), "csv"))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Rejects) != 1 || res.Rejects[0].RowNumber != 1 {
				t.Fatalf("rejects %+v, want data row 1 only", res.Rejects)
			}
			n := 0
			for _, f := range res.Findings {
				if f.PersonID != first.PersonID || f.Rule == "UNKNOWN_RESIDENCE" {
					continue
				}
				n++
				if f.Address != first.Address {
					t.Errorf("%s %s about %s: address %q, want the register's %q", f.Rule, f.Subtype, f.PersonID, f.Address, first.Address)
				}
			}
			if n == 0 {
				t.Fatalf("no finding about %s: the test proves nothing", first.PersonID)
			}
		})
	}
}

// TestIDFilter: an ID added is always let through; of IDs not added,
// about one in sixteen or fewer.
func TestIDFilter(t *testing.T) {
	const n = 5000
	f := newIDFilter(n)
	for i := range n {
		f.add(fmt.Sprintf("0400%08d", 2*i))
	}
	passed := 0
	for i := range n {
		if !f.has(fmt.Sprintf("0400%08d", 2*i)) {
			t.Fatalf("ID %d added but not let through", 2*i)
		}
		if f.has(fmt.Sprintf("0400%08d", 2*i+1)) {
			passed++
		}
	}
	if passed > n/8 {
		t.Errorf("%d of %d IDs not added let through, want about %d or fewer", passed, n, n/16)
	}
}
