package bench

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"github.com/doisanh/doisanh/internal/numfmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/doisanh/doisanh/output"
	"github.com/doisanh/doisanh/score"
)

// Environment variables that make the test binary act as the child of
// "doisanh bench"; see TestMain.
const (
	benchChildEnv = "DOISANH_BENCH_CHILD" // "fake"
	fakeLogEnv    = "DOISANH_BENCH_FAKE_LOG"
)

// TestMain lets the test binary stand in for the doisanh executable that
// Run starts as a child: with DOISANH_BENCH_CHILD=fake it is fakeDoisanh.
// (cmd/doisanh's tests run the real commands the same way.)
func TestMain(m *testing.M) {
	switch os.Getenv(benchChildEnv) {
	case "fake":
		if err := fakeDoisanh(os.Args[1:]); err != nil {
			fmt.Fprintln(os.Stderr, "fake doisanh:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// fakeStages are the stages the fake reconcile reports, as pipeline names them.
var fakeStages = []Stage{
	{"read population", 0.5, 100}, {"index", 0.25, 100}, {"train", 0.125, 40},
	{"link sources", 2, 150}, {"rules", 0.75, 250}, {"write", 0.125, 40},
}

// fakeScore is what the fake score prints.
var fakeScore = []score.RowJSON{
	{Rule: "DUP_ID", Subtype: "POPULATION", Truth: 10, Found: 10, Correct: 10, Precision: 1, Recall: 1, F1: 1},
	{Rule: "FIELD_MISMATCH", Subtype: "NAME", Truth: 20, Found: 25, Correct: 18, Precision: 0.72, Recall: 0.9, F1: 0.8},
	{Rule: "ID_INVALID", Subtype: "LENGTH", Truth: 0, Found: 0, Correct: 0, Precision: 1, Recall: 1, F1: 1},
	{Rule: "SPOUSE_CONFLICT", Subtype: "SELF", Truth: 4, Found: 2, Correct: 2, Precision: 1, Recall: 0.5, F1: 2.0 / 3},
	{Rule: "TOTAL", Subtype: "", Truth: 34, Found: 37, Correct: 30, Precision: 30.0 / 37, Recall: 30.0 / 34, F1: 60.0 / 71},
}

// fakeDoisanh implements the three commands bench runs, with the flags of
// the real ones: generate writes files holding the people count, reconcile
// touches memory in proportion to it and writes summary.json, score prints
// fakeScore.
func fakeDoisanh(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("no command")
	}
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	people := fs.Int("people", 0, "")
	seed := fs.Uint64("seed", 0, "")
	out := fs.String("out", "", "")
	pop := fs.String("population", "", "")
	fs.String("tax", "", "")
	fs.String("insurance", "", "")
	fs.String("civil", "", "")
	fs.Int("workers", 0, "")
	fs.String("findings", "", "")
	fs.String("truth", "", "")
	fs.Bool("quiet", false, "")
	fs.Bool("json", false, "")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if log := os.Getenv(fakeLogEnv); log != "" {
		f, err := os.OpenFile(log, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return err
		}
		fmt.Fprintln(f, args[0])
		f.Close()
	}
	switch args[0] {
	case "generate":
		if err := os.MkdirAll(*out, 0o755); err != nil {
			return err
		}
		for _, name := range []string{"population", "tax", "insurance", "civil", "truth"} {
			if err := os.WriteFile(filepath.Join(*out, name+".parquet"), []byte(strconv.Itoa(*people)), 0o644); err != nil {
				return err
			}
		}
		meta := fmt.Sprintf(`{"version":"test","options":{"people":%d,"seed":%d,"province":"40"}}`, *people, *seed)
		return os.WriteFile(filepath.Join(*out, "generate.json"), []byte(meta), 0o644)
	case "reconcile":
		data, err := os.ReadFile(*pop)
		if err != nil {
			return err
		}
		n, err := strconv.ParseInt(string(data), 10, 64)
		if err != nil {
			return err
		}
		// One MiB per 100 people, so the test can check the child's RSS.
		buf := make([]byte, n<<20/100)
		for i := 0; i < len(buf); i += 4096 {
			buf[i] = 1
		}
		runtime.KeepAlive(buf)
		sum := map[string]any{
			"stages": fakeStages,
			"inputs": []map[string]any{
				{"source": "population", "path": *pop, "read": n, "used": n - 1, "rejected": 1},
				{"source": "tax", "read": n / 2, "used": n / 2, "rejected": 0},
				{"source": "insurance", "read": n, "used": n, "rejected": 0},
				{"source": "civil", "read": n / 4, "used": n/4 - 2, "rejected": 2},
			},
		}
		if err := os.MkdirAll(*out, 0o755); err != nil {
			return err
		}
		data, err = json.Marshal(sum)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(*out, "summary.json"), data, 0o644); err != nil {
			return err
		}
		// The manifest of a doisanh result, so that the result is one.
		h := sha256.Sum256(data)
		manifest, err := json.Marshal(map[string]any{"tool": output.Tool,
			"files": []map[string]any{{"path": "summary.json", "size": len(data), "sha256": hex.EncodeToString(h[:])}}})
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(*out, "manifest.json"), manifest, 0o644)
	case "score":
		return json.NewEncoder(os.Stdout).Encode(fakeScore)
	}
	return fmt.Errorf("unknown command %q", args[0])
}

func TestParseSize(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int
	}{
		{"1", 1},
		{"250000", 250_000},
		{"100k", 100_000},
		{"100K", 100_000},
		{"1m", 1_000_000},
		{"4m", 4_000_000},
		{"4M", 4_000_000},
		{"2.5m", 2_500_000},
		{"1.25k", 1_250},
		{"0.5k", 500},
		{"1.000k", 1_000},
		{"1.234567m", 1_234_567},
		{"007", 7},
		{"1000m", 1_000_000_000},
	} {
		got, err := ParseSize(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{
		"", "k", "m", "0", "0k", "0.0m", "-1", "+5", "1.5", "1.2345k", "1.0000001m", "1e6",
		"1g", "1 k", "1,000", "1.k", ".5k", "1..5k", "1001m", "99999999999999999999",
		"9223372036854775807", "١٢", "1_000",
	} {
		if got, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) = %d, want an error", in, got)
		}
	}
}

func TestParseSizes(t *testing.T) {
	got, err := ParseSizes("100k, 1m,4m,250000")
	if err != nil {
		t.Fatal(err)
	}
	want := []int{100_000, 1_000_000, 4_000_000, 250_000}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("ParseSizes = %v, want %v", got, want)
	}
	for _, in := range []string{"", ",", "100k,", "100k,,1m", "100k,x"} {
		if _, err := ParseSizes(in); err == nil {
			t.Errorf("ParseSizes(%q): want an error", in)
		}
	}
}

func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"100k", "1m", "2.5m", "250000", "1.234567m", "", "1.k", "99999999999m"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseSize(s)
		if err != nil {
			return
		}
		if n < 1 || n > MaxSize {
			t.Fatalf("ParseSize(%q) = %d, out of range", s, n)
		}
		// The label reads back to the same count.
		if m, err := ParseSize(SizeLabel(n)); err != nil || m != n {
			t.Fatalf("ParseSize(SizeLabel(%d) = %q) = %d, %v", n, SizeLabel(n), m, err)
		}
	})
}

func TestSizeLabel(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want string
	}{
		{1, "1"}, {999, "999"}, {1000, "1k"}, {100_000, "100k"}, {250_500, "250500"},
		{1_000_000, "1m"}, {2_500_000, "2500k"}, {4_000_000, "4m"},
	} {
		if got := SizeLabel(tt.n); got != tt.want {
			t.Errorf("SizeLabel(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestGroupDigits(t *testing.T) {
	for _, tt := range []struct {
		n    int64
		want string
	}{
		{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1,000"}, {123456, "123,456"},
		{1234567, "1,234,567"}, {-1234, "-1,234"}, {math.MinInt64, "-9,223,372,036,854,775,808"},
	} {
		if got := numfmt.EN(tt.n); got != tt.want {
			t.Errorf("numfmt.EN(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestCPUModel(t *testing.T) {
	if got := cpuModel(strings.NewReader("processor\t: 0\nmodel name\t: AMD EPYC 9B45\n")); got != "AMD EPYC 9B45" {
		t.Errorf("cpuModel = %q", got)
	}
}

// writeFakeSummary writes a summary.json like the one of "doisanh reconcile".
func writeFakeSummary(t *testing.T, dir string, reads []int64) string {
	t.Helper()
	var sum struct {
		Stages []Stage           `json:"stages"`
		Inputs []map[string]any  `json:"inputs"`
		Other  map[string]string `json:"options"`
	}
	sum.Stages = fakeStages
	sum.Other = map[string]string{"population": "p.parquet"}
	for i, n := range reads {
		sum.Inputs = append(sum.Inputs, map[string]any{"source": fmt.Sprint("s", i), "path": "x", "read": n, "used": n, "rejected": 0})
	}
	data, err := json.Marshal(sum)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "summary.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestBenchRunFromSummaryAndScore(t *testing.T) {
	dir := t.TempDir()
	sum, err := readSummary(writeFakeSummary(t, dir, []int64{1000, 700, 900, 150}))
	if err != nil {
		t.Fatal(err)
	}
	r := Result{Size: "1k", People: 1000, WallSeconds: 5, PeakRSSMiB: 123.4}
	r.addSummary(sum)
	if r.InputRows != 2750 {
		t.Errorf("InputRows = %d, want 2750", r.InputRows)
	}
	if r.RowsPerSecond != 550 {
		t.Errorf("RowsPerSecond = %v, want 550", r.RowsPerSecond)
	}
	if fmt.Sprint(r.Stages) != fmt.Sprint(fakeStages) {
		t.Errorf("Stages = %v, want %v", r.Stages, fakeStages)
	}

	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(fakeScore); err != nil {
		t.Fatal(err)
	}
	rows, total, err := parseScoreJSON(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(fakeScore)-1 || total.Rule != "TOTAL" {
		t.Fatalf("parseScoreJSON: %d rows, total %+v", len(rows), total)
	}
	r.addScore(rows, total)
	if r.Precision != 30.0/37 || r.Recall != 30.0/34 || r.Findings != 37 {
		t.Errorf("Precision, Recall, Findings = %v, %v, %d", r.Precision, r.Recall, r.Findings)
	}
	if r.Worst == nil || r.Worst.Rule != "SPOUSE_CONFLICT" || r.Worst.Subtype != "SELF" {
		t.Errorf("Worst = %+v, want SPOUSE_CONFLICT/SELF (lowest F1)", r.Worst)
	}

	rep := &Report{
		Machine: Machine{CPUs: 2, CPUModel: "Test CPU", MemoryBytes: 8 << 30, GoVersion: "go1.26", OS: "linux", Arch: "amd64"},
		Seed:    7, Workers: 2, Dir: "/data", Runs: []Result{r},
	}
	var table bytes.Buffer
	if err := WriteTable(&table, rep); err != nil {
		t.Fatal(err)
	}
	out := table.String()
	lines := map[string][]string{}
	for line := range strings.SplitSeq(out, "\n") {
		if f := strings.Fields(line); len(f) > 1 {
			lines[strings.Join(f[:len(f)-1], " ")] = f[len(f)-1:]
		}
	}
	for _, tt := range []struct{ row, want string }{
		{"size", "1k"}, {"people", "1,000"}, {"input rows", "2,750"}, {"generate s", "0.00"},
		{"read population s", "0.50"}, {"index s", "0.25"}, {"train s", "0.12"}, {"link sources s", "2.00"},
		{"rules s", "0.75"}, {"write s", "0.12"}, {"total wall s", "5.00"}, {"rows/s", "550"},
		{"peak RSS MiB", "123"}, {"findings", "37"}, {"precision", "0.811"}, {"recall", "0.882"},
		{"worst rule/subtype", "SPOUSE_CONFLICT/SELF"},
	} {
		if got := lines[tt.row]; len(got) != 1 || got[0] != tt.want {
			t.Errorf("row %q = %v, want %q\n%s", tt.row, got, tt.want, out)
		}
	}
	for _, want := range []string{"2 CPUs (Test CPU), 8.0 GiB memory, go1.26 linux/amd64", "Seed 7, 2 workers"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "normalise") {
		t.Errorf("table shows a normalise row no run has:\n%s", out)
	}
}

func TestParseScoreJSONErrors(t *testing.T) {
	for _, in := range []string{"", "{}", "[", `[{"rule":"DUP_ID"}]`, `"TOTAL"`} {
		if _, _, err := parseScoreJSON([]byte(in)); err == nil {
			t.Errorf("parseScoreJSON(%q): want an error", in)
		}
	}
}

func TestReadBenchSummaryErrors(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{"bad.json": "{", "empty.json": `{"stages":[]}`} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := readSummary(path); err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("readSummary(%s) = %v, want an error naming the file", name, err)
		}
	}
	if _, err := readSummary(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("readSummary of a missing file: want an error")
	}
}

func TestGenerated(t *testing.T) {
	dir := t.TempDir()
	write := func(meta string, files ...string) string {
		d, err := os.MkdirTemp(dir, "")
		if err != nil {
			t.Fatal(err)
		}
		if meta != "" {
			os.WriteFile(filepath.Join(d, "generate.json"), []byte(meta), 0o644)
		}
		for _, f := range files {
			os.WriteFile(filepath.Join(d, f+".parquet"), nil, 0o644)
		}
		return d
	}
	all := []string{"population", "tax", "insurance", "civil", "truth"}
	for _, tt := range []struct {
		meta  string
		files []string
		want  bool
	}{
		{`{"people":1000,"seed":3}`, all, true},
		{`{"options":{"people":1000,"seed":3}}`, all, true},
		{`{"version":"x"}`, all, true}, // nothing to compare: the directory name decides
		{`{"people":1001,"seed":3}`, all, false},
		{`{"options":{"people":1000,"seed":4}}`, all, false},
		{`{"people":1000,"seed":3}`, all[:4], false},
		{`{"people":`, all, false},
		{``, all, false},
	} {
		if got := generated(write(tt.meta, tt.files...), 1000, 3); got != tt.want {
			t.Errorf("generated(%s, %d files) = %v, want %v", tt.meta, len(tt.files), got, tt.want)
		}
	}
}

// benchSelf returns options that run this test binary as the child.
func benchSelf(t *testing.T, mode string) Options {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(benchChildEnv, mode)
	return Options{Dir: t.TempDir(), Seed: 1, Workers: 2, Reuse: true, Exe: exe,
		Machine: &Machine{CPUs: 1, GoVersion: "go", OS: "os", Arch: "arch"}}
}

func TestBenchWithFakeChild(t *testing.T) {
	o := benchSelf(t, "fake")
	log := filepath.Join(t.TempDir(), "calls")
	t.Setenv(fakeLogEnv, log)
	o.Sizes = []int{1000, 5000}
	var progress bytes.Buffer
	rep, err := Run(context.Background(), o, &progress)
	if err != nil {
		t.Fatalf("%v\n%s", err, progress.String())
	}
	if len(rep.Runs) != 2 {
		t.Fatalf("%d runs, want 2", len(rep.Runs))
	}
	for i, people := range o.Sizes {
		r := rep.Runs[i]
		n := int64(people)
		if r.People != people || r.InputRows != n+n/2+n+n/4 || r.Rejected != 3 || r.Reused {
			t.Errorf("run %d: %+v", i, r)
		}
		// The fake reconcile touches one MiB per 100 people.
		if runtime.GOOS == "linux" && r.PeakRSSMiB < float64(people/100) {
			t.Errorf("run %d: peak RSS %.1f MiB, want >= %d", i, r.PeakRSSMiB, people/100)
		}
		if r.WallSeconds <= 0 || r.GenerateSeconds <= 0 || r.RowsPerSecond != float64(r.InputRows)/r.WallSeconds {
			t.Errorf("run %d: wall %v, generate %v, rows/s %v", i, r.WallSeconds, r.GenerateSeconds, r.RowsPerSecond)
		}
		if r.Worst == nil || r.Worst.Subtype != "SELF" || r.Precision != 30.0/37 {
			t.Errorf("run %d: score %v %+v", i, r.Precision, r.Worst)
		}
		if _, err := os.Stat(filepath.Join(r.Data, "out")); !os.IsNotExist(err) {
			t.Errorf("run %d: output kept without --keep (%v)", i, err)
		}
	}
	if rep.Runs[1].PeakRSSMiB <= rep.Runs[0].PeakRSSMiB {
		t.Errorf("peak RSS %.1f MiB at 5k is not above %.1f at 1k", rep.Runs[1].PeakRSSMiB, rep.Runs[0].PeakRSSMiB)
	}
	calls := func() string {
		data, _ := os.ReadFile(log)
		return strings.Join(strings.Fields(string(data)), ",")
	}
	if got, want := calls(), "generate,reconcile,score,generate,reconcile,score"; got != want {
		t.Errorf("children run: %s, want %s", got, want)
	}
	for _, want := range []string{"1k: generating 1000 people", "5k: reconciled 13750 rows", "precision 0.811"} {
		if !strings.Contains(progress.String(), want) {
			t.Errorf("progress lacks %q:\n%s", want, progress.String())
		}
	}

	// The second run reuses the data, and --keep keeps the output.
	os.Remove(log)
	o.Sizes, o.Keep = []int{1000}, true
	rep, err = Run(context.Background(), o, &progress)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Runs[0].Reused || rep.Runs[0].GenerateSeconds != 0 || calls() != "reconcile,score" {
		t.Errorf("second run: reused %v, children %s", rep.Runs[0].Reused, calls())
	}
	if _, err := os.Stat(filepath.Join(rep.Runs[0].Data, "out", "summary.json")); err != nil {
		t.Errorf("--keep: %v", err)
	}

	// --reuse=false generates again.
	os.Remove(log)
	o.Reuse = false
	if _, err := Run(context.Background(), o, &progress); err != nil {
		t.Fatal(err)
	}
	if got := calls(); got != "generate,reconcile,score" {
		t.Errorf("--reuse=false: children %s", got)
	}

	js, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatal(err)
	}
	if back.Machine.CPUs != 1 || len(back.Runs) != 1 || back.Runs[0].InputRows != rep.Runs[0].InputRows ||
		len(back.Runs[0].Stages) != len(rep.Runs[0].Stages) || back.Runs[0].Worst == nil {
		t.Errorf("JSON round trip lost data:\n%s", js)
	}
}

func TestBenchChildFails(t *testing.T) {
	o := benchSelf(t, "fake")
	o.Sizes = []int{1000}
	o.Exe = filepath.Join(t.TempDir(), "missing")
	_, err := Run(context.Background(), o, new(bytes.Buffer))
	if err == nil || !strings.Contains(err.Error(), "bench 1k: generate") {
		t.Errorf("err = %v, want a generate error for 1k", err)
	}
}

func TestRunOptions(t *testing.T) {
	good := benchSelf(t, "fake")
	good.Sizes = []int{1000}
	for name, edit := range map[string]func(*Options){
		"no sizes":    func(o *Options) { o.Sizes = nil },
		"workers":     func(o *Options) { o.Workers = 0 },
		"no data dir": func(o *Options) { o.Dir = "" },
	} {
		o := good
		edit(&o)
		if _, err := Run(context.Background(), o, new(bytes.Buffer)); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}

func TestBenchCanceled(t *testing.T) {
	o := benchSelf(t, "fake")
	o.Sizes = []int{1000}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, o, new(bytes.Buffer)); err == nil || !strings.Contains(err.Error(), "context canceled") {
		t.Errorf("err = %v, want context canceled", err)
	}
}

// TestRemoveGenerated: bench removes what an earlier bench left (a
// generated province, complete or interrupted, with or without its
// reconciliation result) and nothing else.
func TestRemoveGenerated(t *testing.T) {
	result := func(t *testing.T, dir string) {
		d, err := output.Create(filepath.Join(dir, "out"), output.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := d.WriteRejects(nil); err != nil {
			t.Fatal(err)
		}
		if err := d.WriteFindings(nil, output.Summary{}); err != nil {
			t.Fatal(err)
		}
		if err := d.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name    string
		files   []string
		result  bool // an "out" result of reconcile inside
		removed bool
	}{
		{"missing", nil, false, true},
		{"generated", []string{"population.parquet", "tax.parquet", "truth.parquet", "generate.json"}, false, true},
		{"interrupted", []string{"population.parquet"}, false, true},
		{"generated and reconciled", []string{"population.parquet", "generate.json"}, true, true},
		{"someone's files", []string{"population.parquet", "notes.txt"}, false, false},
		{"someone's folder", []string{"report.docx"}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "1m-seed1")
			if tt.files != nil || tt.result {
				os.Mkdir(dir, 0o755)
			}
			for _, f := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if tt.result {
				result(t, dir)
			}
			err := removeGenerated(dir)
			_, statErr := os.Stat(dir)
			gone := os.IsNotExist(statErr)
			if tt.removed && (err != nil || !gone) {
				t.Errorf("removeGenerated: %v, gone %v; want it removed", err, gone)
			}
			if !tt.removed && (err == nil || gone || !strings.Contains(err.Error(), "left as it is")) {
				t.Errorf("removeGenerated: %v, gone %v; want an error and the directory kept", err, gone)
			}
		})
	}
}
