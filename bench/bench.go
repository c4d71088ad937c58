// Package bench measures doisanh end to end at several province sizes, for
// "doisanh bench". For each size it generates a synthetic province (or
// reuses one generated before), reconciles it and scores the findings
// against the injected defects, each step a child process of a doisanh
// executable measured by package benchrun, and reports input rows, seconds
// per stage, wall and CPU time, rows per second, peak resident memory of
// the reconciliation, precision and recall.
//
// Run does the work; ParseSizes reads the sizes a user writes ("100k,1m");
// WriteTable prints a Report with one column per size. The command in
// cmd/doisanh only maps its flags onto Options.
package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/doisanh/doisanh/internal/numfmt"
	"io"
	"io/fs"
	"maps"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/doisanh/doisanh/benchrun"
	"github.com/doisanh/doisanh/internal/memlimit"
	"github.com/doisanh/doisanh/output"
	"github.com/doisanh/doisanh/score"
	"github.com/doisanh/doisanh/synth"
)

// Options are what to measure. They are the flags of "doisanh bench".
type Options struct {
	Sizes   []int  // people counts, one run each, in order
	Dir     string // where generated provinces are kept between runs (required)
	Seed    uint64 // seed of the generated provinces
	Workers int    // --workers of the reconciliation; at least 1
	Keep    bool   // keep each reconciliation's output beside its data
	Reuse   bool   // reuse a province generated before with the same size and seed
	// Exe is the doisanh executable run as the child; empty:
	// os.Executable(), which is right when the caller is doisanh.
	Exe string
	// Machine describes the machine in the report; nil: ReadMachine().
	Machine *Machine
}

// ParseSizes parses a comma-separated list of sizes.
func ParseSizes(s string) ([]int, error) {
	var out []int
	for field := range strings.SplitSeq(s, ",") {
		n, err := ParseSize(strings.TrimSpace(field))
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// MaxSize bounds a size: more people than any country has is a typo.
const MaxSize = 1_000_000_000

// ParseSize parses a people count: digits with an optional k (thousand) or m
// (million) suffix, which allow a decimal fraction ("2.5m"). The result must
// be a whole number between 1 and MaxSize.
func ParseSize(s string) (int, error) {
	if s == "" {
		return 0, errors.New("empty size")
	}
	digits, mult := s, int64(1)
	switch s[len(s)-1] {
	case 'k', 'K':
		digits, mult = s[:len(s)-1], 1_000
	case 'm', 'M':
		digits, mult = s[:len(s)-1], 1_000_000
	}
	whole, frac, hasDot := strings.Cut(digits, ".")
	if whole == "" || hasDot && (frac == "" || mult == 1) || !allDigits(whole) || !allDigits(frac) {
		return 0, fmt.Errorf("size %q: want a count like 250000, 100k or 1.5m", s)
	}
	// Drop trailing zeros of the fraction, then require the rest to fit the unit.
	frac = strings.TrimRight(frac, "0")
	unit := mult
	for range frac {
		if unit%10 != 0 {
			return 0, fmt.Errorf("size %q is not a whole number of people", s)
		}
		unit /= 10
	}
	w, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil || w > MaxSize/unit {
		return 0, fmt.Errorf("size %q: more than %d people", s, MaxSize)
	}
	n := w * unit
	if n < 1 {
		return 0, fmt.Errorf("size %q: want at least 1 person", s)
	}
	return int(n), nil
}

func allDigits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// SizeLabel writes n the short way ParseSize reads: 4m, 100k, 2500k, 12345.
func SizeLabel(n int) string {
	switch {
	case n%1_000_000 == 0:
		return strconv.Itoa(n/1_000_000) + "m"
	case n%1_000 == 0:
		return strconv.Itoa(n/1_000) + "k"
	}
	return strconv.Itoa(n)
}

// Report is the result of "doisanh bench", printed as a table or JSON.
type Report struct {
	Machine Machine  `json:"machine"`
	Seed    uint64   `json:"seed"`
	Workers int      `json:"workers"`
	Dir     string   `json:"dir"`
	Runs    []Result `json:"runs"`
}

// Machine describes the machine a benchmark ran on.
type Machine struct {
	CPUs        int    `json:"cpus"`
	CPUModel    string `json:"cpu_model,omitempty"`
	MemoryBytes int64  `json:"memory_bytes"` // 0 when unknown
	GoVersion   string `json:"go_version"`
	OS          string `json:"os"`
	Arch        string `json:"arch"`
}

// Result is the measure of one size.
type Result struct {
	Size            string         `json:"size"`
	People          int            `json:"people"`
	Data            string         `json:"data"`
	Reused          bool           `json:"reused"`
	GenerateSeconds float64        `json:"generate_seconds"` // 0 when reused
	InputRows       int64          `json:"input_rows"`       // rows read, all sources
	Rejected        int64          `json:"rejected"`
	Stages          []Stage        `json:"stages"`
	WallSeconds     float64        `json:"wall_seconds"` // of the reconcile child
	UserSeconds     float64        `json:"user_seconds"`
	SystemSeconds   float64        `json:"system_seconds"`
	RowsPerSecond   float64        `json:"rows_per_second"`
	PeakRSSMiB      float64        `json:"peak_rss_mib"`
	Findings        int            `json:"findings"`
	Precision       float64        `json:"precision"` // micro-averaged over every rule and subtype
	Recall          float64        `json:"recall"`
	F1              float64        `json:"f1"`
	Worst           *score.RowJSON `json:"worst,omitempty"` // the rule and subtype of lowest F1
}

// Stage is the time of one stage of the reconciliation.
type Stage struct {
	Name    string  `json:"name"`
	Seconds float64 `json:"seconds"`
	Rows    int64   `json:"rows"`
}

// summary is the part of a reconciliation's summary.json bench reads.
type summary struct {
	Stages []Stage `json:"stages"`
	Inputs []struct {
		Source   string `json:"source"`
		Path     string `json:"path"`
		Read     int64  `json:"read"`
		Used     int64  `json:"used"`
		Rejected int64  `json:"rejected"`
	} `json:"inputs"`
}

// readSummary reads the summary.json of a reconciliation.
func readSummary(path string) (*summary, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s summary
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(s.Inputs) == 0 {
		return nil, fmt.Errorf("%s: no inputs listed", path)
	}
	return &s, nil
}

// addSummary fills r from a reconciliation's summary: input rows and the
// seconds per stage, as the pipeline names its stages (read population,
// index, train, link sources, rules, write), in their order.
func (r *Result) addSummary(s *summary) {
	for _, in := range s.Inputs {
		r.InputRows += in.Read
		r.Rejected += in.Rejected
	}
	r.Stages = append(r.Stages[:0], s.Stages...)
	if r.WallSeconds > 0 {
		r.RowsPerSecond = float64(r.InputRows) / r.WallSeconds
	}
}

// parseScoreJSON reads the output of "doisanh score --json": one row per rule
// and subtype, then the TOTAL row.
func parseScoreJSON(data []byte) (rows []score.RowJSON, total score.RowJSON, err error) {
	if err := json.Unmarshal(data, &rows); err != nil {
		return nil, total, fmt.Errorf("score --json: %w", err)
	}
	for i, r := range rows {
		if r.Rule == "TOTAL" {
			return append(rows[:i:i], rows[i+1:]...), r, nil
		}
	}
	return nil, total, errors.New("score --json: no TOTAL row")
}

// addScore fills r's precision and recall from a score.
func (r *Result) addScore(rows []score.RowJSON, total score.RowJSON) {
	r.Findings = total.Found
	r.Precision, r.Recall, r.F1 = total.Precision, total.Recall, total.F1
	r.Worst = nil
	for i := range rows {
		w := &rows[i]
		if w.Truth == 0 && w.Found == 0 {
			continue
		}
		if r.Worst == nil || w.F1 < r.Worst.F1 || w.F1 == r.Worst.F1 && w.Truth > r.Worst.Truth {
			r.Worst = w
		}
	}
}

// Run measures every size of o, in order, and returns the measures.
// Progress lines go to log, with the children's standard error. It stops at
// the first failing child or when ctx is done (the running child is
// interrupted), with an error naming the size and the command.
func Run(ctx context.Context, o Options, log io.Writer) (*Report, error) {
	switch {
	case len(o.Sizes) == 0:
		return nil, errors.New("bench: no sizes")
	case o.Workers < 1:
		return nil, errors.New("bench: workers must be at least 1")
	case o.Dir == "":
		return nil, errors.New("bench: no data directory")
	}
	exe := o.Exe
	if exe == "" {
		var err error
		if exe, err = os.Executable(); err != nil {
			return nil, fmt.Errorf("bench: finding this executable: %w", err)
		}
	}
	rep := &Report{Seed: o.Seed, Workers: o.Workers, Dir: o.Dir}
	if o.Machine != nil {
		rep.Machine = *o.Machine
	} else {
		rep.Machine = ReadMachine()
	}
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	b := bencher{exe: exe, opts: o, log: log}
	b.logf("%s", rep.Machine)
	for _, n := range o.Sizes {
		r, err := b.run(ctx, n)
		if err != nil {
			return nil, fmt.Errorf("bench %s: %w", SizeLabel(n), err)
		}
		rep.Runs = append(rep.Runs, *r)
	}
	return rep, nil
}

// bencher runs the child commands of one benchmark.
type bencher struct {
	exe  string
	opts Options
	log  io.Writer
}

func (b *bencher) logf(format string, args ...any) {
	fmt.Fprintf(b.log, "doisanh bench: "+format+"\n", args...)
}

// child runs the executable with args, its standard error passed through.
func (b *bencher) child(ctx context.Context, stdout io.Writer, args ...string) (benchrun.Result, error) {
	res, err := benchrun.Run(ctx, b.exe, args, &benchrun.Options{Stdout: stdout, Stderr: b.log})
	if err != nil {
		return res, fmt.Errorf("%s: %w", args[0], err)
	}
	return res, nil
}

// run measures one size: generate (or reuse), reconcile, score.
func (b *bencher) run(ctx context.Context, people int) (*Result, error) {
	label := SizeLabel(people)
	data := filepath.Join(b.opts.Dir, fmt.Sprintf("%s-seed%d", label, b.opts.Seed))
	r := &Result{Size: label, People: people, Data: data}

	if b.opts.Reuse && generated(data, people, b.opts.Seed) {
		r.Reused = true
		b.logf("%s: reusing %s", label, data)
	} else {
		b.logf("%s: generating %d people into %s", label, people, data)
		tmp := data + ".tmp"
		if err := removeGenerated(tmp); err != nil {
			return nil, err
		}
		res, err := b.child(ctx, io.Discard, "generate", "--people", strconv.Itoa(people),
			"--seed", strconv.FormatUint(b.opts.Seed, 10), "--out", tmp, "--quiet")
		if err != nil {
			os.RemoveAll(tmp)
			return nil, err
		}
		if err := removeGenerated(data); err != nil {
			return nil, err
		}
		if err := os.Rename(tmp, data); err != nil {
			return nil, err
		}
		r.GenerateSeconds = res.Wall.Seconds()
		b.logf("%s: generated in %.1fs (peak RSS %.0f MiB)", label, r.GenerateSeconds, res.MaxRSSMiB())
	}

	out := filepath.Join(data, "out")
	args := []string{"reconcile", "--out", out, "--workers", strconv.Itoa(b.opts.Workers), "--quiet"}
	for _, src := range []string{"population", "tax", "insurance", "civil"} {
		path := filepath.Join(data, src+".parquet")
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("generated data incomplete: %w", err)
		}
		args = append(args, "--"+src, path)
	}
	b.logf("%s: reconciling with %d workers", label, b.opts.Workers)
	res, err := b.child(ctx, io.Discard, args...)
	if err != nil {
		return nil, err
	}
	r.WallSeconds = res.Wall.Seconds()
	r.UserSeconds, r.SystemSeconds = res.User.Seconds(), res.System.Seconds()
	r.PeakRSSMiB = res.MaxRSSMiB()
	sum, err := readSummary(filepath.Join(out, "summary.json"))
	if err != nil {
		return nil, err
	}
	r.addSummary(sum)
	b.logf("%s: reconciled %d rows in %.1fs (%.0f rows/s, peak RSS %.0f MiB)",
		label, r.InputRows, r.WallSeconds, r.RowsPerSecond, r.PeakRSSMiB)

	var scored bytes.Buffer
	if _, err := b.child(ctx, &scored, "score", "--json",
		"--findings", filepath.Join(out, "findings.parquet"),
		"--truth", filepath.Join(data, "truth.parquet")); err != nil {
		return nil, err
	}
	rows, total, err := parseScoreJSON(scored.Bytes())
	if err != nil {
		return nil, err
	}
	r.addScore(rows, total)
	b.logf("%s: precision %.3f, recall %.3f", label, r.Precision, r.Recall)

	if !b.opts.Keep {
		if err := os.RemoveAll(out); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// removeGenerated removes dir when it is what an earlier bench left: a
// generated province (only the files of doisanh generate, complete or
// not) and perhaps its reconciliation result "out" (a complete doisanh
// result). Anything else is an error and left alone: bench never removes
// what it did not write.
func removeGenerated(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		switch {
		case !e.IsDir() && synth.IsFileName(e.Name()):
		case e.IsDir() && e.Name() == "out" && output.VerifyResult(filepath.Join(dir, "out")) == nil:
		default:
			return fmt.Errorf("bench: %s is not a province an earlier bench generated (it holds %s): "+
				"move it or give another --dir; it is left as it is", dir, e.Name())
		}
	}
	return os.RemoveAll(dir)
}

// generated reports whether dir holds a complete generated province of the
// given size and seed: generate.json is written last, and when it records
// the people count or the seed they must match.
func generated(dir string, people int, seed uint64) bool {
	data, err := os.ReadFile(filepath.Join(dir, "generate.json"))
	if err != nil {
		return false
	}
	var meta map[string]any
	if err := json.Unmarshal(data, &meta); err != nil {
		return false
	}
	if v, ok := findNumber(meta, "people"); ok && v != float64(people) {
		return false
	}
	if v, ok := findNumber(meta, "seed"); ok && v != float64(seed) {
		return false
	}
	for _, name := range []string{"population", "tax", "insurance", "civil", "truth"} {
		if _, err := os.Stat(filepath.Join(dir, name+".parquet")); errors.Is(err, fs.ErrNotExist) {
			return false
		}
	}
	return true
}

// findNumber returns the number under key in m or in an object nested in m
// (such as "options"), searched breadth first.
func findNumber(m map[string]any, key string) (float64, bool) {
	queue := []map[string]any{m}
	for len(queue) > 0 {
		m, queue = queue[0], queue[1:]
		if v, ok := m[key].(float64); ok {
			return v, true
		}
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if sub, ok := m[k].(map[string]any); ok {
				queue = append(queue, sub)
			}
		}
	}
	return 0, false
}

// ReadMachine describes this machine.
func ReadMachine() Machine {
	e := Machine{CPUs: runtime.NumCPU(), GoVersion: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
	if ram, err := memlimit.RAM(); err == nil {
		e.MemoryBytes = ram
	}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		e.CPUModel = cpuModel(f)
		f.Close()
	}
	return e
}

// cpuModel returns the first "model name" of /proc/cpuinfo, or "".
func cpuModel(r io.Reader) string {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func (e Machine) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d CPUs", e.CPUs)
	if e.CPUModel != "" {
		fmt.Fprintf(&b, " (%s)", e.CPUModel)
	}
	if e.MemoryBytes > 0 {
		fmt.Fprintf(&b, ", %.1f GiB memory", float64(e.MemoryBytes)/(1<<30))
	}
	fmt.Fprintf(&b, ", %s %s/%s", e.GoVersion, e.OS, e.Arch)
	return b.String()
}

// WriteTable prints the report with one column per size.
func WriteTable(w io.Writer, rep *Report) error {
	fmt.Fprintf(w, "Machine: %s\nSeed %d, %d workers, data in %s\n\n", rep.Machine, rep.Seed, rep.Workers, rep.Dir)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	// Numbers align right; the row names are padded to align left.
	const nameWidth = 20
	row := func(name string, cell func(r *Result) string) {
		fmt.Fprintf(tw, "%-*s\t", nameWidth, name)
		for i := range rep.Runs {
			fmt.Fprintf(tw, "%s\t", cell(&rep.Runs[i]))
		}
		fmt.Fprintln(tw)
	}
	secs := func(s float64) string { return strconv.FormatFloat(s, 'f', 2, 64) }
	ratio := func(p float64) string { return strconv.FormatFloat(p, 'f', 3, 64) }
	row("size", func(r *Result) string { return r.Size })
	row("people", func(r *Result) string { return numfmt.EN(int64(r.People)) })
	row("input rows", func(r *Result) string { return numfmt.EN(r.InputRows) })
	row("generate s", func(r *Result) string {
		if r.Reused {
			return "reused"
		}
		return secs(r.GenerateSeconds)
	})
	for _, name := range stageColumns(rep.Runs) {
		row(name+" s", func(r *Result) string {
			for _, st := range r.Stages {
				if st.Name == name {
					return secs(st.Seconds)
				}
			}
			return "-"
		})
	}
	row("total wall s", func(r *Result) string { return secs(r.WallSeconds) })
	row("CPU s (user+sys)", func(r *Result) string { return secs(r.UserSeconds + r.SystemSeconds) })
	row("rows/s", func(r *Result) string { return numfmt.EN(int64(math.Round(r.RowsPerSecond))) })
	row("peak RSS MiB", func(r *Result) string { return strconv.FormatFloat(r.PeakRSSMiB, 'f', 0, 64) })
	row("findings", func(r *Result) string { return numfmt.EN(int64(r.Findings)) })
	row("precision", func(r *Result) string { return ratio(r.Precision) })
	row("recall", func(r *Result) string { return ratio(r.Recall) })
	worst := func(cell func(w *score.RowJSON) string) func(r *Result) string {
		return func(r *Result) string {
			if r.Worst == nil {
				return "-"
			}
			return cell(r.Worst)
		}
	}
	row("worst rule/subtype", worst(func(w *score.RowJSON) string {
		if w.Subtype == "" {
			return w.Rule
		}
		return w.Rule + "/" + w.Subtype
	}))
	row("worst precision", worst(func(w *score.RowJSON) string { return ratio(w.Precision) }))
	row("worst recall", worst(func(w *score.RowJSON) string { return ratio(w.Recall) }))
	return tw.Flush()
}

// stageColumns lists the stages any run has, in the order they first
// appear.
func stageColumns(runs []Result) []string {
	var names []string
	for _, r := range runs {
		for _, st := range r.Stages {
			if !slices.Contains(names, st.Name) {
				names = append(names, st.Name)
			}
		}
	}
	return names
}
