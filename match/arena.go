package match

import (
	"encoding/binary"
	"fmt"
	"unsafe"
)

// Ref refers to a string stored in an Arena: the offset of the string's
// record in units of refUnit bytes (the top bit, coldBit, marks a string in
// a Population's ColdFile instead). A record is the string's length as a
// uvarint followed by its bytes, padded to a multiple of refUnit, so a Ref
// is one uint32 and a column of Refs a flat []Ref the garbage collector
// does not scan. The zero Ref is the empty string in every arena.
type Ref uint32

const (
	// MaxStringLen is the longest string an Arena stores (16 MiB - 1).
	MaxStringLen = 1<<24 - 1

	refUnitShift = 2 // offsets count 4-byte units: 2^31 of them, 8 GiB
	refUnit      = 1 << refUnitShift
	// maxArenaSize is the most bytes an Arena or a ColdFile holds: the
	// offsets of 31 bits (below coldBit) in refUnits.
	maxArenaSize = 1 << (31 + refUnitShift)

	chunkShift = 20 // 1 MiB chunks
	chunkSize  = 1 << chunkShift
	chunkMask  = chunkSize - 1
)

// recordLen returns the bytes a string of n bytes takes in an arena or a
// cold file: its uvarint length, itself, the padding to a refUnit.
func recordLen(n int) uint64 {
	h := 1
	for v := n; v >= 0x80; v >>= 7 {
		h++
	}
	return uint64(h+n+refUnit-1) &^ (refUnit - 1)
}

// Arena is an append-only store of strings. It holds them in 1 MiB chunks of
// bytes that are never moved or modified once written, so millions of
// strings cost a handful of heap objects and nothing for the garbage
// collector to scan.
//
// An arena holds at most 8 GiB (about 120 million people's strings): an
// Add past that stores nothing, returns the zero Ref and keeps an error for
// Err, which the owner checks once filling is done.
//
// The zero Arena is empty and ready to use. Add must not be called
// concurrently with any other method; once filling is done, Get may be
// called from any number of goroutines.
type Arena struct {
	chunks [][]byte // chunk i covers offsets [i<<chunkShift, (i+1)<<chunkShift)
	size   uint64   // bytes handed out, including the unused tails of chunks
	used   uint64   // bytes of string data
	limit  uint64   // the most bytes handed out; 0 is maxArenaSize (tests set less)
	err    error
}

// Add stores s and returns its reference. The empty string is not stored
// and gets the zero Ref. Strings longer than MaxStringLen cause a panic:
// callers reject such values at input.
func (a *Arena) Add(s string) Ref {
	n := len(s)
	if n == 0 {
		return 0
	}
	if n > MaxStringLen {
		panic(fmt.Sprintf("match: Arena.Add: string of %d bytes exceeds MaxStringLen", n))
	}
	off, ok := a.alloc(recordLen(n))
	if !ok {
		return 0
	}
	c := a.chunks[off>>chunkShift][off&chunkMask:]
	h := binary.PutUvarint(c, uint64(n))
	copy(c[h:], s)
	a.used += uint64(n)
	return Ref(off >> refUnitShift)
}

// AddBytes stores the bytes of b as a string, like Add(string(b)) without
// the conversion.
func (a *Arena) AddBytes(b []byte) Ref {
	return a.Add(unsafe.String(unsafe.SliceData(b), len(b)))
}

// alloc reserves n contiguous bytes (a multiple of refUnit) and returns
// their offset. A record never straddles two chunks: one that does not fit
// in the current chunk starts a new one, and one longer than a chunk gets a
// chunk of its own spanning several chunk numbers (the numbers it covers
// beyond the first stay nil). The first refUnit of the arena is never handed
// out: offset 0 is the zero Ref.
func (a *Arena) alloc(n uint64) (uint64, bool) {
	if a.err != nil {
		return 0, false
	}
	within := a.size & chunkMask
	if len(a.chunks) > 0 && within != 0 && within+n <= chunkSize {
		off := a.size
		a.size += n
		return off, true
	}
	// Start a new chunk at the next chunk boundary.
	start := (a.size + chunkMask) &^ chunkMask
	skip := uint64(0)
	if start == 0 {
		skip = refUnit
	}
	span := (skip + n + chunkMask) >> chunkShift
	limit := a.limit
	if limit == 0 {
		limit = maxArenaSize
	}
	if start+span<<chunkShift > limit {
		a.err = fmt.Errorf("match: the strings of one arena exceed %d MiB", limit>>20)
		return 0, false
	}
	a.chunks = append(a.chunks, make([]byte, span<<chunkShift))
	for range span - 1 {
		a.chunks = append(a.chunks, nil)
	}
	if span == 1 {
		a.size = start + skip + n
	} else {
		a.size = start + span<<chunkShift // the next record starts a fresh chunk
	}
	return start + skip, true
}

// Get returns the string r refers to. The result shares the arena's memory
// (it is made with unsafe.String and does not copy); this is safe because
// arena bytes are never modified, and the string keeps its chunk alive.
// A Ref from another arena gives a wrong string or a panic.
func (a *Arena) Get(r Ref) string {
	if r == 0 {
		return ""
	}
	off := uint64(r) << refUnitShift
	c := a.chunks[off>>chunkShift][off&chunkMask:]
	if n := c[0]; n < 0x80 {
		return unsafe.String(&c[1], int(n))
	}
	n, h := binary.Uvarint(c)
	return unsafe.String(&c[h], int(n))
}

// Err returns the error of the first Add that did not fit, nil when every
// string was stored.
func (a *Arena) Err() error { return a.err }

// Len returns the number of bytes of string data stored.
func (a *Arena) Len() int64 { return int64(a.used) }

// Cap returns the bytes of memory the arena holds, including the record
// headers, the padding and the unused space at the end of each chunk.
func (a *Arena) Cap() int64 {
	var n int64
	for _, c := range a.chunks {
		n += int64(len(c))
	}
	return n
}

// peek reads the first byte of the string r refers to, or gives 0 for
// the empty string and a string in a cold file: it only brings the
// string's memory into the cache (Linker.Warm).
func (a *Arena) peek(r Ref) uint32 {
	if r == 0 || r&coldBit != 0 {
		return 0
	}
	off := uint64(r) << refUnitShift
	if c := off >> chunkShift; c < uint64(len(a.chunks)) {
		return uint32(a.chunks[c][off&chunkMask])
	}
	return 0
}
