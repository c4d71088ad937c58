package synth

import (
	"math/rand/v2"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Combining marks that change a Vietnamese vowel's letter (not its tone).
const (
	markCircumflex = '\u0302'
	markBreve      = '\u0306'
	markHorn       = '\u031b'
)

// toggleVowelMark changes the letter of one vowel of word while keeping its
// tone: "Hùng" → "Hừng", "Hưng" → "Hung", "Tâm" → "Tam". The result folds
// to the same accent-free key. ok is false when word has no such vowel.
func toggleVowelMark(word string, pick int) (string, bool) {
	d := []rune(norm.NFD.String(word))
	var at []int
	for i, r := range d {
		switch r {
		case 'a', 'e', 'o', 'u', 'A', 'E', 'O', 'U':
			at = append(at, i)
		}
	}
	if len(at) == 0 {
		return word, false
	}
	i := at[pick%len(at)]
	var out []rune
	out = append(out, d[:i+1]...)
	j := i + 1
	removed := false
	for ; j < len(d) && isCombining(d[j]); j++ {
		switch d[j] {
		case markCircumflex, markBreve, markHorn:
			removed = true
			continue
		}
		out = append(out, d[j])
	}
	if !removed {
		add := markCircumflex
		if d[i] == 'u' || d[i] == 'U' {
			add = markHorn
		}
		out = append(out[:i+1], append([]rune{add}, out[i+1:]...)...)
	}
	out = append(out, d[j:]...)
	s := norm.NFC.String(string(out))
	return s, s != word
}

func isCombining(r rune) bool { return r >= 0x300 && r <= 0x36f }

// typo makes one typing error in word: a letter substituted, dropped, or
// two neighbours swapped. ok is false when word is too short or the typo
// changes nothing.
func typo(r *rand.Rand, word string) (string, bool) {
	rs := []rune(word)
	if len(rs) < 3 {
		return word, false
	}
	i := 1 + r.IntN(len(rs)-1)
	switch r.IntN(3) {
	case 0:
		letters := "bcdghklmnpqrstvx"
		rs[i] = rune(letters[r.IntN(len(letters))])
	case 1:
		rs = append(rs[:i], rs[i+1:]...)
	default:
		if i == len(rs)-1 {
			i--
		}
		rs[i], rs[i+1] = rs[i+1], rs[i]
	}
	s := string(rs)
	return s, s != word && utf8.ValidString(s)
}

// Tone placement: old style puts the tone on the second vowel of a final
// oa, oe or uy ("hoà", "thuý"), new style on the first ("hòa", "thúy").
// toneSwap maps each two-letter word ending to its other style.
var toneSwap = map[string]string{}

func init() {
	tones := []string{"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}
	for _, p := range [][2]string{{"o", "a"}, {"o", "e"}, {"u", "y"}, {"O", "A"}, {"O", "E"}, {"U", "Y"}} {
		for _, t := range tones {
			newStyle := norm.NFC.String(p[0] + t + p[1])
			oldStyle := norm.NFC.String(p[0] + p[1] + t)
			toneSwap[newStyle] = oldStyle
			toneSwap[oldStyle] = newStyle
		}
	}
}

// swapTonePlacement writes s with the other tone placement style in each
// word ending in oa, oe or uy (hòa ↔ hoà, thúy ↔ thuý), leaving "qu"
// words alone (Quý has one style only).
func swapTonePlacement(s string) string {
	words := strings.Split(s, " ")
	changed := false
	for i, w := range words {
		rs := []rune(w)
		if len(rs) < 2 {
			continue
		}
		if len(rs) >= 3 && (rs[len(rs)-3] == 'q' || rs[len(rs)-3] == 'Q') {
			continue
		}
		if alt, ok := toneSwap[string(rs[len(rs)-2:])]; ok {
			words[i] = string(rs[:len(rs)-2]) + alt
			changed = true
		}
	}
	if !changed {
		return s
	}
	return strings.Join(words, " ")
}
