// Package spill manages the temporary directory of one run that keeps
// part of its data on disk instead of in memory: it is created marked as
// doisanh's, measured, and removed whole when the run ends, whether it
// succeeds, fails or is interrupted; a directory left by a run that was
// killed is recognised by its mark and removed by the next run. A file of
// it can be mapped into memory (Dir.Map), for data that need not be on the
// Go heap.
package spill

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// Prefix begins the name of every run's directory: Prefix + pid + "-" + random.
const Prefix = "doisanh-tmp-"

// markName is the file that marks a directory as a run's, holding its
// process id.
const markName = ".doisanh-spill"

// Dir is one run's temporary directory. Its methods are safe for
// concurrent use.
type Dir struct {
	path string

	mu   sync.Mutex
	peak int64 // the largest Size measured (Measure)
}

// Create makes a new run directory under parent (which must exist) and
// marks it with the process id.
func Create(parent string) (*Dir, error) {
	if parent == "" {
		parent = os.TempDir()
	}
	st, err := os.Stat(parent)
	if err != nil {
		return nil, fmt.Errorf("temporary directory: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("temporary directory %s: not a directory", parent)
	}
	pid := strconv.Itoa(os.Getpid())
	path, err := os.MkdirTemp(parent, Prefix+pid+"-")
	if err != nil {
		return nil, fmt.Errorf("temporary directory: %w", err)
	}
	if err := os.WriteFile(filepath.Join(path, markName), []byte(pid+"\n"), 0o600); err != nil {
		os.RemoveAll(path)
		return nil, fmt.Errorf("temporary directory: %w", err)
	}
	return &Dir{path: path}, nil
}

// Path is the directory's path.
func (d *Dir) Path() string { return d.path }

// File returns the path of a file named name in the directory.
func (d *Dir) File(name string) string { return filepath.Join(d.path, name) }

// Measure adds up the sizes of the directory's files now and returns it;
// Peak is the largest of these measures.
func (d *Dir) Measure() int64 {
	var n int64
	filepath.WalkDir(d.path, func(_ string, e fs.DirEntry, err error) error {
		if err == nil && e.Type().IsRegular() {
			if info, err := e.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	d.mu.Lock()
	d.peak = max(d.peak, n)
	d.mu.Unlock()
	return n
}

// Peak is the largest size Measure found, in bytes.
func (d *Dir) Peak() int64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.peak
}

// Remove measures the directory a last time and removes it with
// everything in it.
func (d *Dir) Remove() error {
	d.Measure()
	if err := os.RemoveAll(d.path); err != nil {
		return fmt.Errorf("removing the temporary directory: %w", err)
	}
	return nil
}

// CleanStale removes the run directories under parent that are marked as
// doisanh's and whose process is gone (a run that was killed), and returns
// their paths. It touches nothing else: a directory named like a run's
// without the mark, or whose process still runs, is left alone.
func CleanStale(parent string) ([]string, error) {
	if parent == "" {
		parent = os.TempDir()
	}
	entries, err := os.ReadDir(parent)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("temporary directory: %w", err)
	}
	var removed []string
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), Prefix) {
			continue
		}
		path := filepath.Join(parent, e.Name())
		b, err := os.ReadFile(filepath.Join(path, markName))
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid <= 0 || pid == os.Getpid() || alive(pid) {
			continue
		}
		if err := os.RemoveAll(path); err != nil {
			return removed, fmt.Errorf("removing %s: %w", path, err)
		}
		removed = append(removed, path)
	}
	return removed, nil
}

// alive reports whether process pid exists (signal 0 reaches it, or it
// exists and belongs to someone else).
func alive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	if runtime.GOOS == "windows" {
		return true // FindProcess found it; signal 0 is not there to ask
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}
