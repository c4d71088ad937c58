package main

import (
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/doisanh/doisanh/internal/memlimit"
	"github.com/doisanh/doisanh/pipeline"
)

// TestMemoryLimit: --memory-limit and GOMEMLIMIT choose the limit that
// summary.json records; a bad value is a usage error (exit 2); a limit
// below what the inputs need fails before anything is written (exit 1,
// the previous result untouched), in Vietnamese or English; the Go
// runtime's limit is restored after the run.
func TestMemoryLimit(t *testing.T) {
	tmp := t.TempDir()
	data := filepath.Join(tmp, "data")
	recGenerate(t, data, 0)
	out := filepath.Join(tmp, "out")
	before := debug.SetMemoryLimit(-1)

	summary := func(t *testing.T) map[string]any {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(out, "summary.json"))
		if err != nil {
			t.Fatal(err)
		}
		var s struct {
			Options map[string]any `json:"options"`
		}
		if err := json.Unmarshal(b, &s); err != nil {
			t.Fatal(err)
		}
		return s.Options
	}
	est := pipeline.EstimateMemory(pipeline.Config{
		Population: filepath.Join(data, "population.parquet"), Tax: filepath.Join(data, "tax.parquet"),
		Insurance: filepath.Join(data, "insurance.parquet"), Civil: filepath.Join(data, "civil.parquet")})
	if est.People < recPeople || est.SourceRows == 0 || !est.Exact {
		t.Fatalf("estimate %+v: want every row of %d people and their sources counted", est, recPeople)
	}

	tests := []struct {
		name   string
		env    string // GOMEMLIMIT
		args   []string
		code   int
		limit  any    // summary.json's memory_limit (JSON numbers are float64)
		source string // summary.json's memory_limit_source
		stderr string // part of the message, on failure
	}{
		{name: "flag", args: []string{"--memory-limit", "2GB"}, limit: 2e9, source: "flag"},
		{name: "binary units", args: []string{"--memory-limit", "1GiB"}, limit: float64(1 << 30), source: "flag"},
		{name: "off", args: []string{"--memory-limit", "off"}, limit: "off", source: "flag"},
		{name: "GOMEMLIMIT", env: "1300MiB", limit: float64(1300 << 20), source: "GOMEMLIMIT"},
		{name: "flag over GOMEMLIMIT", env: "1300MiB", args: []string{"--memory-limit", "3GB"}, limit: 3e9, source: "flag"},
		{name: "default", source: "default"},
		{name: "bad value", args: []string{"--memory-limit", "lots"}, code: exitUsage, stderr: "--memory-limit"},
		{name: "bad GOMEMLIMIT", env: "4GB", code: exitUsage, stderr: "GOMEMLIMIT"},
		{name: "too small", args: []string{"--memory-limit", "64MiB"}, code: exitFail, stderr: "vượt mức 64 MB dành cho dữ liệu trong giới hạn 67 MB"},
		{name: "too small, English", args: []string{"--memory-limit", "64MiB", "--lang", "en"}, code: exitFail,
			stderr: "more than the 64 MB the memory limit of 67 MB leaves for data"},
	}
	recReconcile(t, data, out)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("GOMEMLIMIT", tt.env)
			prev := recSnapshot(t, out)
			code, _, stderr, err := recExec(context.Background(), recArgs(data, out, tt.args...)...)
			if code != tt.code {
				t.Fatalf("exit %d (%v), want %d\n%s", code, err, tt.code, stderr)
			}
			if got := debug.SetMemoryLimit(-1); got != before {
				t.Errorf("Go's memory limit after the run %d, want %d as before", got, before)
			}
			if tt.code != exitOK {
				msg := stderr
				if err != nil {
					msg += err.Error()
					if v, ok := err.(vietnamese); ok {
						msg += v.Vietnamese()
					}
				}
				if !strings.Contains(msg, tt.stderr) {
					t.Errorf("message %q: want %q in it", msg, tt.stderr)
				}
				if !maps.EqualFunc(prev, recSnapshot(t, out), func(a, b []byte) bool { return string(a) == string(b) }) {
					t.Error("a failed run changed the previous result")
				}
				if left := recLeftovers(t, out); len(left) > 0 {
					t.Errorf("left beside --out: %v", left)
				}
				return
			}
			opts := summary(t)
			if opts["memory_limit_source"] != tt.source {
				t.Errorf("memory_limit_source %v, want %s", opts["memory_limit_source"], tt.source)
			}
			if tt.limit != nil && opts["memory_limit"] != tt.limit {
				t.Errorf("memory_limit %v (%T), want %v", opts["memory_limit"], opts["memory_limit"], tt.limit)
			}
			if tt.source == "default" {
				if n, ok := opts["memory_limit"].(float64); !ok || n < 64<<20 {
					t.Errorf("default memory_limit %v: want a share of the machine's memory", opts["memory_limit"])
				}
			}
			if got := opts["memory_estimate"]; got != float64(est.Bytes) {
				t.Errorf("memory_estimate %v, want %d", got, est.Bytes)
			}
		})
	}
}

// TestGoHeapLimit: a spilling run with a mapped register gives the Go heap
// what the limit leaves beside the mapped people, but never less than a
// quarter above the heap it needs, nor more than the limit's heap.
func TestGoHeapLimit(t *testing.T) {
	const gb = 1_000_000_000
	l := memlimit.Limit{Bytes: 4 * gb} // Heap: 3.84 GB
	heap := l.Heap()
	tests := []struct {
		name   string
		spill  bool
		need   int64
		mapped int64
		want   int64
	}{
		{"in memory", false, 3 * gb, 0, heap},
		{"spilled, nothing mapped", true, 2 * gb, 0, heap},
		{"mapped part fits beside the heap", true, 2 * gb, gb, heap - gb},
		{"mapped part does not fit", true, 3 * gb, 2 * gb, 3*gb + 3*gb/4},
		{"need near the limit", true, 3_500_000_000, 2 * gb, heap},
	}
	for _, tt := range tests {
		p := memPlan{spill: tt.spill, need: tt.need}
		est := pipeline.MemoryEstimate{Mapped: tt.mapped}
		if got := goHeapLimit(l, p, est); got != tt.want {
			t.Errorf("%s: goHeapLimit = %d, want %d", tt.name, got, tt.want)
		}
	}
	// On a machine of 25 GB with the default limit (18 GB for the heap),
	// a 100 M register: the heap leaves the 7.2 GB mapped and 2.5 GB.
	big := memlimit.Limit{Bytes: 19 * gb, Machine: 25 * gb}
	for _, tt := range []struct {
		need, want int64
	}{{13_700_000_000, 25*gb - 7_200_000_000 - 25*gb/10}, {16 * gb, 16 * gb}, {5 * gb, big.Heap() - 7_200_000_000}} {
		if got := goHeapLimit(big, memPlan{spill: true, need: tt.need}, pipeline.MemoryEstimate{Mapped: 7_200_000_000}); got != tt.want {
			t.Errorf("25 GB machine, need %d: goHeapLimit = %d, want %d", tt.need, got, tt.want)
		}
	}
	if got := goHeapLimit(memlimit.Limit{Bytes: memlimit.Off}, memPlan{spill: true, need: gb}, pipeline.MemoryEstimate{Mapped: gb}); got != memlimit.Off {
		t.Errorf("no limit: goHeapLimit = %d, want Off", got)
	}
}
