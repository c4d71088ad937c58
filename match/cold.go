package match

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"unsafe"
)

// coldBit marks a Ref whose string is in a Population's ColdFile, not in
// its Arena (whose offsets stay below it). A cold file's records are laid
// out as an arena's: the uvarint length, the bytes, the padding to a
// refUnit; it holds at most maxArenaSize bytes.
const coldBit Ref = 1 << 31

// coldPeek is the bytes one read of a cold record asks for: the header and
// the whole of any string shorter than that, a birth date as written.
const coldPeek = 32

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
	rec := recordLen(n)
	if c.size == 0 {
		c.size = refUnit // offset 0 is the zero Ref
		if _, err := c.w.Write(make([]byte, refUnit)); err != nil {
			c.fail(fmt.Errorf("match: writing the cold file %s: %w", c.path, err))
			return 0
		}
	}
	if n > MaxStringLen || c.size+rec > maxArenaSize {
		c.fail(fmt.Errorf("match: cold file %s: a string of %d bytes does not fit (at %d bytes, the limits are %d a string and %d in all)",
			c.path, n, c.size, MaxStringLen, uint64(maxArenaSize)))
		return 0
	}
	if c.Err() != nil {
		return 0
	}
	var hdr [binary.MaxVarintLen64 + refUnit]byte
	h := binary.PutUvarint(hdr[:], uint64(n))
	pad := int(rec) - h - n
	_, err := c.w.Write(hdr[:h])
	if err == nil {
		_, err = c.w.WriteString(s)
	}
	if err == nil {
		_, err = c.w.Write(hdr[binary.MaxVarintLen64 : binary.MaxVarintLen64+pad]) // zeros
	}
	if err != nil {
		c.fail(fmt.Errorf("match: writing the cold file %s: %w", c.path, err))
		return 0
	}
	r := coldBit | Ref(c.size>>refUnitShift)
	c.size += rec
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
	if r&^coldBit == 0 {
		return ""
	}
	off := uint64(r&^coldBit) << refUnitShift
	c.reads.Add(1)
	if off >= c.written {
		c.fail(fmt.Errorf("match: cold file %s: a string at offset %d asked for, %d bytes written", c.path, off, c.written))
		return ""
	}
	buf := make([]byte, min(coldPeek, c.written-off))
	if _, err := c.f.ReadAt(buf, int64(off)); err != nil {
		c.fail(fmt.Errorf("match: reading %d bytes at offset %d of the cold file %s: %w", len(buf), off, c.path, err))
		return ""
	}
	n, h := binary.Uvarint(buf)
	if h <= 0 || n == 0 || n > MaxStringLen || off+uint64(h)+n > c.written {
		c.fail(fmt.Errorf("match: cold file %s: no string record at offset %d (the file was changed)", c.path, off))
		return ""
	}
	if end := uint64(h) + n; end <= uint64(len(buf)) {
		return unsafe.String(&buf[h], int(n)) // buf is never written again
	}
	long := make([]byte, n)
	if _, err := c.f.ReadAt(long, int64(off)+int64(h)); err != nil {
		c.fail(fmt.Errorf("match: reading %d bytes at offset %d of the cold file %s: %w", n, off+uint64(h), c.path, err))
		return ""
	}
	return unsafe.String(&long[0], int(n))
}
