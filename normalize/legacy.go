package normalize

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// Encoding is a character encoding Vietnamese text may arrive in.
type Encoding uint8

// Encodings. The legacy ones come from files typed with the ABC (TCVN3)
// or VNI fonts, from VIQR e-mail conventions, or from Windows-1258.
const (
	EncodingUnicode Encoding = iota
	EncodingTCVN3
	EncodingVNI
	EncodingVIQR
	EncodingWindows1258
)

var encodingNames = [...]string{"unicode", "tcvn3", "vni", "viqr", "cp1258"}

func (e Encoding) String() string {
	if int(e) < len(encodingNames) {
		return encodingNames[e]
	}
	return "?"
}

// DecodeLegacy returns s decoded to NFC Unicode when it is clearly a
// Vietnamese name in TCVN3, VNI-Windows, Windows-1258 or VIQR, with the
// encoding found. The 8-bit encodings are recognised both as raw bytes
// (invalid UTF-8) and as bytes mis-read as Latin-1 or Windows-1252
// ("NguyÔn" for TCVN3 "Nguyễn"). The evidence is clear when every word of
// the decoded text is a well-formed Vietnamese syllable and s itself is
// not, or is but reads worse (mixed letter case, a tone off its vowel);
// otherwise DecodeLegacy returns s and EncodingUnicode. When several
// encodings fit, the reading with one case pattern, tones in place and
// more of the commonest name syllables wins, then TCVN3 before VNI before
// Windows-1258. A single VIQR mark at the very end (". or ') is not
// evidence. Input with a rune outside Latin-1 and Windows-1252 returns at once.
func DecodeLegacy(s string) (string, Encoding) {
	eightBit, viqr := false, false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c < 0x20 && c != '\t' && c != '\n' && c != '\r':
				eightBit = true // TCVN3 capitals sit on control bytes
			case viqrMark(c):
				viqr = true
			case (c == 'd' || c == 'D') && i+1 < len(s) && (s[i+1] == 'd' || s[i+1] == 'D'):
				viqr = true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1, r <= 0xFF, isCP1252High(r):
			eightBit = true
		default:
			return s, EncodingUnicode // a rune no legacy reading produces
		}
	}
	if !eightBit && !viqr {
		return s, EncodingUnicode
	}
	// Ð (U+00D0, Eth) typed for Đ is a keyboard habit, not a legacy
	// byte: when s reads as good Vietnamese syllables with Ð and ð taken
	// as Đ and đ, that Unicode reading wins ("Võ Ðông" is not the
	// Windows-1258 "Vơ Đông").
	if eth := ethAsD(s); eth != s {
		if plausible, _ := readsAsName(eth); plausible {
			return s, EncodingUnicode
		}
	}
	// Start from s itself when it reads as Vietnamese: a decoding must
	// then read strictly better.
	best, bestEnc, bestScore := s, EncodingUnicode, int(^uint(0)>>1)
	if plausible, clean := readsAsName(s); plausible {
		if clean {
			return s, EncodingUnicode
		}
		bestScore = namePenalty(s)
	}
	try := func(d string, e Encoding) {
		if plausibleName(d) {
			if sc := namePenalty(d); sc < bestScore {
				best, bestEnc, bestScore = d, e, sc
			}
		}
	}
	if eightBit {
		var buf [96]byte
		raw, ok := legacyBytes(buf[:0], s)
		if !ok {
			return s, EncodingUnicode
		}
		// Several encodings can fit a short name; prefer the reading with
		// one letter-case pattern and tones where Vietnamese puts them.
		try(decodeTCVN3(raw), EncodingTCVN3)
		if d, ok := decodeVNI(raw); ok {
			try(d, EncodingVNI)
		}
		try(decodeCP1258(raw), EncodingWindows1258)
		return best, bestEnc
	}
	if d, marks := decodeVIQR(s); marks {
		try(d, EncodingVIQR)
	}
	return best, bestEnc
}

// ethAsD returns s with the look-alikes Ð and ð (U+00D0, U+00F0) written
// as Đ and đ (U+0110, U+0111); s itself when it holds neither or is not
// valid UTF-8.
func ethAsD(s string) string {
	if !utf8.ValidString(s) || !strings.ContainsAny(s, "Ðð") {
		return s
	}
	return strings.NewReplacer("Ð", "Đ", "ð", "đ").Replace(s)
}

// legacyBytes returns the bytes s stands for: s itself when it is not
// valid UTF-8, else each rune as the Latin-1 or Windows-1252 byte it was
// mis-decoded from.
func legacyBytes(dst []byte, s string) ([]byte, bool) {
	if !utf8.ValidString(s) {
		return append(dst, s...), true
	}
	for _, r := range s {
		if r <= 0xFF {
			dst = append(dst, byte(r))
			continue
		}
		b, ok := charmap.Windows1252.EncodeRune(r)
		if !ok {
			return dst, false
		}
		dst = append(dst, b)
	}
	return dst, true
}

// namePenalty scores how unlike a written name s is: words off its letter
// case pattern and tones off their usual vowel count 4, words among the
// commonest family and middle names take 1 off. 0 or less reads well.
func namePenalty(s string) int {
	n := 4 * casePenalty(s)
	for w := range strings.FieldsSeq(s) {
		if !tonePlaced(w) {
			n += 4
		}
		var buf [32]byte
		if commonSyllables[string(lowerAppend(buf[:0], w))] {
			n--
		}
	}
	return n
}

// commonSyllables are the commonest family and middle names (see the
// reference README), enough to break ties between legacy readings of one
// short name ("Thị" in VNI reads "Thũ" in TCVN3).
var commonSyllables = setOf("nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ", "đặng",
	"bùi", "đỗ", "hồ", "ngô", "dương", "lý", "văn", "thị", "minh", "ngọc", "thanh", "đức", "quốc",
	"quang", "hữu", "hồng", "thu", "xuân", "anh", "thúy", "thủy", "mai", "hương", "hải", "tuấn", "hùng")

func lowerAppend(dst []byte, s string) []byte {
	for _, r := range s {
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
	}
	return dst
}

// tonePlaced reports whether the tone of syllable w sits where either
// tone-placement convention puts it.
func tonePlaced(w string) bool {
	vowels, toned := 0, false
	for _, r := range w {
		if v := lookupVowel(r); v.isVowel() {
			vowels++
			toned = toned || v.tone() != 0
		}
	}
	if vowels < 2 || !toned {
		return true
	}
	var buf [16]letter
	l := buf[:0]
	for _, r := range w {
		v := lookupVowel(r)
		l = append(l, letter{r: unicode.ToLower(r), base: v.base(), tone: v.tone()})
	}
	at := -1
	for i, x := range l {
		if x.tone != 0 {
			at = i
		}
	}
	if at < 0 {
		return true
	}
	placeTone(l)
	if l[at].tone != 0 {
		return true
	}
	// oa, oe and uy without a final take the tone on either vowel.
	if at > 0 && at == len(l)-1 {
		switch p, c := l[at-1].base, l[at].base; {
		case p == vO && (c == vA || c == vE), p == vU && c == vY && (at < 2 || l[at-2].r != 'q'):
			return true
		}
	}
	return false
}

// readsAsName reports whether s is a plausible name (see plausibleName)
// and, if so, whether it is also clean: one letter-case pattern and every
// tone where a convention puts it.
func readsAsName(s string) (plausible, clean bool) {
	if !utf8.ValidString(s) {
		return false, false
	}
	var n, title, upper, lower int
	tones := true
	for w := range strings.FieldsSeq(s) {
		if !plausibleSyllable(w) {
			return false, false
		}
		t, u, l := wordCase(w)
		n++
		title, upper, lower = title+b2i(t), upper+b2i(u), lower+b2i(l)
		tones = tones && tonePlaced(w)
	}
	return n > 0, tones && (title == n || upper == n || lower == n)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// wordCase reports whether w is in title case, upper case or lower case.
func wordCase(w string) (title, upper, lower bool) {
	title, upper, lower = true, true, true
	for i, r := range w {
		u, l := unicode.IsUpper(r), unicode.IsLower(r)
		upper = upper && !l
		lower = lower && !u
		title = title && (i == 0 && !l || i > 0 && !u)
	}
	return title, upper, lower
}

// casePenalty counts the words of s that break its dominant letter case
// pattern (Title, UPPER or lower); words of mixed case count twice.
func casePenalty(s string) int {
	var title, upper, lower, mixed int
	for w := range strings.FieldsSeq(s) {
		t, u, l := wordCase(w)
		title, upper, lower = title+b2i(!t), upper+b2i(!u), lower+b2i(!l)
		if !t && !u && !l {
			mixed++
		}
	}
	return min(title, upper, lower) + mixed
}

func isCP1252High(r rune) bool {
	if r < 0x152 || r > 0x2122 {
		return false
	}
	b, ok := charmap.Windows1252.EncodeRune(r)
	return ok && b >= 0x80 && b <= 0x9F
}

func decodeTCVN3(raw []byte) string {
	var buf [128]byte
	out := buf[:0]
	for _, c := range raw {
		out = utf8.AppendRune(out, tcvn3Table[c])
	}
	return norm.NFC.String(string(out))
}

func decodeCP1258(raw []byte) string {
	var buf [128]byte
	out := buf[:0]
	for _, c := range raw {
		out = utf8.AppendRune(out, charmap.Windows1258.DecodeByte(c))
	}
	return norm.NFC.String(string(out))
}

// VNI-Windows writes a toned or shaped vowel as the base letter and a mark
// byte; ơ, ư, đ and the toned i and ỵ are single bytes. Mark bytes come in
// a lower-case set (after lower-case letters) and an upper-case one, 0x20
// lower.
var vniMarks = map[byte]struct{ shape, tone uint8 }{
	0xF9: {0, toneAcute}, 0xF8: {0, toneGrave}, 0xFB: {0, toneHook}, 0xF5: {0, toneTilde}, 0xEF: {0, toneDot},
	0xE2: {'^', 0}, 0xE1: {'^', toneAcute}, 0xE0: {'^', toneGrave}, 0xE5: {'^', toneHook}, 0xE3: {'^', toneTilde}, 0xE4: {'^', toneDot},
	0xEA: {'(', 0}, 0xE9: {'(', toneAcute}, 0xE8: {'(', toneGrave}, 0xFA: {'(', toneHook}, 0xFC: {'(', toneTilde}, 0xEB: {'(', toneDot},
}

// vniSingle are the one-byte VNI letters (lower case; upper case is 0x20 lower).
var vniSingle = map[byte]letter{
	0xF4: {base: vOhorn}, 0xF6: {base: vUhorn}, 0xF1: {r: 'đ'},
	0xED: {base: vI, tone: toneAcute}, 0xEC: {base: vI, tone: toneGrave}, 0xE6: {base: vI, tone: toneHook},
	0xF3: {base: vI, tone: toneTilde}, 0xF2: {base: vI, tone: toneDot}, 0xEE: {base: vY, tone: toneDot},
}

func decodeVNI(raw []byte) (string, bool) {
	var buf [128]byte
	out := buf[:0]
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		lower, upper := c|0x20, c >= 0x80 && c < 0xE0 || 'A' <= c && c <= 'Z'
		var l letter
		switch {
		case c < 0x80:
			if v := lookupVowel(rune(c)); v.isVowel() {
				l = letter{base: v.base()}
			} else {
				out = append(out, c)
				continue
			}
		case c >= 0xC0:
			s, ok := vniSingle[lower]
			if !ok {
				return "", false // a mark with no vowel before it
			}
			l = s
		default:
			return "", false
		}
		if i+1 < len(raw) && raw[i+1] >= 0xC0 && l.r == 0 {
			if m, ok := vniMarks[raw[i+1]|0x20]; ok && l.tone == 0 {
				switch m.shape {
				case '^':
					nb, ok := addShape(l.base, '\u0302')
					if !ok {
						return "", false
					}
					l.base = nb
				case '(':
					nb, ok := addShape(l.base, '\u0306')
					if !ok {
						return "", false
					}
					l.base = nb
				}
				l.tone = m.tone
				i++
			}
		}
		if l.r == 'đ' {
			if upper {
				out = utf8.AppendRune(out, 'Đ')
			} else {
				out = utf8.AppendRune(out, 'đ')
			}
			continue
		}
		u := 0
		if upper {
			u = 1
		}
		out = utf8.AppendRune(out, composed[u][l.base][l.tone])
	}
	return string(out), true
}

// VIQR marks: shapes ^ ( +, tones ` ' ? ~ ., đ as dd or d-.
const viqrTones = "\x00`'?~."

func decodeVIQR(s string) (string, bool) {
	var buf [96]byte
	out := buf[:0]
	marks := 0 // marks that cannot be punctuation
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) { // escaped mark
			i++
			out = append(out, s[i])
			continue
		}
		if (c == 'd' || c == 'D') && i+1 < len(s) && (s[i+1] == 'd' || s[i+1] == 'D' || s[i+1] == '-') {
			if c == 'D' {
				out = utf8.AppendRune(out, 'Đ')
			} else {
				out = utf8.AppendRune(out, 'đ')
			}
			marks++
			i++
			continue
		}
		v := lookupVowel(rune(c))
		if !v.isVowel() {
			out = append(out, c)
			continue
		}
		base, tone := v.base(), uint8(0)
		if i+1 < len(s) {
			var mark rune
			switch s[i+1] {
			case '^':
				mark = '\u0302'
			case '(':
				mark = '\u0306'
			case '+':
				mark = '\u031B'
			}
			if nb, ok := addShape(base, mark); ok && mark != 0 {
				base = nb
				marks++
				i++
			}
		}
		if i+1 < len(s) {
			if t := strings.IndexByte(viqrTones[1:], s[i+1]); t >= 0 {
				tone = uint8(t + 1)
				if i+2 < len(s) || (s[i+1] != '.' && s[i+1] != '\'') {
					marks++ // a final . or ' may be punctuation
				}
				i++
			}
		}
		u := 0
		if v.upper() {
			u = 1
		}
		out = utf8.AppendRune(out, composed[u][base][tone])
	}
	return string(out), marks > 0
}

// EncodeLegacy writes s, a Unicode name, in encoding e: bytes in a Go
// string for TCVN3, VNI and Windows-1258, ASCII for VIQR. Runes the
// encoding cannot hold become '?'. It is the inverse of DecodeLegacy and
// lets tests and the synthetic generator make realistic legacy input.
func EncodeLegacy(s string, e Encoding) string {
	if e == EncodingUnicode {
		return s
	}
	s = norm.NFC.String(s)
	out := make([]byte, 0, len(s)+8)
	for _, r := range s {
		v := lookupVowel(r)
		u := 0
		if v.upper() {
			u = 1
		}
		switch e {
		case EncodingTCVN3:
			b, ok := tcvn3Encode[r]
			if !ok {
				b = '?'
				if r < 0x80 {
					b = byte(r)
				}
			}
			out = append(out, b)
		case EncodingVNI:
			out = appendVNI(out, r, v)
		case EncodingVIQR:
			switch {
			case r == 'đ':
				out = append(out, "dd"...)
			case r == 'Đ':
				out = append(out, "DD"...)
			case v.isVowel():
				base := v.base()
				out = append(out, byte(baseRunes[baseOf(base)])-byte(u)*0x20)
				if m := viqrShape(base); m != 0 {
					out = append(out, m)
				}
				if t := v.tone(); t != 0 {
					out = append(out, viqrTones[t])
				}
			case r < 0x80:
				out = append(out, byte(r))
			default:
				out = append(out, '?')
			}
		case EncodingWindows1258:
			if b, ok := charmap.Windows1258.EncodeRune(r); ok {
				out = append(out, b)
				continue
			}
			if !v.isVowel() {
				out = append(out, '?')
				continue
			}
			b, _ := charmap.Windows1258.EncodeRune(composed[u][v.base()][0])
			t, _ := charmap.Windows1258.EncodeRune(toneMarks[v.tone()])
			out = append(out, b, t)
		default:
			return s
		}
	}
	return string(out)
}

// tcvn3Encode inverts tcvn3Table, preferring precomposed letters.
var tcvn3Encode = func() map[rune]byte {
	m := make(map[rune]byte, 256)
	for b := 255; b >= 0; b-- {
		if r := tcvn3Table[b]; b < 0x80 && rune(b) == r || r >= 0x80 && !isCombining(r) {
			m[r] = byte(b)
		}
	}
	return m
}()

// baseOf strips the shape of a base: ă, â to a, ê to e, ô, ơ to o, ư to u.
func baseOf(b uint8) uint8 {
	switch b {
	case vAbreve, vAcirc:
		return vA
	case vEcirc:
		return vE
	case vOcirc, vOhorn:
		return vO
	case vUhorn:
		return vU
	}
	return b
}

func viqrShape(b uint8) byte {
	switch b {
	case vAcirc, vEcirc, vOcirc:
		return '^'
	case vAbreve:
		return '('
	case vOhorn, vUhorn:
		return '+'
	}
	return 0
}

// vniI are the VNI bytes of the toned i (by tone); vniMarkByte the mark
// bytes by shape (none, circumflex, breve) and tone.
var (
	vniI        = [numTones]byte{0, 0xEC, 0xED, 0xE6, 0xF3, 0xF2}
	vniMarkByte = func() (t [3][numTones]byte) {
		for b, m := range vniMarks {
			switch m.shape {
			case '^':
				t[1][m.tone] = b
			case '(':
				t[2][m.tone] = b
			default:
				t[0][m.tone] = b
			}
		}
		return t
	}()
)

// appendVNI writes one rune in VNI-Windows.
func appendVNI(out []byte, r rune, v vowelInfo) []byte {
	var up byte
	if v.upper() || r == 'Đ' {
		up = 0x20
	}
	switch {
	case r == 'đ' || r == 'Đ':
		return append(out, 0xF1-up)
	case !v.isVowel():
		if r < 0x80 {
			return append(out, byte(r))
		}
		return append(out, '?')
	}
	base, tone := v.base(), v.tone()
	switch {
	case base == vI && tone != 0:
		return append(out, vniI[tone]-up)
	case base == vY && tone == toneDot:
		return append(out, 0xEE-up)
	case base == vOhorn:
		out = append(out, 0xF4-up)
	case base == vUhorn:
		out = append(out, 0xF6-up)
	default:
		out = append(out, byte(baseRunes[baseOf(base)])-up)
	}
	shape := 0
	switch base {
	case vAcirc, vEcirc, vOcirc:
		shape = 1
	case vAbreve:
		shape = 2
	}
	if shape == 0 && tone == 0 {
		return out
	}
	return append(out, vniMarkByte[shape][tone]-up)
}

// LegacyReadings returns every plausible Vietnamese reading of s in the
// legacy 8-bit encodings (TCVN3, VNI-Windows, Windows-1258), best first as
// DecodeLegacy ranks them. Short names can read as a name in two encodings
// ("Ho\xe0ng" is Hoàng in Windows-1258 and Hồng in VNI); a comparison that
// must not invent a difference accepts any of them. Text that is already
// good Unicode may still be 8-bit bytes mis-read as Windows-1252 that spell
// other Vietnamese syllables ("Hoàng Vãn Vu" is VNI for Hoàng Văn Vu), so
// its 8-bit readings are returned too, after any VIQR one. It returns nil
// when s has no other plausible reading.
func LegacyReadings(s string) []string {
	best, enc := DecodeLegacy(s)
	switch enc {
	case EncodingVIQR:
		return []string{best}
	}
	var out []string
	if enc == EncodingUnicode {
		// Too little evidence to decode on its own: a single VIQR mark at
		// the end ("Tri'"), or 8-bit bytes mis-read as Windows-1252 that
		// happen to spell Vietnamese syllables ("Vãn" for VNI "Văn"). Still
		// readings to accept.
		if d, _ := decodeVIQR(s); d != s && plausibleName(d) {
			out = append(out, d)
		}
	} else {
		out = append(out, best)
	}
	var buf [96]byte
	raw, ok := legacyBytes(buf[:0], s)
	if !ok {
		return out
	}
	add := func(d string) {
		if d != best && d != s && plausibleName(d) && !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	add(decodeTCVN3(raw))
	if d, ok := decodeVNI(raw); ok {
		add(d)
	}
	add(decodeCP1258(raw))
	return out
}

// viqrMark reports whether the ASCII byte c is one of the VIQR marks
// ' ` ? ~ . ^ ( + -.
func viqrMark(c byte) bool {
	switch c {
	case '\'', '`', '?', '~', '.', '^', '(', '+', '-':
		return true
	}
	return false
}
