package normalize

import (
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// A Vietnamese vowel is a base (a, ă, â, e, ê, i, o, ô, ơ, u, ư, y) and a
// tone. Names are rebuilt from this decomposition, so NFC, NFD with marks
// in any order, Windows-1258 combining tones and either tone placement all
// give one spelling.

// Vowel bases, 1-based; 0 means "not a vowel".
const (
	vA = 1 + iota
	vAbreve
	vAcirc
	vE
	vEcirc
	vI
	vO
	vOcirc
	vOhorn
	vU
	vUhorn
	vY
	numBases
)

// baseRunes holds the lower-case, toneless rune of each base.
var baseRunes = [numBases]rune{0, 'a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y'}

// shaped reports whether a base carries a circumflex, breve or horn.
func shaped(b uint8) bool {
	switch b {
	case vAbreve, vAcirc, vEcirc, vOcirc, vOhorn, vUhorn:
		return true
	}
	return false
}

// Tones (thanh), 0 for level (ngang).
const (
	toneNone = iota
	toneGrave
	toneAcute
	toneHook
	toneTilde
	toneDot
	numTones
)

// toneMarks are the combining marks of the tones.
var toneMarks = [numTones]rune{0, '\u0300', '\u0301', '\u0309', '\u0303', '\u0323'}

// vowelInfo describes a precomposed vowel: base | tone<<4 | upper<<7, or 0.
type vowelInfo uint16

func (v vowelInfo) base() uint8   { return uint8(v & 0xF) }
func (v vowelInfo) tone() uint8   { return uint8(v>>4) & 7 }
func (v vowelInfo) upper() bool   { return v&0x80 != 0 }
func (v vowelInfo) isVowel() bool { return v&0xF != 0 }

const vowelLimit = 0x1F00

// vowelTable maps a rune to its vowel; composed maps [upper][base][tone]
// back to the rune.
var vowelTable, composed = buildVowels()

// buildVowels makes vowelTable and composed from the Unicode tables.
func buildVowels() (*[vowelLimit]vowelInfo, *[2][numBases][numTones]rune) {
	vowelTable, composed := new([vowelLimit]vowelInfo), new([2][numBases][numTones]rune)
	for upper := range 2 {
		for b := 1; b < numBases; b++ {
			for t := range numTones {
				r := baseRunes[b]
				if upper == 1 {
					r = unicode.ToUpper(r)
				}
				s := string(r)
				if t != toneNone {
					s = norm.NFC.String(s + string(toneMarks[t]))
				}
				c := []rune(s)[0]
				composed[upper][b][t] = c
				vowelTable[c] = vowelInfo(b | t<<4 | upper<<7)
			}
		}
	}
	return vowelTable, composed
}

// lookupVowel returns the vowel information of r.
func lookupVowel(r rune) vowelInfo {
	if r < vowelLimit {
		return vowelTable[r]
	}
	return 0
}

// markTone returns the tone of a combining tone mark, or -1.
func markTone(r rune) int {
	switch r {
	case '\u0300', '\u0340':
		return toneGrave
	case '\u0301', '\u0341':
		return toneAcute
	case '\u0309':
		return toneHook
	case '\u0303':
		return toneTilde
	case '\u0323':
		return toneDot
	}
	return -1
}

// addShape applies a combining circumflex, breve or horn to a base. ok is
// false when the mark does not fit the base.
func addShape(b uint8, mark rune) (uint8, bool) {
	switch mark {
	case '\u0302':
		switch b {
		case vA:
			return vAcirc, true
		case vE:
			return vEcirc, true
		case vO:
			return vOcirc, true
		}
	case '\u0306':
		if b == vA {
			return vAbreve, true
		}
	case '\u031B':
		switch b {
		case vO:
			return vOhorn, true
		case vU:
			return vUhorn, true
		}
	}
	return b, false
}

// isCombining reports whether r is a combining mark.
func isCombining(r rune) bool {
	if r < 0x300 {
		return false
	}
	if r <= 0x36F {
		return true
	}
	return unicode.Is(unicode.Mn, r)
}
