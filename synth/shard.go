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
// its bounds multiples of 10.
func (m *model) block(space int) (lo, hi int) {
	unit := space / 10
	return m.sh.k * unit / m.sh.n * 10, (m.sh.k + 1) * unit / m.sh.n * 10
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
// the shard's block (always true with one shard).
func (m *model) ownsSerial(id string) bool {
	if m.sh.n <= 1 {
		return true
	}
	s, err := strconv.Atoi(id[len(id)-6:])
	if err != nil {
		return false
	}
	lo, hi := m.block(serialSpace)
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
// memory.
func census(ctx context.Context, opts Options, geo *geography, plan []shard, workers int) (nameDates, error) {
	if len(plan) <= 1 {
		return nil, nil
	}
	keys := make([][]uint64, len(plan))
	next := make(chan int)
	var wg sync.WaitGroup
	for range max(1, min(workers, len(plan))) {
		wg.Go(func() {
			for k := range next {
				m := newShardModel(opts, geo, plan[k])
				m.build()
				ks := make([]uint64, len(m.people))
				for i := range m.people {
					ks[i] = nameDateKey(m.people[i].name, m.people[i].birth)
				}
				keys[k] = ks
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
