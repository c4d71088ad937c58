package normalize

// maxStackRunes is the longest string, in runes, that the similarity
// functions handle without allocating. Longer strings still work.
const maxStackRunes = 64

// appendRunes decodes s into dst.
func appendRunes(dst []rune, s string) []rune {
	for _, r := range s {
		dst = append(dst, r)
	}
	return dst
}

// JaroWinkler returns the Jaro-Winkler similarity of a and b, compared rune
// by rune: 1 for equal strings, 0 when nothing matches. The common-prefix
// bonus (scale 0.1, up to 4 runes) applies when the Jaro similarity is
// above 0.7. It does not allocate for strings up to 64 runes.
func JaroWinkler(a, b string) float64 {
	if a == b {
		return 1
	}
	var abuf, bbuf [maxStackRunes]rune
	ra := appendRunes(abuf[:0], a)
	rb := appendRunes(bbuf[:0], b)
	if len(ra) == 0 || len(rb) == 0 {
		return 0
	}
	if len(ra) > len(rb) {
		ra, rb = rb, ra
	}
	var amatch, bmatch [maxStackRunes]bool
	var am, bm []bool
	if len(rb) > maxStackRunes {
		am, bm = make([]bool, len(ra)), make([]bool, len(rb))
	} else {
		am, bm = amatch[:len(ra)], bmatch[:len(rb)]
	}
	window := max(len(rb)/2-1, 0)
	matches := 0
	for i, r := range ra {
		lo, hi := max(i-window, 0), min(i+window+1, len(rb))
		for j := lo; j < hi; j++ {
			if !bm[j] && rb[j] == r {
				am[i], bm[j] = true, true
				matches++
				break
			}
		}
	}
	if matches == 0 {
		return 0
	}
	transpositions, j := 0, 0
	for i := range ra {
		if !am[i] {
			continue
		}
		for !bm[j] {
			j++
		}
		if ra[i] != rb[j] {
			transpositions++
		}
		j++
	}
	m := float64(matches)
	jaro := (m/float64(len(ra)) + m/float64(len(rb)) + (m-float64(transpositions/2))/m) / 3
	if jaro <= 0.7 {
		return jaro
	}
	prefix := 0
	for prefix < 4 && prefix < len(ra) && ra[prefix] == rb[prefix] {
		prefix++
	}
	return jaro + float64(prefix)*0.1*(1-jaro)
}

// DamerauLevenshtein returns the optimal-string-alignment distance between
// a and b in runes: the fewest insertions, deletions, substitutions and
// swaps of adjacent runes, no substring edited twice. It does not allocate
// for strings up to 64 runes.
func DamerauLevenshtein(a, b string) int {
	if a == b {
		return 0
	}
	var abuf, bbuf [maxStackRunes]rune
	ra := appendRunes(abuf[:0], a)
	rb := appendRunes(bbuf[:0], b)
	// Runes shared at both ends cost nothing: names often differ in one
	// word only.
	for len(ra) > 0 && len(rb) > 0 && ra[0] == rb[0] {
		ra, rb = ra[1:], rb[1:]
	}
	for len(ra) > 0 && len(rb) > 0 && ra[len(ra)-1] == rb[len(rb)-1] {
		ra, rb = ra[:len(ra)-1], rb[:len(rb)-1]
	}
	if len(ra) < len(rb) {
		ra, rb = rb, ra // rb is the shorter: rows are len(rb)+1 long
	}
	if len(rb) == 0 {
		return len(ra)
	}
	var rowbuf [3 * (maxStackRunes + 1)]int
	var rows []int
	if n := 3 * (len(rb) + 1); n <= len(rowbuf) {
		rows = rowbuf[:n]
	} else {
		rows = make([]int, n)
	}
	w := len(rb) + 1
	prev2, prev, cur := rows[:w], rows[w:2*w], rows[2*w:]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d = min(d, prev2[j-2]+1)
			}
			cur[j] = d
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
