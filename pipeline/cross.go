package pipeline

import (
	"context"
	"sync"

	"github.com/doisanh/doisanh/record"
	"github.com/doisanh/doisanh/rules"
)

// crossRules applies the rules that look across records: DUP_ID,
// DUP_PERSON and SPOUSE_CONFLICT. They only read the population and what
// linking kept, so they run side by side, each into its own findings;
// then the findings that are consequences of another finding's defect are
// dropped (rules.Checker.DropConsequences), and Finish puts all findings in
// one order afterwards.
func (r *run) crossRules(ctx context.Context) (int64, error) {
	checks := []func([]record.Finding) []record.Finding{
		r.chk.DupIDPopulation,
		r.chk.DupPerson,
		func(out []record.Finding) []record.Finding { return r.chk.SpouseConflict(r.marriages, out) },
		func(out []record.Finding) []record.Finding {
			return r.chk.DupIDSource(record.Tax, &r.taxOwners, out)
		},
		func(out []record.Finding) []record.Finding {
			return r.chk.DupIDSource(record.Insurance, &r.insuranceOwners, out)
		},
	}
	found := make([][]record.Finding, len(checks))
	slots := make(chan struct{}, r.cfg.Workers)
	var wg sync.WaitGroup
	for i, check := range checks {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			found[i] = check(nil)
		}()
	}
	wg.Wait()
	for _, fs := range found {
		r.res.Findings = append(r.res.Findings, fs...)
	}
	// One defect, one finding: drop what another finding's defect causes.
	r.res.Findings = r.chk.DropConsequences(r.res.Findings)
	r.taxOwners, r.insuranceOwners = rules.KeyOwners{}, rules.KeyOwners{}
	return int64(r.pop.Len()), ctx.Err()
}
