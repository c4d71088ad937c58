package rules

import (
	"runtime"
	"slices"
	"sync"
)

// minPart is the fewest elements sortParallel and eachPart give a
// goroutine: below it a second core costs more to start (and merge) than
// it saves.
const minPart = 1 << 15

// sortParallel sorts s by cmp, which must be a strict total order (no two
// elements compare equal), on up to GOMAXPROCS cores: parts sorted side
// by side, then merged pairwise. With a total order the result does not
// depend on the number of parts, so it is the same on every machine.
func sortParallel[E any](s []E, cmp func(a, b E) int) {
	parts := min(runtime.GOMAXPROCS(0), len(s)/minPart)
	if parts < 2 {
		slices.SortFunc(s, cmp)
		return
	}
	bounds := make([]int, parts+1)
	for i := range bounds {
		bounds[i] = len(s) * i / parts
	}
	var wg sync.WaitGroup
	for i := range parts {
		wg.Go(func() { slices.SortFunc(s[bounds[i]:bounds[i+1]], cmp) })
	}
	wg.Wait()
	// Merge runs pairwise, a round at a time, between s and buf.
	src, dst := s, make([]E, len(s))
	for len(bounds) > 2 {
		next := []int{0}
		for i := 0; i+1 < len(bounds); i += 2 {
			lo := bounds[i]
			if i+2 >= len(bounds) { // an odd run out: copied as it is
				hi := bounds[i+1]
				wg.Go(func() { copy(dst[lo:hi], src[lo:hi]) })
				next = append(next, hi)
				continue
			}
			mid, hi := bounds[i+1], bounds[i+2]
			wg.Go(func() { mergeRuns(dst[lo:hi], src[lo:mid], src[mid:hi], cmp) })
			next = append(next, hi)
		}
		wg.Wait()
		src, dst, bounds = dst, src, next
	}
	if &src[0] != &s[0] {
		copy(s, src)
	}
}

// mergeRuns merges the sorted a and b into dst, len(a)+len(b) long.
func mergeRuns[E any](dst, a, b []E, cmp func(a, b E) int) {
	i, j, k := 0, 0, 0
	for i < len(a) && j < len(b) {
		if cmp(b[j], a[i]) < 0 {
			dst[k] = b[j]
			j++
		} else {
			dst[k] = a[i]
			i++
		}
		k++
	}
	k += copy(dst[k:], a[i:])
	copy(dst[k:], b[j:])
}

// eachPart calls fn on [lo, hi) parts of [0, n) side by side, one part a
// core (GOMAXPROCS) when n is large enough to be worth it.
func eachPart(n int, fn func(lo, hi int)) {
	parts := min(runtime.GOMAXPROCS(0), n/minPart)
	if parts < 2 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	for i := range parts {
		wg.Go(func() { fn(n*i/parts, n*(i+1)/parts) })
	}
	wg.Wait()
}
