package main

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/doisanh/doisanh/admin"
	"github.com/doisanh/doisanh/ingest"
	"github.com/doisanh/doisanh/internal/memlimit"
	"github.com/doisanh/doisanh/output"
	"github.com/doisanh/doisanh/pipeline"
	"github.com/doisanh/doisanh/record"
	"github.com/doisanh/doisanh/rules"
	"github.com/doisanh/doisanh/verify"
)

// reconcileOptions are the flags of "doisanh reconcile".
type reconcileOptions struct {
	cfg   pipeline.Config
	out   string
	xlsx  bool
	quiet bool
	json  bool
	// verified is a verification ledger (doisanh verify) to apply.
	verified string
	// lang is the language of the progress messages (vi, en).
	lang string
	// maxRejectRate is --max-reject-rate: the share of a source's rows
	// that may be rejected (0 none, 1 no limit); see pipeline.Config.
	maxRejectRate float64
	// memoryLimit is --memory-limit ("" when not given), limit the limit
	// chosen from it (zero: chosen by reconcile, as for demo).
	memoryLimit string
	limit       memlimit.Limit
	// spill is --spill (on, off, auto; "" is auto), tmpDir --tmp-dir: where
	// the temporary files go ("" inside the output's temporary directory).
	spill  string
	tmpDir string
	// cpuProfile, when set, receives a CPU profile of the run (for
	// benchmarks/; see RESULTS.md).
	cpuProfile string
	// memProfile, when set, is the prefix of heap profiles written after
	// each stage of the run (see memprofile.go).
	memProfile string
}

func newReconcileCmd() *cobra.Command {
	var o reconcileOptions
	cmd := &cobra.Command{
		Use:   "reconcile --population F [--tax F] [--insurance F] [--civil F] --out DIR",
		Short: "Reconcile the residence register with the other sources and write fix lists",
		Long: `reconcile reads the residence register (population) and any of the tax,
insurance and civil-status extracts (.parquet, .csv or .csv.gz), links every
source record to a person, applies the rules of the catalogue and writes to
--out: findings.parquet/.csv, per-commune fix lists, summary.json, report.html,
rejects and manifest.json.

The result is written to a temporary directory beside --out and swapped into
place at the end: an interrupted or failed run leaves the previous result in
--out untouched. --out must be a new path, an empty directory or a previous
doisanh result: any other directory is refused and left alone. One run at a
time writes to an --out (lock file --out.lock); what killed runs left beside
it is removed by the next run. See README.md, Safety.

A run fails (exit 1, --out untouched) when a source given has no data row or
no usable row, or when more than --max-reject-rate of its rows are rejected
(default 0.05, 5 %); the message names the file, the columns and the commonest
reasons with their counts.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.cfg.Population == "" || o.out == "" {
				return usagef("reconcile needs --population and --out")
			}
			if _, err := ingest.ParseEncoding(o.cfg.Encoding); err != nil {
				return usagef("--encoding: %v", err)
			}
			if r := o.maxRejectRate; !(r >= 0 && r <= 1) {
				return usagef("--max-reject-rate %v: want a share between 0 and 1 (0.05 is 5 %%, 1 turns the check off)", r)
			} else if r == 0 {
				o.cfg.MaxRejectRate = pipeline.NoRejectsAllowed
			} else {
				o.cfg.MaxRejectRate = r
			}
			if p := o.cfg.Province; p != "" && !strings.EqualFold(p, pipeline.National) {
				if _, _, ok := admin.Default().CurrentProvince(p); !ok {
					return usageError{localized{
						en: fmt.Sprintf("--province %q: not a province code or name (2025 or legacy list, e.g. 40 or \"Nghệ An\"), nor all", p),
						vi: fmt.Sprintf("--province %q: không phải mã hay tên tỉnh (danh sách 2025 hoặc trước sáp nhập, ví dụ 40 hoặc \"Nghệ An\"), cũng không phải all", p),
					}}
				}
			}
			for _, p := range []string{o.cfg.Population, o.cfg.Tax, o.cfg.Insurance, o.cfg.Civil, o.cfg.Mapping, o.verified} {
				if p == "" {
					continue
				}
				if _, err := os.Stat(p); err != nil {
					return usagef("%v", err)
				}
			}
			var progress io.Writer
			if !o.quiet {
				progress = cmd.ErrOrStderr()
			}
			stop, err := startCPUProfile(o.cpuProfile)
			if err != nil {
				return err
			}
			defer stop()
			if err := checkSpillMode(o.spill); err != nil {
				return err
			}
			limit, err := chooseMemoryLimit(o.memoryLimit)
			if err != nil {
				return err
			}
			o.limit = limit
			o.lang = langOf(cmd)
			res, err := reconcile(cmd.Context(), o, progress)
			if err != nil {
				return err
			}
			warnings := res.Warnings
			if progress != nil {
				warnings = warnings[res.shown:] // already in the progress lines
			}
			printWarnings(cmd.ErrOrStderr(), warnings, o.lang)
			if o.json {
				return writeJSON(cmd.OutOrStdout(), res)
			}
			printSummary(cmd.OutOrStdout(), o.out, res, o.lang)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.cfg.Population, "population", "", "residence register (dân cư): .parquet, .csv or .csv.gz")
	f.StringVar(&o.cfg.Tax, "tax", "", "tax extract (thuế)")
	f.StringVar(&o.cfg.Insurance, "insurance", "", "social-insurance extract (BHXH/BHYT)")
	f.StringVar(&o.cfg.Civil, "civil", "", "civil-status events (hộ tịch)")
	f.StringVar(&o.cfg.Mapping, "mapping", "", "YAML file renaming input columns to the canonical names")
	f.StringVar(&o.cfg.Encoding, "encoding", ingest.EncodingAuto, "text encoding of the inputs: auto, utf-8, tcvn3, vni or cp1258 (see README, Inputs)")
	f.StringVar(&o.cfg.Province, "province", "", "province for addresses that name none: 2025 or legacy code, or name, or all for a national register (default: inferred from the commune codes)")
	f.Float64Var(&o.maxRejectRate, "max-reject-rate", pipeline.DefaultMaxRejectRate,
		"fail, leaving --out untouched, when a larger share of a source's rows is rejected (0.05 is 5 %; 1: no limit); a source with no usable row always fails")
	f.IntVar(&o.cfg.Workers, "workers", 0, fmt.Sprintf("worker goroutines (0: one per core, here %d; at most %d per core)", runtime.GOMAXPROCS(0), pipeline.MaxWorkersPerCPU))
	f.StringVar(&o.out, "out", "", "output directory: new, empty or a previous doisanh result (replaced atomically at the end)")
	f.BoolVar(&o.xlsx, "xlsx", true, "write the fix lists also as .xlsx, the officers' format (--xlsx=false: CSV only)")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "no progress on stderr")
	f.BoolVar(&o.json, "json", false, "print the run summary as JSON")
	f.StringVar(&o.verified, "verified", "", "verification ledger from doisanh verify: findings confirmed not errors are not raised again")
	f.StringVar(&o.memoryLimit, "memory-limit", "", "memory the run may use, e.g. 4GB or 8GiB (default: 75 % of the machine's memory, or GOMEMLIMIT); a run that needs more fails before it starts")
	f.StringVar(&o.spill, "spill", spillAuto, "keep part of the run in temporary files on disk to use less memory: on, off, or auto (when the run would need more than 80 % of --memory-limit in memory)")
	f.StringVar(&o.tmpDir, "tmp-dir", "", "directory for the temporary files of --spill (default: inside the temporary directory of --out, on the result's disk); they are removed when the run ends")
	f.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the run to this file")
	f.MarkHidden("cpuprofile")
	f.StringVar(&o.memProfile, "memprofile", "", "write heap profiles after each stage to PREFIX.N-STAGE.pprof")
	f.MarkHidden("memprofile")
	return cmd
}

// reconcileResult is what a run prints.
type reconcileResult struct {
	Out      string         `json:"out"`
	Findings int            `json:"findings"`
	Rejects  int            `json:"rejects"`
	ByRule   map[string]int `json:"by_rule"`
	Inputs   []output.Input `json:"inputs"`
	Stages   []output.Stage `json:"stages"`
	Seconds  float64        `json:"seconds"`
	Links    map[string]int `json:"links"`
	Warnings []string       `json:"warnings,omitempty"`
	// shown is the number of leading Warnings the progress lines showed
	// (what killed runs left, which output.Create reports as it removes it).
	shown int
}

// reconcile runs the pipeline and writes its outputs atomically into o.out.
func reconcile(ctx context.Context, o reconcileOptions, progress io.Writer) (*reconcileResult, error) {
	started := time.Now()
	ui := newProgressUI(progress, o.lang)
	defer ui.done()
	say := ui.say
	limit := o.limit
	if limit.Source == "" {
		l, err := chooseMemoryLimit("")
		if err != nil {
			return nil, err
		}
		limit = l
	}
	mode := cmp.Or(o.spill, spillAuto)
	plan, err := memoryPlan(o.cfg, limit, mode, ui)
	if err != nil {
		return nil, err
	}
	defer plan.restore()
	dir, err := output.Create(o.out, output.Options{XLSX: o.xlsx, Version: version,
		Progress: ui.output})
	if err != nil {
		return nil, err
	}
	var cleaned []string
	for _, st := range dir.Stale() {
		cleaned = append(cleaned, staleWarning(st, o.lang))
	}
	committed := false
	defer func() {
		if !committed {
			if err := dir.Abort(); err != nil {
				say("could not remove %s: %v", dir.Path(), err)
			}
			say("run did not finish; the previous result in %s (if any) is untouched", o.out)
		}
	}()

	// Checksums of the inputs are computed beside the run.
	sums := make(chan map[string]string, 1)
	go func() { sums <- checksums(o.cfg) }()

	cfg := o.cfg
	cfg.OnProgress = ui.event
	if plan.spill {
		tmp, removed, err := openSpill(o.tmpDir, dir.Path(), ui)
		cleaned = append(cleaned, removed...)
		if err != nil {
			return nil, err
		}
		defer closeSpill(tmp, ui)
		cfg.Spill = tmp
	}
	var heap *heapProfiles
	if o.memProfile != "" {
		heap = &heapProfiles{prefix: o.memProfile}
		cfg.OnProgress = heap.wrap(ui.event)
	}
	res, err := pipeline.Run(ctx, cfg)
	if cfg.Spill != nil {
		closeSpill(cfg.Spill, ui) // before writing: the disk is the result's now
	}
	var unusable *pipeline.UnusableSourceError
	if errors.As(err, &unusable) && o.lang != langEN {
		return nil, translated{unusable.Vietnamese(), err}
	}
	if err != nil {
		return nil, err
	}
	if heap != nil && heap.err != nil {
		return nil, heap.err
	}
	sum := <-sums
	var verification *output.Verification
	if o.verified != "" {
		ledger, err := verify.ReadLedger(o.verified)
		if err != nil {
			return nil, err
		}
		res.Findings, verification = verify.Apply(res.Findings, ledger, o.verified)
		say("verified: %s findings confirmed not errors not raised again", count(ui.lang, len(verification.Dismissed)))
	}
	s := output.Summary{
		Version: version, RunID: runID(started, sum), Started: started, Verification: verification, Residents: res.Residents,
		Options: map[string]any{
			"population": cfg.Population, "tax": cfg.Tax, "insurance": cfg.Insurance, "civil": cfg.Civil,
			"mapping": cfg.Mapping, "province": res.Province, "workers": res.Workers, "xlsx": o.xlsx,
			"encoding": cfg.Encoding, "max_reject_rate": cfg.RejectLimit(),
			"memory_limit": memoryLimitValue(limit), "memory_limit_source": limit.Source, "memory_estimate": plan.need,
			"spill": plan.spill, "tmp_bytes": res.TmpBytes, "mapped_bytes": res.MappedBytes,
		},
		Warnings: res.Warnings,
	}
	for _, c := range res.Counts {
		in := output.Input{Source: c.Source, Path: c.File, SHA256: sum[c.File], Read: c.Read, Used: c.Used, Rejected: c.Rejected}
		if st, err := os.Stat(c.File); err == nil {
			in.Size = st.Size()
		}
		s.Inputs = append(s.Inputs, in)
	}
	for _, st := range res.Stages {
		s.Stages = append(s.Stages, output.Stage{Name: st.Name, Seconds: st.Seconds, Rows: st.Rows})
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// As the pipeline's stages, writing is a profiler label of its own.
	pprof.SetGoroutineLabels(pprof.WithLabels(ctx, pprof.Labels("stage", "write")))
	defer pprof.SetGoroutineLabels(ctx)
	say("writing %s findings and %s rejects...", count(ui.lang, len(res.Findings)), count(ui.lang, len(res.Rejects)))
	if err := dir.WriteRejects(res.Rejects); err != nil {
		return nil, err
	}
	s.Finished = time.Now()
	if err := dir.WriteFindings(res.Findings, s); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := dir.Commit(); err != nil {
		return nil, err
	}
	committed = true
	if heap != nil {
		if heap.write("written"); heap.err != nil {
			return nil, heap.err
		}
	}
	out := &reconcileResult{Out: o.out, Findings: len(res.Findings), Rejects: len(res.Rejects),
		ByRule: map[string]int{}, Inputs: s.Inputs, Stages: s.Stages, Links: res.Links, Warnings: append(cleaned, res.Warnings...),
		Seconds: time.Since(started).Seconds(), shown: len(cleaned)}
	countRules(out.ByRule, res.Findings)
	return out, nil
}

// countRules adds to byRule the findings of each rule. The findings come
// sorted by commune and rule, so a rule's come in runs: counted a run at
// a time, not a map update a finding.
func countRules(byRule map[string]int, fs []record.Finding) {
	var rule string
	n := 0
	for i := range fs {
		if fs[i].Rule != rule {
			if n > 0 {
				byRule[rule] += n
			}
			rule, n = fs[i].Rule, 0
		}
		n++
	}
	if n > 0 {
		byRule[rule] += n
	}
}

// staleWarning reports what a killed run left beside --out and this run
// removed or restored.
func staleWarning(st output.Stale, lang string) string {
	switch {
	case st.Restored && lang == langEN:
		return fmt.Sprintf("restored the previous result from %s, left by an interrupted run", st.Path)
	case st.Restored:
		return fmt.Sprintf("đã khôi phục kết quả cũ từ %s, do một lần chạy bị ngắt để lại", st.Path)
	case lang == langEN:
		return fmt.Sprintf("removed %s, left by an interrupted run", st.Path)
	}
	return fmt.Sprintf("đã xóa %s, do một lần chạy bị ngắt để lại", st.Path)
}

// checksums returns the sha256 of every input file, by path.
func checksums(cfg pipeline.Config) map[string]string {
	out := map[string]string{}
	for _, p := range []string{cfg.Population, cfg.Tax, cfg.Insurance, cfg.Civil} {
		if p == "" {
			continue
		}
		if sum, err := fileSHA256(p); err == nil {
			out[p] = sum
		}
	}
	return out
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// runID identifies a run: its start time and a digest of its inputs.
func runID(started time.Time, sums map[string]string) string {
	h := sha256.New()
	for _, k := range sortedKeys(sums) {
		io.WriteString(h, k+"="+sums[k]+"\n")
	}
	return started.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(h.Sum(nil))[:8]
}

// printSummary prints the counts of each source and the findings per rule:
// with the officers' Vietnamese labels, or in English (rule codes, source
// names) for lang en.
func printSummary(w io.Writer, out string, r *reconcileResult, lang string) {
	t := summaryVI
	if lang == langEN {
		t = summaryEN
	}
	fmt.Fprintf(w, t.done+"\n\n", seconds(lang, r.Seconds), out)
	fmt.Fprintf(w, "%-12s %10s %10s %10s\n", t.source, t.read, t.used, t.rejected)
	for _, in := range r.Inputs {
		name := output.SourceLabel(in.Source)
		if lang == langEN {
			name = in.Source
		}
		fmt.Fprintf(w, "%-12s %10s %10s %10s\n", name, count(lang, in.Read), count(lang, in.Used), count(lang, in.Rejected))
	}
	fmt.Fprintf(w, "\n%-36s %8s\n", t.rule, t.findings)
	for _, info := range rules.Catalog {
		name := info.Label
		if lang == langEN {
			name = info.Code
		}
		fmt.Fprintf(w, "%-36s %8s\n", name, count(lang, r.ByRule[info.Code]))
	}
	fmt.Fprintf(w, "%-36s %8s\n", t.total, count(lang, r.Findings))
	fmt.Fprintf(w, "\n"+t.fixlists+"\n"+t.report+"\n", filepath.Join(out, "fixlists"), filepath.Join(out, "report.html"))
	if r.Rejects > 0 {
		fmt.Fprintf(w, t.rejects+"\n", count(lang, r.Rejects), filepath.Join(out, "rejects.csv"))
	}
}

// summaryText is the wording of printSummary in one language.
type summaryText struct {
	done, source, read, used, rejected, rule, findings, total, fixlists, report, rejects string
}

var (
	summaryVI = summaryText{
		done: "Đối sánh xong trong %s. Kết quả: %s", source: "Nguồn", read: "Đọc", used: "Dùng", rejected: "Loại",
		rule: "Loại lỗi", findings: "Số vụ", total: "Tổng cộng",
		fixlists: "Danh sách từng xã: %s", report: "Báo cáo: %s", rejects: "Dòng không dùng được: %s (xem %s)",
	}
	summaryEN = summaryText{
		done: "Reconciled in %s. Results: %s", source: "Source", read: "Read", used: "Used", rejected: "Rejected",
		rule: "Rule", findings: "Findings", total: "Total",
		fixlists: "Fix lists per commune: %s", report: "Report: %s", rejects: "Rows not usable: %s (see %s)",
	}
)

// translated is an error shown in the message language (msg) that still
// unwraps to the library's error.
type translated struct {
	msg string
	err error
}

func (e translated) Error() string { return e.msg }
func (e translated) Unwrap() error { return e.err }
