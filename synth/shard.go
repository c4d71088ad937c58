package synth

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"sync"
)

// DefaultShardSize is the largest number of people generated as one
// model (Options.ShardSize 0): about 1.1 GB of memory while it is built
// and written (benchmarks/generate.md).
const DefaultShardSize = 1_000_000

// MaxShardSize bounds Options.ShardSize: event numbers of shard k start at
// k × eventStride.
const MaxShardSize = 10_000_000

// Number spaces the shards of a run split into blocks, one per shard.
const (
	serialSpace   = 1_000_000   // the 6 random digits of a 12-digit person ID
	oldSpace      = 10_000_000  // the 7 digits after a CMND's 2-digit prefix
	codeSpace     = 100_000_000 // the 8 random digits of a tax or insurance code
	eventStride   = 10_000_000  // event numbers per shard
	maxSerialFill = 0.6         // share of one ID prefix's serials a run may use
)

// oldIDShare bounds the share of people with an old CMND (57 % measured,
// TestPeakIDShare); a run draws its CMNDs over enough prefixes to keep
// the space of 10^7 numbers per prefix at most half full.
const oldIDShare = 0.65

// peakIDShare is the largest share of a province's people who get IDs with
// one prefix (province, century and gender, birth year): the home
// province, men born in the most frequent year, with the IDs that
// children's reissued numbers and defects claim besides. Measured on
// generated provinces (TestPeakIDShare) and rounded up.
const peakIDShare = 0.011

// MaxPeople is the largest register one province can hold: beyond it the
// 6-digit serials of one birth year and gender run out (a real province
// issues up to a million numbers per birth year and gender).
const MaxPeople = 50_000_000 // below maxSerialFill × serialSpace / peakIDShare

// pow10[i] is 10^i.
var pow10 = [...]int{1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000}

// shard is one part of a run: a model of its own people, built, given
// defects and written on its own. Shard k of n draws every number that
// must be unique in the run (person IDs, CMNDs, tax and insurance codes)
// from its own block of the number's space, and numbers its events and
// households from its own base, so that no two shards give one number
// without any state shared between them.
type shard struct {
	k, n        int
	people      int
	seed        uint64 // the shard's random seed; opts.Seed for shard 0
	hhBase      int    // added to household numbers
	oldPrefixes int    // CMND prefixes the run's old IDs are drawn over
	// names is the run's census of names and birth dates (census), shared
	// read-only by the shards; nil with one shard.
	names nameDates
	// geo is the province the shard's people live in (shared read-only).
	geo *geography

	// national: the shard is one of a national run (Options.Province
	// "all", nationalShards): pk is its index among the pn shards of its
	// province, before the people of the run's shards before it, total
	// the run's people, placeCum the cumulative weights of the province's
	// communes (shared read-only).
	national      bool
	pk, pn        int
	before, total int
	placeCum      []float64
}

// shards splits a run into shards of at most size people, as even as
// possible: n = ceil(people/size), and the first people%n shards get
// one person more.
func shards(opts Options) []shard {
	size := opts.ShardSize
	if size <= 0 {
		size = DefaultShardSize
	}
	n := (opts.People + size - 1) / size
	prefixes := max(1, int(math.Ceil(oldIDShare*float64(opts.People)/(oldSpace/2))))
	out := make([]shard, n)
	for k := range n {
		out[k] = shard{
			k: k, n: n, people: opts.People / n, seed: shardSeed(opts.Seed, k),
			hhBase: k * 2 * size, oldPrefixes: prefixes,
		}
		if k < opts.People%n {
			out[k].people++
		}
	}
	return out
}

// shardSeed returns the seed of shard k: the run's seed for shard 0, a
// SplitMix64 mix of the seed and k for the others.
func shardSeed(seed uint64, k int) uint64 {
	if k == 0 {
		return seed
	}
	z := seed + uint64(k)*0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// block returns the shard's block [lo, hi) of the numbers below space,
// its bounds multiples of 10 (shard.block).
func (m *model) block(space int) (lo, hi int) { return m.sh.block(space) }

// block returns the shard's block [lo, hi) of the numbers below space: in
// a run of one province, block k of n (its shards are as even as can be);
// in a national run, whose shards are as large as their province makes
// them, a block in proportion to the shard's people (peopleBlock).
func (sh shard) block(space int) (lo, hi int) {
	if sh.national {
		return peopleBlock(space, sh.before, sh.people, sh.total)
	}
	return blockOf(space, sh.k, sh.n)
}

// peopleBlock returns the block of the numbers below space of a shard of
// people people after before others, total in all: [lo, hi), the bounds
// multiples of 10, its share of the space its share of the people; the
// blocks of a run tile [0, space rounded down to a multiple of 10).
func peopleBlock(space, before, people, total int) (lo, hi int) {
	unit := int64(space / 10)
	at := func(n int) int { return int(int64(n) * unit / int64(total) * 10) }
	return at(before), at(before + people)
}

// blockOf returns block k of n of the numbers below space: [lo, hi), the
// bounds multiples of 10, the n blocks tiling [0, space rounded down to
// a multiple of 10).
func blockOf(space, k, n int) (lo, hi int) {
	unit := space / 10
	return k * unit / n * 10, (k + 1) * unit / n * 10
}

// serialBlock returns the block [lo, hi) of the 6 random digits the shard
// draws for a 12-digit ID starting with prefix. In a run of one province
// it is the shard's block of the whole space, whatever the prefix. In a
// national run every province issues IDs of its own prefix (its home,
// provs[0]) and of the others (its migrants): the serials below
// homeSerials of a prefix are its home province's, split among that
// province's shards; the rest are every shard's, split among all the
// run's shards; so no two shards of the run draw the same ID.
func (m *model) serialBlock(prefix string) (lo, hi int) {
	if !m.sh.national {
		return m.block(serialSpace)
	}
	if prefix == m.provs[0].code {
		return blockOf(homeSerials, m.sh.pk, m.sh.pn)
	}
	lo, hi = m.sh.block(serialSpace - homeSerials)
	return homeSerials + lo, homeSerials + hi
}

// drawSerial returns the 6 random digits of a new ID starting with prefix,
// from the shard's block (serialBlock); with one shard of one province,
// exactly m.r.IntN(serialSpace).
func (m *model) drawSerial(prefix string) int {
	if m.sh.n <= 1 && !m.sh.national {
		return m.r.IntN(serialSpace)
	}
	lo, hi := m.serialBlock(prefix)
	return lo + m.r.IntN(hi-lo)
}

// drawProvince returns a random number below space from the shard's
// block of its province's numbers: in a national run the block pk of pn
// (numbers that carry the province code, such as insurance codes, need
// be unique only within it), else draw(space).
func (m *model) drawProvince(space int) int {
	if !m.sh.national {
		return m.draw(space)
	}
	if m.sh.pn <= 1 {
		return m.r.IntN(space)
	}
	lo, hi := blockOf(space, m.sh.pk, m.sh.pn)
	return lo + m.r.IntN(hi-lo)
}

// draw returns a random number below space from the shard's block; with
// one shard, exactly m.r.IntN(space).
func (m *model) draw(space int) int {
	if m.sh.n <= 1 {
		return m.r.IntN(space)
	}
	lo, hi := m.block(space)
	return lo + m.r.IntN(hi-lo)
}

// ownsSerial reports whether the 6 random digits of a 12-digit ID are in
// the shard's block for its prefix (always true with one shard of one
// province).
func (m *model) ownsSerial(id string) bool {
	if m.sh.n <= 1 && !m.sh.national {
		return true
	}
	s, err := strconv.Atoi(id[len(id)-6:])
	if err != nil {
		return false
	}
	lo, hi := m.serialBlock(id[:3])
	return s >= lo && s < hi
}

// oldPrefixes returns n CMND prefixes starting with first, the others
// taken from first by steps of 37 (mod 100), never "00".
func oldPrefixes(first string, n int) []string {
	out := []string{first}
	v, _ := strconv.Atoi(first)
	for len(out) < n {
		v = (v + 37) % 100
		if v == 0 {
			continue
		}
		out = append(out, fmt.Sprintf("%02d", v))
	}
	return out
}

// nameDates is the census of a sharded run's register: the name and birth
// date key (nameDateKey) of every person the shards' models build before
// their defects, sorted. A defect that needs a person nobody could take for
// a namesake (a record found by name and birth date alone) or a name and
// date nobody has (a ghost) asks it, so that a namesake in another shard
// counts as one in the same shard.
type nameDates []uint64

// count returns how many people of the run have key k.
func (c nameDates) count(k uint64) int {
	i, found := slices.BinarySearch(c, k)
	if !found {
		return 0
	}
	j := i
	for j < len(c) && c[j] == k {
		j++
	}
	return j - i
}

// census builds the models of the run's shards (without defects, side by
// side on up to workers goroutines) and returns their people's name and
// birth date keys; nil for a run of one shard, whose own index is the
// whole register. The models are built again, identically, when the
// shards are generated: the census costs their building time, not their
// memory. done, when not nil, is called (from one goroutine at a time)
// with the number of shards counted so far, after each.
func census(ctx context.Context, opts Options, geo *geography, plan []shard, workers int, done func(n int)) (nameDates, error) {
	if len(plan) <= 1 {
		return nil, nil
	}
	keys := make([][]uint64, len(plan))
	next := make(chan int)
	var mu sync.Mutex
	counted := 0
	var wg sync.WaitGroup
	for range max(1, min(workers, len(plan))) {
		wg.Go(func() {
			for k := range next {
				m := newShardModel(opts, plan[k].geoOr(geo), plan[k])
				m.build()
				ks := make([]uint64, len(m.people))
				for i := range m.people {
					ks[i] = nameDateKey(m.people[i].name, m.people[i].birth)
				}
				keys[k] = ks
				if done != nil {
					mu.Lock()
					counted++
					done(counted)
					mu.Unlock()
				}
			}
		})
	}
	for k := range plan {
		if ctx.Err() != nil {
			break
		}
		next <- k
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	n := 0
	for _, ks := range keys {
		n += len(ks)
	}
	all := make(nameDates, 0, n)
	for _, ks := range keys {
		all = append(all, ks...)
	}
	slices.Sort(all)
	return all, nil
}

// geoOr returns the shard's province, or g when the shard has none of its
// own (a run of one province).
func (sh shard) geoOr(g *geography) *geography {
	if sh.geo != nil {
		return sh.geo
	}
	return g
}
