package main

import (
	"bufio"
	"bytes"
	"errors"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/doisanh/doisanh/output"
)

// chaosSeedEnv overrides the seed of TestChaosKill (to replay a failure).
const chaosSeedEnv = "DOISANH_CHAOS_SEED"

// Stages of a run, told by its progress lines (--lang en).
const (
	stageStart   = iota
	stageWrite   // "writing N findings and M rejects...": the write stage begins
	stageCommit  // "wrote N findings": then summary, report, manifest, and the swap
	stageWritten // "wrote DIR": committed
	nStages
)

// stageLine tells the stage a progress line of a run into out begins, or -1.
func stageLine(line, out string) int {
	switch {
	case strings.HasPrefix(line, "doisanh: writing "):
		return stageWrite
	case strings.HasPrefix(line, "doisanh: wrote ") && strings.HasSuffix(line, " findings"):
		return stageCommit
	case line == "doisanh: wrote "+out:
		return stageWritten
	}
	return -1
}

// chaosRun is one reconcile run as a child process.
type chaosRun struct {
	at     [nStages]time.Time // when each stage began (zero if never seen)
	ended  time.Time
	killed bool // killed before it ended by itself
	stderr string
}

// chaosChild runs "doisanh reconcile" (the test binary standing in for
// doisanh, see TestMain) into the absolute path out and kills it with
// SIGKILL once stage has lasted after. A negative stage lets the run
// finish.
func chaosChild(t *testing.T, exe string, args []string, out string, stage int, after time.Duration) chaosRun {
	t.Helper()
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), benchChildEnv+"=real")
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	var r chaosRun
	type mark struct {
		stage int
		at    time.Time
	}
	marks := make(chan mark, nStages)
	var stderr bytes.Buffer
	read := make(chan struct{})
	r.at[stageStart] = time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(read)
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			line := sc.Text()
			stderr.WriteString(line + "\n")
			if s := stageLine(line, out); s >= 0 {
				marks <- mark{s, time.Now()}
			}
		}
	}()
	exited := make(chan error, 1)
	go func() {
		<-read // Wait closes the pipe: read it to the end first
		exited <- cmd.Wait()
	}()
	note := func(m mark) {
		if r.at[m.stage].IsZero() {
			r.at[m.stage] = m.at
		}
	}
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	var werr error
loop:
	for {
		select {
		case werr = <-exited:
			break loop
		case m := <-marks:
			note(m)
		case now := <-tick.C:
			if stage >= 0 && !r.killed && !r.at[stage].IsZero() && now.Sub(r.at[stage]) >= after {
				if err := cmd.Process.Kill(); err == nil {
					r.killed = true
				}
			}
		}
	}
	r.ended = time.Now()
	for len(marks) > 0 {
		note(<-marks)
	}
	r.stderr = stderr.String()
	var ee *exec.ExitError
	switch {
	case werr == nil:
		r.killed = false // it finished before the signal landed
	case r.killed && errors.As(werr, &ee) && !ee.Exited():
	default:
		t.Fatalf("child %v: %v (killed %v)\nstderr:\n%s", args, werr, r.killed, r.stderr)
	}
	return r
}

// TestChaosKill kills reconcile runs at random points (seeded; half of
// them during the write stage) and checks after each that --out is either
// the previous result byte for byte or a complete new result (every file
// the manifest lists, with its size and SHA-256, nothing else), never
// missing, never a mix; and that a clean run afterwards succeeds, removes
// what the killed runs left and leaves nothing beside --out.
func TestChaosKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills a dozen child processes")
	}
	if raceEnabled {
		t.Skip("under the race detector a child runs ten times slower, and the kills are between processes")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	seed := uint64(20261203)
	if s := os.Getenv(chaosSeedEnv); s != "" {
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("%s: %v", chaosSeedEnv, err)
		}
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	t.Logf("seed %d (set %s to replay)", seed, chaosSeedEnv)

	data := safetyData(t)
	out := filepath.Join(t.TempDir(), "out")
	args := slices.DeleteFunc(recArgs(data, out, "--lang", "en"), func(a string) bool { return a == "--quiet" })

	// A good result, and how long a run and its stages take (the shorter
	// of two runs: the first one starts cold).
	var span [nStages]time.Duration // from the beginning of a stage to the end of the run
	for i := range 2 {
		r := chaosChild(t, exe, args, out, -1, 0)
		if err := output.VerifyResult(out); err != nil {
			t.Fatalf("run %d: %v\n%s", i, err, r.stderr)
		}
		for s, at := range r.at {
			if at.IsZero() {
				t.Fatalf("run %d printed no line of stage %d:\n%s", i, s, r.stderr)
			}
			if d := r.ended.Sub(at); i == 0 || d < span[s] {
				span[s] = d
			}
		}
	}
	t.Logf("a run takes %v, from the write stage %v, from the last findings file %v",
		span[stageStart].Round(time.Millisecond), span[stageWrite].Round(time.Millisecond), span[stageCommit].Round(time.Millisecond))
	prev := recSnapshot(t, out)
	names := slices.Sorted(maps.Keys(prev))

	// Each round kills a run at a random time after the beginning of a
	// stage: of the run, of the write stage, of the last files and the swap.
	stages := []int{stageStart, stageWrite, stageCommit}
	const rounds = 24
	var kept, replaced, finished int
	var killedIn [nStages]int // runs killed once this stage (and not the next) had begun
	for i := range rounds {
		stage := stages[i%len(stages)]
		after := time.Duration(rng.Int64N(int64(span[stage])))
		r := chaosChild(t, exe, args, out, stage, after)
		if r.killed {
			last := stageStart
			for s := range nStages {
				if !r.at[s].IsZero() {
					last = s
				}
			}
			killedIn[last]++
		} else {
			finished++
		}
		if _, err := os.Stat(out); err != nil {
			t.Fatalf("round %d (kill %v after stage %d): --out is gone: %v", i, after, stage, err)
		}
		beside, err := os.ReadDir(filepath.Dir(out))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range beside {
			n := e.Name()
			if n != "out" && n != "out.lock" && !strings.HasPrefix(n, "out.tmp-") && !strings.HasPrefix(n, "out.old-") {
				t.Errorf("round %d: %s beside --out", i, n)
			}
		}
		now := recSnapshot(t, out)
		switch {
		case maps.EqualFunc(now, prev, bytes.Equal):
			kept++
		case output.VerifyResult(out) == nil && slices.Equal(slices.Sorted(maps.Keys(now)), names):
			replaced++
			prev = now
		default:
			t.Fatalf("round %d (kill %v after stage %d, killed %v): --out is neither the previous result nor a complete new one: %v\nstderr:\n%s",
				i, after, stage, r.killed, output.VerifyResult(out), r.stderr)
		}
	}
	t.Logf("%d rounds: previous result kept %d, replaced %d; %d runs finished before the kill; killed before writing %d, "+
		"while writing findings and fix lists %d, while writing the last files or swapping %d, after the swap %d",
		rounds, kept, replaced, finished, killedIn[stageStart], killedIn[stageWrite], killedIn[stageCommit], killedIn[stageWritten])
	if killedIn[stageWrite]+killedIn[stageCommit] == 0 {
		t.Error("no run was killed in the write stage")
	}

	left := recLeftovers(t, out)
	code, _, stderr := recRun(recArgs(data, out, "--lang", "en")...)
	if code != exitOK {
		t.Fatalf("clean run after the kills: exit %d\n%s", code, stderr)
	}
	for _, p := range left {
		if !strings.Contains(stderr, "removed "+p+", left by an interrupted run") {
			t.Errorf("the clean run did not report removing %s:\n%s", p, stderr)
		}
	}
	if err := output.VerifyResult(out); err != nil {
		t.Error(err)
	}
	if left := recLeftovers(t, out); len(left) > 0 {
		t.Errorf("left beside --out after a clean run: %v", left)
	}
	if _, err := os.Stat(out + ".lock"); !os.IsNotExist(err) {
		t.Errorf("lock file after a clean run: %v", err)
	}
}

// TestLockAcrossProcesses: while a reconcile runs in another process, a
// second run into the same --out is refused at once and changes nothing;
// the first one finishes normally.
func TestLockAcrossProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	data := safetyData(t)
	out := filepath.Join(t.TempDir(), "out")
	args := slices.DeleteFunc(recArgs(data, out, "--lang", "en"), func(a string) bool { return a == "--quiet" })
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), benchChildEnv+"=real")
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(pipe)
	for { // the first stage's line: the child holds the lock (taken before the stages, after the memory line)
		if !sc.Scan() {
			t.Fatal("child ended without reading the population")
		}
		if strings.Contains(sc.Text(), "read population") {
			break
		}
	}
	code, _, stderr := recRun(recArgs(data, out, "--lang", "en")...)
	second := time.Now()
	for sc.Scan() {
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the first run: %v", err)
	}
	if code != exitFail || !strings.Contains(stderr, "another doisanh run is writing there") {
		t.Errorf("second run: exit %d, stderr %q; want %d, locked", code, stderr, exitFail)
	}
	if fi, err := os.Stat(filepath.Join(out, "manifest.json")); err != nil || fi.ModTime().Before(second) {
		t.Errorf("the first run's result is not the one in place: %v", err)
	}
	if err := output.VerifyResult(out); err != nil {
		t.Error(err)
	}
}
