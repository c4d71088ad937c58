package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/doisanh/doisanh/internal/spill"
	"github.com/doisanh/doisanh/synth"
)

// spillConfig generates a small province and returns its run's config.
func spillConfig(t *testing.T, people int, seed uint64) Config {
	t.Helper()
	dir := t.TempDir()
	opts := synth.DefaultOptions()
	opts.People, opts.Seed = people, seed
	if _, err := synth.Generate(context.Background(), dir, opts); err != nil {
		t.Fatal(err)
	}
	return Config{Population: filepath.Join(dir, "population.parquet"), Tax: filepath.Join(dir, "tax.parquet"),
		Insurance: filepath.Join(dir, "insurance.parquet"), Civil: filepath.Join(dir, "civil.parquet")}
}

// TestSpillOwnersEquivalence: the tax and insurance code owners kept in
// partition files give the very findings of the owners kept in memory,
// and their files are gone once DUP_ID has read them.
func TestSpillOwnersEquivalence(t *testing.T) {
	cfg := spillConfig(t, 6000, 31)
	mem, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := spill.Create(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer dir.Remove()
	cfg.Spill = dir
	disk, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	dup := 0
	for _, f := range mem.Findings {
		if f.Rule == "DUP_ID" && f.Source != "population" {
			dup++
		}
	}
	if dup == 0 {
		t.Fatal("no DUP_ID finding on tax or insurance codes: the test checks nothing")
	}
	if !reflect.DeepEqual(disk.Findings, mem.Findings) {
		t.Errorf("spilled: %d findings, in memory %d (DUP_ID of codes %d)", len(disk.Findings), len(mem.Findings), dup)
	}
	if disk.TmpBytes == 0 {
		t.Error("TmpBytes 0: nothing spilled")
	}
	if m, _ := filepath.Glob(dir.File("owners-*.arrow")); len(m) > 0 {
		t.Errorf("%d partition files left after the run", len(m))
	}
}

// TestSpillOwnersUnwritable: a partition file that cannot be created is
// the run's error, naming it.
func TestSpillOwnersUnwritable(t *testing.T) {
	cfg := spillConfig(t, 2000, 32)
	dir, err := spill.Create(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer dir.Remove()
	blocked := dir.File("owners-insurance-007.arrow")
	if err := os.Mkdir(blocked, 0o700); err != nil {
		t.Fatal(err)
	}
	cfg.Spill = dir
	if _, err := Run(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), blocked) {
		t.Fatalf("Run = %v, want an error naming %s", err, blocked)
	}
}
