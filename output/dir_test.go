package output

import (
	"os"
	"path/filepath"
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

// previous makes final as a previous run with a marker file.
func previous(t *testing.T, final string) {
	t.Helper()
	if err := os.MkdirAll(final, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(final, "marker"), []byte("previous"), 0o644); err != nil {
		t.Fatal(err)
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
	previous(t, final)
	d, err := Create(final, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFindings(testFindings(), testSummary()); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(final, "marker")); !os.IsNotExist(err) {
		t.Errorf("previous result still in place: %v", err)
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
	previous(t, final)
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
	data, err := os.ReadFile(filepath.Join(final, "marker"))
	if err != nil || string(data) != "previous" {
		t.Errorf("previous result changed: %q, %v", data, err)
	}
	if got := entries(t, parent); len(got) != 1 || got[0] != "out" {
		t.Errorf("after Abort the parent holds %v, want only out", got)
	}
	if got := entries(t, final); len(got) != 1 {
		t.Errorf("previous result now holds %v", got)
	}
}

// TestInterrupted simulates Ctrl-C: the run writes part of its result and
// stops without Commit; the caller's deferred Abort cleans up.
func TestInterrupted(t *testing.T) {
	parent := t.TempDir()
	final := filepath.Join(parent, "out")
	previous(t, final)
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
	if data, _ := os.ReadFile(filepath.Join(final, "marker")); string(data) != "previous" {
		t.Error("previous result changed while running")
	}
	if err := d.Abort(); err != nil {
		t.Fatal(err)
	}
	if m, _ := filepath.Glob(final + ".tmp-*"); len(m) != 0 {
		t.Errorf("temp dirs left after Abort: %v", m)
	}
	if data, _ := os.ReadFile(filepath.Join(final, "marker")); string(data) != "previous" {
		t.Error("previous result changed by Abort")
	}
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
