package synth

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/doisanh/doisanh/admin"
	"github.com/doisanh/doisanh/record"
)

// TestNationalShards: a national run spreads its people over every
// province, cuts each province as a one-province run would, and gives
// every shard blocks of the number spaces that tile them.
func TestNationalShards(t *testing.T) {
	geos, err := loadNational()
	if err != nil {
		t.Fatal(err)
	}
	codes, _ := admin.Default().Provinces(admin.Current)
	if len(geos) != len(codes) || len(geos) != 34 {
		t.Fatalf("%d geographies, %d provinces of 2025, want 34", len(geos), len(codes))
	}
	for _, tc := range []struct {
		people, size int
		err          string // a part of the error; "" for none
	}{
		{1, 0, ""},
		{30000, 1000, ""},
		{200000, 0, ""},
		{3_000_000, 1_000_000, ""},
		{MaxNationalPeople, 0, ""},
		{MaxNationalPeople, 1000, "registered in another province run out"},
	} {
		opts := DefaultOptions()
		opts.Province, opts.People, opts.ShardSize = National, tc.people, tc.size
		plan, counts, err := nationalShards(opts, geos)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%d people, shard size %d: error %v, want one saying %q", tc.people, tc.size, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%d people, shard size %d: %v", tc.people, tc.size, err)
			continue
		}
		size := cmpOr(tc.size, DefaultShardSize)
		total, inPlan := 0, map[string]int{}
		for _, c := range counts {
			total += c.People
		}
		if len(counts) != 34 || total != tc.people {
			t.Errorf("%d people: %d provinces holding %d", tc.people, len(counts), total)
		}
		if tc.people >= 200000 {
			for _, c := range counts {
				// By commune weights: no province empty, none a majority.
				if c.People < tc.people/200 || c.People > tc.people/5 {
					t.Errorf("%d people: province %s holds %d", tc.people, c.Code, c.People)
				}
			}
		}
		next := map[int]int{} // space → where the next shard's block must start
		homeNext := 0
		for k, sh := range plan {
			inPlan[sh.geo.provinceCode] += sh.people
			if sh.k != k || sh.n != len(plan) || !sh.national || sh.people > size || sh.people < 1 ||
				sh.pk >= sh.pn || sh.seed != shardSeed(opts.Seed, k) {
				t.Fatalf("%d people: shard %d: %+v", tc.people, k, sh)
			}
			if k > 0 && plan[k-1].geo == sh.geo && plan[k-1].pk != sh.pk-1 || k > 0 && plan[k-1].geo != sh.geo && sh.pk != 0 {
				t.Errorf("%d people: shard %d is %d of %d of province %s after %d of %s", tc.people, k, sh.pk, sh.pn, sh.geo.provinceCode, plan[k-1].pk, plan[k-1].geo.provinceCode)
			}
			for _, space := range []int{serialSpace - homeSerials, oldSpace * sh.oldPrefixes, codeSpace, 1000000000} {
				lo, hi := sh.block(space)
				if lo != next[space] || hi < lo {
					t.Fatalf("%d people: space %d, shard %d: block [%d, %d), want from %d", tc.people, space, k, lo, hi, next[space])
				}
				next[space] = hi
			}
			if sh.pk == 0 {
				homeNext = 0
			}
			lo, hi := blockOf(homeSerials, sh.pk, sh.pn)
			if lo != homeNext || hi <= lo {
				t.Fatalf("%d people: shard %d's home serials [%d, %d), want from %d", tc.people, k, lo, hi, homeNext)
			}
			homeNext = hi
			if sh.pk == sh.pn-1 && hi != homeSerials {
				t.Errorf("%d people: province %s's home serials end at %d", tc.people, sh.geo.provinceCode, hi)
			}
		}
		for space, end := range next {
			if end != space/10*10 {
				t.Errorf("%d people: space %d: blocks end at %d", tc.people, space, end)
			}
		}
		for _, c := range counts {
			if inPlan[c.Code] != c.People {
				t.Errorf("%d people: province %s: %d in its shards, %d counted", tc.people, c.Code, inPlan[c.Code], c.People)
			}
		}
	}
}

func cmpOr(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

// TestValidateProvince: a national run may hold more people than one
// province, and the error of a province too large says so.
func TestValidateProvince(t *testing.T) {
	for _, tc := range []struct {
		province string
		people   int
		err      string
	}{
		{"79", MaxPeople, ""},
		{"79", 100_000_000, "--province all"},
		{"all", 100_000_000, ""},
		{"ALL", 100_000_000, ""},
		{"all", MaxNationalPeople + 1, "national register holds at most"},
	} {
		o := DefaultOptions()
		o.Province, o.People = tc.province, tc.people
		err := o.Validate()
		if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("province %s, %d people: %v, want %q", tc.province, tc.people, err, tc.err)
		}
	}
}

// nationalRun generates a national register of 30,000 people in shards of
// at most 1,000 (a province of more has several).
func nationalRun(t *testing.T, dir string) Report {
	t.Helper()
	opts := DefaultOptions()
	opts.Province, opts.People, opts.ShardSize, opts.Seed, opts.Format = "all", 30000, 1000, 7, FormatBoth
	rep, err := Generate(context.Background(), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestNational: a national run is deterministic, its numbers unique
// across shards and provinces, its people in every province with IDs of
// their province's prefix (but migrants), and generate.json says "all".
func TestNational(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	rep := nationalRun(t, a)
	nationalRun(t, b)
	sameFiles(t, a, b)

	var js struct {
		Options   Options         `json:"options"`
		Provinces []ProvinceCount `json:"provinces"`
	}
	raw, err := os.ReadFile(filepath.Join(a, "generate.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &js); err != nil {
		t.Fatal(err)
	}
	if js.Options.Province != "all" || len(js.Provinces) != 34 {
		t.Errorf("generate.json: province %q, %d provinces", js.Options.Province, len(js.Provinces))
	}
	shards := 0
	want := map[string]int{}
	for _, c := range js.Provinces {
		shards += (c.People + 999) / 1000
		want[c.Code] = c.People
	}
	if shards <= 34 {
		t.Fatalf("%d shards: want some province cut in several", shards)
	}
	checkUnique(t, a, rep, shards)

	// household_id starts with the code of the household's province.
	rows, home := map[string]int{}, map[string]int{}
	for _, p := range read[record.Person](t, a, "population.parquet") {
		prov := p.HouseholdID[:2]
		rows[prov]++
		if id := canonicalID(p.PersonID); len(id) == 12 && id[:3] == "0"+prov {
			home[prov]++
		}
	}
	for code, n := range want {
		// The register rows are the people and their double registrations.
		if rows[code] < n || rows[code] > n+n/10+10 {
			t.Errorf("province %s: %d register rows for %d people", code, rows[code], n)
		}
		// About 90% have their province's prefix, as in a one-province run.
		if share := float64(home[code]) / float64(rows[code]); share < 0.8 || share > 0.97 {
			t.Errorf("province %s: a share %.3f of the IDs has its prefix 0%s", code, share, code)
		}
	}
}

// TestNationalSerialBlocks: every ID a shard of a national run issues
// (after its defects) has its serial in the shard's block for its prefix,
// so that shards of two provinces, one issuing IDs of its own prefix and
// the other of its migrants born there, never issue one ID twice.
func TestNationalSerialBlocks(t *testing.T) {
	geos, err := loadNational()
	if err != nil {
		t.Fatal(err)
	}
	opts := DefaultOptions()
	opts.Province, opts.People, opts.ShardSize, opts.Seed = National, 20000, 1000, 3
	plan, _, err := nationalShards(opts, geos)
	if err != nil {
		t.Fatal(err)
	}
	home, other := 0, 0
	for _, sh := range plan {
		m := newShardModel(opts, sh.geo, sh)
		m.build()
		m.injectDefects()
		for id := range m.ids {
			s := fmt.Sprintf("%012d", id)
			serial := int(id % serialSpace)
			lo, hi := m.serialBlock(s[:3])
			if serial < lo || serial >= hi {
				t.Fatalf("shard %d (province %s, %d of %d): ID %s outside its block [%d, %d)", sh.k, sh.geo.provinceCode, sh.pk, sh.pn, s, lo, hi)
			}
			if s[:3] == "0"+sh.geo.provinceCode {
				home++
			} else {
				other++
			}
		}
	}
	if home == 0 || other == 0 {
		t.Errorf("%d IDs of the home prefixes, %d of others", home, other)
	}
}
