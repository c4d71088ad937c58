package output

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeFiles makes the files (relative path: content) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for rel, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCreateRefusesForeign points a run at directories doisanh did not
// write, or wrote and someone changed since: Create refuses with the reason,
// and nothing beside or inside is touched (no lock, no temporary left).
func TestCreateRefusesForeign(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, final string)
		kind  ForeignKind
		named string // a file the error names
	}{
		{"inputs folder", func(t *testing.T, final string) {
			writeFiles(t, final, map[string]string{"population.csv": "person_id\n001", "tax.csv": "x"})
		}, NoManifest, "population.csv"},
		{"home-like folder", func(t *testing.T, final string) {
			writeFiles(t, final, map[string]string{".bashrc": "x", "Documents/letter.txt": "x"})
		}, NoManifest, "Documents"},
		{"someone else's manifest", func(t *testing.T, final string) {
			writeFiles(t, final, map[string]string{"manifest.json": `{"name": "webapp", "version": "1.0"}`, "index.js": "x"})
		}, NotOurs, "manifest.json"},
		{"another tool's manifest", func(t *testing.T, final string) {
			writeFiles(t, final, map[string]string{"manifest.json": `{"tool": "other", "version": "1", "run_id": "r", "files": [{"path": "a"}]}`})
		}, NotOurs, "manifest.json"},
		{"unreadable manifest", func(t *testing.T, final string) {
			writeFiles(t, final, map[string]string{"manifest.json": `{`})
		}, NotOurs, "manifest.json"},
		{"result with a note added", func(t *testing.T, final string) {
			previous(t, final)
			writeFiles(t, final, map[string]string{"fixlists/ghi-chu.txt": "notes of the officer"})
		}, OtherFiles, "fixlists/ghi-chu.txt"},
		{"result with a fix list edited", func(t *testing.T, final string) {
			previous(t, final)
			m, err := readManifest(final)
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(m.Files, func(f manifestFile) bool {
				return strings.HasSuffix(f.Path, ".csv") && strings.HasPrefix(f.Path, "fixlists/")
			})
			p := filepath.Join(final, filepath.FromSlash(m.Files[i].Path))
			b, _ := os.ReadFile(p)
			b[len(b)-2] ^= 1 // same size, other content
			os.WriteFile(p, b, 0o644)
		}, Changed, "fixlists/"},
		{"regular file", func(t *testing.T, final string) {
			writeFiles(t, filepath.Dir(final), map[string]string{filepath.Base(final): "x"})
		}, NotDirectory, ""},
		{"symbolic link", func(t *testing.T, final string) {
			target := final + "-target"
			previous(t, target)
			if err := os.Symlink(target, final); err != nil {
				t.Skip(err)
			}
		}, Symlink, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			parent := t.TempDir()
			final := filepath.Join(parent, "out")
			tc.setup(t, final)
			before := snapshot(t, parent)
			d, err := Create(final, Options{})
			var fe *ForeignDirError
			if !errors.As(err, &fe) {
				if d != nil {
					d.Abort()
				}
				t.Fatalf("Create: %v, want a ForeignDirError", err)
			}
			if fe.Kind != tc.kind || !strings.Contains(err.Error(), tc.named) {
				t.Errorf("kind %d, want %d, naming %q: %v", fe.Kind, tc.kind, tc.named, err)
			}
			if !strings.Contains(fe.Vietnamese(), "không động đến") || !strings.Contains(fe.Vietnamese(), tc.named) {
				t.Errorf("Vietnamese: %s", fe.Vietnamese())
			}
			sameSnapshot(t, parent, before)
		})
	}
}

// TestCreateAcceptsEmpty: an empty directory (or one with only the files
// a file browser leaves) takes the result and keeps its permissions.
func TestCreateAcceptsEmpty(t *testing.T) {
	for _, junk := range []map[string]string{nil, {".DS_Store": "x"}} {
		final := filepath.Join(t.TempDir(), "out")
		if err := os.Mkdir(final, 0o750); err != nil {
			t.Fatal(err)
		}
		os.Chmod(final, 0o750)
		writeFiles(t, final, junk)
		d, err := Create(final, Options{})
		if err != nil {
			t.Fatalf("Create over an empty directory (%v): %v", junk, err)
		}
		if err := d.WriteFindings(testFindings(), testSummary()); err != nil {
			t.Fatal(err)
		}
		if err := d.Commit(); err != nil {
			t.Fatal(err)
		}
		if err := VerifyResult(final); err != nil {
			t.Error(err)
		}
		if fi, _ := os.Stat(final); fi.Mode().Perm() != 0o750 {
			t.Errorf("mode %v, want the empty directory's 0750", fi.Mode())
		}
	}
}

// TestCreateNewMode: a new result is 0755, not os.MkdirTemp's 0700.
func TestCreateNewMode(t *testing.T) {
	final := filepath.Join(t.TempDir(), "out")
	d, err := Create(final, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFindings(nil, Summary{}); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(final); fi.Mode().Perm() != 0o755 {
		t.Errorf("mode %v, want 0755", fi.Mode())
	}
}

// TestReplacesManifestWithoutTool: a result of the manifest format before
// "tool" and the checksums were added is still replaced.
func TestReplacesManifestWithoutTool(t *testing.T) {
	final := filepath.Join(t.TempDir(), "out")
	previous(t, final)
	m, err := readManifest(final)
	if err != nil {
		t.Fatal(err)
	}
	m.Tool = ""
	for i := range m.Files {
		m.Files[i].SHA256 = ""
	}
	b, _ := json.Marshal(m)
	if strings.Contains(string(b), `"tool":"doisanh"`) || strings.Contains(string(b), "sha256\":\"0") {
		t.Fatal("old manifest still has the new fields")
	}
	os.WriteFile(filepath.Join(final, "manifest.json"), b, 0o644)
	d, err := Create(final, Options{})
	if err != nil {
		t.Fatalf("Create over a result of the older manifest format: %v", err)
	}
	d.Abort()
}

// TestLock: a second run into the same directory is refused at once while
// the first holds it, and may go once the first is done; the lock file
// goes with the run.
func TestLock(t *testing.T) {
	final := filepath.Join(t.TempDir(), "out")
	d1, err := Create(final, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{final, final + "/", filepath.Join(final, "..", "out")} {
		_, err = Create(name, Options{})
		var le *LockedError
		if !errors.As(err, &le) || !strings.Contains(le.Vietnamese(), "đang được một lần chạy doisanh khác ghi") {
			t.Fatalf("second Create(%s) while the first runs: %v, want a LockedError", name, err)
		}
	}
	if m, _ := filepath.Glob(final + ".tmp-*"); len(m) != 1 {
		t.Errorf("the refused run touched the temporaries: %v", m)
	}
	if err := d1.WriteFindings(nil, Summary{}); err != nil {
		t.Fatal(err)
	}
	if err := d1.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(final + ".lock"); !os.IsNotExist(err) {
		t.Errorf("lock file after Commit: %v", err)
	}
	d2, err := Create(final, Options{})
	if err != nil {
		t.Fatalf("Create after the first run: %v", err)
	}
	if err := d2.Abort(); err != nil {
		t.Fatal(err)
	}
	if got := entries(t, filepath.Dir(final)); !slices.Equal(got, []string{"out"}) {
		t.Errorf("after Abort the parent holds %v", got)
	}
}

// TestLockFileOfSomeoneElse: a file named like the lock but not empty is
// not taken over (nor removed).
func TestLockFileOfSomeoneElse(t *testing.T) {
	final := filepath.Join(t.TempDir(), "out")
	writeFiles(t, filepath.Dir(final), map[string]string{"out.lock": "my notes"})
	if _, err := Create(final, Options{}); err == nil || !strings.Contains(err.Error(), "out.lock") {
		t.Errorf("Create beside someone's out.lock: %v", err)
	}
	if b, _ := os.ReadFile(final + ".lock"); string(b) != "my notes" {
		t.Errorf("out.lock now holds %q", b)
	}
}

// TestStaleRemoved: what killed runs left beside the output directory is
// removed by the next Create and reported; look-alike names are kept.
func TestStaleRemoved(t *testing.T) {
	parent := t.TempDir()
	final := filepath.Join(parent, "out")
	prev := previous(t, final)
	writeFiles(t, parent, map[string]string{
		"out.tmp-123456/findings.csv":                    "half written",
		"out.old-20261101T101010.123456789/summary.json": "half removed",
		"out.tmp-notes/keep.txt":                         "not ours",
		"out.old-copy/keep.txt":                          "not ours",
		"other.tmp-1/keep.txt":                           "another output",
		"out.lock":                                       "", // left by a killed run
	})
	var msgs []string
	d, err := Create(final, Options{Progress: func(m string) { msgs = append(msgs, m) }})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range d.Stale() {
		if s.Restored {
			t.Errorf("%s restored", s.Path)
		}
		got = append(got, filepath.Base(s.Path))
	}
	want := []string{"out.tmp-123456", "out.old-20261101T101010.123456789"}
	if !slices.Equal(got, want) {
		t.Errorf("Stale = %v, want %v", got, want)
	}
	if len(msgs) != 2 || !strings.Contains(msgs[0], "out.tmp-123456, left by an interrupted run") {
		t.Errorf("progress: %q", msgs)
	}
	sameSnapshot(t, final, prev)
	if err := d.Abort(); err != nil {
		t.Fatal(err)
	}
	if got, want := entries(t, parent), []string{"other.tmp-1", "out", "out.old-copy", "out.tmp-notes"}; !slices.Equal(got, want) {
		t.Errorf("parent holds %v, want %v", got, want)
	}
}

// TestStaleRestored: a run killed after moving the previous result aside
// and before renaming its own into place (possible where the file system
// cannot swap directories) has the previous result put back.
func TestStaleRestored(t *testing.T) {
	parent := t.TempDir()
	final := filepath.Join(parent, "out")
	prev := previous(t, final)
	aside := final + ".old-20261101T101010.123456789"
	if err := os.Rename(final, aside); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, parent, map[string]string{"out.tmp-42/findings.csv": "complete or not"})
	d, err := Create(final, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Abort()
	st := d.Stale()
	if len(st) != 2 || !st[0].Restored || st[0].Path != aside || st[1].Restored {
		t.Errorf("Stale = %+v", st)
	}
	sameSnapshot(t, final, prev)
}

// TestStaleRestoredOnlyComplete: a set-aside result is put back only when
// complete, also in the manifest format before "tool"; a half-removed one
// is removed.
func TestStaleRestoredOnlyComplete(t *testing.T) {
	for _, tc := range []struct {
		name     string
		damage   func(t *testing.T, dir string)
		restored bool
	}{
		{"older manifest format", func(t *testing.T, dir string) {
			m, err := readManifest(dir)
			if err != nil {
				t.Fatal(err)
			}
			m.Tool = ""
			for i := range m.Files {
				m.Files[i].SHA256 = ""
			}
			b, _ := json.Marshal(m)
			os.WriteFile(filepath.Join(dir, "manifest.json"), b, 0o644)
		}, true},
		{"half removed", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "findings.parquet"))
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parent := t.TempDir()
			final := filepath.Join(parent, "out")
			previous(t, final)
			tc.damage(t, final)
			prev := snapshot(t, final)
			aside := final + ".old-20261101T101010.123456789"
			if err := os.Rename(final, aside); err != nil {
				t.Fatal(err)
			}
			d, err := Create(final, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer d.Abort()
			if st := d.Stale(); len(st) != 1 || st[0].Restored != tc.restored {
				t.Errorf("Stale = %+v, want restored %v", st, tc.restored)
			}
			if tc.restored {
				sameSnapshot(t, final, prev)
			} else if _, err := os.Stat(final); !os.IsNotExist(err) {
				t.Errorf("a half-removed result was put back: %v", err)
			}
			if _, err := os.Stat(aside); !os.IsNotExist(err) {
				t.Errorf("%s still there: %v", aside, err)
			}
		})
	}
}

// TestCommitRechecks: files put into the output directory while the run
// goes on stop the Commit; they and the directory are kept.
func TestCommitRechecks(t *testing.T) {
	final := filepath.Join(t.TempDir(), "out")
	prev := previous(t, final)
	d, err := Create(final, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFindings(testFindings(), testSummary()); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, final, map[string]string{"bao-cao-gui-tinh.docx": "the officer's report"})
	prev["bao-cao-gui-tinh.docx"] = []byte("the officer's report")
	var fe *ForeignDirError
	if err := d.Commit(); !errors.As(err, &fe) || fe.Kind != OtherFiles {
		t.Errorf("Commit over a result with a file added: %v", err)
	}
	if err := d.Abort(); err != nil {
		t.Fatal(err)
	}
	sameSnapshot(t, final, prev)
}

// TestVerifyResult catches a missing, changed or added file.
func TestVerifyResult(t *testing.T) {
	tests := map[string]func(dir string){
		"intact":  nil,
		"missing": func(dir string) { os.Remove(filepath.Join(dir, "report.html")) },
		"changed": func(dir string) { os.WriteFile(filepath.Join(dir, "summary.json"), []byte("{}"), 0o644) },
		"added":   func(dir string) { os.WriteFile(filepath.Join(dir, "extra"), nil, 0o644) },
	}
	for name, mutate := range tests {
		dir := filepath.Join(t.TempDir(), "out")
		previous(t, dir)
		if mutate != nil {
			mutate(dir)
		}
		if err := VerifyResult(dir); (err == nil) != (mutate == nil) {
			t.Errorf("%s: VerifyResult = %v", name, err)
		}
	}
}

// TestCommitWithoutExchange takes the path of file systems that cannot
// swap two directories: the previous result is moved aside, the new one
// put in place and the old one removed.
func TestCommitWithoutExchange(t *testing.T) {
	parent := t.TempDir()
	final := filepath.Join(parent, "out")
	prev := previous(t, final)
	d, err := Create(final, Options{})
	if err != nil {
		t.Fatal(err)
	}
	swapped := false
	d.swap = func(a, b string) error { swapped = true; return errNoExchange }
	if err := d.WriteFindings(testFindings(), testSummary()); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if !swapped {
		t.Error("Commit did not try to swap")
	}
	if err := VerifyResult(final); err != nil {
		t.Error(err)
	}
	if now := snapshot(t, final); string(now["manifest.json"]) == string(prev["manifest.json"]) {
		t.Error("previous result still in place")
	}
	if got := entries(t, parent); !slices.Equal(got, []string{"out"}) {
		t.Errorf("parent holds %v", got)
	}
}

// TestCommitAfterFinalRemoved: a previous result removed by someone while
// the run went on does not stop the new one from going in.
func TestCommitAfterFinalRemoved(t *testing.T) {
	final := filepath.Join(t.TempDir(), "out")
	previous(t, final)
	d, err := Create(final, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFindings(testFindings(), testSummary()); err != nil {
		t.Fatal(err)
	}
	inspected := false
	d.swap = func(a, b string) error {
		inspected = true
		os.RemoveAll(b) // between Commit's check and the swap
		return exchange(a, b)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if !inspected {
		t.Fatal("no swap tried")
	}
	if err := VerifyResult(final); err != nil {
		t.Error(err)
	}
}

// TestCreateRefusesCwdAndRoot: "--out ." in a folder of files, and the
// root of the file system, are refused like any other foreign directory.
func TestCreateRefusesCwdAndRoot(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"population.csv": "x"})
	t.Chdir(dir)
	before := snapshot(t, filepath.Dir(dir))
	for _, p := range []string{".", "./", "/"} {
		var fe *ForeignDirError
		if d, err := Create(p, Options{}); !errors.As(err, &fe) {
			if d != nil {
				d.Abort()
			}
			t.Errorf("Create(%q): %v, want a ForeignDirError", p, err)
		}
	}
	sameSnapshot(t, filepath.Dir(dir), before)
}
