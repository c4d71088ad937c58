// Package normalize turns Vietnamese names, dates, ID numbers, genders and
// addresses as written in government extracts into canonical values and
// match keys, so that a real difference can be told from another way of
// writing the same thing. Functions are pure and safe for concurrent use.
package normalize

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// foldTable maps each rune below foldLimit to its accent-free lower-case
// ASCII base letter, 0 for a combining mark (dropped), or 0xFF when the rune
// has no Vietnamese base and is kept as its lower case.
var foldTable = buildFoldTable()

const foldLimit = 0x2000

func buildFoldTable() *[foldLimit]byte {
	var t [foldLimit]byte
	for r := rune(0); r < foldLimit; r++ {
		switch {
		case r < utf8.RuneSelf:
			t[r] = byte(unicode.ToLower(r))
		case r == 'đ' || r == 'Đ' || r == 'Ð': // U+0111, U+0110, U+00D0 (Eth look-alike)
			t[r] = 'd'
		case unicode.Is(unicode.Mn, r):
			t[r] = 0
		default:
			t[r] = 0xFF
			d := norm.NFD.String(string(r))
			if b, _ := utf8.DecodeRuneInString(d); b < utf8.RuneSelf && unicode.IsLetter(b) {
				t[r] = byte(unicode.ToLower(b))
			}
		}
	}
	return &t
}

// AppendFold appends to dst the accent-free, lower-case form of s: marks
// removed, đ/Đ/Ð as d, ASCII letters lowered; other runes are lowered and
// kept. NFC and NFD input fold alike. It does not touch spacing.
func AppendFold(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r < foldLimit {
			switch b := foldTable[r]; b {
			case 0:
				continue // combining mark
			case 0xFF:
			default:
				dst = append(dst, b)
				continue
			}
		}
		if r == utf8.RuneError && size == 1 {
			continue // invalid byte: drop rather than emit U+FFFD
		}
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
	}
	return dst
}

// Fold returns the accent-free, lower-case form of s (see AppendFold).
func Fold(s string) string {
	if isFoldedASCII(s) {
		return s
	}
	var buf [64]byte
	return string(AppendFold(buf[:0], s))
}

func isFoldedASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}
