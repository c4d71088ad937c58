package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/doisanh/doisanh/admin"
)

// National is the Options.Province of a national run: people spread over
// every province of the 2025 list (SPEC.md, National runs).
const National = admin.AllProvinces

// IsNational reports whether province (an Options.Province) asks for a
// national run: "all", in any case.
func IsNational(province string) bool {
	return strings.EqualFold(strings.TrimSpace(province), National)
}

// homeSerials is the part of each ID prefix's serials that a national run
// keeps for the prefix's own province; the rest is for the people of the
// other provinces born there (migrants, second registrations, defects).
const homeSerials = 900_000

// maxNationalProvince is about the most people one province of a
// national run holds: its IDs have homeSerials of the serials of a prefix.
const maxNationalProvince = 49_000_000 // below maxSerialFill × homeSerials / peakIDShare

// nationalOldPrefix is the first CMND prefix of a national run, whose
// provinces share one list of prefixes (oldPrefixes).
const nationalOldPrefix = "18"

// Shares of a shard's people that bound what its numbers' blocks must
// hold (TestPeakIDShare): migrantIDShare, IDs of one prefix other than the
// home province's (and one century and gender, one birth year);
// taxCodeShare, 10-digit tax codes.
const (
	migrantIDShare = 0.0004
	taxCodeShare   = 0.5
)

// MaxNationalPeople is the largest national register: every shard draws
// its tax codes' 8 random digits from its block of the 10^8, and the
// run's tax codes may fill at most maxSerialFill of them.
const MaxNationalPeople = 100_000_000 // below maxSerialFill × codeSpace / taxCodeShare

// ProvinceCount is the number of people a run placed in one province.
type ProvinceCount struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	People int    `json:"people"`
}

// loadNational returns the geography of every province of the 2025 list,
// ordered by code.
func loadNational() ([]*geography, error) {
	codes, _ := admin.Default().Provinces(admin.Current)
	out := make([]*geography, 0, len(codes))
	for _, c := range codes {
		g, err := loadGeography(c)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

// provinceSeed returns the seed of a national run's commune weights in
// one province: a mix of the run's seed and the province code, so that
// provinces do not share one sequence of weights.
func provinceSeed(seed uint64, code string) uint64 {
	var c uint64
	for _, d := range code {
		c = c*10 + uint64(d-'0')
	}
	return shardSeed(seed^0x6e6174696f6e616c, int(c)+1) // "national"
}

// nationalShards plans a national run: each province's communes get
// weights drawn from provinceSeed, the people are spread over the
// provinces in proportion to the sum of their communes' weights (largest
// remainders), so that a person is as likely to live in a commune as its
// weight among all the country's communes; then each province is cut into
// shards as a one-province run of its people would be. Shards are
// numbered across the run (k of n), in province order, and numbered
// within their province (pk of pn). It returns the shards and the people
// per province, or an error when a number space cannot hold them
// (checkNational).
func nationalShards(opts Options, geos []*geography) ([]shard, []ProvinceCount, error) {
	size := opts.ShardSize
	if size <= 0 {
		size = DefaultShardSize
	}
	cums := make([][]float64, len(geos))
	total := 0.0
	for i, g := range geos {
		r := rand.New(rand.NewPCG(provinceSeed(opts.Seed, g.provinceCode), 0x5d0153a1))
		cums[i] = placeWeights(r, len(g.places))
		total += cums[i][len(cums[i])-1]
	}
	people := make([]int, len(geos))
	type rest struct {
		i    int
		frac float64
	}
	rests := make([]rest, len(geos))
	left := opts.People
	for i := range geos {
		x := float64(opts.People) * cums[i][len(cums[i])-1] / total
		people[i] = int(math.Floor(x))
		left -= people[i]
		rests[i] = rest{i, x - math.Floor(x)}
	}
	slices.SortStableFunc(rests, func(a, b rest) int {
		switch {
		case a.frac > b.frac:
			return -1
		case a.frac < b.frac:
			return 1
		}
		return 0
	})
	for j := 0; left > 0; j = (j + 1) % len(rests) {
		people[rests[j].i]++
		left--
	}
	prefixes := max(1, int(math.Ceil(oldIDShare*float64(opts.People)/(oldSpace/2))))
	var plan []shard
	counts := make([]ProvinceCount, 0, len(geos))
	for i, g := range geos {
		counts = append(counts, ProvinceCount{Code: g.provinceCode, Name: g.provinceFull, People: people[i]})
		if people[i] == 0 {
			continue
		}
		pn := (people[i] + size - 1) / size
		for pk := range pn {
			k := len(plan)
			sh := shard{
				k: k, people: people[i] / pn, seed: shardSeed(opts.Seed, k),
				hhBase: k * 2 * size, oldPrefixes: prefixes,
				geo: g, national: true, pk: pk, pn: pn, placeCum: cums[i],
			}
			if pk < people[i]%pn {
				sh.people++
			}
			plan = append(plan, sh)
		}
	}
	before := 0
	for k := range plan {
		plan[k].n, plan[k].before, plan[k].total = len(plan), before, opts.People
		before += plan[k].people
	}
	if err := checkNational(opts, plan); err != nil {
		return nil, nil, err
	}
	return plan, counts, nil
}

// checkNational reports the first shard of a national run whose block of
// a number space cannot hold what its people need, with room to spare
// (maxSerialFill): its province's own ID serials (peakIDShare), the
// serials of other prefixes (migrantIDShare) and the tax codes
// (taxCodeShare). Blocks of fewer than 10 numbers are refused whatever
// the need.
func checkNational(opts Options, plan []shard) error {
	fits := func(people int, share float64, lo, hi int) bool {
		return hi-lo >= 10 && float64(people)*share <= maxSerialFill*float64(hi-lo)
	}
	for _, sh := range plan {
		if lo, hi := blockOf(homeSerials, sh.pk, sh.pn); !fits(sh.people, peakIDShare, lo, hi) {
			return fmt.Errorf("people %d: province %s would hold %d, more than one province of a national run holds (%d: %d of the 10^6 serials of its ID prefixes are its own people's)",
				opts.People, sh.geo.provinceCode, sh.people*sh.pn, maxNationalProvince, homeSerials)
		}
		if lo, hi := sh.block(serialSpace - homeSerials); !fits(sh.people, migrantIDShare, lo, hi) {
			return fmt.Errorf("people %d in shards of %d: the IDs of people registered in another province run out (%d serials a prefix, split among the shards): use a larger --shard-size or fewer people",
				opts.People, sh.people, serialSpace-homeSerials)
		}
		if lo, hi := sh.block(codeSpace); !fits(sh.people, taxCodeShare, lo, hi) {
			return fmt.Errorf("people %d in shards of %d: the tax codes' 8 random digits run out: use a larger --shard-size or fewer people", opts.People, sh.people)
		}
	}
	return nil
}
