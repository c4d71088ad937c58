package match

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/doisanh/doisanh/normalize"
)

// warmCase is a register of n people and records to link against it:
// mostly by a person's ID or old ID, some by an ID nobody has, some by
// an ID two people share, some with no ID, some with a malformed one
// (unless !mixed: IDs and old IDs only), in random order.
func warmCase(n, records int, mixed bool) (*Linker, []Record) {
	b := NewPopulationBuilder(n)
	rng := rand.New(rand.NewPCG(7, 7))
	for i := range n {
		id := fmt.Sprintf("040%09d", i*7919%1_000_000_000)
		if i%1000 == 1 {
			id = fmt.Sprintf("040%09d", (i-1)*7919%1_000_000_000) // DUP_ID
		}
		b.Add(&PersonInput{Row: int64(i + 1), ID: id, OldID: fmt.Sprintf("18%07d", i),
			Name: fmt.Sprintf("Nguyễn Văn %d", i%7000), NameKey: fmt.Sprintf("nguyen van %d", i%7000),
			Phonetic: fmt.Sprintf("ngwen van %d", i%7000), Commune: fmt.Sprintf("%05d", 100+i%40),
			Birth:  normalize.Date{Year: int16(1950 + i%60), Month: uint8(1 + i%12), Day: uint8(1 + i%28), Precision: normalize.PrecisionDay},
			Gender: normalize.Gender(1 + i%2)})
	}
	l := NewLinker(b.Build(), LinkOptions{})
	recs := make([]Record, records)
	for k := range recs {
		i := rng.IntN(n)
		r := Record{ID: fmt.Sprintf("040%09d", i*7919%1_000_000_000), IDKind: IDPersonal,
			NameKey: fmt.Sprintf("nguyen van %d", i%7000), Phonetic: fmt.Sprintf("ngwen van %d", i%7000),
			Birth:  normalize.Date{Year: int16(1950 + i%60), Month: uint8(1 + i%12), Day: uint8(1 + i%28), Precision: normalize.PrecisionDay},
			Gender: normalize.Gender(1 + i%2), Commune: fmt.Sprintf("%05d", 100+i%40)}
		kind := k % 10
		if !mixed && kind > 1 {
			kind = 0
		}
		switch kind {
		case 1:
			r.ID, r.IDKind = fmt.Sprintf("18%07d", i), IDOld
		case 2:
			r.ID = fmt.Sprintf("041%09d", i) // nobody's
		case 3:
			r.ID, r.IDKind = "", IDNone
		case 4:
			r.ID, r.IDKind = "04000", IDOther
		}
		recs[k] = r
	}
	return l, recs
}

// TestWarmSameLinks: Link gives the same links with Warm before it, in
// batches of any size (more than WarmBatch included), as without.
func TestWarmSameLinks(t *testing.T) {
	l, recs := warmCase(20_000, 3000, true)
	want := make([]Link, len(recs))
	for i := range recs {
		want[i] = l.Link(&recs[i])
	}
	methods := map[Method]int{}
	for _, lk := range want {
		methods[lk.Method]++
	}
	if methods[LinkID] == 0 || methods[LinkOldID] == 0 || methods[LinkFuzzy] == 0 {
		t.Fatalf("the case does not link every way: %v", methods)
	}
	for _, size := range []int{1, 7, WarmBatch, WarmBatch + 44, len(recs)} {
		for lo := 0; lo < len(recs); lo += size {
			hi := min(lo+size, len(recs))
			l.Warm(hi-lo, func(i int) *Record { return &recs[lo+i] })
			for i := lo; i < hi; i++ {
				if got := l.Link(&recs[i]); fmt.Sprint(got) != fmt.Sprint(want[i]) {
					t.Fatalf("batch %d: record %d: Link after Warm = %+v, want %+v", size, i, got, want[i])
				}
			}
		}
	}
	l.Warm(0, nil) // nothing to read ahead
	var empty Linker
	empty.pop = NewPopulationBuilder(0).Build()
	empty.Warm(2, func(int) *Record { return &recs[0] }) // an empty register
}

var warmLinks = sync.OnceValues(func() (*Linker, []Record) { return warmCase(1_000_000, 1<<16, false) })

// BenchmarkLinkWarm links records by ID (old IDs one in ten) against a
// register of 1 M people, one at a time or WarmBatch at a time after Warm.
func BenchmarkLinkWarm(b *testing.B) {
	l, recs := warmLinks()
	b.Run("link", func(b *testing.B) {
		i := 0
		for b.Loop() {
			for range WarmBatch {
				l.Link(&recs[i%len(recs)])
				i++
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*WarmBatch), "ns/record")
	})
	b.Run("warm+link", func(b *testing.B) {
		i := 0
		for b.Loop() {
			lo := i % len(recs)
			l.Warm(WarmBatch, func(k int) *Record { return &recs[(lo+k)%len(recs)] })
			for range WarmBatch {
				l.Link(&recs[i%len(recs)])
				i++
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*WarmBatch), "ns/record")
	})
}
