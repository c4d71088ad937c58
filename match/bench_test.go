package match

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
)

const benchRows = 4_000_000

// benchPairs are (key, row) pairs for benchRows rows: unique keys like a
// person_id index, or shared keys like a name+birth-year blocking index
// (about 10 rows per key).
var benchPairs = sync.OnceValue(func() map[string][]pair {
	rng := rand.New(rand.NewPCG(42, 42))
	out := make(map[string][]pair)
	for _, kind := range []struct {
		name  string
		nkeys int
	}{{"unique", 1 << 62}, {"blocks", benchRows / 10}} {
		ps := make([]pair, benchRows)
		for i := range ps {
			ps[i] = pair{HashString(fmt.Sprintf("%012d", rng.Int64N(int64(kind.nkeys)))), int32(i)}
		}
		out[kind.name] = ps
	}
	return out
})

func BenchmarkIndexBuild(b *testing.B) {
	for _, kind := range []string{"unique", "blocks"} {
		ps := benchPairs()[kind]
		keys := make([]uint64, len(ps))
		rows := make([]int32, len(ps))
		for i, p := range ps {
			keys[i], rows[i] = p.key, p.row
		}
		b.Run(fmt.Sprintf("%s/4M", kind), func(b *testing.B) {
			var ix *Index
			for b.Loop() {
				bld := IndexBuilder{keys: keys, rows: rows}
				ix = bld.Build()
			}
			b.ReportMetric(float64(ix.Bytes())/float64(ix.Len()), "B/pair")
			b.ReportMetric(float64(ix.Keys()), "keys")
		})
		b.Run(fmt.Sprintf("%s/4M/add+build", kind), func(b *testing.B) {
			for b.Loop() {
				var bld IndexBuilder
				bld.Grow(len(ps))
				for _, p := range ps {
					bld.Add(p.key, p.row)
				}
				bld.Build()
			}
		})
	}
}

func BenchmarkIndexLookup(b *testing.B) {
	for _, kind := range []string{"unique", "blocks"} {
		ps := benchPairs()[kind]
		ix := buildIndex(ps)
		// Probe in a random order, as linking does: mostly cache misses.
		rng := rand.New(rand.NewPCG(1, 1))
		probes := make([]uint64, 1<<16)
		for i := range probes {
			probes[i] = ps[rng.IntN(len(ps))].key
		}
		b.Run(kind+"/4M/hit", func(b *testing.B) {
			n, i := 0, 0
			for b.Loop() {
				n += len(ix.Lookup(probes[i&(len(probes)-1)]))
				i++
			}
		})
		b.Run(kind+"/4M/miss", func(b *testing.B) {
			n, i := 0, uint64(0)
			for b.Loop() {
				n += len(ix.Lookup(i * 0x9E3779B97F4A7C15))
				i++
			}
		})
	}
}

func BenchmarkIndexGroups(b *testing.B) {
	ix := buildIndex(benchPairs()["blocks"])
	for b.Loop() {
		n := 0
		ix.Groups(func(rows []int32) { n += len(rows) })
	}
}

func BenchmarkFreqTable(b *testing.B) {
	ps := benchPairs()["blocks"]
	keys := make([]uint64, len(ps))
	for i, p := range ps {
		keys[i] = p.key
	}
	b.Run("build/4M", func(b *testing.B) {
		for b.Loop() {
			NewFreqTable(keys)
		}
	})
	ft := NewFreqTable(keys)
	b.Run("freq", func(b *testing.B) {
		i := 0
		var s float64
		for b.Loop() {
			s += ft.Freq(keys[i&(1<<20-1)])
			i++
		}
	})
}

func BenchmarkHash(b *testing.B) {
	id := "079201001234"
	name := "nguyen thi minh khai"
	b.Run("String/12B", func(b *testing.B) {
		var s uint64
		for b.Loop() {
			s += HashString(id)
		}
	})
	b.Run("String/20B", func(b *testing.B) {
		var s uint64
		for b.Loop() {
			s += HashString(name)
		}
	})
	b.Run("Combine", func(b *testing.B) {
		var s uint64
		for b.Loop() {
			s = HashCombine(s, 1987)
		}
	})
}

func BenchmarkArena(b *testing.B) {
	names := []string{"Nguyễn Văn Hùng", "Trần Thị Lan", "Lê Minh", "Phạm Thị Thu Hương"}
	// One op stores 1M names in a fresh arena, page faults included.
	b.Run("Add/1M", func(b *testing.B) {
		var a Arena
		for b.Loop() {
			a = Arena{}
			for i := range 1 << 20 {
				a.Add(names[i&3])
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(1<<20), "ns/string")
		b.ReportMetric(float64(a.Cap())/(1<<20), "B/string")
	})
	b.Run("Get", func(b *testing.B) {
		var a Arena
		refs := make([]Ref, 1<<16)
		for i := range refs {
			refs[i] = a.Add(names[i&3])
		}
		n, i := 0, 0
		for b.Loop() {
			n += len(a.Get(refs[i&(len(refs)-1)]))
			i++
		}
	})
}

func BenchmarkWeight(b *testing.B) {
	m := NewModel(emFields)
	vs, _ := drawVectors(1, 1<<12, 0.3)
	b.Run("Weight", func(b *testing.B) {
		var s float64
		i := 0
		for b.Loop() {
			s += m.Weight(vs[i&(len(vs)-1)])
			i++
		}
	})
	b.Run("Probability", func(b *testing.B) {
		var s float64
		i := 0
		for b.Loop() {
			s += m.Probability(vs[i&(len(vs)-1)])
			i++
		}
	})
}

func BenchmarkEstimate(b *testing.B) {
	vs, _ := drawVectors(1, 1_000_000, 0.3)
	b.Run("1M", func(b *testing.B) {
		var res EMResult
		for b.Loop() {
			m := NewModel(emFields)
			res, _ = m.Estimate(vs, EMOptions{})
		}
		b.ReportMetric(float64(res.Iterations), "iterations")
		b.ReportMetric(float64(res.Patterns), "patterns")
	})
	var p Patterns
	for _, v := range vs {
		p.Add(v)
	}
	b.Run("1M/counted", func(b *testing.B) {
		for b.Loop() {
			m := NewModel(emFields)
			m.EstimatePatterns(&p, EMOptions{})
		}
	})
	b.Run("1M/EstimateU", func(b *testing.B) {
		m := NewModel(emFields)
		for b.Loop() {
			m.EstimateU(vs)
		}
	})
}

func BenchmarkDecide(b *testing.B) {
	cands := []Candidate{cand(1, 3, 0.6), cand(2, 15, 0.999), cand(3, 1, 0.3), cand(4, 9, 0.97), cand(5, -2, 0.1)}
	for b.Loop() {
		Decide(cands, DecideOptions{})
	}
}
