package match

import (
	"cmp"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
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
// which may then be reused. While building it needs the builder's pairs
// and a sorted copy (24 bytes a pair), then the sorted copy and the
// fingerprints (16).
func (b *IndexBuilder) Build() *Index {
	// The builder lets go of its pairs first, so that they can be freed
	// once sortByMix has scattered them, before the fingerprints are made.
	keys, rows := b.keys, b.rows
	b.keys, b.rows = nil, nil
	keys, rows, distinct := sortByMix(keys, rows)
	return buildFingerprints(keys, rows, distinct)
}

// Index maps uint64 keys to the rows added under them. It is immutable and
// safe for concurrent use.
//
// Layout (CSR): the pairs are stored in two flat arrays, the low 32 bits
// of each pair's scrambled key (its fingerprint) and its row, plus a
// directory of bucket offsets into those arrays indexed by the top bits of
// the scrambled key. Within a bucket the pairs are sorted by fingerprint,
// equal keys adjacent with their rows in the order they were added. Build
// makes fingerprints unique within a bucket: keys that would share one
// (about one key in 2^30) are kept apart, whole, in a small overflow map.
// That is 8 bytes per pair plus at most 4 bytes per distinct key, and a
// handful of heap objects in all.
type Index struct {
	dir      []uint32 // bucket b holds pairs [dir[b], dir[b+1])
	shift    uint     // bucket of key k is mix(k) >> shift
	fps      []uint32 // uint32(mix(key)) of each pair
	rows     []int32
	distinct int
	// overflow holds the keys whose fingerprint another key of their
	// bucket shares, with their rows; overKeys lists them in the order
	// Build met them (by bucket, then fingerprint).
	// Both are nearly always empty.
	overflow map[uint64][]int32
	overKeys []uint64
}

// Lookup returns the rows added under key, in the order they were added, or
// nil. It does not allocate. The result aliases the index and must not be
// modified (appending to it is safe: its capacity is its length).
// Lookup on a nil *Index returns nil.
//
// A key that was added gets exactly its rows. A key that was not added
// gets nil, except when its fingerprint is that of an added key of its
// bucket (about one such lookup in 2^30): it then gets that key's rows.
// Callers that must be exact compare the rows' values with what they
// looked up (Population.ByID does); a blocking lookup may take the extra
// candidates, which the linker scores like any other.
func (ix *Index) Lookup(key uint64) []int32 {
	if ix == nil || len(ix.dir) == 0 {
		return nil
	}
	if ix.overflow != nil {
		if rows, ok := ix.overflow[key]; ok {
			return rows[:len(rows):len(rows)]
		}
	}
	h := mix(key)
	b := h >> ix.shift
	lo, hi := int(ix.dir[b]), int(ix.dir[b+1])
	fp := uint32(h)
	fps := ix.fps
	if hi-lo > 64 {
		// A long bucket (one key with many rows, or bad luck): binary search.
		i := lo + searchFP(fps[lo:hi], fp)
		if i == hi || fps[i] != fp {
			return nil
		}
		j := hi
		if fp != math.MaxUint32 {
			j = i + searchFP(fps[i:hi], fp+1)
		}
		return ix.rows[i:j:j]
	}
	for i := lo; i < hi; i++ {
		if fps[i] == fp {
			j := i + 1
			for j < hi && fps[j] == fp {
				j++
			}
			return ix.rows[i:j:j]
		}
	}
	return nil
}

// searchFP returns the first i with fps[i] >= fp (fps sorted).
func searchFP(fps []uint32, fp uint32) int {
	lo, hi := 0, len(fps)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if fps[m] < fp {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
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
// The order of keys is fixed by the key values alone (bucket, then
// fingerprint, then the few overflow keys), so it is the same in every
// run and on every platform whatever the order of Add calls. rows aliases
// the index and must not be modified.
func (ix *Index) Groups(fn func(rows []int32)) {
	ix.each(2, fn)
}

// Each calls fn for every key in the index, in the order of Groups.
func (ix *Index) Each(fn func(rows []int32)) {
	ix.each(1, fn)
}

// GroupsPart calls fn for the groups of Groups that fall in part of
// parts (0 <= part < parts), each part a run of buckets: the parts in
// order give Groups' groups in Groups' order, so that they can be worked
// through side by side and their results joined in part order.
func (ix *Index) GroupsPart(part, parts int, fn func(rows []int32)) {
	if ix == nil || len(ix.dir) == 0 || part < 0 || part >= parts {
		return
	}
	buckets := len(ix.dir) - 1
	ix.eachIn(2, buckets*part/parts, buckets*(part+1)/parts, part == parts-1, fn)
}

func (ix *Index) each(min int, fn func([]int32)) {
	if ix == nil || len(ix.dir) == 0 {
		return
	}
	ix.eachIn(min, 0, len(ix.dir)-1, true, fn)
}

// eachIn is each over buckets [from, to), and the overflow keys when
// overflow is set.
func (ix *Index) eachIn(min, from, to int, overflow bool, fn func([]int32)) {
	fps := ix.fps
	for b := from; b < to; b++ {
		hi := int(ix.dir[b+1])
		for i := int(ix.dir[b]); i < hi; {
			j := i + 1
			for j < hi && fps[j] == fps[i] {
				j++
			}
			if j-i >= min {
				fn(ix.rows[i:j:j])
			}
			i = j
		}
	}
	if !overflow {
		return
	}
	for _, k := range ix.overKeys {
		if rows := ix.overflow[k]; len(rows) >= min {
			fn(rows[:len(rows):len(rows)])
		}
	}
}

// Len returns the number of (key, row) pairs.
func (ix *Index) Len() int {
	if ix == nil {
		return 0
	}
	n := len(ix.fps)
	for _, rows := range ix.overflow {
		n += len(rows)
	}
	return n
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
	n := int64(cap(ix.fps))*4 + int64(cap(ix.rows))*4 + int64(cap(ix.dir))*4 + int64(cap(ix.overKeys))*8
	for _, rows := range ix.overflow {
		n += 48 + int64(cap(rows))*4
	}
	return n
}

// keyRun is the pairs [start, end) of one key within its bucket.
type keyRun struct {
	fp         uint32
	start, end int32
}

// buildFingerprints turns pairs sorted by mix(key), with distinct keys,
// into an Index: the directory, each bucket's pairs reordered by
// fingerprint, and the keys that share a fingerprint within their bucket
// moved to the overflow. keys is not kept.
func buildFingerprints(keys []uint64, rows []int32, distinct int) *Index {
	workers := runtime.GOMAXPROCS(0)
	if len(keys) < 4*partitionPairs {
		workers = 1
	}
	return buildFingerprintsOn(keys, rows, distinct, workers)
}

// fingerprintRange is one goroutine's share of buildFingerprints: the
// buckets [lo, hi), whose pairs are [from, to) of the sorted arrays.
type fingerprintRange struct {
	lo, hi   int
	from, to int
	w        int // pairs written from from on (overflow keys leave gaps)
	overflow map[uint64][]int32
	overKeys []uint64
}

// buildFingerprintsOn is buildFingerprints on up to workers goroutines,
// each taking a range of buckets: a range's pairs stay within it, moved
// towards its start when a key leaves for the overflow, so the ranges are
// independent; the gaps are closed after, nearly always none.
func buildFingerprintsOn(keys []uint64, rows []int32, distinct, workers int) *Index {
	ix := &Index{distinct: distinct}
	if len(keys) == 0 {
		return ix
	}
	ix.shift = dirShift(distinct)
	nb := 1 << (64 - ix.shift)
	ix.dir = make([]uint32, nb+1)
	fps := make([]uint32, len(keys))
	workers = max(1, min(workers, nb))
	ranges := make([]fingerprintRange, workers)
	for w := range ranges {
		rg := &ranges[w]
		rg.lo, rg.hi = w*nb/workers, (w+1)*nb/workers
		rg.from = sort.Search(len(keys), func(i int) bool { return int(mix(keys[i])>>ix.shift) >= rg.lo })
		if w > 0 {
			ranges[w-1].to = rg.from
		}
	}
	ranges[workers-1].to = len(keys)
	var wg sync.WaitGroup
	for w := range ranges {
		wg.Go(func() { ix.fingerprintBuckets(&ranges[w], keys, rows, fps) })
	}
	wg.Wait()
	// Close the gaps the overflow left, range by range.
	w := 0
	for r := range ranges {
		rg := &ranges[r]
		if d := rg.from - w; d != 0 {
			copy(fps[w:], fps[rg.from:rg.from+rg.w])
			copy(rows[w:], rows[rg.from:rg.from+rg.w])
			for b := rg.lo; b < rg.hi; b++ {
				ix.dir[b] -= uint32(d)
			}
		}
		w += rg.w
		for _, k := range rg.overKeys {
			if ix.overflow == nil {
				ix.overflow = map[uint64][]int32{}
			}
			ix.overflow[k] = rg.overflow[k]
			ix.overKeys = append(ix.overKeys, k)
		}
	}
	ix.dir[nb] = uint32(w)
	ix.fps, ix.rows = fps[:w:w], rows[:w:w]
	if w < len(keys) {
		// Keys moved to the overflow left the arrays longer than needed.
		ix.fps, ix.rows = slices.Clone(ix.fps), slices.Clone(ix.rows)
	}
	return ix
}

// fingerprintBuckets fills the directory, fingerprints and rows of the
// buckets of rg, the keys sharing a fingerprint within a bucket going to
// rg's overflow.
func (ix *Index) fingerprintBuckets(rg *fingerprintRange, keys []uint64, rows []int32, fps []uint32) {
	var runs []keyRun
	var tmp []int32
	w := rg.from // pairs written to fps and rows (rows is compacted in place)
	for i, b := rg.from, rg.lo; b < rg.hi; b++ {
		ix.dir[b] = uint32(w)
		// The bucket's pairs are [i, end): keys sorted by mix, so one range.
		end := i
		for end < rg.to && int(mix(keys[end])>>ix.shift) == b {
			end++
		}
		runs = runs[:0]
		for s := i; s < end; {
			e := s + 1
			for e < end && keys[e] == keys[s] {
				e++
			}
			runs = append(runs, keyRun{fp: uint32(mix(keys[s])), start: int32(s), end: int32(e)})
			s = e
		}
		if len(runs) <= 16 {
			for r := 1; r < len(runs); r++ { // insertion sort: stable, and a bucket holds a few keys
				for q := r; q > 0 && runs[q].fp < runs[q-1].fp; q-- {
					runs[q], runs[q-1] = runs[q-1], runs[q]
				}
			}
		} else {
			slices.SortStableFunc(runs, func(a, b keyRun) int { return cmp.Compare(a.fp, b.fp) })
		}
		// Copy the bucket's rows aside only when they move.
		moved := w != i
		for r := 1; r < len(runs) && !moved; r++ {
			moved = runs[r].start < runs[r-1].start || runs[r].fp == runs[r-1].fp
		}
		src := rows[i:end]
		if moved && len(runs) > 1 {
			tmp = append(tmp[:0], src...)
			src = tmp
		}
		for r, run := range runs {
			n := int(run.end - run.start)
			from := src[int(run.start)-i : int(run.end)-i]
			if (r > 0 && runs[r-1].fp == run.fp) || (r+1 < len(runs) && runs[r+1].fp == run.fp) {
				k := keys[run.start]
				if rg.overflow == nil {
					rg.overflow = map[uint64][]int32{}
				}
				rg.overflow[k] = slices.Clone(from)
				rg.overKeys = append(rg.overKeys, k)
				continue
			}
			for j := range n {
				fps[w+j] = run.fp
			}
			copy(rows[w:w+n], from)
			w += n
		}
		i = end
	}
	rg.w = w - rg.from
}

// sortByMix returns copies of keys and rows (rows may be nil) sorted by
// mix(key), stably, and the number of distinct keys; keys and rows are not
// modified. It places the pairs into buckets by the top bits of mix(key)
// with counting scatters, then sorts each (small) bucket.
//
// One scatter straight into the buckets of a large index writes each pair
// to a random place in hundreds of megabytes: a cache and TLB miss a pair.
// Past partitionPairs pairs it scatters twice instead, first into
// partitions by the topmost bits (few enough destinations to stay in
// cache), then each partition into its buckets within a scratch buffer the
// size of a partition. Both scatters keep the input order, so the result is
// the one scatter's, and both run on all cores: the partitions are
// independent, and the first scatter splits the input into chunks whose
// destinations are counted beforehand. Either way it needs the copies (12
// bytes a pair) beside the input, plus per core a scratch partition.
func sortByMix(keys []uint64, rows []int32) ([]uint64, []int32, int) {
	n := len(keys)
	if uint64(n) >= math.MaxUint32 {
		panic(fmt.Sprintf("match: index of %d pairs exceeds the limit of 2^32-1", n))
	}
	if n == 0 {
		return nil, nil, 0
	}
	shift := dirShift(n / 2)
	return sortByMixParts(keys, rows, shift, partitionBits(n, 64-shift), runtime.GOMAXPROCS(0))
}

// partitionPairs is about how many pairs sortByMix puts in a partition
// before its second scatter: 12 bytes a pair, so about 1.5 MiB, a core's
// share of the last-level cache on small machines.
const partitionPairs = 1 << 17

// partitionBits returns how many of the bucket bits sortByMix's first
// scatter splits n pairs by: none for an index of a partition or less, at
// most 12 (4,096 partitions, each scattered to by every chunk).
func partitionBits(n int, bucketBits uint) uint {
	p := uint(0)
	for p < 12 && p < bucketBits && n>>p > partitionPairs {
		p++
	}
	return p
}

// sortByMixParts is sortByMix with the buckets (mix(key)>>shift), the
// partitions (the top pbits of mix(key)) and the goroutines chosen.
func sortByMixParts(keys []uint64, rows []int32, shift, pbits uint, workers int) ([]uint64, []int32, int) {
	n := len(keys)
	outKeys := make([]uint64, n)
	var outRows []int32
	if rows != nil {
		outRows = make([]int32, n)
	}
	if pbits == 0 {
		var s partSorter
		return outKeys, outRows, s.scatter(keys, rows, outKeys, outRows, shift, 64-shift)
	}
	parts := scatterParts(keys, rows, outKeys, outRows, 64-pbits, workers)
	np := len(parts) - 1
	workers = max(1, min(workers, np))
	var next atomic.Int64
	distinct := make([]int, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			var s partSorter
			for {
				p := int(next.Add(1) - 1)
				if p >= np {
					return
				}
				lo, hi := parts[p], parts[p+1]
				if lo == hi {
					continue
				}
				k := outKeys[lo:hi]
				var r []int32
				if rows != nil {
					r = outRows[lo:hi]
				}
				s.keys = append(s.keys[:0], k...)
				s.rows = append(s.rows[:0], r...)
				var sr []int32
				if rows != nil {
					sr = s.rows
				}
				distinct[w] += s.scatter(s.keys, sr, k, r, shift, 64-shift-pbits)
			}
		})
	}
	wg.Wait()
	total := 0
	for _, d := range distinct {
		total += d
	}
	return outKeys, outRows, total
}

// scatterParts copies keys and rows into outKeys and outRows partitioned
// by mix(key)>>pshift, stably, splitting the input among workers, and
// returns where each partition starts (and, last, n).
func scatterParts(keys []uint64, rows []int32, outKeys []uint64, outRows []int32, pshift uint, workers int) []int {
	n := len(keys)
	np := 1 << (64 - pshift)
	if n < 4*partitionPairs {
		workers = 1
	}
	workers = max(1, workers)
	chunk := (n + workers - 1) / workers
	// pos[w][p] counts, then is where chunk w writes its next pair of p.
	pos := make([][]int, workers)
	var wg sync.WaitGroup
	for w := range workers {
		pos[w] = make([]int, np)
		wg.Go(func() {
			c := pos[w]
			for _, k := range keys[min(n, w*chunk):min(n, (w+1)*chunk)] {
				c[mix(k)>>pshift]++
			}
		})
	}
	wg.Wait()
	parts := make([]int, np+1)
	at := 0
	for p := range np {
		parts[p] = at
		for w := range workers {
			c := pos[w][p]
			pos[w][p] = at
			at += c
		}
	}
	parts[np] = at
	for w := range workers {
		wg.Go(func() {
			c := pos[w]
			lo, hi := min(n, w*chunk), min(n, (w+1)*chunk)
			for i, k := range keys[lo:hi] {
				p := mix(k) >> pshift
				q := c[p]
				c[p]++
				outKeys[q] = k
				if rows != nil {
					outRows[q] = rows[lo+i]
				}
			}
		})
	}
	wg.Wait()
	return parts
}

// partSorter scatters pairs into their buckets and sorts each bucket,
// keeping its buffers from one partition to the next.
type partSorter struct {
	keys []uint64
	rows []int32
	pos  []uint32
	tmp  []mixPair
}

// scatter copies keys and rows into dstKeys and dstRows (rows and dstRows
// nil together) by the low bbits of mix(key)>>shift, stably, sorts each
// bucket by mix(key), stably, and returns the number of distinct keys.
func (s *partSorter) scatter(keys []uint64, rows []int32, dstKeys []uint64, dstRows []int32, shift, bbits uint) int {
	nb := 1 << bbits
	mask := uint64(nb - 1)
	if cap(s.pos) < nb+1 {
		s.pos = make([]uint32, nb+1)
	}
	pos := s.pos[:nb+1]
	clear(pos)
	for _, k := range keys {
		pos[(mix(k)>>shift)&mask+1]++
	}
	for b := 1; b <= nb; b++ {
		pos[b] += pos[b-1]
	}
	for i, k := range keys {
		b := (mix(k) >> shift) & mask
		p := pos[b]
		pos[b]++
		dstKeys[p] = k
		if rows != nil {
			dstRows[p] = rows[i]
		}
	}
	// pos[b] is now the end of bucket b.
	distinct := 0
	start := 0
	for b := 0; b < nb; b++ {
		end := int(pos[b])
		k := dstKeys[start:end]
		var r []int32
		if rows != nil {
			r = dstRows[start:end]
		}
		if len(k) > 32 {
			s.tmp = sortLarge(k, r, s.tmp)
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
	return distinct
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
