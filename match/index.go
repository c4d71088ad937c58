package match

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// IndexBuilder collects (key, row) pairs for an Index. The zero value is
// ready to use. Keys are normally hashes (HashString, HashCombine) of a
// normalised ID or of a blocking key; any uint64 works, since the index
// scrambles keys before placing them.
type IndexBuilder struct {
	keys []uint64
	rows []int32
}

// Grow makes room for n more pairs, to avoid regrowing while adding.
func (b *IndexBuilder) Grow(n int) {
	b.keys = slices.Grow(b.keys, n)
	b.rows = slices.Grow(b.rows, n)
}

// Add records that row has key. A row may be added under several keys, and
// under the same key more than once (it is then listed more than once).
func (b *IndexBuilder) Add(key uint64, row int32) {
	b.keys = append(b.keys, key)
	b.rows = append(b.rows, row)
}

// Len returns the number of pairs added since the last Build.
func (b *IndexBuilder) Len() int { return len(b.keys) }

// Build returns an index of the pairs added so far and empties the builder,
// which may then be reused. While building it needs about twice the
// memory of the finished index.
func (b *IndexBuilder) Build() *Index {
	keys, rows, distinct := sortByMix(b.keys, b.rows)
	b.keys, b.rows = nil, nil
	ix := &Index{keys: keys, rows: rows, distinct: distinct}
	ix.dir, ix.shift = buildDir(keys, distinct)
	return ix
}

// Index maps uint64 keys to the rows added under them. It is immutable and
// safe for concurrent use.
//
// Layout (CSR): the pairs are stored in two flat arrays, keys and rows,
// sorted by a scrambled key (equal keys adjacent, their rows in the order
// they were added), plus a directory of bucket offsets into those arrays
// indexed by the top bits of the scrambled key. That is 12 bytes per pair
// plus at most 2 bytes per distinct key, and a handful of heap objects in all.
type Index struct {
	dir      []uint32 // bucket b holds pairs [dir[b], dir[b+1])
	shift    uint     // bucket of key k is mix(k) >> shift
	keys     []uint64
	rows     []int32
	distinct int
}

// Lookup returns the rows added under key, in the order they were added, or
// nil. It does not allocate. The result aliases the index and must not be
// modified (appending to it is safe: its capacity is its length).
// Lookup on a nil *Index returns nil.
func (ix *Index) Lookup(key uint64) []int32 {
	if ix == nil || len(ix.keys) == 0 {
		return nil
	}
	h := mix(key)
	b := h >> ix.shift
	lo, hi := int(ix.dir[b]), int(ix.dir[b+1])
	keys := ix.keys
	if hi-lo > 64 {
		// A long bucket (one key with many rows, or bad luck): the pairs are
		// sorted by mix(key), and equal mix means equal key.
		i := lo + searchMix(keys[lo:hi], h)
		if i == hi || keys[i] != key {
			return nil
		}
		j := hi
		if h != math.MaxUint64 {
			j = i + searchMix(keys[i:hi], h+1)
		}
		return ix.rows[i:j:j]
	}
	for i := lo; i < hi; i++ {
		if keys[i] == key {
			j := i + 1
			for j < hi && keys[j] == key {
				j++
			}
			return ix.rows[i:j:j]
		}
	}
	return nil
}

// searchMix returns the first i with mix(keys[i]) >= h (keys sorted by mix).
func searchMix(keys []uint64, h uint64) int {
	lo, hi := 0, len(keys)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if mix(keys[m]) < h {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// Count returns the number of rows added under key.
func (ix *Index) Count(key uint64) int { return len(ix.Lookup(key)) }

// Groups calls fn for every key added with two or more rows (candidates
// for duplicate detection), with the rows in the order they were added.
// The order of keys is fixed by the key values alone (ascending scrambled
// key), so it is the same in every run and on every platform whatever the
// order of Add calls. rows aliases the index and must not be modified.
func (ix *Index) Groups(fn func(key uint64, rows []int32)) {
	ix.each(2, fn)
}

// Each calls fn for every key in the index, in the order of Groups.
func (ix *Index) Each(fn func(key uint64, rows []int32)) {
	ix.each(1, fn)
}

func (ix *Index) each(min int, fn func(uint64, []int32)) {
	if ix == nil {
		return
	}
	keys := ix.keys
	for i := 0; i < len(keys); {
		j := i + 1
		for j < len(keys) && keys[j] == keys[i] {
			j++
		}
		if j-i >= min {
			fn(keys[i], ix.rows[i:j:j])
		}
		i = j
	}
}

// Len returns the number of (key, row) pairs.
func (ix *Index) Len() int {
	if ix == nil {
		return 0
	}
	return len(ix.keys)
}

// Keys returns the number of distinct keys.
func (ix *Index) Keys() int {
	if ix == nil {
		return 0
	}
	return ix.distinct
}

// Bytes returns the memory held by the index, in bytes.
func (ix *Index) Bytes() int64 {
	if ix == nil {
		return 0
	}
	return int64(cap(ix.keys))*8 + int64(cap(ix.rows))*4 + int64(cap(ix.dir))*4
}

// sortByMix returns copies of keys and rows (rows may be nil) sorted by
// mix(key), stably, and the number of distinct keys. It scatters the pairs
// into buckets by the top bits of mix(key) with one counting pass, then
// sorts each (small) bucket.
func sortByMix(keys []uint64, rows []int32) ([]uint64, []int32, int) {
	n := len(keys)
	if uint64(n) >= math.MaxUint32 {
		panic(fmt.Sprintf("match: index of %d pairs exceeds the limit of 2^32-1", n))
	}
	if n == 0 {
		return nil, nil, 0
	}
	shift := dirShift(n / 2)
	nb := 1 << (64 - shift)
	pos := make([]uint32, nb+1)
	for _, k := range keys {
		pos[mix(k)>>shift+1]++
	}
	for b := 1; b <= nb; b++ {
		pos[b] += pos[b-1]
	}
	outKeys := make([]uint64, n)
	var outRows []int32
	if rows != nil {
		outRows = make([]int32, n)
	}
	for i, k := range keys {
		b := mix(k) >> shift
		p := pos[b]
		pos[b]++
		outKeys[p] = k
		if rows != nil {
			outRows[p] = rows[i]
		}
	}
	// pos[b] is now the end of bucket b.
	distinct := 0
	start := 0
	var tmp []mixPair
	for b := 0; b < nb; b++ {
		end := int(pos[b])
		k := outKeys[start:end]
		var r []int32
		if rows != nil {
			r = outRows[start:end]
		}
		if len(k) > 32 {
			tmp = sortLarge(k, r, tmp)
		} else {
			insertionSortMix(k, r)
		}
		for i := range k {
			if i == 0 || k[i] != k[i-1] {
				distinct++
			}
		}
		start = end
	}
	return outKeys, outRows, distinct
}

type mixPair struct {
	h, k uint64
	r    int32
}

func sortLarge(k []uint64, r []int32, tmp []mixPair) []mixPair {
	sorted := true
	prev := mix(k[0])
	for _, key := range k[1:] {
		h := mix(key)
		if h < prev {
			sorted = false
			break
		}
		prev = h
	}
	if sorted {
		return tmp
	}
	tmp = tmp[:0]
	for i, key := range k {
		p := mixPair{h: mix(key), k: key}
		if r != nil {
			p.r = r[i]
		}
		tmp = append(tmp, p)
	}
	slices.SortStableFunc(tmp, func(a, b mixPair) int { return cmp.Compare(a.h, b.h) })
	for i, p := range tmp {
		k[i] = p.k
		if r != nil {
			r[i] = p.r
		}
	}
	return tmp
}

func insertionSortMix(k []uint64, r []int32) {
	for i := 1; i < len(k); i++ {
		key := k[i]
		h := mix(key)
		j := i
		for j > 0 && mix(k[j-1]) > h {
			j--
		}
		if j == i {
			continue
		}
		copy(k[j+1:i+1], k[j:i])
		k[j] = key
		if r != nil {
			row := r[i]
			copy(r[j+1:i+1], r[j:i])
			r[j] = row
		}
	}
}

// dirShift returns the shift giving a power-of-two number of buckets of
// at least d/4 (and at least 1).
func dirShift(d int) uint {
	bits := uint(0)
	for bits < 40 && 4<<bits < d {
		bits++
	}
	return 64 - bits
}

// buildDir builds the bucket directory for keys sorted by mix(key).
func buildDir(keys []uint64, distinct int) ([]uint32, uint) {
	shift := dirShift(distinct)
	nb := 1 << (64 - shift)
	dir := make([]uint32, nb+1)
	for _, k := range keys {
		dir[mix(k)>>shift+1]++
	}
	for b := 1; b <= nb; b++ {
		dir[b] += dir[b-1]
	}
	return dir, shift
}
