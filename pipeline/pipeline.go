package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/doisanh/doisanh/admin"
	"github.com/doisanh/doisanh/ingest"
	"github.com/doisanh/doisanh/internal/spill"
	"github.com/doisanh/doisanh/match"
	"github.com/doisanh/doisanh/record"
	"github.com/doisanh/doisanh/rules"
)

// Config is one reconciliation job.
type Config struct {
	Population string // required
	Tax        string // optional sources
	Insurance  string
	Civil      string
	Mapping    string // YAML column mapping, optional
	// Encoding is the text encoding of the inputs, as ingest.Options.Encoding
	// takes it: "" or "auto", "utf-8", "tcvn3", "vni", "cp1258".
	Encoding string
	// Province is the province assumed for addresses that name none, as
	// admin.Units.CurrentProvince takes it (a 2025 or legacy code or name;
	// Run fails on an unknown one and works with the 2025 code), or
	// National ("all"): a register of the whole country, no province
	// assumed. Empty: the most common province of the commune codes of the
	// population's first rows; and when the whole register's residents
	// turn out to live in many provinces, none holding half of them,
	// Result.Province is National (the addresses were read with the first
	// rows' province).
	Province string
	// MaxRejectRate is the largest share of a source's rows that may be
	// rejected: when more are (strictly), or when a source has no data
	// row or no usable row, Run fails with an *UnusableSourceError. 0
	// means DefaultMaxRejectRate; 1 or more turns the rate check off (a
	// source with no usable row still fails); NoRejectsAllowed (or any
	// negative value) fails on the first reject.
	MaxRejectRate float64
	// Workers is the number of worker goroutines: 0 or less means one per
	// core (GOMAXPROCS), more than MaxWorkersPerCPU per core is capped with
	// a warning (see Workers).
	Workers int
	// Spill, when set, is the run's temporary directory: what the run can
	// keep on disk instead of in memory goes there, and its size is
	// measured after every stage (Result.TmpBytes). The caller creates it
	// (spill.Create) and removes it when Run returns. Nil: everything
	// stays in memory. The findings do not depend on it.
	Spill    *spill.Dir
	Progress io.Writer // progress lines; nil for none
	// OnProgress, when set, receives structured progress (for a progress
	// bar); it is called from one goroutine at a time.
	OnProgress func(Progress)
}

// Counts are the rows of one source.
type Counts struct {
	Source   string
	File     string
	Read     int64
	Used     int64
	Rejected int64
	// Encoding is how the file's text was read (ingest.Reader.TextEncoding):
	// "UTF-8", "UTF-16LE", ..., or a legacy encoding ("tcvn3", ...).
	Encoding string
}

// Stage is the wall time of one stage.
type Stage struct {
	Name    string
	Seconds float64
	Rows    int64
}

// Result is what a run found.
type Result struct {
	Findings []record.Finding
	Rejects  []record.Reject
	Counts   []Counts
	Stages   []Stage
	Links    map[string]int // link outcomes by source/method, for the summary
	Province string         // the province code assumed for addresses that name none; National for a register of the country
	Workers  int            // the worker goroutines used (Config.Workers as Workers made it)
	// Warnings are problems of a whole input file rather than of a record
	// (a file given twice, another province's extract), or of the run's
	// configuration (Workers capped), in English, one line each; they are
	// printed on stderr and written to summary.json.
	Warnings []string
	Started  time.Time
	Finished time.Time
	// TmpBytes is the largest size the run's temporary files reached
	// (Config.Spill), 0 when it had none.
	TmpBytes int64
	// MappedBytes is the size of the register's people kept in a file of
	// Config.Spill mapped into memory (outside the Go heap, the kernel's
	// to page), 0 when they were on the heap.
	MappedBytes int64

	// Residents counts the register's living people by 2025 commune code
	// ("" when unknown), for rates per 1,000 residents.
	Residents map[string]int64
}

// Run reconciles the sources of cfg.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if cfg.Population == "" {
		return nil, errors.New("no population file given")
	}
	if _, err := ingest.ParseEncoding(cfg.Encoding); err != nil {
		return nil, fmt.Errorf("--encoding: %w", err)
	}
	units := admin.Default()
	if strings.EqualFold(strings.TrimSpace(cfg.Province), National) {
		cfg.Province = National
	} else if cfg.Province != "" {
		code, _, ok := units.CurrentProvince(cfg.Province)
		if !ok {
			return nil, fmt.Errorf("--province %q: not a province code or name, of the 2025 list or the legacy one", cfg.Province)
		}
		cfg.Province = code
	}
	asked := cfg.Workers
	cfg.Workers, _ = Workers(asked)
	r := &run{cfg: cfg, scratch: new(scratchPool), res: &Result{Started: time.Now(), Links: map[string]int{}, Workers: cfg.Workers}, units: units,
		rules: rules.All(), texts: &texts{}}
	if w := WorkersWarning(asked); w != "" {
		r.warnf("%s", w)
	}
	if cfg.Spill != nil {
		files := &spillFiles{dir: cfg.Spill}
		defer files.abandon() // when Run fails before the findings are read back
		r.spilled = newSpilled(files)
	}
	if cfg.Mapping != "" {
		m, err := ingest.LoadMapping(cfg.Mapping)
		if err != nil {
			return nil, err
		}
		r.mapping = m
	}
	steps := []struct {
		name string
		fn   func(context.Context) (int64, error)
	}{
		{"read population", r.readPopulation},
		{"index", r.index},
		{"train", r.train},
		{"link sources", r.linkSources},
		{"rules", r.crossRules},
		{"addresses", r.addresses},
	}
	defer r.closeDisk()
	for _, s := range steps {
		start := time.Now()
		r.progressf("%s...", s.name)
		r.event(Progress{Stage: s.name})
		// The stage's goroutines carry its name as a profiler label, so
		// that a CPU profile (reconcile --cpuprofile) splits by stage:
		// go tool pprof -tagfocus 'stage=link sources' ...
		var rows int64
		var err error
		pprof.Do(ctx, pprof.Labels("stage", s.name), func(ctx context.Context) { rows, err = s.fn(ctx) })
		if err == nil && r.spilled != nil {
			err = r.spilled.err // writing the findings failed
		}
		if err != nil {
			return nil, err
		}
		if r.cold != nil {
			// Strings that could not be written or read back are "" in
			// what the stage made: the run fails rather than write them.
			if err := r.cold.Err(); err != nil {
				return nil, fmt.Errorf("%s: %w", s.name, err)
			}
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if cfg.Spill != nil {
			r.res.TmpBytes = max(r.res.TmpBytes, cfg.Spill.Measure())
		}
		sec := time.Since(start).Seconds()
		r.res.Stages = append(r.res.Stages, Stage{Name: s.name, Seconds: sec, Rows: rows})
		r.progressf("%s: %d rows in %.1fs", s.name, rows, sec)
		r.event(Progress{Stage: s.name, Done: rows, Finished: true, Seconds: sec})
	}
	r.res.Findings = rules.Finish(r.res.Findings)
	r.res.Finished = time.Now()
	if r.cold != nil {
		r.progressf("register strings on disk: %d bytes in %s, read back %d times", r.cold.Size(), r.cold.Path(), r.cold.Reads())
	}
	if r.people != nil {
		r.progressf("register people mapped from disk: %d bytes in %s", r.res.MappedBytes, r.people.Path())
	}
	return r.res, nil
}

// closeDisk closes the register's cold file and unmaps its people, if
// any, once every stage is done with them; the caller removes
// Config.Spill with them.
func (r *run) closeDisk() {
	if r.cold != nil {
		r.cold.Close() // read-only by now: nothing to lose
	}
	if r.people != nil || len(r.outgrown) > 0 {
		r.pop, r.builder, r.chk, r.linker = nil, nil, nil, nil // nothing may read the people now
	}
	if r.people != nil {
		r.people.Close()
	}
	for _, m := range r.outgrown { // a run that failed while reading the register, or could not grow its mapping
		m.Close()
	}
}

// MaxWorkersPerCPU bounds Config.Workers: past a few goroutines per core
// more workers only cost memory (each holds a batch).
const MaxWorkersPerCPU = 4

// Workers returns the worker goroutines a run uses when asked for n: one
// per core (GOMAXPROCS) for n <= 0, n up to MaxWorkersPerCPU per core, that
// bound above it (capped true).
func Workers(n int) (workers int, capped bool) {
	cores := runtime.GOMAXPROCS(0)
	switch {
	case n <= 0:
		return cores, false
	case n > MaxWorkersPerCPU*cores:
		return MaxWorkersPerCPU * cores, true
	}
	return n, false
}

// WorkersWarning is the warning of a run asked for n workers, "" when n is
// not capped.
func WorkersWarning(n int) string {
	w, capped := Workers(n)
	if !capped {
		return ""
	}
	return fmt.Sprintf("--workers %d is more than %d per core on %d cores: using %d", n, MaxWorkersPerCPU, runtime.GOMAXPROCS(0), w)
}

// run is the state of one job.
type run struct {
	cfg     Config
	res     *Result
	units   *admin.Units
	mapping ingest.Mapping
	rules   rules.Registry
	places  *rules.Places  // set when the population file is opened
	chk     *rules.Checker // set once the population is indexed
	pop     *match.Population
	builder *match.PopulationBuilder
	cold    *match.ColdFile // the register's cold strings, when Config.Spill is set
	people  *spill.Mapping  // the register's people, when Config.Spill is set and mapping works
	// outgrown are the mapped files the people moved out of when the
	// register had more rows than counted, closed once it is built.
	outgrown []*spill.Mapping
	linker   *match.Linker
	scratch  *scratchPool // shared by the copies of run that read side by side

	// What linking keeps for the cross-record rules.
	linked rules.Linked
	// texts holds the run's copies of the strings it keeps (keepFindings).
	texts *texts
	// spilled, with a spill directory, keeps the findings until the
	// addresses stage (findspill.go); nil: they are in res.Findings.
	spilled *spilled

	// relay, when set, holds this run's progress until it is its turn
	// (part) among files read side by side (linkSources).
	relay *relay
	part  int
}

// Progress is one step of a run's progress: a stage beginning (Done 0),
// rows of a source read so far, or a stage finished.
type Progress struct {
	Stage    string  // "read population", "index", "train", "link sources", "rules"
	Source   string  // the source being read, when rows are counted
	Done     int64   // rows done so far (of the source, or of the stage when Finished)
	Total    int64   // rows the source's file declares; 0 when unknown (CSV)
	Finished bool    // the stage is over
	Seconds  float64 // time the stage took, when Finished
	// Part, when set, is a part of a long stage just done: an index of
	// the register sorted ("3/7") in the index stage, a cross-record rule
	// ("DUP_ID") in the rules stage, with its findings in Done (before the
	// consequences of other findings are dropped), in the order they end.
	Part string
}

func (r *run) event(p Progress) {
	if r.cfg.OnProgress != nil {
		r.show(func() { r.cfg.OnProgress(p) })
	}
}

func (r *run) progressf(format string, args ...any) {
	if r.cfg.Progress != nil {
		line := fmt.Sprintf("doisanh: "+format+"\n", args...)
		r.show(func() { io.WriteString(r.cfg.Progress, line) })
	}
}

// show writes progress now, or through the relay of files read side by
// side.
func (r *run) show(f func()) {
	if r.relay != nil {
		r.relay.show(r.part, f)
		return
	}
	f()
}

// reject records a rejected row. It is called only from the goroutine that
// runs the job (readFile's emit), in file order.
func (r *run) reject(rj record.Reject) { r.res.Rejects = append(r.res.Rejects, rj) }

// warnf records a warning about a whole input file.
func (r *run) warnf(format string, args ...any) {
	r.res.Warnings = append(r.res.Warnings, fmt.Sprintf(format, args...))
}

// open opens one source file with the job's mapping; the reader's rejects
// go to onReject, called from Next.
func open[T any](r *run, path string, schema record.Schema[T], onReject func(record.Reject)) (*ingest.Reader[T], error) {
	return ingest.Open(path, schema, ingest.Options{Mapping: r.mapping, OnReject: onReject, LegacyText: legacyText,
		Encoding: r.cfg.Encoding})
}
