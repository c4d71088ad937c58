// Package output writes everything a reconciliation run produces
// (docs/OUTPUTS.md): findings and rejects as Parquet and CSV, per-commune fix lists
// for the commune police, summary.json, a self-contained report.html and
// manifest.json. A run is written into a temporary directory beside its
// final place and renamed into place by Commit, so an interrupted run never
// leaves a half-written result that looks complete.
package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Options control how a run directory is written.
type Options struct {
	XLSX     bool             // also write each fix list as .xlsx
	Version  string           // doisanh version, recorded in summary and manifest
	Now      func() time.Time // clock; time.Now when nil (tests set it)
	Progress func(msg string) // optional progress messages
}

// Dir is a run directory being written. Its files go to a temporary
// directory until Commit renames it into place.
type Dir struct {
	final string
	tmp   string
	opts  Options

	rejects      int64 // rows written by WriteRejects
	wroteRejects bool
	writeStart   time.Time // when the first output file was begun
	done         bool      // committed or aborted

	progressMu sync.Mutex // files may be written side by side
}

// Create starts a run whose result will be final. It makes the temporary
// directory final+".tmp-<random>" beside it, which fails early when final's
// parent cannot be written. final itself is not touched until Commit.
func Create(final string, opts Options) (*Dir, error) {
	if final == "" {
		return nil, errors.New("output: no output directory given")
	}
	final = filepath.Clean(final)
	if fi, err := os.Stat(final); err == nil && !fi.IsDir() {
		return nil, fmt.Errorf("output %s: exists and is not a directory", final)
	}
	parent := filepath.Dir(final)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("output %s: %w", final, err)
	}
	tmp, err := os.MkdirTemp(parent, filepath.Base(final)+".tmp-")
	if err != nil {
		return nil, fmt.Errorf("output %s: cannot write beside it: %w", final, err)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Dir{final: final, tmp: tmp, opts: opts}, nil
}

// Path returns the temporary directory being written.
func (d *Dir) Path() string { return d.tmp }

func (d *Dir) progress(format string, args ...any) {
	if d.opts.Progress != nil {
		d.progressMu.Lock()
		defer d.progressMu.Unlock()
		d.opts.Progress(fmt.Sprintf(format, args...))
	}
}

// Commit atomically replaces the final directory with the written one. An
// existing final directory is renamed aside (final+".old-<time>"), the
// temporary directory renamed to final, and then the old one removed. On
// failure the previous result is left in place and the error says so.
func (d *Dir) Commit() error {
	if d.done {
		return fmt.Errorf("output %s: already committed or aborted", d.final)
	}
	old := ""
	if _, err := os.Lstat(d.final); err == nil {
		old = fmt.Sprintf("%s.old-%s", d.final, d.opts.Now().Format("20060102T150405.000000000"))
		if err := os.Rename(d.final, old); err != nil {
			return fmt.Errorf("output %s: cannot move the previous result aside (it is left in place; the new result is in %s): %w", d.final, d.tmp, err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("output %s: %w (the new result is in %s)", d.final, err, d.tmp)
	}
	if err := os.Rename(d.tmp, d.final); err != nil {
		if old != "" {
			if rerr := os.Rename(old, d.final); rerr != nil {
				return fmt.Errorf("output %s: cannot rename %s into place: %w; the previous result is in %s (could not restore it: %v)", d.final, d.tmp, err, old, rerr)
			}
		}
		return fmt.Errorf("output %s: cannot rename %s into place (the previous result is left in place): %w", d.final, d.tmp, err)
	}
	d.done = true
	if old != "" {
		if err := os.RemoveAll(old); err != nil {
			return fmt.Errorf("output %s: committed, but could not remove the previous result %s: %w", d.final, old, err)
		}
	}
	d.progress("wrote %s", d.final)
	return nil
}

// Abort removes the temporary directory. The previous result, if any, is
// untouched. Abort after Commit does nothing.
func (d *Dir) Abort() error {
	if d.done {
		return nil
	}
	d.done = true
	if err := os.RemoveAll(d.tmp); err != nil {
		return fmt.Errorf("output %s: removing %s: %w", d.final, d.tmp, err)
	}
	return nil
}

// create makes the file rel (slash-separated) inside the temporary directory,
// with its parent directories.
func (d *Dir) create(rel string) (*os.File, error) {
	path := filepath.Join(d.tmp, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	return os.Create(path)
}

// writeFile writes rel by calling write on a buffered file and closes it;
// errors name the file.
func (d *Dir) writeFile(rel string, write func(f *os.File) error) error {
	f, err := d.create(rel)
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if strings.Contains(err.Error(), rel) {
			return fmt.Errorf("output: %w", err)
		}
		return fmt.Errorf("output %s: %w", rel, err)
	}
	return nil
}
