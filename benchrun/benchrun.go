// Package benchrun runs a child command and measures its wall time and peak
// resident memory, for "doisanh bench".
//
// The peak RSS comes from the rusage the kernel reports when the child is
// reaped (getrusage/wait4 ru_maxrss), so it is exact for the child alone and
// costs nothing while the child runs. It is zero on systems that do not
// report it.
package benchrun

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"
)

// DefaultGrace is how long a child has to exit after it was interrupted
// because the context was done, before it is killed.
const DefaultGrace = 5 * time.Second

// Options configure Run. The zero value runs the child in the current
// directory with the current environment and discards its output.
type Options struct {
	Dir    string    // working directory of the child; empty: the current one
	Env    []string  // environment of the child; nil: the current one
	Stdout io.Writer // child's standard output; nil: discarded
	Stderr io.Writer // child's standard error; nil: discarded
	// Grace is how long the child has to exit after it is sent os.Interrupt
	// when ctx is done; then it is killed. Zero means DefaultGrace.
	Grace time.Duration
}

// Result is what one run of a child cost.
type Result struct {
	Wall     time.Duration // from start to exit
	User     time.Duration // CPU time in user mode
	System   time.Duration // CPU time in the kernel
	MaxRSS   int64         // peak resident set size in bytes; 0 when unknown
	ExitCode int           // -1 when killed by a signal
}

// MaxRSSMiB returns the peak resident set size in MiB.
func (r Result) MaxRSSMiB() float64 { return float64(r.MaxRSS) / (1 << 20) }

// Run starts name with args, waits for it and measures it. When ctx is done
// before the child exits, the child is sent os.Interrupt and, after
// opts.Grace, killed; Run then returns an error wrapping ctx.Err().
//
// A child that exits with a non-zero status yields its Result (with
// ExitCode set) and an error wrapping *exec.ExitError. The error names the
// command; the child's own messages are on opts.Stderr.
func Run(ctx context.Context, name string, args []string, opts *Options) (Result, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Grace <= 0 {
		o.Grace = DefaultGrace
	}
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Env = o.Dir, o.Env
	cmd.Stdout, cmd.Stderr = o.Stdout, o.Stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = o.Grace

	start := time.Now()
	if err := cmd.Start(); err != nil {
		return Result{}, fmt.Errorf("start %s: %w", name, err)
	}
	err := cmd.Wait()
	res := Result{Wall: time.Since(start)}
	if ps := cmd.ProcessState; ps != nil {
		res.User, res.System = ps.UserTime(), ps.SystemTime()
		res.MaxRSS = maxRSS(ps)
		res.ExitCode = ps.ExitCode()
	}
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return res, fmt.Errorf("%s: %w (%v)", name, ctxErr, err)
		}
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return res, fmt.Errorf("%s: %w", name, err)
		}
		return res, fmt.Errorf("wait %s: %w", name, err)
	}
	return res, nil
}
