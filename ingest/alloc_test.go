package ingest

import (
	"bytes"
	"testing"
	"unsafe"
)

// TestPoolAllocator: buffers are aligned, of the asked length, zeroed
// even when recycled, and keep their bytes when they grow.
func TestPoolAllocator(t *testing.T) {
	var p poolAllocator
	aligned := func(b []byte) bool { return cap(b) == 0 || uintptr(unsafe.Pointer(unsafe.SliceData(b)))%64 == 0 }
	for _, size := range []int{0, 1, 63, 64, 65, 1000, 4096, 1 << 20, 3<<20 + 5} {
		for round := range 3 {
			b := p.Allocate(size)
			if len(b) != size || !aligned(b) {
				t.Fatalf("Allocate(%d), round %d: len %d cap %d aligned %v", size, round, len(b), cap(b), aligned(b))
			}
			if bytes.IndexFunc(b, func(r rune) bool { return r != 0 }) >= 0 {
				t.Fatalf("Allocate(%d), round %d: not zeroed", size, round)
			}
			for i := range b {
				b[i] = 0xAB // dirty it before it is recycled
			}
			p.Free(b)
		}
	}
	b := p.Allocate(100)
	copy(b, "hello")
	b = p.Reallocate(50, b) // shrinks within its capacity
	b = p.Reallocate(120, b)
	if string(b[:5]) != "hello" || len(b) != 120 || bytes.IndexFunc(b[50:], func(r rune) bool { return r != 0 }) >= 0 {
		t.Fatalf("Reallocate within capacity: %q", b[:8])
	}
	b = p.Reallocate(10_000, b) // moves
	if string(b[:5]) != "hello" || len(b) != 10_000 || !aligned(b) || bytes.IndexFunc(b[5:], func(r rune) bool { return r != 0 }) >= 0 {
		t.Fatalf("Reallocate to a larger class: %q len %d", b[:8], len(b))
	}
	p.Free(make([]byte, 100)) // not one of its buffers: ignored
	if c := p.Allocate(100); cap(c) != 128 {
		t.Errorf("Allocate(100) has capacity %d, want 128", cap(c))
	}
}
