package match

import "math"

// FreqTable counts how often each value (by its uint64 hash) occurs in a
// population, for term-frequency adjustment: Freq gives the value's
// relative frequency to pass to TFAdjust. It is immutable and safe for
// concurrent use. It holds 12 bytes per distinct value plus at most 2
// bytes of directory.
type FreqTable struct {
	dir    []uint32
	shift  uint
	keys   []uint64 // distinct, sorted by mix(key)
	counts []uint32
	total  int64
}

// NewFreqTable counts the keys, one per occurrence: typically the hash of
// each population row's normalised name. keys is not modified.
func NewFreqTable(keys []uint64) *FreqTable {
	sorted, _, distinct := sortByMix(keys, nil)
	t := &FreqTable{keys: make([]uint64, 0, distinct), counts: make([]uint32, 0, distinct), total: int64(len(keys))}
	for i, k := range sorted {
		if i > 0 && k == sorted[i-1] {
			if c := &t.counts[len(t.counts)-1]; *c < math.MaxUint32 {
				*c++
			}
			continue
		}
		t.keys = append(t.keys, k)
		t.counts = append(t.counts, 1)
	}
	t.dir, t.shift = buildDir(t.keys, distinct)
	return t
}

// Count returns the number of occurrences of key.
func (t *FreqTable) Count(key uint64) int {
	if t == nil || len(t.keys) == 0 {
		return 0
	}
	h := mix(key)
	b := h >> t.shift
	lo, hi := int(t.dir[b]), int(t.dir[b+1])
	if hi-lo > 64 {
		i := lo + searchMix(t.keys[lo:hi], h)
		if i < hi && t.keys[i] == key {
			return int(t.counts[i])
		}
		return 0
	}
	for i := lo; i < hi; i++ {
		if t.keys[i] == key {
			return int(t.counts[i])
		}
	}
	return 0
}

// Freq returns the relative frequency of key, Count(key) / Total(), or 0.
func (t *FreqTable) Freq(key uint64) float64 {
	if t == nil || t.total == 0 {
		return 0
	}
	return float64(t.Count(key)) / float64(t.total)
}

// Total returns the number of keys counted.
func (t *FreqTable) Total() int64 {
	if t == nil {
		return 0
	}
	return t.total
}

// Len returns the number of distinct keys.
func (t *FreqTable) Len() int {
	if t == nil {
		return 0
	}
	return len(t.keys)
}
