package normalize

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Name is a person's full name (họ và tên) as doisanh compares it.
type Name struct {
	// Display is the canonical spelling: legacy encodings decoded, NFC,
	// tones placed on one convention, title case, single spaces, the Eth
	// look-alikes Ð and ð written Đ and đ, apostrophes as U+0027 and
	// hyphens as U+002D. Digits and other symbols separate words.
	//
	// Tone placement follows the convention the project's reference notes
	// call new style: with no final consonant the tone of oa, oe and uy goes on the first vowel
	// ("Hòa", "Thúy", "Khỏe"); with a final consonant on the second
	// ("Hoàng", "Huỳnh"); a vowel with a circumflex, breve or horn takes it
	// ("Người", "Thuở"); in three vowels the middle one ("Ngoài").
	Display string
	// Key is Fold(Display): accent-free, lower case ("nguyen thi hoa").
	Key string
	// Family (họ), Middle (tên đệm, possibly several words or empty) and
	// Given (tên) split Display on its first and last spaces. A one-word
	// name is all Given. Compound family names (Tôn Thất, Âu Dương) are not
	// recognised: their second word goes to Middle.
	Family, Middle, Given string
	// Phonetic is a blocking key built from Key that forgives the usual
	// spelling and dialect confusions: d/gi/r (and đ), ch/tr, s/x, l/n,
	// i/y, c/k/q, ph/f, final n/ng/nh and c/t/ch, and Telex keystrokes left
	// in the text ("Nguyeenx", "Hoaf", "ddinh").
	Phonetic string
	// Encoding is the legacy encoding DecodeLegacy found in the input.
	Encoding Encoding
}

// letter is one letter of a word being rebuilt: a vowel base and tone, or
// another rune (lower case).
type letter struct {
	r    rune
	base uint8 // vowel base, 0 for other runes
	tone uint8
}

// punctuation kept inside a word.
const (
	runeApostrophe = '\''
	runeHyphen     = '-'
)

// wordPunct maps an apostrophe or hyphen look-alike to its ASCII form, or
// returns 0.
func wordPunct(r rune) rune {
	switch r {
	case '\'', '\u2019', '\u2018', '\u02BC', '\u02B9', '\u2032', '`', '\u00B4':
		return runeApostrophe
	case '-', '\u2010', '\u2011', '\u2012', '\u2013':
		return runeHyphen
	}
	return 0
}

// ParseName reads a full name as written in an extract and returns its
// canonical form and keys. It never fails: a value with no letters gives
// an empty Name (with the Encoding found).
func ParseName(s string) Name {
	dec, enc := DecodeLegacy(s)
	return parseDecoded(dec, enc)
}

// parseDecoded is ParseName of the decoded text dec, found in encoding enc.
func parseDecoded(dec string, enc Encoding) Name {
	// Display, Key and Phonetic are built one after the other in buf and
	// share one string: one allocation per name.
	var buf [256]byte
	var wbuf [32]letter
	b, needNFC := appendDisplay(buf[:0], wbuf[:0], dec)
	if len(b) == 0 {
		return Name{Encoding: enc}
	}
	if needNFC {
		b = append(b[:0], norm.NFC.String(string(b))...)
	}
	nd := len(b)
	b = AppendFold(b, string(b[:nd]))
	nk := len(b)
	ph := appendPhonetic(b[nk:nk], b[nd:nk])
	return makeName(b, nd, ph, enc)
}

// makeName returns the Name of display b[:nd], key b[nd:] and phonetic
// key ph, in one string: the phonetic key shares the key's bytes when the
// two are equal.
func makeName(b []byte, nd int, ph []byte, enc Encoding) Name {
	nk := len(b)
	same := string(ph) == string(b[nd:nk])
	if !same {
		b = append(b, ph...)
	}
	all := string(b)
	display := all[:nd]
	n := Name{Display: display, Key: all[nd:nk], Phonetic: all[nk:], Encoding: enc}
	if same {
		n.Phonetic = n.Key
	}
	first, last := strings.IndexByte(display, ' '), strings.LastIndexByte(display, ' ')
	switch {
	case first < 0:
		n.Given = display
	case first == last:
		n.Family, n.Given = display[:first], display[last+1:]
	default:
		n.Family, n.Middle, n.Given = display[:first], display[first+1:last], display[last+1:]
	}
	return n
}

// NameParser parses names as ParseName does, remembering the words it
// has read. ParseName builds a name's forms a space-separated word at a
// time (display, fold and phonetic key alike), and the names of a
// province share a few thousand syllables, so most words are looked up
// rather than rebuilt. The zero value is ready to use; a NameParser is
// not safe for concurrent use.
type NameParser struct {
	words map[string]nameWord
	// recent is a direct-mapped cache in front of words, a slot for each
	// hash of a word's bytes: the common syllables stay in it, found
	// without the map's hashing and probing.
	recent [recentWords]nameWord
}

// recentWords is the number of slots of NameParser.recent (a power of 2),
// 288 KB of them. On the generated 1 M province (9.2 M words of names
// looked up) 1,024 slots missed 10.9 % of the look-ups, 4,096 miss 2.7 %
// and 16,384 0.9 %, at four times the memory again (benchmarks/normalize.md).
const recentWords = 4096

// maxNameWords bounds a NameParser's memory: past it, new words are
// parsed every time rather than kept (about 3 MB of memo).
const maxNameWords = 1 << 15

// nameWord is what ParseName makes of one space-separated word of a name:
// its display form (none, one or, when punctuation splits it, several
// words), the fold of that and its phonetic key. nfc marks a word whose
// display needs Unicode normalisation: a name holding one is parsed whole.
type nameWord struct {
	word                   string // the word itself, when kept
	display, key, phonetic string
	nfc                    bool
}

// Parse returns ParseName(s). A nil NameParser parses without a memo.
func (p *NameParser) Parse(s string) Name {
	if p == nil {
		return ParseName(s)
	}
	dec, enc := DecodeLegacy(s)
	var dbuf [128]byte
	var kbuf, pbuf [96]byte
	d, k, ph := dbuf[:0], kbuf[:0], pbuf[:0]
	for rest := dec; rest != ""; {
		word := rest
		if i := strings.IndexByte(rest, ' '); i >= 0 {
			word, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
		}
		if word == "" {
			continue
		}
		w := p.word(word)
		if w.nfc {
			return parseDecoded(dec, enc)
		}
		if w.display == "" {
			continue
		}
		if len(d) > 0 {
			d, k = append(d, ' '), append(k, ' ')
		}
		d, k = append(d, w.display...), append(k, w.key...)
		if w.phonetic != "" {
			if len(ph) > 0 {
				ph = append(ph, ' ')
			}
			ph = append(ph, w.phonetic...)
		}
	}
	if len(d) == 0 {
		return Name{Encoding: enc}
	}
	nd := len(d)
	return makeName(append(d, k...), nd, ph, enc)
}

// word returns the forms of one space-separated word of a decoded name:
// from the cache, else the memo, else parsed (and kept while the memo has
// room).
func (p *NameParser) word(word string) nameWord {
	h := uint32(2166136261) // FNV-1a
	for i := 0; i < len(word); i++ {
		h = (h ^ uint32(word[i])) * 16777619
	}
	slot := &p.recent[h&(recentWords-1)]
	if slot.word == word && word != "" {
		return *slot
	}
	w, ok := p.words[word]
	if !ok {
		w = parseNameWord(word)
		if p.words == nil {
			p.words = make(map[string]nameWord, 1024)
		}
		if len(p.words) >= maxNameWords {
			return w // not kept: nor cached, which would need a copy of word
		}
		w.word = strings.Clone(word)
		p.words[w.word] = w
	}
	*slot = w
	return w
}

// parseNameWord parses one space-separated word of a decoded name.
func parseNameWord(word string) nameWord {
	var buf [64]byte
	var wbuf [32]letter
	b, needNFC := appendDisplay(buf[:0], wbuf[:0], word)
	if needNFC {
		return nameWord{nfc: true}
	}
	nd := len(b)
	b = AppendFold(b, string(b[:nd]))
	nk := len(b)
	ph := appendPhonetic(b[nk:nk], b[nd:nk])
	all := string(append(b[:nk], ph...))
	return nameWord{display: all[:nd], key: all[nd:nk], phonetic: all[nk:]}
}

// NameKey returns ParseName(s).Key, folding s directly without building
// the display form.
func NameKey(s string) string {
	var buf [96]byte
	return string(AppendNameKey(buf[:0], s))
}

// AppendNameKey appends NameKey(s) to dst.
func AppendNameKey(dst []byte, s string) []byte {
	dec, _ := DecodeLegacy(s)
	if !simpleRunes(dec) {
		return append(dst, ParseName(s).Key...)
	}
	return appendNameKey(dst, dec)
}

// simpleRunes reports whether appendNameKey gives the same key as folding
// ParseName's Display: true when s holds no rune past Latin Extended-B
// other than Vietnamese letters, combining marks U+0300-U+036F and word
// punctuation.
func simpleRunes(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < utf8.RuneSelf {
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size - 1
		if r < 0x250 || (0x300 <= r && r <= 0x36F) || lookupVowel(r).isVowel() || wordPunct(r) != 0 {
			continue
		}
		return false
	}
	return true
}

// appendNameKey appends the folded key of s, following the word rules of
// appendDisplay: letters are kept, marks dropped, one apostrophe or
// hyphen kept between letters, anything else separates words.
func appendNameKey(dst []byte, s string) []byte {
	start := len(dst)
	inWord := false
	var punct byte
	for i := 0; i < len(s); {
		c := s[i]
		var r rune
		if c < utf8.RuneSelf {
			r = rune(c)
			i++
		} else {
			var size int
			r, size = utf8.DecodeRuneInString(s[i:])
			i += size
		}
		var fold byte // the folded ASCII letter, or 0
		switch {
		case 'a' <= c && c <= 'z':
			fold = c
		case 'A' <= c && c <= 'Z':
			fold = c + 'a' - 'A'
		case c < utf8.RuneSelf:
		case r == 'đ' || r == 'Đ' || r == 'Ð' || r == 'ð':
			fold = 'd'
		case lookupVowel(r).isVowel():
			fold = foldBase[lookupVowel(r).base()]
		case isCombining(r):
			continue
		case unicode.IsLetter(r):
			dst = keySep(dst, start, &inWord, &punct)
			dst = AppendFold(dst, string(unicode.ToLower(r)))
			continue
		}
		if fold != 0 {
			dst = append(keySep(dst, start, &inWord, &punct), fold)
			continue
		}
		if p := wordPunct(r); p != 0 {
			if inWord && punct == 0 {
				punct = byte(p)
			}
			continue
		}
		inWord, punct = false, 0
	}
	return dst
}

// keySep writes what goes before the next letter of a key: a space before
// a new word, or the apostrophe or hyphen pending inside one.
func keySep(dst []byte, start int, inWord *bool, punct *byte) []byte {
	switch {
	case !*inWord:
		if len(dst) > start {
			dst = append(dst, ' ')
		}
		*inWord = true
	case *punct != 0:
		dst = append(dst, *punct)
		*punct = 0
	}
	return dst
}

// appendDisplay appends the display form of the name s, using word as
// scratch space. needNFC is true when a combining mark that is not
// Vietnamese was kept and the result must be normalised.
func appendDisplay(dst []byte, word []letter, s string) (_ []byte, needNFC bool) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r < utf8.RuneSelf && ('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
			word = append(word, letter{r: r | 0x20, base: lookupVowel(r).base()})
			continue
		}
		if v := lookupVowel(r); v.isVowel() {
			word = append(word, letter{r: composed[0][v.base()][0], base: v.base(), tone: v.tone()})
			continue
		}
		switch {
		case r == 'đ' || r == 'Đ' || r == 'Ð' || r == 'ð':
			word = append(word, letter{r: 'đ'})
		case isCombining(r):
			var kept bool
			word, kept = addMark(word, r)
			needNFC = needNFC || kept
		case unicode.IsLetter(r):
			word = append(word, letter{r: unicode.ToLower(r)})
			needNFC = needNFC || r >= 0x250 // beyond Latin, NFC may map the rune itself
		case wordPunct(r) != 0:
			if n := len(word); n > 0 && word[n-1].r != runeApostrophe && word[n-1].r != runeHyphen {
				word = append(word, letter{r: wordPunct(r)})
			}
		default:
			dst = appendWord(dst, word)
			word = word[:0]
		}
	}
	return appendWord(dst, word), needNFC
}

// addMark applies a combining mark to the last letter of word, or keeps
// it as a letter of its own (kept true).
func addMark(word []letter, r rune) (_ []letter, kept bool) {
	n := len(word)
	if n == 0 || word[n-1].r == runeApostrophe || word[n-1].r == runeHyphen {
		return word, false // a mark with nothing to sit on
	}
	last := &word[n-1]
	if last.base != 0 {
		if t := markTone(r); t >= 0 {
			last.tone = uint8(t)
			return word, false
		}
		if nb, ok := addShape(last.base, r); ok {
			last.base = nb
			last.r = baseRunes[nb]
			return word, false
		}
	}
	return append(word, letter{r: r}), true
}

// appendWord writes a word in title case with its tone placed.
func appendWord(dst []byte, w []letter) []byte {
	for len(w) > 0 && (w[len(w)-1].r == runeApostrophe || w[len(w)-1].r == runeHyphen) {
		w = w[:len(w)-1]
	}
	if len(w) == 0 {
		return dst
	}
	if len(dst) > 0 {
		dst = append(dst, ' ')
	}
	placeTone(w)
	upper := true
	for _, l := range w {
		switch {
		case l.base != 0:
			u := 0
			if upper {
				u = 1
			}
			dst = utf8.AppendRune(dst, composed[u][l.base][l.tone])
		case upper && !isCombining(l.r):
			dst = utf8.AppendRune(dst, titleRune(l.r))
		default:
			dst = utf8.AppendRune(dst, l.r)
		}
		upper = l.r == runeApostrophe || l.r == runeHyphen
	}
	return dst
}

// foldBase is the ASCII letter of each vowel base.
var foldBase = [numBases]byte{0, 'a', 'a', 'a', 'e', 'e', 'i', 'o', 'o', 'o', 'u', 'u', 'y'}

// titleRune upper-cases r when lower-casing it back gives r again, so that
// folding the display gives the same key as folding the input.
func titleRune(r rune) rune {
	if r == 'đ' {
		return 'Đ'
	}
	if u := unicode.ToUpper(r); unicode.ToLower(u) == r {
		return u
	}
	return r
}

// placeTone moves the tone of a syllable to its canonical vowel (see
// Name.Display). Words that are not one Vietnamese syllable with one tone
// are left as written.
func placeTone(w []letter) {
	var tone uint8
	for _, l := range w {
		if l.tone != 0 {
			if tone != 0 {
				return
			}
			tone = l.tone
		}
	}
	if tone == 0 {
		return
	}
	i := 0
	for i < len(w) && w[i].base == 0 {
		i++
	}
	// In qu and gi followed by a vowel, the u and i belong to the initial.
	if i == 1 && i+1 < len(w) && w[i+1].base != 0 &&
		(w[0].r == 'q' && w[i].base == vU || w[0].r == 'g' && w[i].base == vI) {
		i++
	}
	j := i
	for j < len(w) && w[j].base != 0 {
		j++
	}
	for k := j; k < len(w); k++ {
		if w[k].base != 0 || !isConsonant(w[k].r) {
			return
		}
	}
	for k := 0; k < i; k++ {
		if w[k].base == 0 && !isConsonant(w[k].r) {
			return
		}
	}
	n := j - i
	if n == 0 || n > 3 {
		return
	}
	pos := -1
	for k := i; k < j; k++ {
		if shaped(w[k].base) {
			pos = k // the last shaped vowel: ươ takes it on ơ
		}
	}
	switch {
	case pos >= 0:
	case n == 1:
		pos = i
	case j < len(w): // a final consonant
		pos = j - 1
	case n == 3:
		pos = i + 1
	default:
		pos = i
	}
	for k := range w {
		w[k].tone = 0
	}
	w[pos].tone = tone
}

func isConsonant(r rune) bool {
	return 'a' <= r && r <= 'z' || r == 'đ'
}

// appendPhonetic appends the phonetic key of a folded name key.
func appendPhonetic(dst, key []byte) []byte {
	for len(key) > 0 {
		for len(key) > 0 && key[0] == ' ' {
			key = key[1:]
		}
		end := 0
		for end < len(key) && key[end] != ' ' {
			end++
		}
		if end == 0 {
			break
		}
		if len(dst) > 0 {
			dst = append(dst, ' ')
		}
		dst = appendPhoneticWord(dst, key[:end])
		key = key[end:]
	}
	return dst
}

// appendPhoneticWord appends the phonetic form of one folded word.
func appendPhoneticWord(dst, w []byte) []byte {
	var buf [32]byte
	// Telex leftovers: w, doubled vowels and dd, trailing tone keys.
	t := buf[:0]
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c == 'w' && len(t) > 0 {
			continue
		}
		if n := len(t); n > 0 && t[n-1] == c && (c == 'a' || c == 'e' || c == 'o' || c == 'd') {
			continue
		}
		t = append(t, c)
	}
	for len(t) > 1 && telexTone(t[len(t)-1]) {
		t = t[:len(t)-1]
	}
	// Initial consonant.
	rest := t
	switch {
	case hasPrefix(rest, "ngh"):
		dst, rest = append(dst, "ng"...), rest[3:]
	case hasPrefix(rest, "gh"):
		dst, rest = append(dst, 'g'), rest[2:]
	case hasPrefix(rest, "gi") && (len(rest) == 2 || isVowelByte(rest[2])):
		dst, rest = append(dst, 'z'), rest[2:]
		if len(rest) == 0 {
			dst = append(dst, 'i')
		}
	case hasPrefix(rest, "tr"), hasPrefix(rest, "ch"):
		dst, rest = append(dst, 'c'), rest[2:]
	case hasPrefix(rest, "ph"):
		dst, rest = append(dst, 'f'), rest[2:]
	case hasPrefix(rest, "qu"):
		dst, rest = append(dst, "kw"...), rest[2:]
	case hasPrefix(rest, "th"), hasPrefix(rest, "kh"), hasPrefix(rest, "nh"), hasPrefix(rest, "ng"):
		dst, rest = append(dst, rest[:2]...), rest[2:]
	case len(rest) > 0:
		switch rest[0] {
		case 'd', 'r':
			dst = append(dst, 'z')
		case 'c', 'k', 'q':
			dst = append(dst, 'k')
		case 'x':
			dst = append(dst, 's')
		case 'l':
			dst = append(dst, 'n')
		default:
			dst = append(dst, rest[0])
		}
		if !isVowelByte(rest[0]) {
			rest = rest[1:]
		} else {
			dst = dst[:len(dst)-1]
		}
	}
	// Final consonant.
	final := ""
	switch {
	case hasSuffix(rest, "ng"), hasSuffix(rest, "nh"):
		rest, final = rest[:len(rest)-2], "n"
	case hasSuffix(rest, "ch"):
		rest, final = rest[:len(rest)-2], "t"
	case hasSuffix(rest, "c"):
		rest, final = rest[:len(rest)-1], "t"
	}
	for _, c := range rest {
		if c == 'y' {
			c = 'i'
		}
		dst = append(dst, c)
	}
	return append(dst, final...)
}

// telexTone reports whether c is a Telex tone key (s f r x j z).
func telexTone(c byte) bool {
	switch c {
	case 's', 'f', 'r', 'x', 'j', 'z':
		return true
	}
	return false
}

func isVowelByte(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

func hasPrefix(b []byte, p string) bool { return len(b) >= len(p) && string(b[:len(p)]) == p }
func hasSuffix(b []byte, p string) bool { return len(b) >= len(p) && string(b[len(b)-len(p):]) == p }
