package synth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/doisanh/doisanh/record"
	"github.com/doisanh/doisanh/rules"
)

// TestOneShardUnchanged pins the files of runs of one shard to those the
// unsharded generator wrote (this test run on commit 554850a), so the
// fixtures and accuracy figures measured with it stay valid. The Parquet
// checksums depend on the parquet-go version and on the binary (the
// footer's created_by holds its build information, which differs between
// a test binary and cmd/doisanh): after an upgrade, recompute them on the
// commit before it.
func TestOneShardUnchanged(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts func(*Options)
		want map[string]string
	}{
		{"parquet", func(o *Options) { o.Seed = 5 }, map[string]string{
			"civil.parquet":      "aea35c290e2ff670e76e6b723febb96252a58a27ebf486618acd549d274c6c81",
			"generate.json":      "b28c9b672d0afd2e428a2303949c9247767856ec111fd4d5f4e3ea852146a90f",
			"insurance.parquet":  "c79e95d1980b6b65e802b7a7c9bff4fd9a8cb3fdfe0890a4ff31920c0f0e883f",
			"population.parquet": "27918f84d921a64da6640ce3577ac99f71ab86d2ff5fed13539246179f1e72e4",
			"tax.parquet":        "42e8a71e01d73d5b35c40783bd2d249045ce1a40388cf529b9f532d8f397c6f0",
			"truth.parquet":      "3a465e586429bbd1b6696673bd12bd4af604ae697a1adf750561e11a3e5bd29c",
		}},
		{"both-twice-fixed", func(o *Options) {
			o.Seed, o.Format, o.Twice, o.Fixed = 6, FormatBoth, []string{"population", "civil"}, 0.2
		}, map[string]string{
			"civil.csv":          "d86c9cfe5cd6b326d44831c4a7f9b825f87a2f085be07d541b932248e39020cd",
			"civil.parquet":      "1b0546d75e9bf6be99fc6ebb06f2c12af5a20ddca0ddaf3c3117d634b2308c7a",
			"generate.json":      "1bb5e46d8468078a274abc532c980f7785fbb051143e4bfb0a504f05ccf49dee",
			"insurance.csv":      "ddf6b68651b29185038b4fb91e78d2211df28babe19af0e528409a7bd7da28dd",
			"insurance.parquet":  "1cdb4a1012bb5ec57cbc4642c72a9efc44d4770cee8e49fc19deb637985af37a",
			"population.csv":     "afe7611494a08f830d0319849ac74579bff3fc66c4ef9705ac6cfa3fb797ef46",
			"population.parquet": "fc2c3cf9f793b1818bc47cd8ca4525999dd2e1034fa9ee6bd2bbde9a2ec7ca7b",
			"tax.csv":            "71d1130f605ada48ae7bc4ac7824d8cffdceab42f77f036a30219c7ff1b0d9e6",
			"tax.parquet":        "205cc189366c0bb6b667bd69b63d8b60996f9404290b4f2c19972cfc17bbfcd8",
			"truth.csv":          "25d11f446231b266298a6cdce2de00314c1740a7b8f755f1373783524050b6ae",
			"truth.parquet":      "b5482c162c0fb82bb1d1bf0350249fe82b86ce93c36b3e6034051537ed92ba6f",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := DefaultOptions()
			opts.People = 3000
			tc.opts(&opts)
			dir := t.TempDir()
			if _, err := Generate(context.Background(), dir, opts); err != nil {
				t.Fatal(err)
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != len(tc.want)+1 { // and the mark, .doisanh-generate
				t.Errorf("%d files, want %d and the mark", len(entries), len(tc.want))
			}
			for name, want := range tc.want {
				b, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != want {
					t.Errorf("%s: sha256 %x, want %s (the unsharded generator's)", name, sum, want)
				}
			}
		})
	}
}

// shardedRun generates 4 shards of 2,500 people.
func shardedRun(t *testing.T, dir string, format string, progress func(string)) Report {
	t.Helper()
	opts := DefaultOptions()
	opts.People, opts.ShardSize, opts.Seed, opts.Format = 10000, 2500, 9, format
	opts.Progress = progress
	rep, err := Generate(context.Background(), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestShardedDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	var lines []string
	shardedRun(t, a, FormatBoth, func(s string) { lines = append(lines, s) })
	shardedRun(t, b, FormatBoth, nil)
	sameFiles(t, a, b)
	for k := range 4 {
		prefix := fmt.Sprintf("shard %d/4: ", k+1)
		if !slices.ContainsFunc(lines, func(s string) bool { return strings.HasPrefix(s, prefix) }) {
			t.Errorf("no progress line %q in %q", prefix, lines)
		}
	}
}

// TestShardedUnique: the shards of a run draw person IDs, CMNDs, tax and
// insurance codes, event and household numbers that no other shard
// draws, so the only numbers on two rows are those the truth says: a
// DUP_ID's shared number, a double registration's CMND, a file's rows
// written twice.
func TestShardedUnique(t *testing.T) {
	dir := t.TempDir()
	rep := shardedRun(t, dir, FormatParquet, nil)
	households := checkUnique(t, dir, rep, 4)
	// Households are numbered per shard: 4 shards of 2,500 people have
	// about 3,100 of them; numbers reused across shards would give fewer.
	if households < 2900 {
		t.Errorf("%d household numbers for 10,000 people", households)
	}
	if people := rep.Files[0].Rows; people < 10000 {
		t.Errorf("%d register rows, want 10,000 and the double registrations", people)
	}
}

// checkUnique checks the files of a run of shards shards in dir: no
// number on two rows but those the truth says, at least one defect of
// each subtype a shard, generate.json's counts those of the files. It
// returns the number of households.
func checkUnique(t *testing.T, dir string, rep Report, shards int) int {
	t.Helper()
	truth := read[record.Truth](t, dir, "truth.parquet")
	shared := map[string]map[string]bool{"population": {}, "tax": {}, "insurance": {}}
	dupPerson := map[string]bool{} // both registrations of a DUP_PERSON
	n := map[string]int{}
	for _, r := range truth {
		if r.Expect == "" {
			n[r.Rule+"/"+r.Subtype]++
		}
		switch r.Rule {
		case rules.DupID:
			shared[r.Source][r.SourceKey] = true
		case rules.DupPerson:
			dupPerson[r.PersonID], dupPerson[r.RelatedPersonID] = true, true
		}
	}
	// Every shard injects at least one of each subtype.
	for _, r := range rules.Catalog {
		for _, s := range r.Subtypes {
			if k := r.Code + "/" + s.Code; n[k] < shards {
				t.Errorf("%s: %d in truth, want at least one per shard", k, n[k])
			}
		}
	}
	for _, c := range rep.Truth {
		if c.Count != n[c.Rule+"/"+c.Subtype] {
			t.Errorf("generate.json %s/%s: %d, truth has %d", c.Rule, c.Subtype, c.Count, n[c.Rule+"/"+c.Subtype])
		}
	}

	people := read[record.Person](t, dir, "population.parquet")
	ids, olds, households := map[string]int{}, map[string][]string{}, map[string]bool{}
	for _, p := range people {
		id := canonicalID(p.PersonID)
		ids[id]++
		if p.OldID != "" {
			olds[p.OldID] = append(olds[p.OldID], id)
		}
		households[p.HouseholdID] = true
	}
	for id, c := range ids {
		if c > 1 && !shared["population"][id] {
			t.Errorf("person_id %s on %d rows, no DUP_ID/POPULATION", id, c)
		}
	}
	for old, on := range olds {
		if len(on) > 1 && (len(on) > 2 || !dupPerson[on[0]] || !dupPerson[on[1]]) {
			t.Errorf("CMND %s on rows %v, not a double registration", old, on)
		}
	}
	codes := func(name string, keys []string) {
		seen := map[string]int{}
		for _, k := range keys {
			seen[k]++
		}
		for k, c := range seen {
			if c > 1 && !shared[name][k] {
				t.Errorf("%s code %s on %d rows, no DUP_ID", name, k, c)
			}
		}
	}
	var keys []string
	for _, r := range read[record.TaxRecord](t, dir, "tax.parquet") {
		keys = append(keys, r.TaxCode)
	}
	codes("tax", keys)
	keys = nil
	for _, r := range read[record.InsuranceRecord](t, dir, "insurance.parquet") {
		keys = append(keys, r.InsuranceCode)
	}
	codes("insurance", keys)
	events := map[string]bool{}
	for _, e := range read[record.CivilEvent](t, dir, "civil.parquet") {
		if events[e.EventID] {
			t.Errorf("event %s twice", e.EventID)
		}
		events[e.EventID] = true
	}
	for _, f := range rep.Files {
		want := map[string]int{"population": len(people), "civil": len(events), "truth": len(truth)}
		if w, ok := want[f.File]; ok && f.Rows != w {
			t.Errorf("generate.json: %s %d rows, the file has %d", f.File, f.Rows, w)
		}
	}
	return len(households)
}

func TestShards(t *testing.T) {
	for _, tc := range []struct {
		people, size int
		want         []int
	}{
		{1, 0, []int{1}},
		{DefaultShardSize, 0, []int{DefaultShardSize}},
		{DefaultShardSize + 1, 0, []int{500001, 500000}},
		{10000, 2500, []int{2500, 2500, 2500, 2500}},
		{10001, 2500, []int{2001, 2000, 2000, 2000, 2000}},
	} {
		opts := DefaultOptions()
		opts.People, opts.ShardSize = tc.people, tc.size
		var got []int
		for _, sh := range shards(opts) {
			got = append(got, sh.people)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%d people, shard size %d: %v, want %v", tc.people, tc.size, got, tc.want)
		}
	}
	opts := DefaultOptions()
	opts.People, opts.ShardSize = 14_000_000, 0
	sh := shards(opts)
	if sh[0].seed != opts.Seed || sh[1].seed == sh[0].seed || sh[1].seed == sh[2].seed {
		t.Errorf("shard seeds %d %d %d", sh[0].seed, sh[1].seed, sh[2].seed)
	}
	if sh[0].oldPrefixes != 2 {
		t.Errorf("14 M people: %d CMND prefixes, want 2", sh[0].oldPrefixes)
	}
	// Blocks of the shards tile each number space.
	for _, space := range []int{serialSpace, oldSpace, codeSpace} {
		next := 0
		for _, s := range sh {
			m := &model{sh: s}
			lo, hi := m.block(space)
			if lo != next || hi <= lo {
				t.Fatalf("space %d shard %d: block [%d, %d), want from %d", space, s.k, lo, hi, next)
			}
			next = hi
		}
		if next != space {
			t.Errorf("space %d: blocks end at %d", space, next)
		}
	}
}

// TestCensus: the census of a sharded run counts every shard's people as
// their models build them, and a person with a namesake (same name, same
// birth date) only in another shard is not unique to the injector, nor is
// a ghost given that name and date.
func TestCensus(t *testing.T) {
	opts := DefaultOptions()
	opts.People, opts.ShardSize, opts.Seed = 3000, 1000, 4
	geo := testGeography()
	plan := shards(opts)
	counted := 0
	names, err := census(context.Background(), opts, geo, plan, 2, func(n int) {
		if n != counted+1 {
			t.Errorf("census counted %d after %d", n, counted)
		}
		counted = n
	})
	if err != nil {
		t.Fatal(err)
	}
	var want int
	var second *model
	for k, sh := range plan {
		m := newShardModel(opts, geo, sh)
		m.build()
		want += len(m.people)
		if k == 1 {
			second = m
		}
	}
	if counted != len(plan) {
		t.Errorf("census reported %d shards counted, the run has %d", counted, len(plan))
	}
	if len(names) != want || !slices.IsSorted(names) {
		t.Fatalf("census of %d keys (sorted %v), the shards build %d people", len(names), slices.IsSorted(names), want)
	}
	if got, err := census(context.Background(), opts, geo, plan[:1], 2, nil); got != nil || err != nil {
		t.Errorf("census of one shard = %d keys, %v; want none", len(got), err)
	}

	m := newShardModel(opts, geo, plan[0])
	m.build()
	in := &injector{m: m, nBase: len(m.people)}
	in.indexNames()
	p := &m.people[slices.IndexFunc(m.people, func(p person) bool {
		return in.nameDate[nameDateKey(p.name, p.birth)] == 1
	})]
	key := nameDateKey(p.name, p.birth)
	tests := []struct {
		name   string
		census nameDates
		unique bool
	}{
		{"no census (one shard)", nil, true},
		{"only itself in the census", nameDates{key}, true},
		{"a namesake in another shard", nameDates{key, key}, false},
		{"the run's census", names, names.count(key) == 1},
	}
	for _, tt := range tests {
		in.m.sh.names = tt.census
		if got := in.unique(p); got != tt.unique {
			t.Errorf("%s: unique = %v, want %v", tt.name, got, tt.unique)
		}
	}
	// A person of another shard: a ghost must not take their name and date.
	q := &second.people[0]
	in.m.sh.names = names
	if names.count(nameDateKey(q.name, q.birth)) == 0 {
		t.Fatalf("census lacks %s, %v of shard 2", q.name, q.birth)
	}
}

func TestNameDatesCount(t *testing.T) {
	c := nameDates{1, 3, 3, 3, 7}
	for k, want := range map[uint64]int{0: 0, 1: 1, 2: 0, 3: 3, 7: 1, 9: 0} {
		if got := c.count(k); got != want {
			t.Errorf("count(%d) = %d, want %d", k, got, want)
		}
	}
	if nameDates(nil).count(1) != 0 {
		t.Error("nil census counts")
	}
}
