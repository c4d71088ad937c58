// Command doisanh reconciles Vietnam's residence register (CSDLQG về dân cư)
// against tax, social-insurance and civil-status extracts and writes
// per-commune fix lists. Run "doisanh demo" for a synthetic example.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// Exit codes, documented in README.md (Commands).
const (
	exitOK          = 0   // done
	exitFail        = 1   // the command failed: bad input, I/O error, runs not comparable
	exitUsage       = 2   // wrong command line: unknown command or flag, missing argument
	exitInterrupted = 130 // stopped by Ctrl-C (SIGINT) or SIGTERM; the previous result is untouched
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:]))
}

// run executes the command line args and returns the process exit code.
func run(ctx context.Context, args []string) int {
	return runWith(ctx, args, os.Stdout, os.Stderr)
}

// runWith is run with the standard streams given.
func runWith(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	code := exitCode(ctx, err)
	if err != nil {
		en := argsLang(args) == langEN
		msg := err.Error()
		var v vietnamese
		if !en && errors.As(err, &v) {
			msg = v.Vietnamese()
		}
		if code == exitInterrupted {
			msg = "đã dừng theo yêu cầu (Ctrl-C); kết quả cũ (nếu có) được giữ nguyên"
			if en {
				msg = "stopped (Ctrl-C); the previous result, if any, is untouched"
			}
		}
		fmt.Fprintln(stderr, "doisanh:", msg)
		if code == exitUsage && !strings.Contains(msg, "--help") {
			if en {
				fmt.Fprintln(stderr, `See "doisanh --help" (or "doisanh COMMAND --help").`)
			} else {
				fmt.Fprintln(stderr, `Xem "doisanh --help" (hoặc "doisanh LỆNH --help").`)
			}
		}
	}
	return code
}

// argsLang is the language asked for on the command line or in
// DOISANH_LANG, read without cobra (for messages after a failed parse).
func argsLang(args []string) string {
	lang := os.Getenv("DOISANH_LANG")
	for i, a := range args {
		switch {
		case a == "--lang" && i+1 < len(args):
			lang = args[i+1]
		case strings.HasPrefix(a, "--lang="):
			lang = strings.TrimPrefix(a, "--lang=")
		}
	}
	if lang == langEN {
		return langEN
	}
	return langVI
}

// exitCode maps the error of a command to the process exit code.
func exitCode(ctx context.Context, err error) int {
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case ctx.Err() != nil || errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.As(err, &ue), isCobraUsage(err):
		return exitUsage
	}
	return exitFail
}

// isCobraUsage recognises the errors cobra returns for a wrong command line
// before any command runs (unknown command, unknown flag).
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command ", "unknown flag: ", "unknown shorthand flag: ", "required flag(s) "} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

// vietnamese is an error that has its message in Vietnamese too
// (output.ForeignDirError, output.LockedError, localized); runWith shows it
// unless --lang en.
type vietnamese interface {
	error
	Vietnamese() string
}

// localized is an error of cmd with its message in both languages.
type localized struct{ en, vi string }

func (e localized) Error() string      { return e.en }
func (e localized) Vietnamese() string { return e.vi }

// usageError marks an error in how the command was called (exit code 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// usagef returns a usage error.
func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}
