package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/doisanh/doisanh/output"
	"github.com/doisanh/doisanh/pipeline"
	"github.com/doisanh/doisanh/synth"
)

// recRun runs a command line as main does (messages localised as the
// officer sees them) and returns the exit code and both streams.
func recRun(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = runWith(context.Background(), args, &o, &e)
	return code, o.String(), e.String()
}

// safetyData generates the small province the safety tests run on: fewer
// people than recGenerate's, as they run reconcile many times (also under
// the race detector).
func safetyData(t *testing.T) string {
	t.Helper()
	data := filepath.Join(t.TempDir(), "data")
	opts := synth.DefaultOptions()
	opts.People, opts.Seed = 800, recSeed
	if _, err := synth.Generate(context.Background(), data, opts); err != nil {
		t.Fatal(err)
	}
	return data
}

// TestReconcileOutSafety: what reconcile --out does to directories it did
// not write, to an empty one and to a previous result, with a lock held
// and with what killed runs left, with the messages in both languages.
func TestReconcileOutSafety(t *testing.T) {
	data := safetyData(t)

	t.Run("inputs folder refused", func(t *testing.T) {
		before := recSnapshot(t, data)
		for _, lang := range []struct{ flag, want string }{
			{"vi", "không động đến thư mục này"},
			{"en", "left this one untouched"},
		} {
			code, _, stderr := recRun(recArgs(data, data, "--lang", lang.flag)...)
			if code != exitFail || !strings.Contains(stderr, lang.want) || !strings.Contains(stderr, "population.parquet") {
				t.Errorf("--out at the inputs (--lang %s): exit %d, stderr %q; want %d with %q", lang.flag, code, stderr, exitFail, lang.want)
			}
		}
		if after := recSnapshot(t, data); !maps.EqualFunc(before, after, bytes.Equal) {
			t.Errorf("the inputs folder changed: %d files before, %d after", len(before), len(after))
		}
		if left := recLeftovers(t, data); len(left) > 0 {
			t.Errorf("left beside the inputs: %v", left)
		}
		if _, err := os.Stat(data + ".lock"); !os.IsNotExist(err) {
			t.Errorf("lock file left: %v", err)
		}
	})

	// The subtests below go on with the same --out.
	out := filepath.Join(t.TempDir(), "out")
	t.Run("empty directory accepted, previous result replaced, mode kept", func(t *testing.T) {
		if err := os.Mkdir(out, 0o700); err != nil {
			t.Fatal(err)
		}
		os.Chmod(out, 0o750)
		recReconcile(t, data, out)
		if err := output.VerifyResult(out); err != nil {
			t.Fatal(err)
		}
		first := recSnapshot(t, out)
		recReconcile(t, data, out)
		if err := output.VerifyResult(out); err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(first["manifest.json"], recSnapshot(t, out)["manifest.json"]) {
			t.Error("the previous result was not replaced")
		}
		if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o750 {
			t.Errorf("mode %v, want the directory's 0750", fi.Mode())
		}
		if left := recLeftovers(t, out); len(left) > 0 {
			t.Errorf("left beside out: %v", left)
		}
	})

	t.Run("second run while one holds the lock refused", func(t *testing.T) {
		before := recSnapshot(t, out)
		held, err := output.Create(out, output.Options{}) // a run going on
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range []struct{ flag, want string }{
			{"vi", "đang được một lần chạy doisanh khác ghi"},
			{"en", "another doisanh run is writing there"},
		} {
			code, _, stderr := recRun(recArgs(data, out, "--lang", lang.flag)...)
			if code != exitFail || !strings.Contains(stderr, lang.want) {
				t.Errorf("--lang %s: exit %d, stderr %q; want %d with %q", lang.flag, code, stderr, exitFail, lang.want)
			}
		}
		if err := held.Abort(); err != nil {
			t.Fatal(err)
		}
		if after := recSnapshot(t, out); !maps.EqualFunc(before, after, bytes.Equal) {
			t.Error("the refused run changed the result")
		}
	})

	t.Run("stale temporaries cleaned and reported", func(t *testing.T) {
		for _, d := range []string{out + ".tmp-2718281828", out + ".old-20261130T235959.000000001"} {
			if err := os.MkdirAll(filepath.Join(d, "fixlists"), 0o755); err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(d, "findings.csv"), []byte("half"), 0o644)
		}
		os.WriteFile(out+".lock", nil, 0o644) // the lock file of a killed run
		// Once with --quiet (recArgs), as a warning, and once with the
		// progress lines, which tell it as it happens: either way once.
		for _, args := range [][]string{recArgs(data, out, "--lang", "en"),
			slices.DeleteFunc(recArgs(data, out, "--lang", "en"), func(a string) bool { return a == "--quiet" })} {
			for _, d := range []string{out + ".tmp-2718281828", out + ".old-20261130T235959.000000001"} {
				if err := os.MkdirAll(filepath.Join(d, "fixlists"), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			code, _, stderr := recRun(args...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			for _, want := range []string{"removed " + out + ".tmp-2718281828, left by an interrupted run",
				"removed " + out + ".old-20261130T235959.000000001"} {
				if n := strings.Count(stderr, want); n != 1 {
					t.Errorf("stderr has %q %d times, want once:\n%s", want, n, stderr)
				}
			}
		}
		if left := recLeftovers(t, out); len(left) > 0 {
			t.Errorf("left beside out: %v", left)
		}
		if _, err := os.Stat(out + ".lock"); !os.IsNotExist(err) {
			t.Errorf("lock file left: %v", err)
		}
	})

	t.Run("result with a file added refused", func(t *testing.T) {
		note := filepath.Join(out, "fixlists", "ghi-chu-cua-toi.txt")
		os.WriteFile(note, []byte("ghi chú"), 0o644)
		before := recSnapshot(t, out)
		code, _, stderr := recRun(recArgs(data, out)...)
		if code != exitFail || !strings.Contains(stderr, "ghi-chu-cua-toi.txt") || !strings.Contains(stderr, "có tệp không phải do doisanh ghi") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
		if after := recSnapshot(t, out); !maps.EqualFunc(before, after, bytes.Equal) {
			t.Error("the result with the officer's note changed")
		}
	})
}

// TestReconcileFlagChecks: --workers is capped with a warning and recorded
// as used; a bad --province is a usage error naming it.
func TestReconcileFlagChecks(t *testing.T) {
	data := safetyData(t)
	cores := runtime.GOMAXPROCS(0)
	for _, tc := range []struct {
		workers string
		want    int
		warned  bool
	}{
		{"-1", cores, false},
		{"99999999", pipeline.MaxWorkersPerCPU * cores, true},
	} {
		out := filepath.Join(t.TempDir(), "out")
		code, _, stderr := recRun(recArgs(data, out, "--workers", tc.workers)...)
		if code != exitOK {
			t.Fatalf("--workers %s: exit %d: %s", tc.workers, code, stderr)
		}
		if got := strings.Contains(stderr, "cảnh báo: --workers "+tc.workers+" nhiều hơn"); got != tc.warned {
			t.Errorf("--workers %s: warned %v, want %v:\n%s", tc.workers, got, tc.warned, stderr)
		}
		b, err := os.ReadFile(filepath.Join(out, "summary.json"))
		if err != nil {
			t.Fatal(err)
		}
		var s struct {
			Options struct {
				Workers int `json:"workers"`
			} `json:"options"`
		}
		if err := json.Unmarshal(b, &s); err != nil {
			t.Fatal(err)
		}
		if s.Options.Workers != tc.want {
			t.Errorf("--workers %s: summary.json records %d, want %d", tc.workers, s.Options.Workers, tc.want)
		}
	}
	for _, p := range []string{"99", "0", "Atlantis", "4O"} {
		out := filepath.Join(t.TempDir(), "out")
		code, _, stderr := recRun(recArgs(data, out, "--province", p)...)
		if code != exitUsage || !strings.Contains(stderr, `--province "`+p+`"`) || !strings.Contains(stderr, "không phải mã hay tên tỉnh") {
			t.Errorf("--province %s: exit %d, stderr %q; want %d naming it", p, code, stderr, exitUsage)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("--province %s: %s written: %v", p, out, err)
		}
	}
	if code, _, stderr := recRun(recArgs(data, filepath.Join(t.TempDir(), "out"), "--province", "99", "--lang", "en")...); code != exitUsage ||
		!strings.Contains(stderr, `--province "99": not a province code or name`) {
		t.Errorf("--province 99 --lang en: exit %d, stderr %q", code, stderr)
	}
	for _, p := range []string{"040", "02"} { // pipeline's TestRunConfig tries more
		out := filepath.Join(t.TempDir(), "out")
		if code, _, stderr := recRun(recArgs(data, out, "--province", p)...); code != exitOK {
			t.Errorf("--province %s: exit %d: %s", p, code, stderr)
		}
	}
}

// TestGenerateKeepsForeignFiles: generate (and demo's data directory)
// never overwrite files of the names generate writes that an earlier
// generate did not write; they may write again where generate wrote.
func TestGenerateKeepsForeignFiles(t *testing.T) {
	tmp := t.TempDir()
	extracts := filepath.Join(tmp, "extracts")
	if err := os.MkdirAll(extracts, 0o755); err != nil {
		t.Fatal(err)
	}
	real := filepath.Join(extracts, "population.parquet")
	if err := os.WriteFile(real, []byte("the province's real register"), 0o644); err != nil {
		t.Fatal(err)
	}
	demoData := filepath.Join(tmp, "demo", "data")
	if err := os.MkdirAll(demoData, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(demoData, "tax.csv"), []byte("real"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"generate", "--people", "200", "--out", extracts, "--quiet"},
		{"demo", "--people", "200", "--dir", filepath.Join(tmp, "demo"), "--quiet"},
	} {
		code, _, _, err := recExec(context.Background(), args...)
		var v vietnamese
		if code != exitFail || !errors.As(err, &v) || !strings.Contains(v.Vietnamese(), "ghi đè") {
			t.Errorf("%v: exit %d, %v; want 1 and the Vietnamese refusal", args[0], code, err)
		}
	}
	if b, _ := os.ReadFile(real); string(b) != "the province's real register" {
		t.Errorf("generate overwrote %s", real)
	}
	if b, _ := os.ReadFile(filepath.Join(demoData, "tax.csv")); string(b) != "real" {
		t.Error("demo overwrote its --dir's data/tax.csv")
	}
	again := filepath.Join(tmp, "synthetic")
	for i := range 2 {
		if code, _, stderr, err := recExec(context.Background(), "generate", "--people", "200", "--out", again, "--quiet"); code != exitOK {
			t.Fatalf("generate #%d into its own output: exit %d, %v\n%s", i+1, code, err, stderr)
		}
	}
}
