package match

import (
	"bufio"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"unsafe"
)

// coldBit marks a Ref whose string is in a Population's ColdFile, not in
// its Arena (whose offsets stay below 1<<(refOffBits-1)).
const coldBit Ref = 1 << 63

// maxColdSize bounds a cold file: its offsets share a Ref with coldBit.
const maxColdSize = 1 << (refOffBits - 1)

// ColdFile holds on disk the register's strings that are read only to
// write findings, once per finding (the birth date as written), so that
// only their Refs stay in memory. (The name as written, read that seldom
// too, is also compared with every linked tax and insurance record's by
// rules.KeyOwners.Add, and stays in memory.) A PopulationBuilder given one (BuilderOptions.Cold)
// appends those strings to it as rows are added; the Population reads them
// back with one ReadAt (pread) into a fresh string each time one is asked
// for, without mapping the file, so they never count in the process's
// memory.
//
// Reads are safe from any number of goroutines. An I/O error, writing or
// reading, cannot be returned by Population.Str, which gives "" instead: the
// first one is kept and returned by Err (and Population.Err), naming the
// file, and a caller must check it before it trusts what it has read.
type ColdFile struct {
	path    string
	f       *os.File
	w       *bufio.Writer // nil once the builder is done
	size    uint64        // bytes appended
	written uint64        // bytes flushed to the file: what reads may ask for
	reads   atomic.Int64

	mu     sync.Mutex
	err    error
	closed bool
}

// CreateColdFile creates the file path (which must not exist) for a
// PopulationBuilder's cold strings. Close it when the population is no
// longer used; the file is left for the caller to remove.
func CreateColdFile(path string) (*ColdFile, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("match: creating the cold file: %w", err)
	}
	return &ColdFile{path: path, f: f, w: bufio.NewWriterSize(f, 256<<10)}, nil
}

// Path returns the file's path.
func (c *ColdFile) Path() string { return c.path }

// Size returns the bytes of strings appended to the file.
func (c *ColdFile) Size() int64 { return int64(c.size) }

// Reads returns how many strings have been read back from the file.
func (c *ColdFile) Reads() int64 { return c.reads.Load() }

// Err returns the first error writing or reading the file, nil when there
// was none.
func (c *ColdFile) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// fail keeps err when it is the first error.
func (c *ColdFile) fail(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err == nil {
		c.err = err
	}
}

// Close closes the file; reads after it fail. It returns the error of
// closing, or the first write error when the file was never finished.
func (c *ColdFile) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	if err := c.f.Close(); err != nil {
		return fmt.Errorf("match: closing the cold file %s: %w", c.path, err)
	}
	return nil
}

// add appends s and returns its Ref (the zero Ref for ""). After an error
// it stores nothing more: the error is kept and the run is to fail on it.
func (c *ColdFile) add(s string) Ref {
	n := len(s)
	if n == 0 {
		return 0
	}
	if c.w == nil {
		c.fail(fmt.Errorf("match: cold file %s: string added after the population was built", c.path))
		return 0
	}
	if n > MaxStringLen || c.size+uint64(n) > maxColdSize {
		c.fail(fmt.Errorf("match: cold file %s: a string of %d bytes does not fit (at %d bytes, the limits are %d a string and %d in all)",
			c.path, n, c.size, MaxStringLen, uint64(maxColdSize)))
		return 0
	}
	if c.Err() != nil {
		return 0
	}
	if _, err := c.w.WriteString(s); err != nil {
		c.fail(fmt.Errorf("match: writing the cold file %s: %w", c.path, err))
		return 0
	}
	r := coldBit | Ref(c.size<<refLenBits|uint64(n))
	c.size += uint64(n)
	return r
}

// finish writes out what is buffered; the file is only read after it.
func (c *ColdFile) finish() {
	if c.w == nil {
		return
	}
	if err := c.w.Flush(); err != nil {
		c.fail(fmt.Errorf("match: writing the cold file %s: %w", c.path, err))
	}
	c.w = nil
	c.written = c.size
}

// get reads the string r refers to into a fresh string; "" on an error,
// which is kept.
func (c *ColdFile) get(r Ref) string {
	n := r.Len()
	if n == 0 {
		return ""
	}
	off := (r &^ coldBit).off()
	c.reads.Add(1)
	if off+uint64(n) > c.written {
		c.fail(fmt.Errorf("match: cold file %s: %d bytes at offset %d asked for, %d written", c.path, n, off, c.written))
		return ""
	}
	buf := make([]byte, n)
	if _, err := c.f.ReadAt(buf, int64(off)); err != nil {
		c.fail(fmt.Errorf("match: reading %d bytes at offset %d of the cold file %s: %w", n, off, c.path, err))
		return ""
	}
	return unsafe.String(&buf[0], n) // buf is never written again
}
