package pipeline

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/doisanh/doisanh/ingest"
	"github.com/doisanh/doisanh/internal/spill"
	"github.com/doisanh/doisanh/match"
	"github.com/doisanh/doisanh/record"
	"github.com/doisanh/doisanh/synth"
)

// memoryAndSpilled runs cfg in memory, then with a spill directory of its
// own (removed when the test ends).
func memoryAndSpilled(t *testing.T, cfg Config) (mem, disk *Result) {
	t.Helper()
	mem, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	sp, err := spill.Create(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sp.Remove() })
	cfg.Spill = sp
	if disk, err = Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	return mem, disk
}

// TestSpillColdEquivalence: with Config.Spill set the register's cold
// strings (names and birth dates as written) are kept in a file of the
// spill directory, and the run's findings, rejects and warnings are the
// same as in memory.
func TestSpillColdEquivalence(t *testing.T) {
	dir := t.TempDir()
	opts := synth.DefaultOptions()
	opts.People, opts.Seed = 5000, 31
	if _, err := synth.Generate(context.Background(), dir, opts); err != nil {
		t.Fatal(err)
	}
	var progress bytes.Buffer // of both runs: the lines checked are the spilled run's only
	mem, disk := memoryAndSpilled(t, Config{
		Population: filepath.Join(dir, "population.parquet"),
		Tax:        filepath.Join(dir, "tax.parquet"),
		Insurance:  filepath.Join(dir, "insurance.parquet"),
		Civil:      filepath.Join(dir, "civil.parquet"),
		Progress:   &progress,
	})
	if len(mem.Findings) == 0 {
		t.Fatal("no findings: the comparison would prove nothing")
	}
	if disk.TmpBytes == 0 {
		t.Error("TmpBytes = 0 with Spill set: nothing was kept on disk")
	}
	// The register's people are in a mapped file (where the system maps
	// files), as many as the register has rows.
	if runtime.GOOS == "linux" {
		if want := disk.Counts[0].Read * int64(match.PersonSize); disk.Counts[0].Source != "population" || disk.MappedBytes != want {
			t.Errorf("MappedBytes = %d, want %d (%s: %d rows of %d B)", disk.MappedBytes, want, disk.Counts[0].Source, disk.Counts[0].Read, match.PersonSize)
		}
		if !strings.Contains(progress.String(), "register people mapped from disk") {
			t.Errorf("no line on the mapped people in the progress:\n%s", progress.String())
		}
	}
	if mem.MappedBytes != 0 {
		t.Errorf("MappedBytes = %d in memory, want 0", mem.MappedBytes)
	}
	if !reflect.DeepEqual(mem.Findings, disk.Findings) {
		n := min(len(mem.Findings), len(disk.Findings))
		for i := range n {
			if !reflect.DeepEqual(mem.Findings[i], disk.Findings[i]) {
				t.Fatalf("finding %d of %d/%d differs:\nmemory %+v\nspill  %+v", i, len(mem.Findings), len(disk.Findings),
					mem.Findings[i], disk.Findings[i])
			}
		}
		t.Fatalf("%d findings in memory, %d with Spill", len(mem.Findings), len(disk.Findings))
	}
	// The cold strings are read to write findings, never per candidate
	// or per pair: a few reads a finding at most.
	m := regexp.MustCompile(`register strings on disk: (\d+) bytes .*, read back (\d+) times`).FindStringSubmatch(progress.String())
	if m == nil {
		t.Fatalf("no line on the cold file in the progress:\n%s", progress.String())
	}
	size, _ := strconv.Atoi(m[1])
	reads, _ := strconv.Atoi(m[2])
	t.Logf("%d people: cold file %d bytes, %d reads for %d findings", opts.People, size, reads, len(mem.Findings))
	if size == 0 || reads == 0 || reads > 2*len(mem.Findings) {
		t.Errorf("cold file of %d bytes read back %d times for %d findings: want some, at most 2 a finding", size, reads,
			len(mem.Findings))
	}
	if !reflect.DeepEqual(mem.Rejects, disk.Rejects) || !reflect.DeepEqual(mem.Warnings, disk.Warnings) {
		t.Errorf("rejects or warnings differ: %d/%d rejects, warnings %q vs %q", len(mem.Rejects), len(disk.Rejects),
			mem.Warnings, disk.Warnings)
	}
}

// TestSpillColdFileError: a spill directory where the cold file cannot be
// created fails the run with an error naming the file.
func TestSpillColdFileError(t *testing.T) {
	dir := t.TempDir()
	opts := synth.DefaultOptions()
	opts.People, opts.Seed = 300, 32
	if _, err := synth.Generate(context.Background(), dir, opts); err != nil {
		t.Fatal(err)
	}
	sp, err := spill.Create(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(sp.Path()); err != nil {
		t.Fatal(err)
	}
	_, err = Run(context.Background(), Config{Population: filepath.Join(dir, "population.parquet"), Spill: sp})
	if err == nil || !strings.Contains(err.Error(), sp.File("register-cold.bin")) {
		t.Fatalf("Run with its spill directory gone: error %v, want one naming %s", err, sp.File("register-cold.bin"))
	}
}

// TestSpillMappedRegisterGrows: a CSV register with more rows than its
// estimate (long lines first, short ones after) outgrows its mapped file:
// the people move to larger ones, the last holds them all, and the run's
// findings are those of a run in memory. When the larger file cannot be
// made (one of its name is there already) the run is warned, keeps the
// people on the heap, reports nothing mapped, and finds the same.
func TestSpillMappedRegisterGrows(t *testing.T) {
	if !spill.CanMap {
		t.Skip("files are not mapped here")
	}
	dir := t.TempDir()
	opts := synth.DefaultOptions()
	opts.People, opts.Seed = 5000, 32
	if _, err := synth.Generate(context.Background(), dir, opts); err != nil {
		t.Fatal(err)
	}
	people, err := parquet.ReadFile[record.Person](filepath.Join(dir, "population.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range people[:500] {
		people[i].Address += strings.Repeat(" ", 2500) // the first megabyte: long lines
	}
	pop := writeRows(t, dir, "register", "csv", people)
	if n, _, _ := ingest.CountRows(pop); n+n/10 >= int64(len(people)) {
		t.Fatalf("the CSV's estimate %d is not short of its %d rows: the test would prove nothing", n, len(people))
	}
	cfg := Config{Population: pop, Tax: filepath.Join(dir, "tax.parquet")}
	mem, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, blocked := range []bool{false, true} {
		sp, err := spill.Create(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		if blocked {
			if err := os.WriteFile(sp.File("register-people-2.bin"), nil, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		cfg.Spill = sp
		disk, err := Run(context.Background(), cfg)
		sp.Remove()
		if err != nil {
			t.Fatalf("blocked %v: %v", blocked, err)
		}
		wantWarnings := mem.Warnings
		switch {
		case !blocked && disk.MappedBytes < int64(len(people)*match.PersonSize):
			t.Errorf("MappedBytes = %d, want room for all %d people (%d B)", disk.MappedBytes, len(people), len(people)*match.PersonSize)
		case blocked && disk.MappedBytes != 0:
			t.Errorf("the mapping could not grow, yet MappedBytes = %d", disk.MappedBytes)
		case blocked:
			i := slices.IndexFunc(disk.Warnings, func(w string) bool { return strings.Contains(w, "could not be given a larger mapped file") })
			if i < 0 || !strings.Contains(disk.Warnings[i], pop) {
				t.Fatalf("no warning naming %s that the mapping could not grow: %q", pop, disk.Warnings)
			}
			wantWarnings = slices.Insert(slices.Clone(mem.Warnings), i, disk.Warnings[i])
		}
		if len(mem.Findings) == 0 || !reflect.DeepEqual(mem.Findings, disk.Findings) {
			t.Errorf("blocked %v: %d findings in memory, %d with the register outgrowing its mapped file, or they differ",
				blocked, len(mem.Findings), len(disk.Findings))
		}
		if !reflect.DeepEqual(wantWarnings, disk.Warnings) {
			t.Errorf("blocked %v: warnings %q, want %q", blocked, disk.Warnings, wantWarnings)
		}
	}
}
