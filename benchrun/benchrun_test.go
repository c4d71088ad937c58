package benchrun

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// childEnv makes the test binary act as a child; see TestMain.
const childEnv = "BENCHRUN_TEST_CHILD"

// TestMain lets the test binary act as the measured child:
//
//	alloc:N   touch N MiB of memory, print "ok" and exit 0
//	exit:N    exit with status N
//	wait      print "ready", exit 3 on os.Interrupt
//	stubborn  print "ready", ignore os.Interrupt and sleep
func TestMain(m *testing.M) {
	mode, ok := os.LookupEnv(childEnv)
	if !ok {
		os.Exit(m.Run())
	}
	verb, arg, _ := strings.Cut(mode, ":")
	n, _ := strconv.Atoi(arg)
	switch verb {
	case "alloc":
		buf := make([]byte, n<<20)
		for i := 0; i < len(buf); i += 4096 {
			buf[i] = 1
		}
		runtime.KeepAlive(buf)
		fmt.Println("ok")
		os.Exit(0)
	case "exit":
		os.Exit(n)
	case "wait":
		c := make(chan os.Signal, 1)
		signal.Notify(c, os.Interrupt)
		fmt.Println("ready")
		<-c
		os.Exit(3)
	case "stubborn":
		signal.Ignore(os.Interrupt)
		fmt.Println("ready")
		time.Sleep(time.Minute)
		os.Exit(0)
	}
	fmt.Fprintf(os.Stderr, "unknown %s=%q\n", childEnv, mode)
	os.Exit(2)
}

// self returns the command line that re-runs the test binary as a child.
func self(t *testing.T, mode string) (string, []string, *Options) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), childEnv+"="+mode)
	return exe, []string{"-test.run=^$"}, &Options{Env: env}
}

func needRusage(t *testing.T) {
	t.Helper()
	switch runtime.GOOS {
	case "linux", "freebsd", "netbsd", "openbsd", "dragonfly", "darwin":
	default:
		t.Skipf("%s does not report a child's peak RSS", runtime.GOOS)
	}
}

func TestRunMeasuresChildRSS(t *testing.T) {
	needRusage(t)
	const mib = 1 << 20
	for _, size := range []int{50, 120} {
		t.Run(strconv.Itoa(size)+"MiB", func(t *testing.T) {
			name, args, opts := self(t, "alloc:"+strconv.Itoa(size))
			var out bytes.Buffer
			opts.Stdout = &out
			res, err := Run(context.Background(), name, args, opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimSpace(out.String()); got != "ok" {
				t.Errorf("child stdout = %q, want ok", got)
			}
			if res.MaxRSS < int64(size)*mib {
				t.Errorf("MaxRSS = %.1f MiB, want >= %d MiB", res.MaxRSSMiB(), size)
			}
			// The runtime, the test binary and (with -race) shadow memory
			// add to it, but a unit error (KiB vs bytes) would be 1024 times.
			if limit := 3*size + 100; res.MaxRSS > int64(limit)*mib {
				t.Errorf("MaxRSS = %.1f MiB, want < %d MiB", res.MaxRSSMiB(), limit)
			}
			if res.Wall <= 0 || res.ExitCode != 0 {
				t.Errorf("Wall = %v, ExitCode = %d", res.Wall, res.ExitCode)
			}
		})
	}
}

func TestRunSmallChild(t *testing.T) {
	needRusage(t)
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	res, err := Run(context.Background(), sh, []string{"-c", "true"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The measure is the child's, not this (larger) test process's.
	if res.MaxRSS <= 0 || res.MaxRSS > 20<<20 {
		t.Errorf("sh -c true: MaxRSS = %d bytes, want in (0, 20 MiB]", res.MaxRSS)
	}
}

func TestRunExitCode(t *testing.T) {
	for _, code := range []int{1, 2, 7} {
		name, args, opts := self(t, "exit:"+strconv.Itoa(code))
		res, err := Run(context.Background(), name, args, opts)
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			t.Fatalf("exit %d: err = %v, want *exec.ExitError", code, err)
		}
		if res.ExitCode != code {
			t.Errorf("ExitCode = %d, want %d", res.ExitCode, code)
		}
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not name the command", err)
		}
	}
}

func TestRunMissingCommand(t *testing.T) {
	_, err := Run(context.Background(), "/nonexistent/doisanh-child", nil, nil)
	if err == nil || !strings.Contains(err.Error(), "start /nonexistent/doisanh-child") {
		t.Errorf("err = %v, want a start error naming the command", err)
	}
}

// started is a writer that signals when the child printed "ready".
type started struct{ c chan struct{} }

func (s started) Write(p []byte) (int, error) {
	if bytes.Contains(p, []byte("ready")) {
		select {
		case s.c <- struct{}{}:
		default:
		}
	}
	return len(p), nil
}

func TestRunCancelInterrupts(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("os.Interrupt cannot be sent on windows")
	}
	name, args, opts := self(t, "wait")
	ready := started{make(chan struct{}, 1)}
	opts.Stdout = ready
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-ready.c; cancel() }()
	res, err := Run(ctx, name, args, opts)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if res.ExitCode != 3 {
		t.Errorf("ExitCode = %d, want 3 (the child's interrupt handler)", res.ExitCode)
	}
}

func TestRunCancelKillsAfterGrace(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("os.Interrupt cannot be sent on windows")
	}
	name, args, opts := self(t, "stubborn")
	ready := started{make(chan struct{}, 1)}
	opts.Stdout, opts.Grace = ready, 200*time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-ready.c; cancel() }()
	res, err := Run(ctx, name, args, opts)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if res.Wall > 20*time.Second {
		t.Errorf("Wall = %v: the child was not killed after the grace period", res.Wall)
	}
	if res.ExitCode != -1 {
		t.Errorf("ExitCode = %d, want -1 (killed)", res.ExitCode)
	}
}

func BenchmarkRunTrue(b *testing.B) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		b.Skip("no sh")
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Run(context.Background(), sh, []string{"-c", "true"}, nil); err != nil {
			b.Fatal(err)
		}
	}
}
