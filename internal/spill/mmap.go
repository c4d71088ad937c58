package spill

import (
	"errors"
	"fmt"
	"os"
	"runtime"

	"github.com/doisanh/doisanh/internal/memlimit"
)

// CanMap reports whether Dir.Map maps files on this system (Linux); it
// may still return ErrNoMapping for a file system that cannot reserve a
// file's blocks.
const CanMap = runtime.GOOS == "linux"

// ErrNoMapping is returned by Dir.Map where files cannot be mapped into
// memory safely (only Linux can reserve a mapped file's blocks up front):
// the caller keeps its data on the Go heap instead.
var ErrNoMapping = errors.New("mapping files into memory is not supported on this system")

// Mapping is a file of a run's directory mapped into memory, shared with
// the file: the kernel writes the pages the program fills back to it and
// may drop them when it needs the memory for something else, reading them
// back when they are touched again. Memory that lives there is not the Go
// runtime's: the garbage collector neither counts nor scans it, and the
// soft memory limit does not bound it. Its blocks are reserved on disk
// when it is made, so filling it never meets a full disk.
//
// The bytes are valid until Close; using them after is a fault that
// stops the program, so the owner must know every reader is done.
type Mapping struct {
	path string
	f    *os.File
	data []byte
}

// Map creates the file name in the directory with size bytes, reserved on
// disk and zero, and maps it. It returns ErrNoMapping where that is not
// supported.
func (d *Dir) Map(name string, size int64) (*Mapping, error) {
	if size <= 0 {
		return nil, fmt.Errorf("mapping %s: size %d, want more than 0", name, size)
	}
	path := d.File(name)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("mapping %s: %w", name, err)
	}
	data, err := mapFile(f, size)
	if err != nil {
		f.Close()
		os.Remove(path)
		if errors.Is(err, ErrNoMapping) {
			return nil, err
		}
		return nil, fmt.Errorf("mapping %s (%s): %w", path, memlimit.Format(size), err)
	}
	return &Mapping{path: path, f: f, data: data}, nil
}

// Bytes returns the mapped memory, len the size asked for.
func (m *Mapping) Bytes() []byte { return m.data }

// Path returns the mapped file's path.
func (m *Mapping) Path() string { return m.path }

// Close unmaps the memory and closes the file (which is removed with the
// directory). Close is idempotent.
func (m *Mapping) Close() error {
	if m.data == nil {
		return nil
	}
	err := unmap(m.data)
	m.data = nil
	if cerr := m.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("unmapping %s: %w", m.path, err)
	}
	return nil
}
