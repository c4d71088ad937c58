package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/doisanh/doisanh/rules"
)

// appendRows appends raw CSV lines to a file written by scenario.write.
func appendRows(t *testing.T, path string, lines ...string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lines {
		fmt.Fprintln(f, l)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestSourcesSideBySide reads the small province's three source files side
// by side, each with rows the reader and the workers reject: the result
// (findings, rejects, counts, links, warnings) and the progress must be the
// same on every run and with any number of workers, in file order (tax,
// insurance, civil), as if the files were read one after another.
func TestSourcesSideBySide(t *testing.T) {
	s := smallProvince()
	cfg := s.write(t, t.TempDir(), "csv")
	appendRows(t, cfg.Tax, "TX1,a,b", "TX2,040090000001,Lê Văn C,99/99/1990,Nam,x,17833,active")
	appendRows(t, cfg.Insurance, "BH1", "BH2,040090000001,Lê Văn C,99/99/1990,Nam,x,17833,x,active")
	appendRows(t, cfg.Civil, "E1,birth")
	cfg.MaxRejectRate = 1 // the small files reject far more than 5 % of their rows
	type outcome struct {
		res      *Result
		progress string
		events   []Progress
	}
	var first *outcome
	for _, workers := range []int{1, 3, 3, 2} {
		var progress bytes.Buffer
		var events []Progress
		var mu sync.Mutex
		c := cfg
		c.Workers = workers
		c.Progress = &progress
		c.OnProgress = func(p Progress) {
			if !mu.TryLock() {
				t.Error("OnProgress called while another call runs")
				return
			}
			defer mu.Unlock()
			events = append(events, p)
		}
		res, err := Run(context.Background(), c)
		if err != nil {
			t.Fatal(err)
		}
		var sources []string
		for _, n := range res.Counts {
			sources = append(sources, n.Source)
			if n.Read != n.Used+n.Rejected {
				t.Errorf("%s: counts %+v", n.Source, n)
			}
		}
		if want := []string{"population", "tax", "insurance", "civil"}; !reflect.DeepEqual(sources, want) {
			t.Fatalf("counts in order %v, want %v", sources, want)
		}
		// Rejects: by file in that order, by row within a file.
		order := map[string]int{"population": 0, "tax": 1, "insurance": 2, "civil": 3}
		for i := 1; i < len(res.Rejects); i++ {
			a, b := res.Rejects[i-1], res.Rejects[i]
			if order[a.Source] > order[b.Source] || a.Source == b.Source && a.RowNumber >= b.RowNumber {
				t.Errorf("reject %d (%s row %d) after %s row %d", i, b.Source, b.RowNumber, a.Source, a.RowNumber)
			}
		}
		perSource := map[string]int64{}
		for _, rj := range res.Rejects {
			perSource[rj.Source]++
		}
		for _, n := range res.Counts {
			if perSource[n.Source] != n.Rejected {
				t.Errorf("%s: %d rejects listed, counts say %d", n.Source, perSource[n.Source], n.Rejected)
			}
			if n.Source != "population" && n.Rejected < 1 {
				t.Errorf("%s: no reject, want the appended rows rejected", n.Source)
			}
		}
		// Progress of the sources: one source after another, rows rising.
		last, lastDone := 0, int64(0)
		stage := ""
		for _, p := range events {
			if p.Source == "" {
				stage = p.Stage
				continue
			}
			if stage != "link sources" {
				continue
			}
			if o := order[p.Source]; o != last {
				if o < last {
					t.Errorf("progress of %s after a later source", p.Source)
				}
				last, lastDone = o, 0
			}
			if p.Done < lastDone {
				t.Errorf("%s: progress %d after %d", p.Source, p.Done, lastDone)
			}
			lastDone = p.Done
		}
		if last != 3 {
			t.Errorf("progress of the sources ended at source %d, want civil", last)
		}
		res.Stages, res.Started, res.Finished = nil, res.Started.Truncate(0), res.Finished.Truncate(0)
		o := &outcome{res: res, progress: stripTimes(progress.String()), events: events}
		if first == nil {
			first = o
			continue
		}
		if !reflect.DeepEqual(o.res.Findings, first.res.Findings) || !reflect.DeepEqual(o.res.Rejects, first.res.Rejects) ||
			!reflect.DeepEqual(o.res.Counts, first.res.Counts) || !reflect.DeepEqual(o.res.Links, first.res.Links) ||
			!reflect.DeepEqual(o.res.Warnings, first.res.Warnings) {
			t.Errorf("workers %d: result differs from the first run", workers)
		}
		if o.progress != first.progress {
			t.Errorf("workers %d: progress lines differ:\n%s\nfirst run:\n%s", workers, o.progress, first.progress)
		}
	}
}

// stripTimes drops the durations of progress lines ("in 0.1s").
func stripTimes(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if i := strings.LastIndex(l, " in "); i >= 0 && strings.HasSuffix(l, "s") {
			l = l[:i]
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// TestSourcesSideBySideError: a source file that fails while the others
// are read fails the run with its own error, not the cancellation of the
// others.
func TestSourcesSideBySideError(t *testing.T) {
	s := smallProvince()
	dir := t.TempDir()
	cfg := s.write(t, dir, "csv")
	bad := filepath.Join(dir, "civil.csv.gz")
	if err := os.WriteFile(bad, []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage that is not deflate"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg.Civil = bad
	_, err := Run(context.Background(), cfg)
	if err == nil || !strings.Contains(err.Error(), "civil.csv.gz") {
		t.Fatalf("Run = %v, want an error naming civil.csv.gz", err)
	}
}

// TestRelay shows the progress of parts finishing out of order in part
// order.
func TestRelay(t *testing.T) {
	rl := newRelay(3)
	var got []string
	show := func(part int, s string) { rl.show(part, func() { got = append(got, s) }) }
	show(2, "c1")
	show(0, "a1")
	show(1, "b1")
	show(2, "c2")
	rl.finish(2)
	show(0, "a2")
	rl.finish(0)
	show(1, "b2")
	rl.finish(1)
	if want := []string{"a1", "a2", "b1", "b2", "c1", "c2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("relayed %v, want %v", got, want)
	}
}

// TestProgressParts: the long stages say what part of them is done: each
// index sorted, in order, and each cross-record rule once.
func TestProgressParts(t *testing.T) {
	cfg := smallProvince().write(t, t.TempDir(), "csv")
	var parts []string
	var mu sync.Mutex
	cfg.OnProgress = func(p Progress) {
		mu.Lock()
		defer mu.Unlock()
		if p.Part != "" {
			parts = append(parts, p.Stage+" "+p.Part)
		}
	}
	if _, err := Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	want := []string{"index 1/7", "index 2/7", "index 3/7", "index 4/7", "index 5/7", "index 6/7", "index 7/7"}
	if len(parts) < len(want) || !reflect.DeepEqual(parts[:len(want)], want) {
		t.Fatalf("parts %q, want the indexes %q first", parts, want)
	}
	var cross []string
	for _, r := range rules.All().Cross {
		cross = append(cross, "rules "+r.Info().Code)
	}
	got := slices.Clone(parts[len(want):])
	slices.Sort(got)
	slices.Sort(cross)
	if !reflect.DeepEqual(got, cross) {
		t.Errorf("rules parts %q, want one for each cross rule %q", got, cross)
	}
}
