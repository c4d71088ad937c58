package ingest

import (
	"math/bits"
	"sync"
	"unsafe"
)

// poolAllocator is the Arrow memory.Allocator of the Parquet reader: it
// hands out zeroed, 64-byte aligned buffers of a power-of-two capacity and
// recycles the ones Arrow frees (when the last array using them is
// released), so that reading a file does not allocate fresh memory for
// every batch's values, offsets, validity bitmaps and page buffers. Nothing
// may point into a buffer once Arrow has freed it: the reader copies every
// string it hands out (see arrowColumn.fill).
type poolAllocator struct {
	pools [maxClass + 1]sync.Pool // by log2 of the capacity
}

const (
	minClass = 6  // 64 bytes
	maxClass = 30 // 1 GiB; larger buffers are not recycled
	align    = 64
)

func (p *poolAllocator) Allocate(size int) []byte {
	k := max(bits.Len(uint(max(size, 1)-1)), minClass)
	if k > maxClass {
		return alignedBytes(size, size)
	}
	if v := p.pools[k].Get(); v != nil {
		b := (*v.(*[]byte))[:size]
		clear(b)
		return b
	}
	return alignedBytes(size, 1<<k)
}

// alignedBytes returns a zeroed slice of length size and capacity c that
// starts on a 64-byte boundary.
func alignedBytes(size, c int) []byte {
	buf := make([]byte, c+align)
	shift := (align - int(uintptr(unsafe.Pointer(unsafe.SliceData(buf)))%align)) % align
	return buf[shift : shift+size : shift+c]
}

func (p *poolAllocator) Reallocate(size int, b []byte) []byte {
	if cap(b) >= size {
		old := len(b)
		b = b[:size]
		if size > old {
			clear(b[old:])
		}
		return b
	}
	nb := p.Allocate(size)
	copy(nb, b)
	p.Free(b)
	return nb
}

func (p *poolAllocator) Free(b []byte) {
	c := cap(b)
	k := bits.Len(uint(c)) - 1
	if c < 1<<minClass || k > maxClass || c != 1<<k {
		return // not one of ours
	}
	b = b[:0]
	p.pools[k].Put(&b)
}
