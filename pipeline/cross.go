package pipeline

import (
	"context"
	"errors"
	"sync"

	"github.com/doisanh/doisanh/record"
	"github.com/doisanh/doisanh/rules"
)

// crossRules applies the rules that look across records (rules.CrossRule).
// They only read the population and what linking kept, so they run side
// by side, each into its own findings; then the findings that are
// consequences of another finding's defect are dropped
// (rules.Checker.DropConsequences), and Finish puts all findings in one
// order afterwards.
func (r *run) crossRules(ctx context.Context) (int64, error) {
	found := make([][]record.Finding, len(r.rules.Cross))
	slots := make(chan struct{}, r.cfg.Workers)
	var wg sync.WaitGroup
	var mu sync.Mutex // one progress event at a time
	for i, rule := range r.rules.Cross {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			found[i] = rule.CheckCross(r.chk, &r.linked, nil)
			mu.Lock()
			r.event(Progress{Stage: "rules", Part: rule.Info().Code, Done: int64(len(found[i]))})
			mu.Unlock()
		}()
	}
	wg.Wait()
	// DUP_ID reads spilled code owners back from disk: a file that cannot
	// be read leaves its findings incomplete, so it is the run's error.
	if err := errors.Join(r.linked.TaxOwners.Err(), r.linked.InsuranceOwners.Err()); err != nil {
		r.linked.TaxOwners.Reset()
		r.linked.InsuranceOwners.Reset()
		return 0, err
	}
	for _, fs := range found {
		r.keepFindings(fs) // their strings share the population's arena
	}
	// One defect, one finding: drop what another finding's defect causes.
	if err := r.dropConsequences(); err != nil {
		return 0, err
	}
	// Nothing after this stage reads the register, its indexes, the linker
	// or the checker: let them go before the findings come back (spilled)
	// and the addresses stage reads the register's file again.
	rows := int64(r.pop.Len())
	r.linked.TaxOwners.Reset()
	r.linked.InsuranceOwners.Reset()
	r.linked, r.pop, r.chk, r.linker = rules.Linked{}, nil, nil, nil
	return rows, ctx.Err()
}
