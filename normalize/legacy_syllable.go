package normalize

import (
	"strings"
	"unicode/utf8"
)

// Vowel nuclei, written in Unicode and indexed by nucleusIndex, mark
// whether a syllable may have them (nucleusOK) and whether they never
// take a final consonant (nucleusOpen).
const (
	nucleusOK = 1 << iota
	nucleusOpen
)

var nuclei = nucleusTable(
	[]string{"a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
		"ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi",
		"ôi", "ơi", "oo", "ua", "uâ", "uê", "ui", "uô", "uơ", "ưa", "ưi", "ươ", "ưu", "uy", "yê",
		"iêu", "oai", "oay", "oao", "oeo", "uây", "uôi", "ươi", "ươu", "uya", "uyê", "uyu", "yêu"},
	[]string{"ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi",
		"ua", "ui", "ưa", "ưi", "ưu", "iêu", "oai", "oay", "oao", "oeo", "uây", "uôi", "ươi",
		"ươu", "uya", "uyu", "yêu"})

func nucleusTable(ok, open []string) *[numBases * numBases * numBases]uint8 {
	var t [numBases * numBases * numBases]uint8
	for flag, list := range map[uint8][]string{nucleusOK: ok, nucleusOpen: open} {
		for _, w := range list {
			var b []byte
			for _, r := range w {
				b = append(b, lookupVowel(r).base())
			}
			i, _ := nucleusIndex(b)
			t[i] |= flag
		}
	}
	return &t
}

// nucleusIndex numbers a sequence of up to three vowel bases.
func nucleusIndex(bases []byte) (int, bool) {
	if len(bases) > 3 {
		return 0, false
	}
	n := 0
	for _, b := range bases {
		n = n*numBases + int(b)
	}
	return n, true
}

// isInitial reports whether b is an initial consonant (đ written as its
// UTF-8 bytes).
func isInitial(b []byte) bool {
	switch string(b) {
	case "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n",
		"ng", "ngh", "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x":
		return true
	}
	return false
}

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// plausibleName reports whether s is valid UTF-8 made of space-separated
// well-formed Vietnamese syllables (at least one).
func plausibleName(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	n := 0
	for w := range strings.FieldsSeq(s) {
		if !plausibleSyllable(w) {
			return false
		}
		n++
	}
	return n > 0
}

// plausibleSyllable reports whether w is an initial consonant, a vowel
// nucleus with at most one tone and a final consonant, in any case.
func plausibleSyllable(w string) bool {
	var ib, nb, fb [8]byte // initial, nucleus, final
	ini, nuc, fin := ib[:0], nb[:0], fb[:0]
	tones, tone := 0, uint8(0)
	for _, r := range w {
		if v := lookupVowel(r); v.isVowel() {
			if len(fin) > 0 || len(nuc) == 3 {
				return false
			}
			if v.tone() != 0 {
				tones++
				tone = v.tone()
			}
			nuc = append(nuc, v.base())
			continue
		}
		var c byte
		switch {
		case 'a' <= r && r <= 'z':
			c = byte(r)
		case 'A' <= r && r <= 'Z':
			c = byte(r) + 'a' - 'A'
		case r == 'đ' || r == 'Đ':
			c = 'D'
		default:
			return false
		}
		if len(nuc) == 0 {
			if len(ini) == 3 {
				return false
			}
			if c == 'D' {
				ini = append(ini, "đ"...)
			} else {
				ini = append(ini, c)
			}
		} else {
			if len(fin) == 2 {
				return false
			}
			fin = append(fin, c)
		}
	}
	if tones > 1 || len(nuc) == 0 {
		return false
	}
	// qu and gi take the u or i of the nucleus.
	if len(nuc) > 1 && (string(ini) == "q" && nuc[0] == vU || string(ini) == "g" && nuc[0] == vI) {
		ini = append(ini, byte(baseRunes[nuc[0]]))
		nuc = nuc[1:]
		if ini[0] == 'q' && (nuc[0] == vU || nuc[0] == vUhorn) {
			return false
		}
	}
	ni, ok := nucleusIndex(nuc)
	if !ok || nuclei[ni]&nucleusOK == 0 || !isInitial(ini) {
		return false
	}
	switch string(fin) {
	case "":
		return true
	case "m", "n", "ng", "nh":
	case "c", "ch", "p", "t": // stops follow only the sắc and nặng tones
		if tone != toneAcute && tone != toneDot {
			return false
		}
	default:
		return false
	}
	return nuclei[ni]&nucleusOpen == 0
}
