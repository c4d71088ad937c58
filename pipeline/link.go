package pipeline

import (
	"context"

	"github.com/doisanh/doisanh/match"
	"github.com/doisanh/doisanh/record"
	"github.com/doisanh/doisanh/rules"
)

// trainSample is how many records of each source train the linking model.
const trainSample = 20_000

// linkChunk is how many records one worker links at a time.
const linkChunk = 2048

func (r *run) link(ctx context.Context) (int64, error) {
	r.linker = match.NewLinker(r.pop, match.LinkOptions{Seed: 1})
	var sample []match.Record
	for _, recs := range [][]rules.SourceRecord{r.tax, r.insurance} {
		for i := range recs[:min(len(recs), trainSample)] {
			sample = append(sample, recs[i].Match)
		}
	}
	if _, err := r.linker.Train(sample); err != nil {
		return 0, err
	}
	var n int64
	for _, recs := range [][]rules.SourceRecord{r.tax, r.insurance} {
		if err := r.linkSource(ctx, recs); err != nil {
			return 0, err
		}
		n += int64(len(recs))
	}
	if err := r.linkCivil(ctx); err != nil {
		return 0, err
	}
	return n + int64(len(r.civil)), nil
}

// chunks yields [lo, hi) ranges of n items.
func chunks(n int) func() ([2]int, bool, error) {
	lo := 0
	return func() ([2]int, bool, error) {
		if lo >= n {
			return [2]int{}, false, nil
		}
		hi := min(lo+linkChunk, n)
		c := [2]int{lo, hi}
		lo = hi
		return c, true, nil
	}
}

// linkSource links tax or insurance records and applies the per-record rules.
func (r *run) linkSource(ctx context.Context, recs []rules.SourceRecord) error {
	return ordered(ctx, r.cfg.Workers, chunks(len(recs)), func(c [2]int) []record.Finding {
		var fs []record.Finding
		for i := c[0]; i < c[1]; i++ {
			rec := &recs[i]
			rec.Link = r.linker.Link(&rec.Match)
			fs = r.chk.Source(rec, fs)
		}
		return fs
	}, func(fs []record.Finding) error {
		r.res.Findings = append(r.res.Findings, fs...)
		return nil
	})
}

// linkCivil links civil events: births and deaths are checked at once,
// marriages and divorces are kept for the spouse rule.
func (r *run) linkCivil(ctx context.Context) error {
	type out struct {
		fs        []record.Finding
		marriages []rules.Marriage
		methods   []match.Method
	}
	return ordered(ctx, r.cfg.Workers, chunks(len(r.civil)), func(c [2]int) out {
		var o out
		for i := c[0]; i < c[1]; i++ {
			e := &r.civil[i]
			switch e.ev.EventType {
			case record.EventBirth:
				l := r.linker.Link(&e.subject)
				o.methods = append(o.methods, l.Method)
				o.fs = r.chk.Birth(&e.ev, l, e.commune, o.fs)
			case record.EventDeath:
				l := r.linker.Link(&e.subject)
				o.methods = append(o.methods, l.Method)
				o.fs = r.chk.Death(&e.ev, l, o.fs)
			case record.EventMarriage, record.EventDivorce:
				a := r.linker.Link(&e.subject)
				b := r.linker.Link(&e.partner)
				o.methods = append(o.methods, a.Method)
				o.marriages = append(o.marriages, rules.Marriage{EventID: e.ev.EventID, Date: e.date, Row: e.ev.Row,
					Divorce: e.ev.EventType == record.EventDivorce, A: a.Person, B: b.Person})
			}
		}
		return o
	}, func(o out) error {
		r.res.Findings = append(r.res.Findings, o.fs...)
		r.marriages = append(r.marriages, o.marriages...)
		for _, m := range o.methods {
			r.res.Links["civil/"+m.String()]++
		}
		return nil
	})
}

// crossRules applies the rules that look across records.
func (r *run) crossRules(context.Context) (int64, error) {
	fs := r.res.Findings
	fs = r.chk.DupIDPopulation(fs)
	fs = r.chk.DupPerson(fs)
	fs = r.chk.SpouseConflict(r.marriages, fs)
	for _, s := range []struct {
		src  record.Source
		recs []rules.SourceRecord
	}{{record.Tax, r.tax}, {record.Insurance, r.insurance}} {
		owners := make([]rules.KeyOwner, len(s.recs))
		for i := range s.recs {
			rec := &s.recs[i]
			owners[i] = rules.KeyOwner{Key: rec.Key, Person: rec.Link.Person, NameKey: rec.Match.NameKey,
				Birth: rec.Match.Birth, Name: rec.RawName, Commune: rec.Match.Commune}
			r.res.Links[s.src.String()+"/"+rec.Link.Method.String()]++
		}
		fs = r.chk.DupIDSource(s.src, owners, fs)
	}
	r.res.Findings = fs
	return int64(r.pop.Len()), nil
}
