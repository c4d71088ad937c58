package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/doisanh/doisanh/internal/spill"
	"github.com/doisanh/doisanh/pipeline"
)

// TestSpill: --spill on gives the outputs of --spill off byte for byte;
// its temporary files go under --tmp-dir (or inside the output's temporary
// directory) and are gone after a run that succeeds and one that fails;
// what a killed run left under --tmp-dir is removed, nothing else there;
// auto spills only near the limit; bad values are usage errors.
func TestSpill(t *testing.T) {
	tmp := t.TempDir()
	data := filepath.Join(tmp, "data")
	recGenerate(t, data, 0)
	est := pipeline.EstimateMemory(pipeline.Config{
		Population: filepath.Join(data, "population.parquet"), Tax: filepath.Join(data, "tax.parquet"),
		Insurance: filepath.Join(data, "insurance.parquet"), Civil: filepath.Join(data, "civil.parquet")})

	run := func(t *testing.T, out string, code int, args ...string) string {
		t.Helper()
		c, _, stderr, err := recExec(context.Background(), recArgs(data, out, args...)...)
		if c != code {
			t.Fatalf("%v: exit %d (%v), want %d\n%s", args, c, err, code, stderr)
		}
		if err != nil {
			stderr += err.Error()
		}
		return stderr
	}
	options := func(t *testing.T, out string) map[string]any {
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
	runDirs := func(t *testing.T, dir string) []string {
		t.Helper()
		m, _ := filepath.Glob(filepath.Join(dir, spill.Prefix+"*"))
		return m
	}

	inMemory := filepath.Join(tmp, "in-memory")
	run(t, inMemory, exitOK, "--spill", "off")
	if got := options(t, inMemory)["spill"]; got != false {
		t.Fatalf("--spill off: summary's spill %v", got)
	}

	t.Run("on, under --tmp-dir", func(t *testing.T) {
		tmpDir := filepath.Join(tmp, "scratch")
		os.Mkdir(tmpDir, 0o700)
		// What a killed run left (its process gone), and a folder of the user's.
		dead := exec.Command(os.Args[0], "-test.run=^$")
		if err := dead.Run(); err != nil {
			t.Fatal(err)
		}
		pid := strconv.Itoa(dead.Process.Pid)
		killed := filepath.Join(tmpDir, spill.Prefix+pid+"-1")
		os.MkdirAll(killed, 0o700)
		os.WriteFile(filepath.Join(killed, ".doisanh-spill"), []byte(pid+"\n"), 0o600)
		mine := filepath.Join(tmpDir, "exports")
		os.MkdirAll(mine, 0o700)

		out := filepath.Join(tmp, "spilled")
		stderr := run(t, out, exitOK, "--spill", "on", "--tmp-dir", tmpDir, "--lang", "en", "--quiet=false")
		for _, f := range []string{"findings.csv", "rejects.csv", "findings.parquet"} {
			a, _ := os.ReadFile(filepath.Join(inMemory, f))
			b, err := os.ReadFile(filepath.Join(out, f))
			if err != nil || !bytes.Equal(a, b) || len(a) == 0 {
				t.Errorf("%s differs from the in-memory run's (%v)", f, err)
			}
		}
		opts := options(t, out)
		if opts["spill"] != true {
			t.Errorf("summary's spill %v, want true", opts["spill"])
		}
		if n, _ := opts["tmp_bytes"].(float64); n <= 0 {
			t.Errorf("summary's tmp_bytes %v, want the size the temporary files reached", opts["tmp_bytes"])
		}
		if n, _ := opts["mapped_bytes"].(float64); spill.CanMap && (n <= 0 || n > opts["tmp_bytes"].(float64)) {
			t.Errorf("summary's mapped_bytes %v, want the mapped people's size, part of tmp_bytes %v", opts["mapped_bytes"], opts["tmp_bytes"])
		}
		if left := runDirs(t, tmpDir); len(left) > 0 {
			t.Errorf("left under --tmp-dir: %v", left)
		}
		if _, err := os.Stat(mine); err != nil {
			t.Errorf("the user's folder under --tmp-dir: %v", err)
		}
		for _, want := range []string{"removed " + killed, "temporary files: at most"} {
			if !strings.Contains(stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, stderr)
			}
		}
	})

	t.Run("on, default place", func(t *testing.T) {
		out := filepath.Join(tmp, "spilled-default")
		run(t, out, exitOK, "--spill", "on")
		if left := recLeftovers(t, out); len(left) > 0 {
			t.Errorf("left beside --out: %v", left)
		}
		if left := runDirs(t, out); len(left) > 0 {
			t.Errorf("left in --out: %v", left)
		}
	})

	t.Run("removed after a failed run", func(t *testing.T) {
		tmpDir := filepath.Join(tmp, "scratch-fail")
		os.Mkdir(tmpDir, 0o700)
		bad := filepath.Join(tmp, "bad-tax.parquet")
		os.WriteFile(bad, []byte("not parquet"), 0o600)
		args := recArgs(data, filepath.Join(tmp, "failed"), "--spill", "on", "--tmp-dir", tmpDir)
		for i, a := range args {
			if a == "--tax" {
				args[i+1] = bad
			}
		}
		if code, _, stderr, _ := recExec(context.Background(), args...); code != exitFail {
			t.Fatalf("exit %d, want %d\n%s", code, exitFail, stderr)
		}
		if left := runDirs(t, tmpDir); len(left) > 0 {
			t.Errorf("left under --tmp-dir after a failed run: %v", left)
		}
	})

	tests := []struct {
		name  string
		args  []string
		code  int
		spill any
	}{
		{"auto, far below the limit", []string{"--memory-limit", "off"}, exitOK, false},
		{"auto, near the limit", []string{"--memory-limit", strconv.FormatInt(est.Bytes*11/10, 10) + "B"}, exitOK, true},
		{"bad mode", []string{"--spill", "sometimes"}, exitUsage, nil},
		{"missing --tmp-dir", []string{"--spill", "on", "--tmp-dir", filepath.Join(tmp, "none")}, exitFail, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(tmp, strings.ReplaceAll(tt.name, " ", "-"))
			stderr := run(t, out, tt.code, tt.args...)
			if tt.code != exitOK {
				if !strings.Contains(stderr, tt.args[len(tt.args)-2]) {
					t.Errorf("message lacks %s:\n%s", tt.args[len(tt.args)-2], stderr)
				}
				return
			}
			if got := options(t, out)["spill"]; got != tt.spill {
				t.Errorf("summary's spill %v, want %v", got, tt.spill)
			}
		})
	}
}
