package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/doisanh/doisanh/output"
	"github.com/doisanh/doisanh/record"
	"github.com/doisanh/doisanh/score"
	"github.com/doisanh/doisanh/synth"
)

// recPeople and recSeed describe the small province of these tests.
const (
	recPeople = 3000
	recSeed   = 3
)

// recGenerate writes a synthetic province of recPeople people (seed
// recSeed) with the given share of defects fixed in the field into dir.
func recGenerate(t *testing.T, dir string, fixed float64) {
	t.Helper()
	opts := synth.DefaultOptions()
	opts.People, opts.Seed, opts.Fixed = recPeople, recSeed, fixed
	if _, err := synth.Generate(context.Background(), dir, opts); err != nil {
		t.Fatalf("synth.Generate(%s, fixed %g): %v", dir, fixed, err)
	}
}

// recArgs are the arguments of "doisanh reconcile" for a generated province.
func recArgs(data, out string, extra ...string) []string {
	args := []string{"reconcile",
		"--population", filepath.Join(data, "population.parquet"),
		"--tax", filepath.Join(data, "tax.parquet"),
		"--insurance", filepath.Join(data, "insurance.parquet"),
		"--civil", filepath.Join(data, "civil.parquet"),
		"--out", out, "--quiet"}
	return append(args, extra...)
}

// recExec runs the command line like run does, but with stdout and stderr
// captured; it returns the exit code run would return and the error.
func recExec(ctx context.Context, args ...string) (code int, stdout, stderr string, err error) {
	var o, e bytes.Buffer
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(&o)
	root.SetErr(&e)
	err = root.ExecuteContext(ctx)
	return exitCode(ctx, err), o.String(), e.String(), err
}

// recReconcile runs reconcile and fails the test unless it succeeds.
func recReconcile(t *testing.T, data, out string) {
	t.Helper()
	code, stdout, stderr, err := recExec(context.Background(), recArgs(data, out)...)
	if code != exitOK || err != nil {
		t.Fatalf("reconcile %s: exit %d, err %v\nstdout:\n%s\nstderr:\n%s", out, code, err, stdout, stderr)
	}
}

// recLeftovers lists the temporary (".tmp-*") and set-aside (".old-*")
// directories beside out.
func recLeftovers(t *testing.T, out string) []string {
	t.Helper()
	var left []string
	for _, pat := range []string{".tmp-*", ".old-*"} {
		m, err := filepath.Glob(filepath.Join(filepath.Dir(out), filepath.Base(out)+pat))
		if err != nil {
			t.Fatal(err)
		}
		left = append(left, m...)
	}
	return left
}

// recSnapshot returns the content of every file under out, by relative path.
func recSnapshot(t *testing.T, out string) map[string][]byte {
	t.Helper()
	snap := map[string][]byte{}
	err := filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		snap[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		t.Fatalf("snapshot %s: %v", out, err)
	}
	return snap
}

func TestReconcileWritesOutputs(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	recGenerate(t, data, 0)

	tests := []struct {
		name    string
		args    func(out string) []string
		sources []string // inputs of summary.json, in order
	}{
		{"all sources", func(out string) []string { return recArgs(data, out) },
			[]string{"population", "tax", "insurance", "civil"}},
		{"population and tax, json", func(out string) []string {
			return []string{"reconcile", "--population", filepath.Join(data, "population.parquet"),
				"--tax", filepath.Join(data, "tax.parquet"), "--out", out, "--quiet", "--json"}
		}, []string{"population", "tax"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			code, stdout, stderr, err := recExec(context.Background(), tc.args(out)...)
			if code != exitOK {
				t.Fatalf("exit %d, err %v\nstdout:\n%s\nstderr:\n%s", code, err, stdout, stderr)
			}
			if stderr != "" {
				t.Errorf("--quiet run wrote to stderr:\n%s", stderr)
			}

			findings, err := output.ReadFindings(out)
			if err != nil {
				t.Fatal(err)
			}
			if len(findings) == 0 {
				t.Fatal("findings.parquet has no rows")
			}
			ids := map[string]bool{}
			for _, f := range findings {
				if f.FindingID == "" || f.Rule == "" {
					t.Errorf("finding without id or rule: %+v", f)
				}
				if ids[f.FindingID] {
					t.Errorf("finding_id %s appears twice", f.FindingID)
				}
				ids[f.FindingID] = true
			}

			b, err := os.ReadFile(filepath.Join(out, "summary.json"))
			if err != nil {
				t.Fatal(err)
			}
			var s output.Summary
			if err := json.Unmarshal(b, &s); err != nil {
				t.Fatalf("summary.json: %v", err)
			}
			var got []string
			for _, in := range s.Inputs {
				got = append(got, in.Source)
				if in.Read != in.Used+in.Rejected {
					t.Errorf("summary.json input %s: read %d != used %d + rejected %d", in.Source, in.Read, in.Used, in.Rejected)
				}
				if in.Read == 0 || in.Size == 0 || len(in.SHA256) != 64 {
					t.Errorf("summary.json input %s: read %d, size %d, sha256 %q", in.Source, in.Read, in.Size, in.SHA256)
				}
			}
			if !slices.Equal(got, tc.sources) {
				t.Errorf("summary.json inputs = %v, want %v", got, tc.sources)
			}
			if s.TotalFindings != int64(len(findings)) {
				t.Errorf("summary.json total_findings = %d, findings.parquet has %d rows", s.TotalFindings, len(findings))
			}

			for _, name := range []string{"manifest.json", "findings.csv", "report.html", "fixlists"} {
				if _, err := os.Stat(filepath.Join(out, name)); err != nil {
					t.Errorf("%s: %v", name, err)
				}
			}
			var m map[string]any
			if b, err := os.ReadFile(filepath.Join(out, "manifest.json")); err != nil {
				t.Error(err)
			} else if err := json.Unmarshal(b, &m); err != nil {
				t.Errorf("manifest.json: %v", err)
			}

			if strings.Contains(strings.Join(tc.args(out), " "), "--json") {
				var res reconcileResult
				if err := json.Unmarshal([]byte(stdout), &res); err != nil {
					t.Fatalf("--json: %v\n%s", err, stdout)
				}
				if res.Findings != len(findings) || res.Out != out {
					t.Errorf("--json: findings %d, out %q; want %d, %q", res.Findings, res.Out, len(findings), out)
				}
			}
			if left := recLeftovers(t, out); len(left) > 0 {
				t.Errorf("left beside %s: %v", out, left)
			}
		})
	}
}

func TestReconcileInterruptedLeavesPreviousResult(t *testing.T) {
	tmp := t.TempDir()
	data := filepath.Join(tmp, "data")
	recGenerate(t, data, 0)
	bad := filepath.Join(tmp, "x.parquet")
	if err := os.WriteFile(bad, []byte("not parquet"), 0o644); err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()

	tests := []struct {
		name     string
		ctx      context.Context
		args     func(out string) []string
		wantCode int
		wantErr  error  // errors.Is target, or nil
		errText  string // substring of the error, or ""
	}{
		{"cancelled context", cancelled, func(out string) []string { return recArgs(data, out) },
			exitInterrupted, context.Canceled, ""},
		{"tax is not parquet", context.Background(), func(out string) []string {
			args := recArgs(data, out)
			args[slices.Index(args, "--tax")+1] = bad
			return args
		}, exitFail, nil, "x.parquet"},
		{"population is not parquet", context.Background(), func(out string) []string {
			args := recArgs(data, out)
			args[slices.Index(args, "--population")+1] = bad
			return args
		}, exitFail, nil, "x.parquet"},
		{"missing civil file", context.Background(), func(out string) []string {
			args := recArgs(data, out)
			args[slices.Index(args, "--civil")+1] = filepath.Join(tmp, "missing.parquet")
			return args
		}, exitUsage, nil, "missing.parquet"},
	}

	out := filepath.Join(tmp, "out")
	recReconcile(t, data, out)
	before := recSnapshot(t, out)
	if len(before["findings.parquet"]) == 0 {
		t.Fatal("first run wrote no findings.parquet")
	}
	fi, err := os.Stat(filepath.Join(out, "findings.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	modBefore := fi.ModTime()

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr, err := recExec(tc.ctx, tc.args(out)...)
			if code != tc.wantCode || err == nil {
				t.Errorf("exit %d, err %v; want exit %d and an error\nstdout:\n%s\nstderr:\n%s", code, err, tc.wantCode, stdout, stderr)
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("err = %v, want %v", err, tc.wantErr)
			}
			if tc.errText != "" && (err == nil || !strings.Contains(err.Error(), tc.errText)) {
				t.Errorf("err = %v, want it to name %q", err, tc.errText)
			}
			// The exit code of the real entry point too.
			if got := run(tc.ctx, tc.args(out)); got != tc.wantCode {
				t.Errorf("run() = %d, want %d", got, tc.wantCode)
			}

			after := recSnapshot(t, out)
			if !bytes.Equal(after["findings.parquet"], before["findings.parquet"]) {
				t.Errorf("findings.parquet changed: %d bytes before, %d after", len(before["findings.parquet"]), len(after["findings.parquet"]))
			}
			if fi, err := os.Stat(filepath.Join(out, "findings.parquet")); err != nil {
				t.Error(err)
			} else if !fi.ModTime().Equal(modBefore) {
				t.Errorf("findings.parquet modtime %v, was %v", fi.ModTime(), modBefore)
			}
			for name, b := range before {
				if !bytes.Equal(after[name], b) {
					t.Errorf("%s changed", name)
				}
			}
			for name := range after {
				if _, ok := before[name]; !ok {
					t.Errorf("%s appeared in %s", name, out)
				}
			}
			if left := recLeftovers(t, out); len(left) > 0 {
				t.Errorf("left beside %s: %v", out, left)
			}
		})
	}
}

// TestDiffReportsFixedDefects is the acceptance test of "doisanh diff": two
// runs over the same province, the second with 30% of the defects fixed in
// the field, must report as fixed exactly the findings of the fixed defects.
func TestDiffReportsFixedDefects(t *testing.T) {
	tmp := t.TempDir()
	dataA, dataB := filepath.Join(tmp, "a"), filepath.Join(tmp, "b")
	outA, outB := filepath.Join(tmp, "out-a"), filepath.Join(tmp, "out-b")
	recGenerate(t, dataA, 0)
	recGenerate(t, dataB, 0.3)
	recReconcile(t, dataA, outA)
	recReconcile(t, dataB, outB)

	readTruth := func(dir string) map[score.Key]record.Truth {
		rows, err := parquet.ReadFile[record.Truth](filepath.Join(dir, "truth.parquet"))
		if err != nil {
			t.Fatal(err)
		}
		m := make(map[score.Key]record.Truth, len(rows))
		for _, r := range rows {
			m[score.TruthKey(r)] = r
		}
		return m
	}
	truthA, truthB := readTruth(dataA), readTruth(dataB)
	fixedTruth := map[score.Key]record.Truth{}
	for k, r := range truthA {
		if _, ok := truthB[k]; !ok {
			fixedTruth[k] = r
		}
	}
	for k := range truthB {
		if _, ok := truthA[k]; !ok {
			t.Errorf("truth of the fixed run has a defect the first run lacks: %+v", k)
		}
	}
	if len(fixedTruth) == 0 || len(fixedTruth) == len(truthA) {
		t.Fatalf("%d of %d defects fixed; want some but not all", len(fixedTruth), len(truthA))
	}

	findA, err := output.ReadFindings(outA)
	if err != nil {
		t.Fatal(err)
	}
	findB, err := output.ReadFindings(outB)
	if err != nil {
		t.Fatal(err)
	}
	byID := func(fs []record.Finding) map[string]record.Finding {
		m := make(map[string]record.Finding, len(fs))
		for _, f := range fs {
			m[f.FindingID] = f
		}
		return m
	}
	aByID, bByID := byID(findA), byID(findB)
	describe := func(f record.Finding) string {
		k := score.FindingKey(f)
		s := f.FindingID + " " + k.Rule + "/" + k.Subtype + " " + k.Source + " " + k.Ref +
			" person=" + f.PersonID + " related=" + f.RelatedPersonID + " field=" + f.Field
		_, inA := truthA[k]
		_, inFixed := fixedTruth[k]
		switch {
		case inFixed:
			s += " [truth: fixed in run B]"
		case inA:
			s += " [truth: still injected in run B]"
		default:
			s += " [no truth row: false positive]"
		}
		return s
	}

	res := output.Diff(findA, findB, nil)
	fixed := map[string]bool{}
	for _, id := range res.FixedIDs {
		fixed[id] = true
	}

	// Expected: every finding of run A that matches a fixed defect.
	want := map[string]bool{}
	for _, f := range findA {
		if _, ok := fixedTruth[score.FindingKey(f)]; ok {
			want[f.FindingID] = true
		}
	}
	if len(want) == 0 {
		t.Fatalf("no finding of run A matches any of the %d fixed defects", len(fixedTruth))
	}
	var missing, extra []string
	for id := range want {
		if !fixed[id] {
			missing = append(missing, describe(aByID[id]))
		}
	}
	for id := range fixed {
		if !want[id] {
			extra = append(extra, describe(aByID[id]))
		}
	}
	slices.Sort(missing)
	slices.Sort(extra)
	for _, s := range missing {
		t.Errorf("finding of a fixed defect not reported fixed: %s", s)
	}
	for _, s := range extra {
		t.Errorf("finding reported fixed without a fixed defect: %s", s)
	}
	var newIDs []string
	for _, id := range res.NewIDs {
		newIDs = append(newIDs, describe(bByID[id]))
	}
	for _, s := range newIDs {
		t.Errorf("finding new in run B (nothing new was injected): %s", s)
	}
	if res.Total.Old != int64(len(aByID)) || res.Total.Fixed != int64(len(res.FixedIDs)) ||
		res.Total.Open+res.Total.Fixed != res.Total.Old || res.Total.New != int64(len(res.NewIDs)) {
		t.Errorf("diff total %+v; run A has %d findings, %d fixed, %d new", res.Total, len(aByID), len(res.FixedIDs), len(res.NewIDs))
	}
	t.Logf("defects: %d injected, %d fixed; findings: A %d, B %d; diff: %d fixed (want %d), %d open, %d new",
		len(truthA), len(fixedTruth), len(findA), len(findB), res.Total.Fixed, len(want), res.Total.Open, res.Total.New)

	// The command prints the same totals.
	code, stdout, stderr, err := recExec(context.Background(), "diff", outA, outB, "--json")
	if code != exitOK {
		t.Fatalf("diff --json: exit %d, err %v\n%s", code, err, stderr)
	}
	var cmdRes output.DiffResult
	if err := json.Unmarshal([]byte(stdout), &cmdRes); err != nil {
		t.Fatalf("diff --json: %v\n%s", err, stdout)
	}
	if cmdRes.Total != res.Total {
		t.Errorf("diff --json total %+v, output.Diff total %+v", cmdRes.Total, res.Total)
	}
}

// TestPrintSummary: the closing table in each language, with the counts
// grouped the way its reader groups them.
func TestPrintSummary(t *testing.T) {
	res := &reconcileResult{
		Findings: 1253658, Rejects: 2, Seconds: 390.2,
		ByRule: map[string]int{"DUP_ID": 98361, "SPOUSE_CONFLICT": 237109},
		Inputs: []output.Input{{Source: "population", Read: 14042000, Used: 14041998, Rejected: 2}},
	}
	for _, tt := range []struct {
		lang string
		want []string
	}{
		{langVI, []string{"Đối sánh xong trong 390,2 giây. Kết quả: out", "Dân cư       14.042.000 14.041.998          2",
			"Trùng số định danh                     98.361", "Tổng cộng                            1.253.658",
			"Dòng không dùng được: 2 (xem out/rejects.csv)"}},
		{langEN, []string{"Reconciled in 390.2s. Results: out", "population   14,042,000 14,041,998          2",
			"DUP_ID                                 98,361", "SPOUSE_CONFLICT                       237,109",
			"Total                                1,253,658", "Fix lists per commune: out/fixlists", "Rows not usable: 2 (see out/rejects.csv)"}},
	} {
		var b bytes.Buffer
		printSummary(&b, "out", res, tt.lang)
		for _, w := range tt.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("--lang %s: summary lacks %q:\n%s", tt.lang, w, b.String())
			}
		}
	}
}

func TestCountRules(t *testing.T) {
	fs := func(rules ...string) []record.Finding {
		out := make([]record.Finding, len(rules))
		for i, r := range rules {
			out[i].Rule = r
		}
		return out
	}
	for _, tc := range []struct {
		in   []record.Finding
		want map[string]int
	}{
		{nil, map[string]int{}},
		{fs("A"), map[string]int{"A": 1}},
		{fs("A", "A", "B", "A", "C", "C"), map[string]int{"A": 3, "B": 1, "C": 2}},
		{fs("", "", "A"), map[string]int{"": 2, "A": 1}},
	} {
		got := map[string]int{}
		countRules(got, tc.in)
		if !maps.Equal(got, tc.want) {
			t.Errorf("countRules(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
