package match

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

type pair struct {
	key uint64
	row int32
}

// indexCase generates pairs: n rows, keys drawn from nkeys values.
func indexCase(seed uint64, n, nkeys int, hashed bool) []pair {
	rng := rand.New(rand.NewPCG(seed, 99))
	ps := make([]pair, n)
	for i := range ps {
		k := uint64(rng.IntN(nkeys))
		if hashed {
			k = HashCombine(k, 17)
		}
		ps[i] = pair{k, int32(rng.IntN(1 << 30))}
	}
	return ps
}

func buildIndex(ps []pair) *Index {
	var b IndexBuilder
	for _, p := range ps {
		b.Add(p.key, p.row)
	}
	return b.Build()
}

func TestIndexAgainstMap(t *testing.T) {
	tests := []struct {
		name   string
		n      int
		nkeys  int
		hashed bool
	}{
		{"empty", 0, 1, true},
		{"one", 1, 1, true},
		{"unique hashed", 50000, 1 << 40, true},
		{"few dups hashed", 50000, 30000, true},
		{"many dups hashed", 50000, 300, true},
		{"one key", 5000, 1, true},
		{"small int keys", 50000, 20000, false},
		{"small int keys heavy", 50000, 40, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := indexCase(uint64(tt.n), tt.n, tt.nkeys, tt.hashed)
			ref := make(map[uint64][]int32)
			for _, p := range ps {
				ref[p.key] = append(ref[p.key], p.row)
			}
			ix := buildIndex(ps)
			if ix.Len() != len(ps) || ix.Keys() != len(ref) {
				t.Fatalf("Len, Keys = %d, %d, want %d, %d", ix.Len(), ix.Keys(), len(ps), len(ref))
			}
			for k, want := range ref {
				if got := ix.Lookup(k); !slices.Equal(got, want) {
					t.Fatalf("Lookup(%#x) = %v, want %v", k, got, want)
				}
				if ix.Count(k) != len(want) {
					t.Fatalf("Count(%#x) = %d, want %d", k, ix.Count(k), len(want))
				}
			}
			rng := rand.New(rand.NewPCG(5, 6))
			for range 10000 {
				k := rng.Uint64()
				if _, ok := ref[k]; !ok && ix.Lookup(k) != nil {
					t.Fatalf("Lookup(%#x) of an absent key = %v", k, ix.Lookup(k))
				}
			}
			for _, k := range []uint64{0, 1, 1<<64 - 1} {
				if got := ix.Lookup(k); !slices.Equal(got, ref[k]) {
					t.Fatalf("Lookup(%#x) = %v, want %v", k, got, ref[k])
				}
			}
			groups := 0
			seen := make(map[uint64]bool)
			ix.Groups(func(k uint64, rows []int32) {
				groups++
				if seen[k] {
					t.Fatalf("Groups visits %#x twice", k)
				}
				seen[k] = true
				if len(rows) < 2 || !slices.Equal(rows, ref[k]) {
					t.Fatalf("Groups(%#x) = %v, want %v", k, rows, ref[k])
				}
			})
			want := 0
			for _, rows := range ref {
				if len(rows) >= 2 {
					want++
				}
			}
			if groups != want {
				t.Errorf("Groups visited %d keys, want %d", groups, want)
			}
			all := 0
			ix.Each(func(k uint64, rows []int32) { all += len(rows) })
			if all != len(ps) {
				t.Errorf("Each visited %d rows, want %d", all, len(ps))
			}
		})
	}
}

// Groups' order depends only on the keys, not on the order of Add calls;
// rows within a key keep their Add order.
func TestIndexGroupsDeterministic(t *testing.T) {
	ps := indexCase(7, 20000, 5000, true)
	order := func(ps []pair) string {
		var s []byte
		buildIndex(ps).Groups(func(k uint64, rows []int32) { s = fmt.Appendf(s, "%x:%d;", k, len(rows)) })
		return string(s)
	}
	want := order(ps)
	shuffled := slices.Clone(ps)
	rand.New(rand.NewPCG(1, 1)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	if got := order(shuffled); got != want {
		t.Error("Groups order depends on the order of Add calls")
	}
	if got := order(ps); got != want {
		t.Error("Groups order differs between two builds")
	}
}

func TestIndexBuilderReuse(t *testing.T) {
	var b IndexBuilder
	b.Grow(10)
	b.Add(1, 10)
	b.Add(1, 11)
	ix1 := b.Build()
	if b.Len() != 0 {
		t.Fatalf("builder holds %d pairs after Build", b.Len())
	}
	b.Add(2, 20)
	ix2 := b.Build()
	if got := ix1.Lookup(1); !slices.Equal(got, []int32{10, 11}) {
		t.Errorf("first index Lookup(1) = %v", got)
	}
	if ix1.Lookup(2) != nil || ix2.Lookup(1) != nil || !slices.Equal(ix2.Lookup(2), []int32{20}) {
		t.Error("reused builder mixes indexes")
	}
}

func TestIndexNilAndEmpty(t *testing.T) {
	var nilIx *Index
	empty := new(IndexBuilder).Build()
	for _, ix := range []*Index{nilIx, empty} {
		if ix.Lookup(1) != nil || ix.Len() != 0 || ix.Keys() != 0 || ix.Count(0) != 0 {
			t.Error("empty index is not empty")
		}
		ix.Groups(func(uint64, []int32) { t.Error("Groups on an empty index calls fn") })
	}
}

func TestIndexLookupNoAlloc(t *testing.T) {
	ps := indexCase(8, 10000, 3000, true)
	ix := buildIndex(ps)
	k := ps[0].key
	if n := testing.AllocsPerRun(100, func() { _ = ix.Lookup(k) }); n != 0 {
		t.Errorf("Lookup allocates %v times", n)
	}
	rows := ix.Lookup(k)
	if cap(rows) != len(rows) {
		t.Error("Lookup result has spare capacity: appending would overwrite the index")
	}
}

func TestIndexMemory(t *testing.T) {
	ps := indexCase(9, 100000, 1<<40, true)
	ix := buildIndex(ps)
	if per := float64(ix.Bytes()) / float64(ix.Len()); per > 16 {
		t.Errorf("index holds %.1f bytes per pair, want <= 16", per)
	}
}

func TestFreqTable(t *testing.T) {
	ps := indexCase(10, 50000, 2000, false)
	keys := make([]uint64, len(ps))
	ref := make(map[uint64]int)
	for i, p := range ps {
		keys[i] = p.key
		ref[p.key]++
	}
	orig := slices.Clone(keys)
	ft := NewFreqTable(keys)
	if !slices.Equal(keys, orig) {
		t.Error("NewFreqTable modified its input")
	}
	if ft.Len() != len(ref) || ft.Total() != int64(len(keys)) {
		t.Fatalf("Len, Total = %d, %d, want %d, %d", ft.Len(), ft.Total(), len(ref), len(keys))
	}
	for k, c := range ref {
		if ft.Count(k) != c {
			t.Fatalf("Count(%d) = %d, want %d", k, ft.Count(k), c)
		}
		if got, want := ft.Freq(k), float64(c)/float64(len(keys)); got != want {
			t.Fatalf("Freq(%d) = %v, want %v", k, got, want)
		}
	}
	if ft.Count(1<<50) != 0 || ft.Freq(1<<50) != 0 {
		t.Error("absent key has a count")
	}
	var nilFT *FreqTable
	if nilFT.Count(1) != 0 || NewFreqTable(nil).Freq(1) != 0 {
		t.Error("empty table has a count")
	}
}
