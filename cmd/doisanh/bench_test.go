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
		t.Skipf("cannot find the test binary to run as doisanh: %v", err)
	}
	t.Setenv(benchChildEnv, "real")
	o := bench.Options{Dir: t.TempDir(), Seed: 1, Workers: 2, Reuse: true, Exe: exe,
		Machine: &bench.Machine{CPUs: 1, GoVersion: "go", OS: "os", Arch: "arch"}}
	// A probe first, so that a broken generate or reconcile fails here with
	// its own message rather than inside bench.Run. A crash is a failure;
	// only a child that cannot be started at all skips.
	probe := filepath.Join(t.TempDir(), "probe")
	for _, args := range [][]string{
		{"generate", "--people", "300", "--seed", "1", "--out", probe, "--quiet"},
		{"reconcile", "--help"},
	} {
		var stderr bytes.Buffer
		if code := runChild(t, o.Exe, &stderr, args...); code != 0 {
			t.Fatalf("doisanh %s: exit code %d\n%s", strings.Join(args, " "), code, strings.TrimSpace(stderr.String()))
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

// runChild runs exe with args and returns its exit code. A child that
// cannot be started (the environment forbids running the test binary, e.g.
// a temporary directory mounted noexec) skips the test with the reason; a
// child that starts and crashes returns its code (-1 when killed by a
// signal), which the caller fails on.
func runChild(t *testing.T, exe string, stderr *bytes.Buffer, args ...string) int {
	t.Helper()
	cmd := exec.Command(exe, args...)
	cmd.Stderr = stderr
	if err := cmd.Run(); err != nil && cmd.ProcessState == nil {
		t.Skipf("cannot start %s as a child process: %v", exe, err)
	}
	return cmd.ProcessState.ExitCode()
}
