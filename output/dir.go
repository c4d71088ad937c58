// Package output writes everything a reconciliation run produces
// (docs/OUTPUTS.md): findings and rejects as Parquet and CSV, per-commune fix lists
// for the commune police, summary.json, a self-contained report.html and
// manifest.json. A run is written into a temporary directory beside its
// final place and swapped into place by Commit, so an interrupted run never
// leaves a half-written result that looks complete, and an existing
// directory is replaced only when it is empty or an unchanged doisanh
// result (see Create).
package output

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Options control how a run directory is written.
type Options struct {
	XLSX     bool             // also write each fix list as .xlsx
	Version  string           // doisanh version, recorded in summary and manifest
	Now      func() time.Time // clock; time.Now when nil (tests set it)
	Progress func(msg string) // optional progress messages, in English with bare counts ("wrote 1234 findings")
}

// Dir is a run directory being written. Its files go to a temporary
// directory until Commit renames it into place.
//
// Its contract, for the user's files: the final directory is replaced only
// when it does not exist, is empty, or holds an unchanged doisanh result
// (see Create); one run at a time writes to it (a lock file beside it); it
// is at every moment either the previous result or the complete new one;
// an interrupted or failed run leaves the previous result as it was, and
// what a killed run left beside it is removed by the next run.
type Dir struct {
	final string
	tmp   string
	opts  Options

	lock     *os.File // held from Create to Commit or Abort
	lockPath string
	stale    []Stale // what Create cleaned up
	// swap exchanges two directories in one step (exchange; tests replace
	// it to take the path of file systems that cannot).
	swap func(a, b string) error

	rejects      int64 // rows written by WriteRejects
	wroteRejects bool
	writeStart   time.Time // when the first output file was begun
	done         bool      // committed or aborted

	progressMu sync.Mutex // files may be written side by side

	// sums holds the sha256 of every file writeFile wrote, by path
	// relative to tmp, for the manifest: taken by the goroutine that wrote
	// the file, while it is in the page cache, so that the files written
	// side by side are summed side by side.
	sumsMu sync.Mutex
	sums   map[string]string
}

// Stale is a directory left beside the output directory by a run that was
// killed, which Create found and dealt with.
type Stale struct {
	Path string
	// Restored is true when Path held the previous result, moved aside by
	// a run killed before it put its own in place (only where the file
	// system cannot swap two directories in one step), and was renamed
	// back to the output directory; otherwise Path was removed.
	Restored bool
}

// Create starts a run whose result will be final. In order, it:
//
//   - takes the lock final+".lock" beside final, or returns a *LockedError
//     at once when another run holds it;
//   - deals with what killed runs left beside final (final+".tmp-*",
//     final+".old-*"): restores a previous result that was moved aside when
//     final is missing, and removes the rest (Stale lists them);
//   - checks that final may be replaced: it does not exist, is an empty
//     directory, or holds a doisanh result to which nothing was added and
//     in which nothing was changed; anything else is a *ForeignDirError and
//     nothing is touched;
//   - makes the temporary directory final+".tmp-<random>" beside it, with
//     the permissions of the previous result (0755 for a new one).
//
// final itself is not touched until Commit.
func Create(final string, opts Options) (*Dir, error) {
	if final == "" {
		return nil, errors.New("output: no output directory given")
	}
	final, err := filepath.Abs(final)
	if err != nil {
		return nil, fmt.Errorf("output %s: %w", final, err)
	}
	parent := filepath.Dir(final)
	if parent == final {
		return nil, &ForeignDirError{Dir: final, Kind: NoManifest}
	}
	if fi, err := os.Lstat(final); err == nil && !fi.IsDir() {
		kind := NotDirectory
		if fi.Mode()&fs.ModeSymlink != 0 {
			kind = Symlink
		}
		return nil, &ForeignDirError{Dir: final, Kind: kind}
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("output %s: %w", final, err)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	d := &Dir{final: final, opts: opts, lockPath: final + lockSuffix, swap: exchange}
	// The lock file is empty and removed on unlock: anything else of that
	// name is someone's file.
	if fi, err := os.Lstat(d.lockPath); err == nil && (!fi.Mode().IsRegular() || fi.Size() > 0) {
		return nil, fmt.Errorf("output %s: %s exists and is not doisanh's lock file; move it away", final, d.lockPath)
	}
	d.lock, err = tryLock(d.lockPath)
	if errors.Is(err, errLockHeld) {
		return nil, &LockedError{Dir: final, Lock: d.lockPath}
	}
	if err != nil {
		return nil, fmt.Errorf("output %s: cannot write beside it: %w", final, err)
	}
	ok := false
	defer func() {
		if !ok {
			d.unlock()
		}
	}()
	if err := d.cleanStale(); err != nil {
		return nil, err
	}
	_, mode, err := inspect(final)
	if err != nil {
		return nil, err
	}
	d.tmp, err = os.MkdirTemp(parent, filepath.Base(final)+tmpInfix)
	if err != nil {
		return nil, fmt.Errorf("output %s: cannot write beside it: %w", final, err)
	}
	if err := os.Chmod(d.tmp, mode); err != nil {
		os.Remove(d.tmp)
		return nil, fmt.Errorf("output %s: %w", final, err)
	}
	ok = true
	return d, nil
}

// Infixes of the directories a run makes beside the final one.
const (
	tmpInfix = ".tmp-" // + random digits (os.MkdirTemp): the run being written
	oldInfix = ".old-" // + oldStamp: the previous result moved aside
	oldStamp = "20060102T150405.000000000"
)

// staleKind says whether name (in the parent directory) is a temporary
// (".tmp-") or set-aside (".old-") directory of the output directory base,
// by the exact form Create and Commit give them.
func staleKind(base, name string) string {
	rest, ok := strings.CutPrefix(name, base)
	if !ok {
		return ""
	}
	if s, ok := strings.CutPrefix(rest, tmpInfix); ok && s != "" && strings.Trim(s, "0123456789") == "" {
		return tmpInfix
	}
	if s, ok := strings.CutPrefix(rest, oldInfix); ok {
		if _, err := time.Parse(oldStamp, s); err == nil {
			return oldInfix
		}
	}
	return ""
}

// cleanStale deals with the directories killed runs left beside final; it
// runs under the lock, so no live run owns them.
func (d *Dir) cleanStale() error {
	parent, base := filepath.Dir(d.final), filepath.Base(d.final)
	es, err := os.ReadDir(parent)
	if err != nil {
		return fmt.Errorf("output %s: %w", d.final, err)
	}
	var tmps, olds []string
	for _, e := range es {
		if !e.IsDir() {
			continue
		}
		switch staleKind(base, e.Name()) {
		case tmpInfix:
			tmps = append(tmps, filepath.Join(parent, e.Name()))
		case oldInfix:
			olds = append(olds, filepath.Join(parent, e.Name()))
		}
	}
	// A run killed between moving the previous result aside and renaming
	// its own into place left no final: the newest complete result set
	// aside goes back.
	if _, err := os.Lstat(d.final); errors.Is(err, fs.ErrNotExist) {
		for i := len(olds) - 1; i >= 0; i-- {
			if checkComplete(olds[i], false) != nil {
				continue
			}
			if err := os.Rename(olds[i], d.final); err != nil {
				return fmt.Errorf("output %s: cannot restore the previous result from %s: %w", d.final, olds[i], err)
			}
			d.stale = append(d.stale, Stale{Path: olds[i], Restored: true})
			d.progress("restored the previous result from %s", olds[i])
			olds = append(olds[:i], olds[i+1:]...)
			break
		}
	}
	for _, p := range append(tmps, olds...) {
		if err := os.RemoveAll(p); err != nil {
			return fmt.Errorf("output %s: removing %s, left by an interrupted run: %w", d.final, p, err)
		}
		d.stale = append(d.stale, Stale{Path: p})
		d.progress("removed %s, left by an interrupted run", p)
	}
	return nil
}

// Stale returns what Create found beside the output directory, left by
// runs that were killed, and removed or restored.
func (d *Dir) Stale() []Stale { return d.stale }

// Path returns the temporary directory being written.
func (d *Dir) Path() string { return d.tmp }

func (d *Dir) progress(format string, args ...any) {
	if d.opts.Progress != nil {
		d.progressMu.Lock()
		defer d.progressMu.Unlock()
		d.opts.Progress(fmt.Sprintf(format, args...))
	}
}

// unlock releases the lock, once.
func (d *Dir) unlock() error {
	if d.lock == nil {
		return nil
	}
	err := unlock(d.lock, d.lockPath)
	d.lock = nil
	if err != nil {
		return fmt.Errorf("output %s: releasing %s: %w", d.final, d.lockPath, err)
	}
	return nil
}

// Commit replaces the final directory with the written one. It checks
// again that final may be replaced (a user may have put files in it while
// the run went on): if not, it returns a *ForeignDirError, final is
// untouched and the new result stays in Path until Abort. Where the file
// system can (Linux), the two directories are swapped in one step and
// the previous result then removed; elsewhere the previous result is
// renamed aside (final+".old-<time>"), the new one renamed into place and
// the old one removed, and a run killed in between has its previous result
// restored by the next Create. On failure the previous result is left in
// place and the error says so.
func (d *Dir) Commit() error {
	if d.done {
		return fmt.Errorf("output %s: already committed or aborted", d.final)
	}
	exists, _, err := inspect(d.final)
	if err != nil {
		return err
	}
	if err := syncDirs(d.tmp); err != nil {
		return fmt.Errorf("output %s: %w", d.final, err)
	}
	// The parent's entries are synced once the result is in place, so
	// that the swap itself survives a crash.
	defer syncDir(filepath.Dir(d.final))
	if exists {
		switch err := d.swap(d.tmp, d.final); {
		case err == nil:
			// d.tmp now holds the previous result.
			d.done = true
			rerr := os.RemoveAll(d.tmp)
			uerr := d.unlock()
			if rerr != nil {
				return fmt.Errorf("output %s: committed, but could not remove the previous result, now in %s: %w", d.final, d.tmp, rerr)
			}
			d.progress("wrote %s", d.final)
			return uerr
		case errors.Is(err, fs.ErrNotExist):
			exists = false // removed by someone since: renamed into place below
		case !errors.Is(err, errNoExchange):
			return fmt.Errorf("output %s: cannot swap the new result in (the previous result is left in place): %w", d.final, err)
		}
	}
	old := ""
	if exists {
		old = d.final + oldInfix + d.opts.Now().Format(oldStamp)
		switch err := os.Rename(d.final, old); {
		case errors.Is(err, fs.ErrNotExist):
			old = "" // removed by someone since
		case err != nil:
			return fmt.Errorf("output %s: cannot move the previous result aside (it is left in place): %w", d.final, err)
		}
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
			d.unlock()
			return fmt.Errorf("output %s: committed, but could not remove the previous result %s: %w", d.final, old, err)
		}
	}
	d.progress("wrote %s", d.final)
	return d.unlock()
}

// syncDirs flushes the entries of root and of every directory under it
// to disk (the files are synced as they are written), so that after a
// crash the swapped-in result is complete, not a directory of empty files.
func syncDirs(root string) error {
	return filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil || !e.IsDir() {
			return err
		}
		return syncDir(p)
	})
}

// syncDir flushes the entries of the directory at p. File systems and
// systems that cannot sync a directory (EINVAL, Windows) are not an error.
func syncDir(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && runtime.GOOS != "windows" {
		return fmt.Errorf("syncing %s: %w", p, err)
	}
	return nil
}

// Abort removes the temporary directory and releases the lock. The
// previous result, if any, is untouched. Abort after Commit does nothing.
func (d *Dir) Abort() error {
	if d.done {
		return nil
	}
	d.done = true
	err := os.RemoveAll(d.tmp)
	uerr := d.unlock()
	if err != nil {
		return fmt.Errorf("output %s: removing %s: %w", d.final, d.tmp, err)
	}
	return uerr
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

// sum reads f, just written, from its start and keeps its sha256 as rel's.
func (d *Dir) sum(rel string, f *os.File) error {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return err
	}
	d.sumsMu.Lock()
	defer d.sumsMu.Unlock()
	if d.sums == nil {
		d.sums = map[string]string{}
	}
	d.sums[filepath.ToSlash(rel)] = hex.EncodeToString(h.Sum(nil))
	return nil
}

// writeFile writes rel by calling write on a buffered file, sums it for
// the manifest and closes it; errors name the file.
func (d *Dir) writeFile(rel string, write func(f *os.File) error) error {
	f, err := d.create(rel)
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	err = write(f)
	if err == nil {
		err = f.Sync() // on disk before the directory is swapped in
	}
	if err == nil {
		err = d.sum(rel, f)
	}
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
