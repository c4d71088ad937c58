package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"testing"

	"github.com/doisanh/doisanh/bench"
)

// benchChildEnv makes the test binary act as the child of "doisanh bench";
// see TestMain.
const benchChildEnv = "DOISANH_BENCH_CHILD"

// TestMain lets the test binary stand in for the doisanh executable that
// bench runs as a child: with DOISANH_BENCH_CHILD=real it is doisanh.
// (Package bench tests the same steps against a fake doisanh.)
func TestMain(m *testing.M) {
	if os.Getenv(benchChildEnv) == "real" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		code := run(ctx, os.Args[1:])
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// TestBenchEndToEnd runs the real generate, reconcile and score on a small
// province, when they are built.
func TestBenchEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: generates and reconciles a province")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(benchChildEnv, "real")
	o := bench.Options{Dir: t.TempDir(), Seed: 1, Workers: 2, Reuse: true, Exe: exe,
		Machine: &bench.Machine{CPUs: 1, GoVersion: "go", OS: "os", Arch: "arch"}}
	probe := filepath.Join(t.TempDir(), "probe")
	var stderr bytes.Buffer
	for _, args := range [][]string{
		{"generate", "--people", "300", "--seed", "1", "--out", probe, "--quiet"},
		{"reconcile", "--help"},
	} {
		if code := runChild(t, o.Exe, &stderr, args...); code != 0 {
			t.Skipf("doisanh %s is not built yet: %s", args[0], strings.TrimSpace(stderr.String()))
		}
	}
	o.Sizes = []int{2000}
	var progress bytes.Buffer
	rep, err := bench.Run(context.Background(), o, &progress)
	if err != nil {
		t.Fatalf("%v\n%s", err, progress.String())
	}
	r := rep.Runs[0]
	if r.InputRows < 2000 || r.WallSeconds <= 0 || r.PeakRSSMiB <= 0 || len(r.Stages) == 0 || r.Findings == 0 {
		t.Errorf("end-to-end run: %+v", r)
	}
	if r.Recall < 0.5 {
		t.Errorf("recall %.3f at 2k people", r.Recall)
	}
	var table bytes.Buffer
	if err := bench.WriteTable(&table, rep); err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", table.String())
}

// runChild runs exe with args and returns its exit code.
func runChild(t *testing.T, exe string, stderr *bytes.Buffer, args ...string) int {
	t.Helper()
	cmd := exec.Command(exe, args...)
	cmd.Stderr = stderr
	if err := cmd.Run(); err != nil && cmd.ProcessState == nil {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode()
}
