package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/doisanh/doisanh/admin"
	"github.com/doisanh/doisanh/ingest"
	"github.com/doisanh/doisanh/internal/spill"
	"github.com/doisanh/doisanh/match"
	"github.com/doisanh/doisanh/normalize"
	"github.com/doisanh/doisanh/record"
	"github.com/doisanh/doisanh/rules"
)

const batchSize = 4096

// maxValueLen bounds every input value: longer values are rejected rather
// than held (no real name, ID or address comes near it).
const maxValueLen = 4096

// batches returns a next function for ordered that yields fresh batches
// from rd, each with the rows the reader rejected while reading it (taken
// from *rejected, which rd's Options.OnReject fills). A batch may hold
// rejects and no rows. Rejects thus travel with their batch and are kept in
// file order, never appended from the reading goroutine.
//
// rows returns the array a batch is read into (batchSize rows long).
func batches[T any](rd *ingest.Reader[T], rejected *[]record.Reject, rows func() []T) func() (readBatch[T], bool, error) {
	done := false
	return func() (readBatch[T], bool, error) {
		for !done {
			b := rows()
			n, err := rd.Next(b)
			if errors.Is(err, io.EOF) {
				done = true
			} else if err != nil {
				return readBatch[T]{}, false, err
			}
			if n > 0 || len(*rejected) > 0 {
				rb := readBatch[T]{rows: b[:n], rejects: *rejected}
				*rejected = nil
				return rb, true, nil
			}
		}
		return readBatch[T]{}, false, nil
	}
}

// readBatch is what one call of a batches function read: usable rows and
// the rows the reader rejected among them.
type readBatch[T any] struct {
	rows    []T
	rejects []record.Reject
}

// verdict is a worker's ruling on one row: an empty reason means the row
// is used, else it is rejected for the reason, naming the column.
type verdict struct{ reason, column string }

// fileJob is one input file read through the workers: they turn each
// batch of rows into results, and keep takes the results of the used rows
// in file order.
type fileJob[T, O any] struct {
	path   string
	schema record.Schema[T]
	// start, if set, sees the reader (for its row count) and the first
	// batch (nil for an empty file) before any work is done; its error
	// ends the job.
	start func(rd *ingest.Reader[T], first []T) error
	// work fills outs[i] for every rows[i] whose verdict is still empty,
	// or sets the verdict to reject the row.
	work func(rows []T, outs []O, verdicts []verdict)
	// keep takes the result of a used row.
	keep func(out *O)
}

// readFile runs job: it reads the file in batches on one goroutine, works
// on them on cfg.Workers goroutines, and hands results and rejects over in
// file order, so a run's output does not depend on the number of workers.
// It records the file's counts and returns the rows read.
func readFile[T, O any](ctx context.Context, r *run, job fileJob[T, O]) (int64, error) {
	var rejected []record.Reject // the reader's rejects not yet handed to a batch
	rd, err := open(r, job.path, job.schema, func(rj record.Reject) { rejected = append(rejected, rj) })
	if err != nil {
		return 0, err
	}
	defer rd.Close()
	if enc := rd.TextEncoding(); enc != "UTF-8" {
		r.progressf("  %s: text read as %s", job.path, enc)
	}
	type batch struct {
		readBatch[T]
		outs     []O
		verdicts []verdict
	}
	// A batch's arrays are used again once keep has taken its rows: at most
	// 2×workers batches are in flight, and a province read in fresh arrays
	// would allocate, zero and fault in about a gigabyte of them (of rows
	// of some 300 bytes, 4,096 a batch) for the collector to take back.
	// Nothing keeps a row or a result past keep: what outlives the batch
	// is copied (the index's arena, findings' texts, rejects' raw rows).
	free := make(chan batch, 2*max(r.cfg.Workers, 1)+1)
	var spare batch // the arrays the batch being read will use
	next := batches(rd, &rejected, func() []T {
		select {
		case spare = <-free:
			return spare.rows[:batchSize]
		default:
			spare = batch{}
			return make([]T, batchSize)
		}
	})
	if job.start != nil {
		first, ok, err := next()
		if err != nil {
			return 0, err
		}
		if err := job.start(rd, first.rows); err != nil {
			return 0, err
		}
		if ok {
			rest, pending := next, true
			next = func() (readBatch[T], bool, error) {
				if pending {
					pending = false
					return first, true, nil
				}
				return rest()
			}
		}
	}
	source := job.schema.Source.String()
	var later, seen int64
	fromRejects := len(r.res.Rejects)
	blank := newBlankColumns(job.schema, rd.Header())
	err = ordered(ctx, r.cfg.Workers, func() (batch, bool, error) {
		rb, ok, err := next()
		return batch{readBatch: rb, outs: spare.outs, verdicts: spare.verdicts}, ok, err
	}, func(b batch) batch {
		if cap(b.outs) < len(b.rows) {
			b.outs = make([]O, batchSize)
			b.verdicts = make([]verdict, batchSize)
		}
		b.outs, b.verdicts = b.outs[:len(b.rows)], b.verdicts[:len(b.rows)]
		for i := range b.rows {
			if col, long := tooLong(job.schema, &b.rows[i]); long {
				b.verdicts[i] = verdict{"value longer than 4096 bytes", col}
			}
		}
		job.work(b.rows, b.outs, b.verdicts)
		return b
	}, func(b batch) error {
		// The reader's rejects and the workers' go out merged by row number.
		k := 0
		for i := range b.rows {
			row := &b.rows[i]
			blank.see(row)
			for ; k < len(b.rejects) && b.rejects[k].RowNumber < job.schema.Row(row); k++ {
				r.reject(b.rejects[k])
			}
			if v := b.verdicts[i]; v.reason != "" {
				later++
				r.reject(record.Reject{Source: source, File: job.path, RowNumber: job.schema.Row(row),
					Column: v.column, Reason: v.reason, Raw: rawRow(job.schema, row)})
				continue
			}
			job.keep(&b.outs[i])
		}
		for ; k < len(b.rejects); k++ {
			r.reject(b.rejects[k])
		}
		seen += int64(len(b.rows))
		r.event(Progress{Source: source, Done: seen, Total: max(rd.RowsHint(), 0)})
		if seen/100_000 != (seen-int64(len(b.rows)))/100_000 {
			r.progressf("  %s: %d rows", source, seen)
		}
		if cap(b.rows) >= batchSize {
			// Cleared, so that the texts of the batch the arrays held are
			// the collector's again and no result or verdict shows through
			// (work sets only those of the rows it uses).
			rows := b.rows[:batchSize]
			clear(rows)
			clear(b.outs)
			clear(b.verdicts)
			select {
			case free <- batch{readBatch: readBatch[T]{rows: rows}, outs: b.outs, verdicts: b.verdicts}:
			default:
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	st := rd.Stats()
	c := Counts{Source: source, File: job.path, Read: st.Read, Used: st.Used - later, Rejected: st.Rejected + later,
		Encoding: rd.TextEncoding()}
	r.res.Counts = append(r.res.Counts, c)
	if err := checkUsable(c, rd.Header(), r.res.Rejects[fromRejects:], r.cfg.RejectLimit()); err != nil {
		return 0, err
	}
	for _, col := range blank.names() {
		r.warnf("%s file %s: column %s is blank in all %d rows; every check that needs it sees it missing "+
			"(check the export and --mapping)", source, job.path, col, blank.rows)
	}
	return st.Read, nil
}

// rawRow renders a typed row as text for a reject.
func rawRow[T any](schema record.Schema[T], row *T) string {
	vals := make([]string, len(schema.Columns))
	for i, c := range schema.Columns {
		vals[i] = *c.Field(row)
	}
	return ingest.Printable(strings.Join(vals, ","))
}

// tooLong returns the first column of row whose value exceeds maxValueLen.
func tooLong[T any](schema record.Schema[T], row *T) (string, bool) {
	for _, c := range schema.Columns {
		if len(*c.Field(row)) > maxValueLen {
			return c.Name, true
		}
	}
	return "", false
}

// inferProvince returns the province most of the rows' commune codes
// belong to, in the 2025 list (else the legacy one); "" when none do.
func inferProvince(units *admin.Units, rows []record.Person) string {
	count := map[string]int{}
	for i := range rows {
		code, ok := normalize.CommuneCode(rows[i].CommuneCode)
		if !ok || code == "" {
			continue
		}
		if c, ok := units.Commune(admin.Current, code); ok {
			count[c.ProvinceCode]++
		} else if c, ok := units.Commune(admin.Legacy, code); ok {
			if next := units.Convert(c.Code); len(next) > 0 {
				count[next[0].ProvinceCode]++
			}
		}
	}
	best, n := "", 0
	for p, c := range count {
		if c > n || (c == n && p < best) {
			best, n = p, c
		}
	}
	return best
}

// readPopulation reads and normalises the population register, applies
// the person rules (rules.PersonRule) and fills the builder of the
// population index.
func (r *run) readPopulation(ctx context.Context) (int64, error) {
	opt := match.BuilderOptions{Indexed: func(done, of int) {
		r.event(Progress{Stage: "index", Part: fmt.Sprintf("%d/%d", done, of)})
	}}
	if r.cfg.Spill != nil {
		// The strings read only to write findings wait on disk.
		cold, err := match.CreateColdFile(r.cfg.Spill.File("register-cold.bin"))
		if err != nil {
			return 0, err
		}
		r.cold, opt.Cold = cold, cold
		opt.SerialIndexes = true // a run that spills is bounded by memory: sort one index at a time
	}
	return readFile(ctx, r, fileJob[record.Person, personOut]{
		path:   r.cfg.Population,
		schema: record.PersonSchema,
		start: func(rd *ingest.Reader[record.Person], first []record.Person) error {
			province := r.cfg.Province
			if province == "" {
				province = inferProvince(r.units, first)
			}
			r.res.Province = province
			if province == National {
				province = "" // no province assumed
			}
			r.places = rules.NewPlaces(r.units, province)
			rows := max(rd.RowsHint(), int64(len(first)))
			if r.cfg.Spill != nil {
				room := rows
				if rd.RowsHint() < 0 { // CSV: the rows estimated from the file's first MB, and a tenth more
					n, _, _ := ingest.CountRows(r.cfg.Population)
					room = max(room, n+n/10)
				}
				if err := r.mapPeople(room, &opt); err != nil {
					return err
				}
			}
			r.builder = match.NewPopulationBuilderWith(int(rows), opt)
			return nil
		},
		work: func(rows []record.Person, outs []personOut, verdicts []verdict) {
			scratch := r.scratch.get()
			defer r.scratch.put(scratch)
			places := scratch.residences(r.places)
			for i := range rows {
				if verdicts[i].reason == "" {
					verdicts[i] = normalizePerson(r.places, places, scratch, &rows[i], &outs[i])
				}
				if verdicts[i].reason == "" {
					outs[i].findings = r.rules.CheckPerson(r.places, &outs[i].row, nil)
				}
			}
		},
		keep: func(o *personOut) {
			r.builder.Add(&o.in)
			r.keepFindings(o.findings)
		},
	})
}

// mapPeople gives the register's people (rows of them; more continue on
// the heap) a file of the spill directory mapped into memory, so that the
// largest part of the register is the kernel's to page rather than the Go
// heap's. Where mapping is not supported the people stay on the heap.
func (r *run) mapPeople(rows int64, opt *match.BuilderOptions) error {
	if rows <= 0 {
		return nil
	}
	m, err := r.cfg.Spill.Map("register-people.bin", rows*int64(match.PersonSize))
	if errors.Is(err, spill.ErrNoMapping) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: %w", r.cfg.Population, err)
	}
	r.people, opt.People = m, match.PeopleIn(m.Bytes())
	r.res.MappedBytes = int64(len(m.Bytes()))
	// A register longer than its count said (a CSV's estimate) moves to a
	// larger mapped file; the ones before are closed once it is built.
	opt.Grow = func(capacity int) []match.Person {
		m, err := r.cfg.Spill.Map(fmt.Sprintf("register-people-%d.bin", len(r.outgrown)+2), int64(capacity)*int64(match.PersonSize))
		if err != nil {
			r.warnf("%s: the register has more rows than counted, and its people could not be given a larger mapped file (%v): "+
				"the rest of the run keeps them in memory", r.cfg.Population, err)
			// The builder moves them to the heap now; the mapping it
			// leaves is closed with the others.
			r.outgrown, r.people, r.res.MappedBytes = append(r.outgrown, r.people), nil, 0
			return nil
		}
		r.outgrown = append(r.outgrown, r.people)
		r.people = m
		r.res.MappedBytes = int64(len(m.Bytes()))
		return match.PeopleIn(m.Bytes())
	}
	return nil
}

func (r *run) index(context.Context) (int64, error) {
	r.pop = r.builder.Build()
	r.builder = nil
	for _, m := range r.outgrown {
		m.Close() // the people moved on to r.people
	}
	r.outgrown = nil
	if err := r.pop.Err(); err != nil { // more strings than an arena holds
		return 0, fmt.Errorf("%s: %w", r.cfg.Population, err)
	}
	r.chk = rules.NewChecker(r.places, r.pop)
	if n, rows := r.chk.Repeats(5); n > 0 {
		why := "a person entered twice under one number?"
		if n*100 >= r.pop.Len() {
			why = "was the file, or part of it, given twice?"
		}
		r.warnf("%s: %d of %d rows repeat an earlier row (same person_id, name and birth date; first at data rows %s): "+
			"%s Each person is checked once.", r.cfg.Population, n, r.pop.Len(), joinRows(rows), why)
	}
	r.res.Residents = residents(r.pop)
	if r.cfg.Province == "" && national(r.units, r.res.Residents) {
		r.res.Province = National
	}
	return int64(r.pop.Len()), nil
}

// joinRows writes data row numbers as "12, 40, 41".
func joinRows(rows []int64) string {
	s := make([]string, len(rows))
	for i, r := range rows {
		s[i] = strconv.FormatInt(r, 10)
	}
	return strings.Join(s, ", ")
}

// residents counts the people of the register not known dead, missing or
// deregistered, by 2025 commune code ("" when unknown): the denominators of
// rates per 1,000 residents.
func residents(pop *match.Population) map[string]int64 {
	out := map[string]int64{}
	for i := range pop.People {
		p := &pop.People[i]
		switch p.Status {
		case normalize.StatusDead, normalize.StatusMissing, normalize.StatusDeregistered:
			continue
		}
		c := pop.Str(p.Commune)
		if _, ok := out[c]; !ok {
			c = strings.Clone(c) // a key of its own, not the population's arena
		}
		out[c]++
	}
	return out
}
