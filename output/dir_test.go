package output

import (
	"bytes"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// entries returns the names in dir.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// previous writes a complete result into final, as a previous run, and
// returns the content of its files.
func previous(t *testing.T, final string) map[string][]byte {
	t.Helper()
	d, err := Create(final, Options{Version: "prev"})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFindings(testFindings()[:1], testSummary()); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	return snapshot(t, final)
}

// snapshot returns the content of every file under dir by relative path,
// directories marked with their mode.
func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	snap := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if e.IsDir() {
			fi, err := e.Info()
			if err != nil {
				return err
			}
			snap[rel+"/"] = []byte(fi.Mode().String())
			return nil
		}
		if e.Type()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(p)
			snap[rel+"@"] = []byte(target)
			return err
		}
		b, err := os.ReadFile(p)
		snap[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// sameSnapshot fails the test unless dir holds what want does.
func sameSnapshot(t *testing.T, dir string, want map[string][]byte) {
	t.Helper()
	got := snapshot(t, dir)
	if !maps.EqualFunc(got, want, bytes.Equal) {
		t.Errorf("%s changed: %d entries, want %d", dir, len(got), len(want))
		for k := range want {
			if !bytes.Equal(got[k], want[k]) {
				t.Errorf("  %s differs", k)
			}
		}
		for k := range got {
			if _, ok := want[k]; !ok {
				t.Errorf("  %s added", k)
			}
		}
	}
}

func TestCreateMakesTempBeside(t *testing.T) {
	parent := t.TempDir()
	final := filepath.Join(parent, "out")
	d, err := Create(final, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(d.Path()) != parent || !strings.HasPrefix(filepath.Base(d.Path()), "out.tmp-") {
		t.Errorf("temp dir %s is not out.tmp-* beside %s", d.Path(), final)
	}
	if _, err := os.Stat(final); !os.IsNotExist(err) {
		t.Errorf("Create touched %s: %v", final, err)
	}
	if err := d.Abort(); err != nil {
		t.Fatal(err)
	}
}

func TestCreateFailsEarly(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	os.WriteFile(file, []byte("x"), 0o644)
	if _, err := Create(file, Options{}); err == nil {
		t.Error("Create over a regular file succeeded")
	}
	if _, err := Create(filepath.Join(file, "out"), Options{}); err == nil {
		t.Error("Create under a regular file succeeded")
	}
	if _, err := Create("", Options{}); err == nil {
		t.Error("Create with no path succeeded")
	}
	if os.Geteuid() != 0 {
		ro := filepath.Join(dir, "ro")
		os.Mkdir(ro, 0o555)
		if _, err := Create(filepath.Join(ro, "out"), Options{}); err == nil || !strings.Contains(err.Error(), "out") {
			t.Errorf("Create in a read-only directory: %v", err)
		}
	}
}

func TestCommitReplacesPrevious(t *testing.T) {
	parent := t.TempDir()
	final := filepath.Join(parent, "out")
	prev := previous(t, final)
	if err := os.Chmod(final, 0o750); err != nil {
		t.Fatal(err)
	}
	d, err := Create(final, Options{Version: "next"})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFindings(testFindings(), testSummary()); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if now := snapshot(t, final); bytes.Equal(now["manifest.json"], prev["manifest.json"]) {
		t.Error("previous result still in place")
	}
	if err := VerifyResult(final); err != nil {
		t.Error(err)
	}
	if fi, err := os.Stat(final); err != nil || fi.Mode().Perm() != 0o750 {
		t.Errorf("mode of the new result: %v, %v; want the previous one's, 0750", fi.Mode(), err)
	}
	for _, name := range []string{"findings.parquet", "summary.json", "report.html", "manifest.json", "rejects.csv"} {
		if _, err := os.Stat(filepath.Join(final, name)); err != nil {
			t.Error(err)
		}
	}
	if got := entries(t, parent); len(got) != 1 || got[0] != "out" {
		t.Errorf("after Commit the parent holds %v, want only out", got)
	}
	if err := d.Commit(); err == nil {
		t.Error("second Commit succeeded")
	}
}

func TestAbortKeepsPrevious(t *testing.T) {
	parent := t.TempDir()
	final := filepath.Join(parent, "out")
	prev := previous(t, final)
	d, err := Create(final, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFindings(testFindings(), testSummary()); err != nil {
		t.Fatal(err)
	}
	if err := d.Abort(); err != nil {
		t.Fatal(err)
	}
	sameSnapshot(t, final, prev)
	if got := entries(t, parent); len(got) != 1 || got[0] != "out" {
		t.Errorf("after Abort the parent holds %v, want only out", got)
	}
}

// TestInterrupted simulates Ctrl-C: the run writes part of its result and
// stops without Commit; the caller's deferred Abort cleans up.
func TestInterrupted(t *testing.T) {
	parent := t.TempDir()
	final := filepath.Join(parent, "out")
	prev := previous(t, final)
	d, err := Create(final, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteRejects(testRejects); err != nil {
		t.Fatal(err)
	}
	if m, _ := filepath.Glob(final + ".tmp-*"); len(m) != 1 {
		t.Fatalf("temp dirs while running: %v", m)
	}
	sameSnapshot(t, final, prev)
	if err := d.Abort(); err != nil {
		t.Fatal(err)
	}
	if m, _ := filepath.Glob(final + ".tmp-*"); len(m) != 0 {
		t.Errorf("temp dirs left after Abort: %v", m)
	}
	sameSnapshot(t, final, prev)
	if err := d.Abort(); err != nil {
		t.Errorf("second Abort: %v", err)
	}
}

func TestCommitWithoutPrevious(t *testing.T) {
	parent := t.TempDir()
	final := filepath.Join(parent, "a", "b", "out")
	var msgs []string
	d, err := Create(final, Options{Progress: func(m string) { msgs = append(msgs, m) }})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFindings(nil, Summary{}); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	recs := readCSV(t, filepath.Join(final, "findings.csv"))
	if len(recs) != 1 {
		t.Errorf("findings.csv of no findings has %d rows", len(recs))
	}
	if len(msgs) == 0 {
		t.Error("no progress messages")
	}
	if err := d.Abort(); err != nil {
		t.Errorf("Abort after Commit: %v", err)
	}
	if _, err := os.Stat(filepath.Join(final, "report.html")); err != nil {
		t.Errorf("Abort after Commit removed the result: %v", err)
	}
}

// TestProgressBareCounts: progress messages carry bare counts, which the
// caller groups in its reader's language ("1.234" or "1,234").
func TestProgressBareCounts(t *testing.T) {
	var msgs []string
	d, err := Create(filepath.Join(t.TempDir(), "out"), Options{Progress: func(m string) { msgs = append(msgs, m) }})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Abort()
	fs := benchFindings(1234)
	if err := d.WriteFindings(fs, Summary{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"wrote 0 rejects", "wrote 400 fix lists", "wrote 1234 findings"} {
		if !slices.Contains(msgs, want) {
			t.Errorf("no progress message %q in %q", want, msgs)
		}
	}
}
