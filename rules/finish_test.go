package rules

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"testing"

	"github.com/doisanh/doisanh/record"
)

// finishByValue is Finish written plainly: the findings themselves sorted,
// stably, and compacted. Finish must give the same findings in the same
// order, repeats included: of findings that compare equal, the first in
// the input is kept.
func finishByValue(fs []record.Finding) []record.Finding {
	for i := range fs {
		fs[i].FindingID = FindingID(&fs[i])
	}
	slices.SortStableFunc(fs, func(a, b record.Finding) int {
		return cmp.Or(cmp.Compare(a.ProvinceCode, b.ProvinceCode), cmp.Compare(a.CommuneCode, b.CommuneCode),
			cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Subtype, b.Subtype),
			cmp.Compare(a.FullName, b.FullName), cmp.Compare(a.FindingID, b.FindingID))
	})
	return slices.CompactFunc(fs, func(a, b record.Finding) bool { return a.FindingID == b.FindingID })
}

// randomFindings returns n findings with few distinct values, so that
// keys tie and ids repeat (Suggestion tells repeats apart), with codes of
// every length around the 16 bytes of findingKey, and now and then a zero
// byte inside a code or a rule.
func randomFindings(rng *rand.Rand, n int) []record.Finding {
	pick := func(vs ...string) string { return vs[rng.IntN(len(vs))] }
	fs := make([]record.Finding, n)
	for i := range fs {
		fs[i] = record.Finding{
			ProvinceCode: pick("79", "01", "", "7", "79\x00", "7\x009"),
			CommuneCode:  pick("26734", "26740", "", "2673", "26734567890123", "2\x00"),
			Rule:         pick(DupID, FieldMismatch, IDMismatch, "FIELD_MISMATCHX", ""),
			Subtype:      pick("TAX", "INSURANCE", "", "T"),
			FullName:     pick("An", "Bình", "Chi", ""),
			Source:       pick("tax", "insurance"),
			PersonID:     fmt.Sprint(rng.IntN(n/20 + 1)),
			Suggestion:   fmt.Sprint(i),
		}
	}
	return fs
}

func TestFinishMatchesSortByValue(t *testing.T) {
	// 200,000 findings are sorted in parts on every core (sortParallel)
	// and merged; three cores leave a part out of the first round.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	for _, n := range []int{0, 1, 2, 12, 13, 100, 5000, 50_000, 200_000} {
		rng := rand.New(rand.NewPCG(uint64(n), 7))
		fs := randomFindings(rng, n)
		want := finishByValue(slices.Clone(fs))
		got := Finish(slices.Clone(fs))
		if !reflect.DeepEqual(got, want) {
			for i := range min(len(got), len(want)) {
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Fatalf("%d findings: finding %d differs from sorting the findings themselves:\n got %+v\nwant %+v", n, i, got[i], want[i])
				}
			}
			t.Fatalf("%d findings: %d kept, sorting the findings themselves keeps %d", n, len(got), len(want))
		}
		if n >= 100 && len(got) == n {
			t.Fatalf("%d findings: no repeat dropped; the test data should have some", n)
		}
	}
}

func TestSortParallel(t *testing.T) {
	for _, procs := range []int{1, 2, 3, 4, 7} {
		for _, n := range []int{0, 1, minPart - 1, 2 * minPart, 5*minPart + 3} {
			func() {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
				rng := rand.New(rand.NewPCG(uint64(n), uint64(procs)))
				s := make([]int, n)
				for i := range s {
					s[i] = rng.IntN(n + 1)
				}
				want := slices.Clone(s)
				slices.Sort(want)
				sortParallel(s, cmp.Compare[int])
				if !slices.Equal(s, want) {
					t.Fatalf("GOMAXPROCS %d, %d elements: not sorted as slices.Sort sorts", procs, n)
				}
			}()
		}
	}
}

func TestPermute(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 10, 1000} {
		rng := rand.New(rand.NewPCG(uint64(n), 1))
		fs := make([]record.Finding, n)
		for i := range fs {
			fs[i].Suggestion = fmt.Sprint(i)
		}
		order := make([]int32, n)
		for i, p := range rng.Perm(n) {
			order[i] = int32(p)
		}
		want := make([]record.Finding, n)
		for k, i := range order {
			want[k] = fs[i]
		}
		permute(fs, order)
		if !slices.Equal(fs, want) {
			t.Fatalf("n=%d: permuted wrongly", n)
		}
		for i, o := range order {
			if o != int32(i) {
				t.Fatalf("n=%d: order not left as the identity at %d", n, i)
			}
		}
	}
}

// BenchmarkFinish sorts 90,000 findings spread over the heap as a run
// leaves them (each allocated apart, then copied into one slice, their
// strings where they were): the 1 M province's count.
//
//	go test -run '^$' -bench Finish -count 6 ./rules
func BenchmarkFinish(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 90_000
	fs := make([]record.Finding, n)
	communes := make([]string, 131)
	for i := range communes {
		communes[i] = fmt.Sprintf("%05d", 16000+i*13)
	}
	rules := []string{DupID, DupPerson, FieldMismatch, IDMismatch, NotInPopulation}
	for i := range fs {
		f := &record.Finding{ProvinceCode: "40", CommuneCode: communes[rng.IntN(len(communes))],
			Rule: rules[rng.IntN(len(rules))], Subtype: "TAX", FullName: fmt.Sprintf("Nguyễn Văn %d", rng.IntN(5000)),
			PersonID: fmt.Sprintf("%012d", rng.IntN(1_000_000)), Source: "tax", SourceKey: fmt.Sprint(i)}
		fs[i] = *f
	}
	for _, impl := range []struct {
		name string
		fn   func([]record.Finding) []record.Finding
	}{{"by-value", finishByValue}, {"keys", Finish}} {
		b.Run(impl.name, func(b *testing.B) {
			work := make([]record.Finding, n)
			for b.Loop() {
				copy(work, fs)
				impl.fn(work)
			}
		})
	}
}
