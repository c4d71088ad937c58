package match

import (
	"fmt"
	"unsafe"
)

// Ref refers to a string stored in an Arena. It packs the string's offset
// in the arena (high 40 bits, of which the top one marks a string in a
// Population's ColdFile instead) and its length in bytes (low 24 bits) into
// one word, so a column of Refs is a flat []Ref the garbage collector does
// not scan. The zero Ref is the empty string in every arena.
type Ref uint64

const (
	refLenBits = 24
	// MaxStringLen is the longest string an Arena stores (16 MiB - 1).
	MaxStringLen = 1<<refLenBits - 1
	refOffBits   = 64 - refLenBits

	chunkShift = 20 // 1 MiB chunks
	chunkSize  = 1 << chunkShift
	chunkMask  = chunkSize - 1
)

// Len returns the length in bytes of the string r refers to.
func (r Ref) Len() int { return int(r & MaxStringLen) }

func (r Ref) off() uint64 { return uint64(r) >> refLenBits }

// Arena is an append-only store of strings. It holds them in 1 MiB chunks of
// bytes that are never moved or modified once written, so millions of
// strings cost a handful of heap objects and nothing for the garbage
// collector to scan.
//
// The zero Arena is empty and ready to use. Add must not be called
// concurrently with any other method; once filling is done, Get may be
// called from any number of goroutines.
type Arena struct {
	chunks [][]byte // chunk i covers offsets [i<<chunkShift, (i+1)<<chunkShift)
	size   uint64   // bytes handed out, including the unused tails of chunks
	used   uint64   // bytes of string data
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
	off := a.alloc(n)
	c := a.chunks[off>>chunkShift]
	copy(c[off&chunkMask:], s)
	a.used += uint64(n)
	return Ref(off<<refLenBits | uint64(n))
}

// AddBytes stores the bytes of b as a string, like Add(string(b)) without
// the conversion.
func (a *Arena) AddBytes(b []byte) Ref {
	return a.Add(unsafe.String(unsafe.SliceData(b), len(b)))
}

// alloc reserves n contiguous bytes and returns their offset. A string never
// straddles two chunks: one that does not fit in the current chunk starts a
// new one, and one longer than a chunk gets a chunk of its own spanning
// several chunk numbers (the numbers it covers beyond the first stay nil).
func (a *Arena) alloc(n int) uint64 {
	within := a.size & chunkMask
	if len(a.chunks) > 0 && within != 0 && within+uint64(n) <= chunkSize {
		off := a.size
		a.size += uint64(n)
		return off
	}
	// Start a new chunk at the next chunk boundary.
	start := (a.size + chunkMask) &^ chunkMask
	span := (uint64(n) + chunkMask) >> chunkShift
	if (start+span<<chunkShift)>>(refOffBits-1) != 0 { // the top bit is coldBit
		panic("match: Arena: more than 512 GiB of strings")
	}
	a.chunks = append(a.chunks, make([]byte, span<<chunkShift))
	for range span - 1 {
		a.chunks = append(a.chunks, nil)
	}
	if span == 1 {
		a.size = start + uint64(n)
	} else {
		a.size = start + span<<chunkShift // the next string starts a fresh chunk
	}
	return start
}

// Get returns the string r refers to. The result shares the arena's memory
// (it is made with unsafe.String and does not copy); this is safe because
// arena bytes are never modified, and the string keeps its chunk alive.
// A Ref from another arena gives a wrong string or a panic.
func (a *Arena) Get(r Ref) string {
	n := r.Len()
	if n == 0 {
		return ""
	}
	off := r.off()
	c := a.chunks[off>>chunkShift]
	i := off & chunkMask
	return unsafe.String(&c[i : i+uint64(n)][0], n)
}

// Len returns the number of bytes of string data stored.
func (a *Arena) Len() int64 { return int64(a.used) }

// Cap returns the bytes of memory the arena holds, including the unused
// space at the end of each chunk.
func (a *Arena) Cap() int64 {
	var n int64
	for _, c := range a.chunks {
		n += int64(len(c))
	}
	return n
}
