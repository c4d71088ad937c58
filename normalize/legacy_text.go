package normalize

import (
	"strings"
	"unicode/utf8"
)

// DecodeLegacyText is DecodeLegacy for free text that is not only a name:
// an address, a gender, a status, a relation ("N÷" is TCVN3 for "Nữ",
// "Th«n 3, X· Nam Hång" for "Thôn 3, Xã Nam Hồng"). The text is cut into
// tokens at ASCII spaces, digits and punctuation, which every 8-bit
// encoding writes alike; the tokens holding a byte or rune outside
// printable ASCII are judged. A decoding is taken when every judged token
// of it is a well-formed Vietnamese syllable and s reads worse (as
// DecodeLegacy ranks readings). VIQR is not tried: addresses are full of
// its marks. Otherwise s is returned with EncodingUnicode.
func DecodeLegacyText(s string) (string, Encoding) {
	eightBit := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if isControl(c) {
				eightBit = true // TCVN3 capitals sit on control bytes
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1, r <= 0xFF:
			eightBit = true
		case r >= 0x1EA0 && r <= 0x1EF9, r == 'ơ', r == 'ư', r == 'Ơ', r == 'Ư':
			return s, EncodingUnicode // a Vietnamese letter: Unicode (the common case, checked first)
		case isCP1252High(r):
			eightBit = true
		default:
			return s, EncodingUnicode // a rune no legacy reading produces
		}
	}
	if !eightBit {
		return s, EncodingUnicode
	}
	best, bestEnc, bestScore := s, EncodingUnicode, int(^uint(0)>>1)
	// s is judged with Ð (U+00D0, Eth) read as Đ, the keyboard habit:
	// "Võ Ðông" is good Unicode, not Windows-1258 for "Vơ Đông".
	if w, ok := judgedTokens(strings.ReplaceAll(s, "Ð", "Đ")); ok && w != "" {
		if plausible, clean := readsAsName(w); plausible {
			if clean {
				return s, EncodingUnicode
			}
			bestScore = namePenalty(w)
		}
	}
	try := func(d string, e Encoding) {
		if w, ok := judgedTokens(d); ok && w != "" {
			if sc := namePenalty(w); sc < bestScore {
				best, bestEnc, bestScore = d, e, sc
			}
		}
	}
	var buf [128]byte
	raw, ok := legacyBytes(buf[:0], s)
	if !ok {
		return s, EncodingUnicode
	}
	try(decodeTCVN3(raw), EncodingTCVN3)
	if d, ok := decodeVNI(raw); ok {
		try(d, EncodingVNI)
	}
	try(decodeCP1258(raw), EncodingWindows1258)
	return best, bestEnc
}

// isControl reports whether c is an ASCII control byte other than tab and
// line ends.
func isControl(c byte) bool {
	return c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7F
}

// judgedTokens returns the tokens of s that hold a byte outside printable
// ASCII, joined by spaces, and ok=false when one of them is not a
// well-formed Vietnamese syllable (or s is not valid UTF-8).
func judgedTokens(s string) (string, bool) {
	if !utf8.ValidString(s) {
		return "", false
	}
	var b strings.Builder
	start := 0
	judge := false
	flush := func(end int) bool {
		if judge {
			tok := s[start:end]
			if !plausibleSyllable(tok) {
				return abbreviation(tok) // neither a syllable nor judged
			}
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(tok)
		}
		return true
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < utf8.RuneSelf && !isControl(c) && !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			if !flush(i) {
				return "", false
			}
			start, judge = i+1, false
			continue
		}
		if c >= utf8.RuneSelf || isControl(c) {
			judge = true
		}
	}
	if !flush(len(s)) {
		return "", false
	}
	return b.String(), true
}

// abbreviation reports whether tok is a short run of consonants with Đ or
// đ, the one letter outside ASCII they can hold: the abbreviations of
// addresses ("KĐT" khu đô thị, "TĐC" tái định cư, "Đ." đường).
func abbreviation(tok string) bool {
	n, d := 0, false
	for _, r := range tok {
		n++
		switch {
		case r == 'Đ' || r == 'đ':
			d = true
		case 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z':
			if lookupVowel(r).isVowel() {
				return false
			}
		default:
			return false
		}
	}
	return d && n <= 5
}

// DecodeAs decodes s, bytes of a whole file known to be in encoding e
// (TCVN3, VNI-Windows or Windows-1258), to NFC Unicode. Any other e
// returns s unchanged. ok is false when s is not valid VNI (a tone mark
// with no vowel before it).
func DecodeAs(s string, e Encoding) (string, bool) {
	isASCII := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf || e == EncodingTCVN3 && s[i] < 0x20 {
			isASCII = false
			break
		}
	}
	if isASCII {
		return s, true
	}
	switch e {
	case EncodingTCVN3:
		return decodeTCVN3([]byte(s)), true
	case EncodingVNI:
		return decodeVNI([]byte(s))
	case EncodingWindows1258:
		return decodeCP1258([]byte(s)), true
	}
	return s, true
}

// ParseEncoding reads the name of an encoding as String writes it
// ("tcvn3", "vni", "cp1258"; "unicode" or "utf-8" for Unicode).
func ParseEncoding(s string) (Encoding, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "utf-8", "utf8", "unicode":
		return EncodingUnicode, true
	case "tcvn3", "abc", "tcvn":
		return EncodingTCVN3, true
	case "vni", "vni-windows":
		return EncodingVNI, true
	case "cp1258", "windows-1258":
		return EncodingWindows1258, true
	}
	return EncodingUnicode, false
}
