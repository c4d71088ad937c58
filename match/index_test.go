package match

import (
	"cmp"
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
		ps[i] = pair{k, int32(i)}
	}
	// Rows are distinct (Groups' rows name their key) but not in order.
	rng.Shuffle(len(ps), func(i, j int) { ps[i].row, ps[j].row = ps[j].row, ps[i].row })
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
			keyOf := make(map[int32]uint64, len(ps))
			for _, p := range ps {
				keyOf[p.row] = p.key
			}
			groups := 0
			seen := make(map[uint64]bool)
			ix.Groups(func(rows []int32) {
				groups++
				k := keyOf[rows[0]]
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
			ix.Each(func(rows []int32) {
				all += len(rows)
				if k := keyOf[rows[0]]; !slices.Equal(rows, ref[k]) {
					t.Fatalf("Each(%#x) = %v, want %v", k, rows, ref[k])
				}
			})
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
		keyOf := make(map[int32]uint64, len(ps))
		for _, p := range ps {
			keyOf[p.row] = p.key
		}
		buildIndex(ps).Groups(func(rows []int32) { s = fmt.Appendf(s, "%x:%d;", keyOf[rows[0]], len(rows)) })
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
		ix.Groups(func([]int32) { t.Error("Groups on an empty index calls fn") })
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
	if per := float64(ix.Bytes()) / float64(ix.Len()); per > 12 {
		t.Errorf("index holds %.1f bytes per pair, want <= 12", per)
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

// unmix inverts mix: the xor-shifts by 33 are their own inverse, and the
// odd multipliers have inverses modulo 2^64.
func unmix(h uint64) uint64 {
	inv := func(a uint64) uint64 {
		x := a // Newton's iteration: each step doubles the correct low bits
		for range 6 {
			x *= 2 - a*x
		}
		return x
	}
	h ^= h >> 33
	h *= inv(0xc4ceb9fe1a85ec53)
	h ^= h >> 33
	h *= inv(0xff51afd7ed558ccd)
	h ^= h >> 33
	return h
}

// Keys whose scrambled values share a bucket and the low 32 bits (a
// fingerprint) are kept apart in the overflow and still found exactly.
func TestIndexFingerprintCollision(t *testing.T) {
	for _, h := range []uint64{0x1234_5678_9abc_def0, 0xfedc_ba98_7654_3210} {
		if unmix(mix(h)) != h || mix(unmix(h)) != h {
			t.Fatalf("unmix is not the inverse of mix at %#x", h)
		}
	}
	// 1,000 distinct keys: the directory uses the top 8 bits of mix(key).
	ps := indexCase(11, 3000, 1000, true)
	const fp = 0x0bad_cafe
	top := mix(ps[0].key) &^ (1<<56 - 1)        // ps[0]'s bucket
	a := unmix(top | 0x0011_2233<<32 | fp)      // same bucket and fingerprint as b and c,
	b := unmix(top | 0x0044_5566<<32 | fp)      // different keys
	c := unmix(top | 0x0077_8899<<32 | fp)      // three rows of c
	absent := unmix(top | 0x00aa_bbcc<<32 | fp) // shares their fingerprint, never added
	alone := unmix(top | 0x00dd_eeff<<32 | 0x0bad_cafd)
	n := int32(len(ps))
	ps = append(ps, pair{a, n}, pair{b, n + 1}, pair{c, n + 2}, pair{c, n + 3}, pair{alone, n + 4}, pair{c, n + 5})
	ref := make(map[uint64][]int32)
	for _, p := range ps {
		ref[p.key] = append(ref[p.key], p.row)
	}
	ix := buildIndex(ps)
	if len(ix.overflow) != 3 {
		t.Fatalf("overflow holds %d keys, want 3 (a, b, c)", len(ix.overflow))
	}
	if ix.Len() != len(ps) || ix.Keys() != len(ref) {
		t.Fatalf("Len, Keys = %d, %d, want %d, %d", ix.Len(), ix.Keys(), len(ps), len(ref))
	}
	for k, want := range ref {
		if got := ix.Lookup(k); !slices.Equal(got, want) {
			t.Fatalf("Lookup(%#x) = %v, want %v", k, got, want)
		}
	}
	if got := ix.Lookup(absent); got != nil {
		t.Errorf("Lookup of an absent key sharing only overflow keys' fingerprint = %v, want nil", got)
	}
	var groups [][]int32
	ix.Groups(func(rows []int32) { groups = append(groups, rows) })
	if !slices.ContainsFunc(groups, func(rows []int32) bool { return slices.Equal(rows, []int32{n + 2, n + 3, n + 5}) }) {
		t.Error("Groups leaves out an overflow key's rows")
	}
	all := 0
	ix.Each(func(rows []int32) { all += len(rows) })
	if all != len(ps) {
		t.Errorf("Each visited %d rows, want %d", all, len(ps))
	}
	// GroupsPart's parts, in order, are Groups, overflow included.
	for _, parts := range []int{1, 2, 3, 7, 300} {
		var got [][]int32
		for part := range parts {
			ix.GroupsPart(part, parts, func(rows []int32) { got = append(got, rows) })
		}
		if !slices.EqualFunc(got, groups, slices.Equal[[]int32]) {
			t.Errorf("GroupsPart in %d parts gives %d groups, not Groups' %d in its order", parts, len(got), len(groups))
		}
	}
	ix.GroupsPart(2, 2, func([]int32) { t.Error("GroupsPart(2, 2) gave a group") })
}

// TestSortByMixPartitioned checks that scattering through partitions, on
// one or several goroutines, gives exactly the single scatter's order: by
// mix(key), equal keys in the order added, with the same distinct count,
// and leaves its input as it was.
func TestSortByMixPartitioned(t *testing.T) {
	tests := []struct {
		name    string
		n       int
		nkeys   int
		pbits   uint
		workers int
		noRows  bool
	}{
		{"unique 1 part bit", 20000, 1 << 40, 1, 1, false},
		{"unique 6 bits 2 workers", 20000, 1 << 40, 6, 2, false},
		{"dups 4 bits 3 workers", 30000, 3000, 4, 3, false},
		{"one key, all in one partition", 5000, 1, 5, 2, false},
		{"partitions as many as buckets", 4096, 1 << 40, 9, 2, false},
		{"more workers than partitions", 3000, 100, 1, 8, false},
		{"no rows", 20000, 5000, 5, 2, true},
		{"large input, chunked first scatter", 4*partitionPairs + 1234, 1 << 20, 8, 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := indexCase(uint64(tt.n), tt.n, tt.nkeys, true)
			keys := make([]uint64, len(ps))
			var rows []int32
			if !tt.noRows {
				rows = make([]int32, len(ps))
			}
			for i, p := range ps {
				keys[i] = p.key
				if rows != nil {
					rows[i] = p.row
				}
			}
			before := slices.Clone(keys)
			shift := dirShift(tt.n / 2)
			if tt.pbits > 64-shift {
				t.Fatalf("case asks %d partition bits of %d bucket bits", tt.pbits, 64-shift)
			}
			wantK, wantR, wantD := sortByMixParts(keys, rows, shift, 0, 1)
			gotK, gotR, gotD := sortByMixParts(keys, rows, shift, tt.pbits, tt.workers)
			if !slices.Equal(keys, before) {
				t.Fatal("input keys modified")
			}
			if gotD != wantD {
				t.Errorf("distinct = %d, want %d", gotD, wantD)
			}
			if !slices.Equal(gotK, wantK) || !slices.Equal(gotR, wantR) {
				t.Fatal("partitioned order differs from the single scatter's")
			}
			// The single scatter itself: sorted by mix, stable.
			ref := slices.Clone(ps)
			slices.SortStableFunc(ref, func(a, b pair) int { return cmp.Compare(mix(a.key), mix(b.key)) })
			for i, p := range ref {
				if wantK[i] != p.key || (rows != nil && wantR[i] != p.row) {
					t.Fatalf("pair %d = (%x, %v), want (%x, %d)", i, wantK[i], wantR, p.key, p.row)
				}
			}
			distinct := 0
			for i, p := range ref {
				if i == 0 || p.key != ref[i-1].key {
					distinct++
				}
			}
			if wantD != distinct {
				t.Errorf("single scatter distinct = %d, want %d", wantD, distinct)
			}
		})
	}
}

func TestPartitionBits(t *testing.T) {
	tests := []struct {
		n          int
		bucketBits uint
		want       uint
	}{
		{0, 10, 0},
		{partitionPairs, 20, 0},
		{partitionPairs + 1, 20, 1},
		{100_000_000, 24, 10},
		{1 << 40, 30, 12},
		{1 << 30, 3, 3},
	}
	for _, tt := range tests {
		if got := partitionBits(tt.n, tt.bucketBits); got != tt.want {
			t.Errorf("partitionBits(%d, %d) = %d, want %d", tt.n, tt.bucketBits, got, tt.want)
		}
	}
}

// TestFingerprintsOnRanges checks that building the fingerprints on
// several goroutines, each a range of buckets, gives the index one
// goroutine builds, with fingerprint collisions planted in the first, a
// middle and the last range so that the gaps they leave must be closed.
func TestFingerprintsOnRanges(t *testing.T) {
	ps := indexCase(5, 20000, 5000, true)
	n := int32(len(ps))
	for _, at := range []int{0, 7000, 13000, 19999} {
		top := mix(ps[at].key) &^ (1<<40 - 1) // ps[at]'s bucket: at most 24 bucket bits here
		fp := uint64(0x0bad_0000 + at)
		for x := range uint64(3) {
			ps = append(ps, pair{unmix(top | (0x10+x)<<32 | fp), n})
			n++
		}
	}
	keys := make([]uint64, len(ps))
	rows := make([]int32, len(ps))
	for i, p := range ps {
		keys[i], rows[i] = p.key, p.row
	}
	sk, sr, distinct := sortByMix(keys, rows)
	want := buildFingerprintsOn(sk, slices.Clone(sr), distinct, 1)
	if len(want.overflow) != 12 {
		t.Fatalf("overflow holds %d keys, want the 12 planted", len(want.overflow))
	}
	for _, workers := range []int{2, 3, 7} {
		got := buildFingerprintsOn(sk, slices.Clone(sr), distinct, workers)
		if !slices.Equal(got.dir, want.dir) || !slices.Equal(got.fps, want.fps) || !slices.Equal(got.rows, want.rows) {
			t.Fatalf("%d workers: directory, fingerprints or rows differ from one goroutine's", workers)
		}
		if !slices.Equal(got.overKeys, want.overKeys) || len(got.overflow) != len(want.overflow) {
			t.Fatalf("%d workers: overflow keys %x, want %x", workers, got.overKeys, want.overKeys)
		}
		for k, r := range want.overflow {
			if !slices.Equal(got.overflow[k], r) {
				t.Fatalf("%d workers: overflow[%#x] = %v, want %v", workers, k, got.overflow[k], r)
			}
		}
	}
}
