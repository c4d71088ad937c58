package match

import (
	"slices"
	"sync"
	"testing"
)

// The read side of every structure is safe for concurrent use (run with -race).
func TestConcurrentReads(t *testing.T) {
	var a Arena
	var b IndexBuilder
	refs := make([]Ref, 1000)
	for i := range refs {
		refs[i] = a.Add(string(rune('a' + i%26)))
		b.Add(HashString(a.Get(refs[i])), int32(i))
	}
	ix := b.Build()
	m := NewModel(emFields)
	want := slices.Clone(ix.Lookup(HashString("c")))
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for i, r := range refs {
				s := a.Get(r)
				if !slices.Contains(ix.Lookup(HashString(s)), int32(i)) {
					t.Errorf("row %d not found under %q", i, s)
					return
				}
				_ = m.Probability(Vector{uint8(i % 4), 3, 1, 0, 2})
			}
			if !slices.Equal(ix.Lookup(HashString("c")), want) {
				t.Error("lookup changed")
			}
		})
	}
	wg.Wait()
}
