package pipeline

import (
	"context"
	"errors"
	"io"
	"os"
	"sync"

	"github.com/doisanh/doisanh/ingest"
	"github.com/doisanh/doisanh/match"
	"github.com/doisanh/doisanh/record"
	"github.com/doisanh/doisanh/rules"
)

// trainSample is how many records of each source train the linking model.
const trainSample = 20_000

// taxFields and insuranceFields are what the linking of a tax or an
// insurance row looks at.
func taxFields(t *record.TaxRecord) sourceFields {
	return sourceFields{record.Tax, t.TaxCode, t.IDNumber, t.FullName, t.BirthDate, t.Gender, t.Address, t.CommuneCode, t.Status, t.UTF8}
}

func insuranceFields(t *record.InsuranceRecord) sourceFields {
	return sourceFields{record.Insurance, t.InsuranceCode, t.IDNumber, t.FullName, t.BirthDate, t.Gender, t.Address, t.CommuneCode, t.Status, t.UTF8}
}

// train fits the linking model on the first trainSample usable records of
// the tax and the insurance file. It reads them apart from the full pass
// that follows, which reports their rejects and counts, so that every
// record is linked as soon as it is read and none has to be kept whole.
// The two samples are read side by side and joined tax first, as if read
// one after the other.
func (r *run) train(context.Context) (int64, error) {
	r.linker = match.NewLinker(r.pop, match.LinkOptions{Seed: 1, Repeat: r.chk.Repeat})
	var tax, insurance []match.Record
	var taxErr, insuranceErr error
	var wg sync.WaitGroup
	if r.cfg.Tax != "" {
		wg.Go(func() { tax, taxErr = sampleSource(r, r.cfg.Tax, record.TaxSchema, taxFields, nil) })
	}
	if r.cfg.Insurance != "" {
		wg.Go(func() {
			insurance, insuranceErr = sampleSource(r, r.cfg.Insurance, record.InsuranceSchema, insuranceFields, nil)
		})
	}
	wg.Wait()
	if err := errors.Join(taxErr, insuranceErr); err != nil {
		return 0, err
	}
	sample := append(tax, insurance...)
	if _, err := r.linker.Train(sample); err != nil {
		return 0, err
	}
	return int64(len(sample)), nil
}

// sampleSource appends to dst the first trainSample usable records of a
// tax or insurance file, normalised.
func sampleSource[T any](r *run, path string, schema record.Schema[T], fields func(*T) sourceFields,
	dst []match.Record) ([]match.Record, error) {
	rd, err := ingest.Open(path, schema, ingest.Options{Mapping: r.mapping, LegacyText: legacyText,
		Encoding: r.cfg.Encoding})
	if err != nil {
		return dst, err
	}
	defer rd.Close()
	rows := make([]T, batchSize)
	var rec rules.SourceRecord
	var scratch batchScratch
	for n := 0; n < trainSample; {
		k, err := rd.Next(rows)
		for i := 0; i < k && n < trainSample; i++ {
			if _, long := tooLong(schema, &rows[i]); long {
				continue
			}
			if v := normalizeSource(r.places, &scratch, fields(&rows[i]), &rec); v.reason == "" {
				dst = append(dst, rec.Match)
				n++
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return dst, err
		}
	}
	return dst, nil
}

// linkSources reads the tax, insurance and civil files side by side and
// links each record to the population as it is read, applying the rules
// about one record at once. What the cross-record rules need is kept: the
// code owners of tax and insurance records, and marriages.
//
// Each file is read into a run of its own (see fork); their findings,
// rejects, counts, link tallies and warnings are then joined in file
// order (tax, insurance, civil), and their progress is relayed in that
// order, so the result is the same as reading them one after another.
func (r *run) linkSources(ctx context.Context) (int64, error) {
	var jobs []func(ctx context.Context, sub *run) (int64, error)
	if r.cfg.Tax != "" {
		jobs = append(jobs, func(ctx context.Context, sub *run) (int64, error) {
			return linkSource(ctx, sub, r.cfg.Tax, record.TaxSchema, taxFields, &r.linked.TaxOwners)
		})
	}
	if r.cfg.Insurance != "" {
		jobs = append(jobs, func(ctx context.Context, sub *run) (int64, error) {
			return linkSource(ctx, sub, r.cfg.Insurance, record.InsuranceSchema, insuranceFields, &r.linked.InsuranceOwners)
		})
	}
	if r.cfg.Civil != "" {
		jobs = append(jobs, func(ctx context.Context, sub *run) (int64, error) { return sub.linkCivil(ctx) })
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rl := newRelay(len(jobs))
	subs := make([]*run, len(jobs))
	rows := make([]int64, len(jobs))
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i := range jobs {
		subs[i] = r.fork(rl, i) // all before any starts: fork reads r.linked
	}
	for i, job := range jobs {
		wg.Go(func() {
			defer rl.finish(i)
			rows[i], errs[i] = job(ctx, subs[i])
			if errs[i] != nil {
				cancel() // the others stop too
			}
		})
	}
	wg.Wait()
	// The first file's own error, not the cancellation it caused in the others.
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return 0, err
		}
	}
	var total int64
	for i, err := range errs {
		if err != nil {
			return 0, err
		}
		r.join(subs[i])
		total += rows[i]
	}
	return total, nil
}

// fork returns a run for reading one source file beside others: it shares
// r's configuration, population, linker and checker (all read-only by
// now), and has a result and marriages of its own, which join takes
// back. Its progress goes through rl as part i.
func (r *run) fork(rl *relay, i int) *run {
	sub := *r
	sub.res = &Result{Province: r.res.Province, Links: map[string]int{}}
	sub.linked = rules.Linked{}
	sub.texts = &texts{}
	if r.spilled != nil {
		sub.spilled = r.spilled.fork()
	}
	sub.relay, sub.part = rl, i
	return &sub
}

// join appends what sub found to r's result.
func (r *run) join(sub *run) {
	r.joinFindings(sub)
	r.res.Rejects = append(r.res.Rejects, sub.res.Rejects...)
	r.res.Counts = append(r.res.Counts, sub.res.Counts...)
	r.res.Warnings = append(r.res.Warnings, sub.res.Warnings...)
	for k, n := range sub.res.Links {
		r.res.Links[k] += n
	}
	r.linked.Marriages = append(r.linked.Marriages, sub.linked.Marriages...)
}

// relay passes on the progress of files read side by side as if they
// were read one after another: the progress of part i is shown once parts
// 0..i-1 have finished, until then it is held.
type relay struct {
	mu   sync.Mutex
	cur  int        // the part whose progress is shown as it comes
	held [][]func() // per part: progress not yet shown
	done []bool
}

func newRelay(parts int) *relay {
	return &relay{held: make([][]func(), parts), done: make([]bool, parts)}
}

// show runs f (which writes progress) now if part is the current one, or
// once it becomes current. Calls of f never overlap.
func (rl *relay) show(part int, f func()) {
	rl.mu.Lock()
	defer rl.mu.Unlock()
	if part == rl.cur {
		f()
		return
	}
	rl.held[part] = append(rl.held[part], f)
}

// finish marks part as done: the next parts' held progress is shown.
func (rl *relay) finish(part int) {
	rl.mu.Lock()
	defer rl.mu.Unlock()
	rl.done[part] = true
	for rl.cur < len(rl.done) && rl.done[rl.cur] {
		rl.cur++
		if rl.cur < len(rl.held) {
			for _, f := range rl.held[rl.cur] {
				f()
			}
			rl.held[rl.cur] = nil
		}
	}
}

// sourceOut is what linking makes of one tax or insurance row.
type sourceOut struct {
	owner    rules.KeyOwner
	shared   rules.Shared // owners.Shared(&owner), worked out by the worker
	method   match.Method
	findings []record.Finding
}

// linkSource links the records of a tax or insurance file and applies the
// record rules (rules.RecordRule) to each. The owners of the file's codes
// are kept for DUP_ID, in memory or, when the run spills, in partition
// files of the run's temporary directory (rules.KeyOwners.Spill): an error
// writing them stops the reading and is the file's error.
func linkSource[T any](ctx context.Context, r *run, path string, schema record.Schema[T],
	fields func(*T) sourceFields, owners *rules.KeyOwners) (int64, error) {
	linkKey := schema.Source.String() + "/"
	from := r.findingsMark()
	var tally linkTally
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	n, err := readFile(ctx, r, fileJob[T, sourceOut]{
		path:   path,
		schema: schema,
		start: func(rd *ingest.Reader[T], _ []T) error {
			owners.Share(r.pop)
			if r.cfg.Spill != nil {
				return owners.Spill(r.cfg.Spill, "owners-"+schema.Source.String(), expectedRows(rd, path))
			}
			if n := rd.RowsHint(); n > 0 {
				owners.Grow(int(n))
			}
			return nil
		},
		work: func(rows []T, outs []sourceOut, verdicts []verdict) {
			scratch := r.scratch.get()
			defer r.scratch.put(scratch)
			// A part of the batch at a time: its rows normalised, what
			// linking them reads from the register read ahead for all
			// of them at once (match.Linker.Warm), then each linked.
			recs := &scratch.sources
			inParts(verdicts, func(i, k int) verdict {
				return normalizeSource(r.places, scratch, fields(&rows[i]), &recs[k])
			}, func(used []int32) {
				r.linker.Warm(len(used), func(k int) *match.Record { return &recs[k].Match })
				for k, i := range used {
					rec := &recs[k]
					rec.Link = r.linker.Link(&rec.Match)
					o := &outs[i]
					*o = sourceOut{method: rec.Link.Method, findings: r.rules.CheckRecord(r.chk, rec, nil),
						owner: rules.KeyOwner{Key: rec.Key, Person: rec.Link.Person, NameKey: rec.Match.NameKey,
							Birth: rec.Match.Birth, Name: rec.RawName, Commune: rec.Match.Commune}}
					o.shared = owners.Shared(&o.owner) // the person is in cache now
				}
			})
		},
		keep: func(o *sourceOut) {
			owners.AddShared(o.owner, o.shared)
			if owners.Err() != nil {
				cancel() // a partition file cannot be written: stop reading
			}
			r.keepFindings(o.findings)
			tally.add(r.units, o.method, o.owner.Commune)
		},
	})
	tally.addLinks(r.res.Links, linkKey)
	if cerr := owners.Close(); cerr != nil {
		err = cerr // the cause of the cancellation, if it was one
	}
	if err != nil {
		owners.Reset()
		return n, err
	}
	if tally.foreign() {
		// Another province's extract: one warning, not a correction per record.
		r.warnf("%s", tally.notThisProvince(r.units, schema.Source.String(), path, r.res.Province,
			"NOT_IN_POPULATION, ID_MISMATCH, FIELD_MISMATCH, DECEASED_ACTIVE, DUP_ID of its codes"))
		r.dropFindingsFrom(from)
		owners.Reset()
	}
	return n, nil
}

// csvRowBytes is the fewest bytes a tax or insurance row is taken to take
// in a CSV file, to estimate its rows from its size (expectedRows): a
// real row takes more (code, ID, name, birth date, address, ...), so the
// estimate errs on more rows, smaller partitions.
const csvRowBytes = 100

// expectedRows returns the rows a source file declares (Parquet), else
// an estimate from its size, else 0 (unknown).
func expectedRows[T any](rd *ingest.Reader[T], path string) int64 {
	if n := rd.RowsHint(); n > 0 {
		return n
	}
	if st, err := os.Stat(path); err == nil {
		return st.Size()/csvRowBytes + 1
	}
	return 0
}

// civilOut is what linking makes of one civil event.
type civilOut struct {
	method   match.Method
	findings []record.Finding
	marriage rules.Marriage // a marriage or divorce, for SPOUSE_CONFLICT
	married  bool           // marriage is set
	commune  string         // 2025 commune code of registration, "" unknown
}

// linkCivil links civil events and applies the record rules to each (by
// its subject); marriages and divorces are also kept for the cross rules.
func (r *run) linkCivil(ctx context.Context) (int64, error) {
	from, fromMarriages := r.findingsMark(), len(r.linked.Marriages)
	var tally linkTally
	n, err := readFile(ctx, r, fileJob[record.CivilEvent, civilOut]{
		path:   r.cfg.Civil,
		schema: record.CivilSchema,
		work: func(rows []record.CivilEvent, outs []civilOut, verdicts []verdict) {
			scratch := r.scratch.get()
			defer r.scratch.put(scratch)
			// A part of the batch at a time, as linkSource does.
			evs := &scratch.events
			inParts(verdicts, func(i, k int) verdict {
				return normalizeCivil(r.places, scratch, &rows[i], &evs[k])
			}, func(used []int32) {
				n := len(used)
				r.linker.Warm(n, func(k int) *match.Record { return &evs[k].subject })
				var none match.Record
				r.linker.Warm(n, func(k int) *match.Record {
					if evs[k].marriage() {
						return &evs[k].partner
					}
					return &none
				})
				for k, i := range used {
					r.linkEvent(&evs[k], &outs[i])
				}
			})
		},
		keep: func(o *civilOut) {
			r.keepFindings(o.findings)
			if o.married {
				o.marriage.EventID = r.texts.own(o.marriage.EventID)
				r.linked.Marriages = append(r.linked.Marriages, o.marriage)
			}
			tally.add(r.units, o.method, o.commune)
		},
	})
	tally.addLinks(r.res.Links, "civil/")
	if err == nil && tally.foreign() {
		r.warnf("%s", tally.notThisProvince(r.units, "civil", r.cfg.Civil, r.res.Province,
			"NOT_IN_POPULATION/BIRTH, DECEASED_ACTIVE/CIVIL_DEATH, SPOUSE_CONFLICT/CIVIL_MARRIAGE"))
		r.dropFindingsFrom(from)
		r.linked.Marriages = r.linked.Marriages[:fromMarriages]
	}
	return n, err
}

// inParts goes through a batch's rows a part of match.WarmBatch at a
// time: norm(i, k) normalises row i (whose verdict is still "") into slot
// k of the part, its verdict kept in verdicts[i]; then link is given the
// rows of the part's usable slots, used[k] the row in slot k, so that it
// can read ahead what linking them needs (match.Linker.Warm) before
// linking them.
func inParts(verdicts []verdict, norm func(i, k int) verdict, link func(used []int32)) {
	var used [match.WarmBatch]int32
	for lo := 0; lo < len(verdicts); lo += len(used) {
		n := 0
		for i := lo; i < min(lo+len(used), len(verdicts)); i++ {
			if verdicts[i].reason != "" {
				continue
			}
			if verdicts[i] = norm(i, n); verdicts[i].reason == "" {
				used[n] = int32(i)
				n++
			}
		}
		link(used[:n])
	}
}

// linkEvent links a normalised civil event's subject and, for a marriage
// or divorce, its partner, and checks it.
func (r *run) linkEvent(e *civilEvent, o *civilOut) {
	o.commune = e.commune
	rec := rules.SourceRecord{Source: record.Civil, Key: e.ev.EventID, Event: e.ev.EventType,
		EventDate: e.ev.EventDate, RawID: e.ev.SubjectID, RawName: e.ev.SubjectName,
		RawBirth: e.ev.SubjectBirthDate, RawGender: e.ev.SubjectGender, Match: e.subject,
		Link: r.linker.Link(&e.subject)}
	o.method, o.findings = rec.Link.Method, r.rules.CheckRecord(r.chk, &rec, nil)
	if e.marriage() {
		b := r.linker.Link(&e.partner)
		o.married = true
		o.marriage = rules.Marriage{EventID: e.ev.EventID, Date: e.date, Row: e.ev.Row,
			Divorce: e.ev.EventType == record.EventDivorce, A: rec.Link.Person, B: b.Person}
	}
}
