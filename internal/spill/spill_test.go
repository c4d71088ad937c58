package spill

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

func TestDirLifecycle(t *testing.T) {
	parent := t.TempDir()
	d, err := Create(parent)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(d.Path()) != parent {
		t.Fatalf("Path %s not under %s", d.Path(), parent)
	}
	if err := os.WriteFile(d.File("a.arrow"), make([]byte, 1000), 0o600); err != nil {
		t.Fatal(err)
	}
	first := d.Measure()
	if first < 1000 {
		t.Fatalf("Measure = %d, want at least the 1000 bytes written", first)
	}
	if err := os.Remove(d.File("a.arrow")); err != nil {
		t.Fatal(err)
	}
	if got := d.Measure(); got >= first {
		t.Fatalf("Measure after removing the file = %d, want less than %d", got, first)
	}
	if d.Peak() != first {
		t.Fatalf("Peak = %d, want %d", d.Peak(), first)
	}
	if err := d.Remove(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(d.Path()); !os.IsNotExist(err) {
		t.Fatalf("directory still there after Remove: %v", err)
	}
}

func TestCreateBadParent(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o600)
	for _, parent := range []string{file, filepath.Join(t.TempDir(), "missing")} {
		if d, err := Create(parent); err == nil {
			d.Remove()
			t.Errorf("Create(%s) succeeded", parent)
		}
	}
}

// TestCleanStale removes only marked directories whose process is gone.
func TestCleanStale(t *testing.T) {
	parent := t.TempDir()
	// A process that has exited: its pid is free (reuse within the test is
	// unlikely, and would only keep the directory).
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	dead := strconv.Itoa(cmd.Process.Pid)
	mk := func(name, mark string) string {
		p := filepath.Join(parent, name)
		if err := os.Mkdir(p, 0o700); err != nil {
			t.Fatal(err)
		}
		if mark != "" {
			os.WriteFile(filepath.Join(p, markName), []byte(mark+"\n"), 0o600)
		}
		return p
	}
	killed := mk(Prefix+dead+"-1", dead)
	mine := mk(Prefix+"x-2", strconv.Itoa(os.Getpid()))
	unmarked := mk(Prefix+dead+"-3", "")
	foreign := mk("doisanh-data", dead)
	garbled := mk(Prefix+"4", "not a pid")
	removed, err := CleanStale(parent)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(removed, []string{killed}) {
		t.Fatalf("removed %v, want only %s", removed, killed)
	}
	for _, p := range []string{mine, unmarked, foreign, garbled} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s removed: %v", p, err)
		}
	}
	if _, err := os.Stat(killed); !os.IsNotExist(err) {
		t.Errorf("%s still there", killed)
	}
}
