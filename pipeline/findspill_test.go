package pipeline

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/doisanh/doisanh/internal/spill"
	"github.com/doisanh/doisanh/record"
	"github.com/doisanh/doisanh/synth"
)

// testFinding returns a finding whose every field says which finding and
// field it is (Vietnamese text, a score of its own).
func testFinding(i int) record.Finding {
	var f record.Finding
	for k, s := range stringsOf(&f) {
		*s = fmt.Sprintf("Nguyễn Thị Ánh %d/%d — Phường Đống Đa", i, k)
	}
	f.Score = float64(i) / 7
	return f
}

// writeFindings writes fs to a new file in dir and returns it.
func writeFindings(t *testing.T, dir string, fs []record.Finding) findingFile {
	t.Helper()
	fw, err := createFindings(filepath.Join(dir, "findings.arrow"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range fs {
		if err := fw.add(&fs[i]); err != nil {
			t.Fatal(err)
		}
	}
	file, err := fw.close()
	if err != nil {
		t.Fatal(err)
	}
	return file
}

func TestFindingFileRoundTrip(t *testing.T) {
	many := make([]record.Finding, 3*findingBatch+17)
	for i := range many {
		many[i] = testFinding(i)
	}
	var empty record.Finding // every string "", score 0
	odd := testFinding(1)
	odd.Suggestion = strings.Repeat("Đề nghị cấp lại số định danh. ", 2000) // longer than ownedMax
	odd.FullName = "Nguyê\u0302\u0303n"                                     // decomposed marks, kept as written
	odd.Address, odd.HouseholdID = "", ""
	odd.Score = math.Inf(-1)
	cases := []struct {
		name string
		fs   []record.Finding
	}{
		{"one", []record.Finding{testFinding(0)}},
		{"empty strings", []record.Finding{empty, testFinding(2), empty}},
		{"Vietnamese, long, decomposed", []record.Finding{odd}},
		{"one batch exactly", many[:findingBatch]},
		{"many batches", many},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			file := writeFindings(t, t.TempDir(), tc.fs)
			if file.n != len(tc.fs) || file.size == 0 {
				t.Fatalf("file of %d findings, %d bytes; want %d findings", file.n, file.size, len(tc.fs))
			}
			var got []record.Finding
			var tx texts
			err := readFindings(file, func(f *record.Finding) {
				tx.finding(f)
				got = append(got, *f)
			})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.fs) {
				t.Errorf("read back %d findings differ from the %d written", len(got), len(tc.fs))
				for i := range min(len(got), len(tc.fs)) {
					if !reflect.DeepEqual(got[i], tc.fs[i]) {
						t.Fatalf("first difference at %d:\n%+v\n%+v", i, got[i], tc.fs[i])
					}
				}
			}
		})
	}
}

// TestFindingFileDamaged: a findings file removed, cut short, lengthened
// or changed in one byte after it was written is an error naming it, not
// a panic or findings lost.
func TestFindingFileDamaged(t *testing.T) {
	fs := make([]record.Finding, 2*findingBatch+5)
	for i := range fs {
		fs[i] = testFinding(i)
	}
	cases := []struct {
		name   string
		damage func(path string, size int64) error
		want   string
	}{
		{"removed", func(path string, _ int64) error { return os.Remove(path) }, "no such file"},
		{"cut at a batch", func(path string, size int64) error { return os.Truncate(path, size-8) }, "bytes"},
		{"cut in half", func(path string, size int64) error { return os.Truncate(path, size/2) }, "bytes"},
		{"emptied", func(path string, _ int64) error { return os.Truncate(path, 0) }, "bytes"},
		{"lengthened", func(path string, _ int64) error {
			f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = f.Write([]byte("xx"))
			return err
		}, "bytes"},
		{"a byte of text changed", func(path string, size int64) error { return flipByte(path, size/2) }, ""},
		{"a byte of the header changed", func(path string, _ int64) error { return flipByte(path, 12) }, ""},
		{"the last byte changed", func(path string, size int64) error { return flipByte(path, size-1) }, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			file := writeFindings(t, t.TempDir(), fs)
			if err := tc.damage(file.path, file.size); err != nil {
				t.Fatal(err)
			}
			n := 0
			err := readFindings(file, func(*record.Finding) { n++ })
			if err == nil {
				t.Fatalf("no error; %d findings read", n)
			}
			if !strings.Contains(err.Error(), file.path) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not name %s (and %q)", err, file.path, tc.want)
			}
		})
	}
}

func flipByte(path string, at int64) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	b[at] ^= 0x55
	return os.WriteFile(path, b, 0o600)
}

// TestSpilledSpans: findings cut (a foreign extract) and kept by forks
// come back in the order of the in-memory run, without the cut ones.
func TestSpilledSpans(t *testing.T) {
	dir, err := spill.Create(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer dir.Remove()
	files := &spillFiles{dir: dir}
	defer files.abandon()
	s := newSpilled(files)
	var want []record.Finding
	next := 0
	keep := func(s *spilled, n int, kept bool) {
		fs := make([]record.Finding, n)
		for i := range fs {
			fs[i] = testFinding(next)
			next++
		}
		s.add(fs)
		if kept {
			want = append(want, fs...)
		}
	}
	keep(s, 10, true)
	mark := s.n
	keep(s, 5, false)
	s.cut(mark)
	s.cut(s.n) // nothing kept since: nothing cut
	subs := []*spilled{s.fork(), s.fork(), s.fork()}
	keep(subs[0], findingBatch+3, true)
	mark = subs[0].n
	keep(subs[0], 7, false)
	subs[0].cut(mark)
	// subs[1] keeps nothing
	mark = subs[2].n
	keep(subs[2], 4, false)
	subs[2].cut(mark)
	keep(subs[2], 6, true)
	for _, sub := range subs {
		s.join(sub)
	}
	keep(s, 3, true)
	got, err := s.readBack(&texts{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("read back %d findings, want %d (or in another order)", len(got), len(want))
	}
	if left, _ := filepath.Glob(dir.File("findings-*")); len(left) > 0 {
		t.Errorf("findings files left after reading back: %v", left)
	}
}

// spillRuns runs cfg with Spill nil and set, and fails unless the results
// agree; it returns the spilled run's.
func spillRuns(t *testing.T, cfg Config) *Result {
	t.Helper()
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
	if !reflect.DeepEqual(disk.Findings, mem.Findings) {
		t.Errorf("spilled: %d findings, in memory %d, or different", len(disk.Findings), len(mem.Findings))
		for i := range min(len(disk.Findings), len(mem.Findings)) {
			if !reflect.DeepEqual(disk.Findings[i], mem.Findings[i]) {
				t.Fatalf("first difference at %d:\n%+v\n%+v", i, disk.Findings[i], mem.Findings[i])
			}
		}
	}
	for _, c := range []struct {
		name      string
		disk, mem any
	}{
		{"rejects", disk.Rejects, mem.Rejects}, {"counts", disk.Counts, mem.Counts}, {"links", disk.Links, mem.Links},
		{"warnings", disk.Warnings, mem.Warnings}, {"residents", disk.Residents, mem.Residents},
		{"province", disk.Province, mem.Province},
	} {
		if !reflect.DeepEqual(c.disk, c.mem) {
			t.Errorf("spilled %s %v, in memory %v", c.name, c.disk, c.mem)
		}
	}
	if len(mem.Findings) > 0 && disk.TmpBytes == 0 {
		t.Errorf("spilled run of %d findings measured no temporary bytes", len(mem.Findings))
	}
	if left, _ := filepath.Glob(dir.File("findings-*")); len(left) > 0 {
		t.Errorf("findings files left after the run: %v", left)
	}
	return disk
}

// TestSpillFindingsEquivalence: with a spill directory the findings are
// those of the in-memory run, byte for byte and in the same order, on a
// generated province (also with the register and the tax extract given
// twice: DropConsequences drops findings) and on the root-cause scenarios
// (a number copied to someone it does not fit; another province's
// extract, whose findings are dropped).
func TestSpillFindingsEquivalence(t *testing.T) {
	for _, twice := range [][]string{nil, {"population", "tax"}} {
		t.Run(fmt.Sprintf("generated, twice %v", twice), func(t *testing.T) {
			dir := t.TempDir()
			opts := synth.DefaultOptions()
			opts.People, opts.Seed, opts.Twice = 6000, 31, twice
			if _, err := synth.Generate(context.Background(), dir, opts); err != nil {
				t.Fatal(err)
			}
			res := spillRuns(t, Config{
				Population: filepath.Join(dir, "population.parquet"),
				Tax:        filepath.Join(dir, "tax.parquet"),
				Insurance:  filepath.Join(dir, "insurance.parquet"),
				Civil:      filepath.Join(dir, "civil.parquet"),
			})
			if len(res.Findings) < 100 {
				t.Errorf("only %d findings: the test compares too little", len(res.Findings))
			}
		})
	}
	for _, tc := range rootCauseCases() {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s := tc.s
			cfg := Config{Population: writeRows(t, dir, "population", "csv", s.population), Workers: 2}
			if len(s.tax) > 0 {
				cfg.Tax = writeRows(t, dir, "tax", "csv", s.tax)
			}
			if len(s.insurance) > 0 {
				cfg.Insurance = writeRows(t, dir, "insurance", "csv", s.insurance)
			}
			if len(s.civil) > 0 {
				cfg.Civil = writeRows(t, dir, "civil", "csv", s.civil)
			}
			spillRuns(t, cfg)
		})
	}
	t.Run("another province's extract", func(t *testing.T) {
		// The tax extract of another generated province: its findings are
		// dropped (a span cut from the findings kept).
		dir, other := t.TempDir(), t.TempDir()
		for _, g := range []struct {
			dir    string
			people int
			seed   uint64
		}{{dir, 3000, 33}, {other, 2000, 34}} {
			opts := synth.DefaultOptions()
			opts.People, opts.Seed = g.people, g.seed
			if _, err := synth.Generate(context.Background(), g.dir, opts); err != nil {
				t.Fatal(err)
			}
		}
		res := spillRuns(t, Config{
			Population: filepath.Join(dir, "population.parquet"),
			Tax:        filepath.Join(other, "tax.parquet"),
			Insurance:  filepath.Join(dir, "insurance.parquet"),
			Civil:      filepath.Join(dir, "civil.parquet"),
		})
		checkWarning(t, res.Warnings, "does not look like this province's extract")
	})
}

// TestSpillFindingsFileDamaged: a findings file removed or damaged before
// it is read back fails the run with an error naming it; a spill directory
// that cannot be written to fails it too.
func TestSpillFindingsFileDamaged(t *testing.T) {
	src := t.TempDir()
	cfg := smallProvince().write(t, src, "csv")
	damages := []struct {
		name   string
		damage func(path string) error
	}{
		{"removed", os.Remove},
		{"cut", func(path string) error { return os.Truncate(path, 100) }},
		{"a byte changed", func(path string) error {
			st, err := os.Stat(path)
			if err != nil {
				return err
			}
			return flipByte(path, st.Size()-20)
		}},
	}
	for _, tc := range damages {
		t.Run(tc.name, func(t *testing.T) {
			dir, err := spill.Create(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			defer dir.Remove()
			cfg := cfg
			cfg.Spill = dir
			var damaged []string
			cfg.OnProgress = func(p Progress) {
				// The rules stage is over: the findings are on disk, not yet read back.
				if p.Stage == "addresses" && !p.Finished && p.Done == 0 && damaged == nil {
					damaged, _ = filepath.Glob(dir.File("findings-*"))
					for _, path := range damaged {
						if err := tc.damage(path); err != nil {
							t.Error(err)
						}
					}
				}
			}
			res, err := Run(context.Background(), cfg)
			if len(damaged) == 0 {
				t.Fatal("no findings file to damage")
			}
			if err == nil {
				t.Fatalf("no error; %d findings", len(res.Findings))
			}
			if !strings.Contains(err.Error(), damaged[0]) {
				t.Errorf("error %q does not name %s", err, damaged[0])
			}
		})
	}
	t.Run("directory gone", func(t *testing.T) {
		dir, err := spill.Create(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		if err := dir.Remove(); err != nil {
			t.Fatal(err)
		}
		cfg := cfg
		cfg.Spill = dir
		// The first file the run makes there is named (the register's cold
		// file, before any finding is kept).
		if _, err := Run(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), dir.Path()+string(filepath.Separator)) {
			t.Errorf("error %v, want one naming a file in %s", err, dir.Path())
		}
	})
}
