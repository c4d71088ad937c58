package normalize

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/doisanh/doisanh/admin"
)

// AddressOptions configures an AddressParser.
type AddressOptions struct {
	// Province is the code ("40") of the 2025 province assumed when the text
	// names none and a commune name is found in several provinces. "" means
	// any province.
	Province string
	// MemoSize bounds the number of distinct addresses whose result Parse
	// remembers (the pipeline parses the same tens of thousands of
	// addresses for millions of rows: 58,641 distinct in the 1 M province's
	// register, tax and insurance files; a result takes about half a
	// kilobyte). 0 means 1<<16; a negative value turns the memo off.
	MemoSize int
}

// AddressStatus says whether an address was placed in one 2025 commune.
type AddressStatus uint8

const (
	AddressResolved   AddressStatus = iota // exactly one 2025 commune
	AddressAmbiguous                       // several candidate communes
	AddressUnresolved                      // no commune found
)

var addressStatusNames = [...]string{"resolved", "ambiguous", "unresolved"}

// String returns "resolved", "ambiguous" or "unresolved".
func (s AddressStatus) String() string {
	if int(s) < len(addressStatusNames) {
		return addressStatusNames[s]
	}
	return fmt.Sprintf("AddressStatus(%d)", uint8(s))
}

// Address holds the parts of an address as written, with unit words and
// abbreviations kept ("X. Nghi Phong") and spacing made canonical.
type Address struct {
	House, Street, Village, Commune, District, Province string
}

// AddressResult is what Parse makes of an address.
type AddressResult struct {
	Parts   Address
	Current []admin.Commune // candidate 2025 communes (exactly 1 when Resolved)
	Legacy  []admin.Commune // the legacy commune(s) the text names, when it names a legacy one
	Status  AddressStatus
	// Reason says in plain words why the address is not resolved, or how an
	// uncertain match was made.
	Reason     string
	Confidence float64 // 0..1; at ConfidentAddress and above an answer may be acted on
}

// ConfidentAddress is the confidence from which a resolved address is taken
// as evidence against a recorded commune code (normalize/ADDRESS.md measures
// every answer at or above it right on the test corpus and the public set).
const ConfidentAddress = 0.8

// AddressParser places free-text Vietnamese addresses in communes of the
// legacy (63-province) and 2025 (34-province) lists. It is read-only after
// NewAddressParser and safe for concurrent use.
type AddressParser struct {
	units   *admin.Units
	defProv string // 2025 province code from AddressOptions

	lists [2]addrList // indexed by admin.List

	districts []addrDist
	distByKey map[string][]int32

	prefixes  map[string]struct{} // word prefixes of commune and district keys
	provByKey map[string]addrProvRef
	provName  [2]map[string]string // list -> code -> name without level word
	legToCur  map[string]string    // legacy province code -> 2025 province code
	conv      [][]int32            // legacy commune index -> 2025 commune indexes

	match matchIndex
	memo  *addrMemo // nil when off
}

type addrList struct {
	communes []admin.Commune
	byKey    map[string][]int32 // folded name without level word -> indexes
	keys     []string           // key of each commune
	curProv  []string           // 2025 province of each commune
}

type addrDist struct{ code, name, province string }

// addrProvRef is a province name's code in each list ("" when absent).
type addrProvRef [2]string

// NewAddressParser builds the name indexes of u. It is meant to be called
// once and the parser shared.
func NewAddressParser(u *admin.Units, opts AddressOptions) *AddressParser {
	p := &AddressParser{
		units:     u,
		distByKey: map[string][]int32{},
		provByKey: map[string]addrProvRef{},
		provName:  [2]map[string]string{{}, {}},
		legToCur:  map[string]string{},
	}
	if opts.Province != "" {
		if code, _, ok := u.Province(admin.Current, opts.Province); ok {
			p.defProv = code
		}
	}
	for l := admin.Legacy; l <= admin.Current; l++ {
		al := &p.lists[l]
		al.communes = u.Communes(l, "")
		al.byKey = make(map[string][]int32, len(al.communes))
		al.keys = make([]string, len(al.communes))
		al.curProv = make([]string, len(al.communes))
		for i, c := range al.communes {
			k := addrStripKey(addrNameKey(c.Name), "xa ", "phuong ", "thi tran ", "dac khu ")
			al.keys[i] = k
			al.byKey[k] = append(al.byKey[k], int32(i))
			al.curProv[i] = c.ProvinceCode
		}
		codes, names := u.Provinces(l)
		for i, code := range codes {
			short := addrStripLevel(names[i], "Tỉnh ", "Thành phố ")
			p.provName[l][code] = short
			full := addrNameKey(names[i])
			for _, k := range []string{full, addrStripKey(full, "tinh ", "thanh pho ")} {
				r := p.provByKey[k]
				r[l] = code
				p.provByKey[k] = r
			}
		}
	}
	for _, a := range addrProvinceAliases {
		r := p.provByKey[a.key]
		for l := range r {
			if _, ok := p.provName[l][a.code]; ok {
				r[l] = a.code
			}
		}
		p.provByKey[a.key] = r
	}
	cur := &p.lists[admin.Current]
	curIdx := make(map[string]int32, len(cur.communes))
	for i, c := range cur.communes {
		curIdx[c.Code] = int32(i)
	}
	leg := &p.lists[admin.Legacy]
	p.conv = make([][]int32, len(leg.communes))
	seenDist := map[string]bool{}
	for i, c := range leg.communes {
		for _, n := range u.Convert(c.Code) {
			p.conv[i] = append(p.conv[i], curIdx[n.Code])
			if _, ok := p.legToCur[c.ProvinceCode]; !ok {
				p.legToCur[c.ProvinceCode] = n.ProvinceCode
			}
		}
		if !seenDist[c.DistrictCode] {
			seenDist[c.DistrictCode] = true
			k := addrStripKey(addrNameKey(c.DistrictName), "quan ", "huyen ", "thi xa ", "thanh pho ")
			p.distByKey[k] = append(p.distByKey[k], int32(len(p.districts)))
			p.districts = append(p.districts, addrDist{c.DistrictCode, c.DistrictName, c.ProvinceCode})
		}
	}
	for i, c := range leg.communes {
		leg.curProv[i] = p.legToCur[c.ProvinceCode]
	}
	p.prefixes = map[string]struct{}{}
	addPrefixes := func(k string) {
		for i := 0; i < len(k); i++ {
			if k[i] == ' ' {
				p.prefixes[k[:i]] = struct{}{}
			}
		}
	}
	for _, al := range p.lists {
		for k := range al.byKey {
			addPrefixes(k)
		}
	}
	for k := range p.distByKey {
		addPrefixes(k)
	}
	p.buildMatchIndex()
	switch {
	case opts.MemoSize == 0:
		p.memo = newAddrMemo(1 << 16)
	case opts.MemoSize > 0:
		p.memo = newAddrMemo(opts.MemoSize)
	}
	return p
}

// addrProvinceAliases are short forms of province names seen in addresses.
var addrProvinceAliases = []struct{ key, code string }{
	{"hcm", "79"}, {"tphcm", "79"}, {"sai gon", "79"}, {"saigon", "79"}, {"sg", "79"},
	{"hn", "01"}, {"tphn", "01"}, {"brvt", "77"}, {"ba ria", "77"}, {"vung tau", "77"},
	{"tt hue", "46"}, {"thua thien hue", "46"}, {"thua thien", "46"},
}

func addrStripLevel(name string, levels ...string) string {
	for _, l := range levels {
		if strings.HasPrefix(name, l) {
			return name[len(l):]
		}
	}
	return name
}

// addrStripKey removes the first of the folded level words that key starts
// with.
func addrStripKey(key string, levels ...string) string {
	for _, l := range levels {
		if strings.HasPrefix(key, l) && len(key) > len(l) {
			return key[len(l):]
		}
	}
	return key
}

// addrNameKey returns the match key of a unit name: the folded words of the
// tokenizer joined by single spaces.
func addrNameKey(name string) string {
	var t addrTokens
	t.tokenize(name)
	return string(t.appendKey(nil, 0, len(t.toks)))
}

// Token kinds of a unit word.
type addrKind uint8

const (
	addrNone     addrKind = iota
	addrHouse             // số nhà, số
	addrStreet            // đường, phố, ngõ, hẻm
	addrVillage           // thôn, xóm, ấp, bản, tổ dân phố, khu phố ...
	addrCommune           // xã, phường, thị trấn, đặc khu
	addrDistrict          // quận, huyện, thị xã
	addrCity              // thành phố: a district or a province
	addrProvince          // tỉnh
)

// addrToken is one word of the input: its bytes in the input and its folded
// key in the tokenizer's buffer.
type addrToken struct {
	start, end int   // input bytes
	k0, k1     int32 // key bytes in addrTokens.buf
	seg        int16 // comma-separated segment
	dot        bool  // followed by '.'
	digit      bool  // contains a digit
	ascii      bool  // written in ASCII only
	mark       bool  // has a combining mark (decomposed input)
}

type addrTokens struct {
	s        string
	buf      []byte
	toks     []addrToken
	accented bool // some word has a non-ASCII letter
}

func addrApostrophe(r rune) bool {
	return r == '\'' || r == '\u2019' || r == '\u02bc' || r == '`' || r == '\u2018' || r == '\u00b4'
}

// tokenize splits s into words: letters and digits folded to lower-case
// ASCII, apostrophes dropped, a letter-to-digit change splitting a word
// ("p10", "F1"), numbers without leading zeros. Commas, semicolons and line
// breaks separate segments.
func (t *addrTokens) tokenize(s string) {
	t.s = s
	t.buf = t.buf[:0]
	t.toks = t.toks[:0]
	t.accented = false
	var seg int16
	in := false
	var cur addrToken
	var one [8]byte
	closeTok := func() {
		if !in {
			return
		}
		in = false
		cur.k1 = int32(len(t.buf))
		if !cur.digit || cur.k1-cur.k0 <= 1 {
			t.toks = append(t.toks, cur)
			return
		}
		// Drop the leading zeros of a number ("01" -> "1").
		allDigits := true
		for _, c := range t.buf[cur.k0:cur.k1] {
			allDigits = allDigits && '0' <= c && c <= '9'
		}
		if allDigits {
			for cur.k1-cur.k0 > 1 && t.buf[cur.k0] == '0' {
				cur.k0++
			}
		}
		t.toks = append(t.toks, cur)
	}
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		var f []byte
		switch {
		case r < utf8.RuneSelf:
			c := byte(r)
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if ('a' <= c && c <= 'z') || ('0' <= c && c <= '9') {
				one[0] = c
				f = one[:1]
			}
		case r == utf8.RuneError && size == 1:
		case addrApostrophe(r):
		case unicode.Is(unicode.Mn, r):
			if in {
				cur.mark = true
				cur.end = i + size
			}
			i += size
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			f = AppendFold(one[:0], s[i:i+size])
		}
		if f == nil {
			if addrApostrophe(r) && in {
				cur.end = i + size
				i += size
				continue
			}
			closeTok()
			switch r {
			case ',', ';', '\n', '\r', '|':
				seg++
			case '.':
				if n := len(t.toks); n > 0 && t.toks[n-1].end == i {
					t.toks[n-1].dot = true
				}
			}
			i += size
			continue
		}
		isDigit := '0' <= f[0] && f[0] <= '9'
		if in && isDigit && !cur.digit {
			closeTok() // letter to digit: "p10" -> "p" "10"
		}
		if !in {
			in = true
			cur = addrToken{start: i, k0: int32(len(t.buf)), seg: seg, ascii: true}
		}
		cur.end = i + size
		cur.digit = cur.digit || isDigit
		cur.ascii = cur.ascii && r < utf8.RuneSelf
		t.accented = t.accented || r >= utf8.RuneSelf
		t.buf = append(t.buf, f...)
		i += size
	}
	closeTok()
}

func (t *addrTokens) key(i int) string {
	if i < 0 || i >= len(t.toks) {
		return ""
	}
	k := t.toks[i]
	return unsafeString(t.buf[k.k0:k.k1])
}

// unsafeString is a plain conversion; the compiler avoids the copy for map
// look-ups and comparisons, which is all keys are used for.
func unsafeString(b []byte) string { return string(b) }

// appendKey appends the keys of tokens [a, b) separated by spaces.
func (t *addrTokens) appendKey(dst []byte, a, b int) []byte {
	for i := a; i < b; i++ {
		if i > a {
			dst = append(dst, ' ')
		}
		k := t.toks[i]
		dst = append(dst, t.buf[k.k0:k.k1]...)
	}
	return dst
}

// text returns the input from token a to token b-1 with runs of spaces
// made single.
func (t *addrTokens) text(a, b int) string {
	if a >= b {
		return ""
	}
	s := t.s[t.toks[a].start:t.toks[b-1].end]
	if t.toks[b-1].dot {
		s = t.s[t.toks[a].start : t.toks[b-1].end+1]
	}
	return addrCollapse(s)
}

func addrCollapse(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\t' || c == '\n' || c == '\r' || (c == ' ' && i+1 < len(s) && s[i+1] == ' ') {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// addrWord is a unit word: its kind, the commune level it implies, and the
// accented spelling of its first word (to tell "Phường" from the name
// "Phương" in accented text).
type addrWord struct {
	kind   addrKind
	level  string
	accent string
}

var addrWords1 = map[string]addrWord{
	"xa": {addrCommune, "Xã", "xã"}, "x": {addrCommune, "Xã", ""},
	"phuong": {addrCommune, "Phường", "phường"}, "p": {addrCommune, "Phường", ""},
	"ph": {addrCommune, "Phường", ""}, "f": {addrCommune, "Phường", ""},
	"tt":   {addrCommune, "Thị trấn", ""},
	"quan": {addrDistrict, "", "quận"}, "q": {addrDistrict, "", ""},
	"huyen": {addrDistrict, "", "huyện"}, "h": {addrDistrict, "", ""},
	"tx": {addrDistrict, "", ""}, "tp": {addrCity, "", ""},
	"tinh": {addrProvince, "", "tỉnh"}, "t": {addrProvince, "", ""},
	"thon": {addrVillage, "", "thôn"}, "xom": {addrVillage, "", "xóm"}, "ap": {addrVillage, "", "ấp"},
	"ban": {addrVillage, "", "bản"}, "buon": {addrVillage, "", "buôn"}, "lang": {addrVillage, "", "làng"},
	"to": {addrVillage, "", "tổ"}, "tdp": {addrVillage, "", ""}, "kp": {addrVillage, "", ""},
	"khu": {addrVillage, "", "khu"}, "khoi": {addrVillage, "", "khối"}, "cum": {addrVillage, "", "cụm"},
	"so": {addrHouse, "", "số"}, "sn": {addrHouse, "", ""},
	"duong": {addrStreet, "", "đường"}, "pho": {addrStreet, "", "phố"}, "ngo": {addrStreet, "", "ngõ"},
	"ngach": {addrStreet, "", "ngách"}, "hem": {addrStreet, "", "hẻm"}, "kiet": {addrStreet, "", "kiệt"},
	"d": {addrStreet, "", ""},
}

var addrWords2 = map[[2]string]addrWord{
	{"thi", "tran"}:  {addrCommune, "Thị trấn", "thị"},
	{"dac", "khu"}:   {addrCommune, "Đặc khu", "đặc"},
	{"thi", "xa"}:    {addrDistrict, "", "thị"},
	{"thanh", "pho"}: {addrCity, "", "thành"},
	{"khu", "pho"}:   {addrVillage, "", "khu"},
	{"so", "nha"}:    {addrHouse, "", "số"},
}

// wordAt returns the unit word starting at token i and its length in
// tokens, or n == 0.
func (t *addrTokens) wordAt(i int, segStart bool) (w addrWord, n int) {
	tok := t.toks[i]
	same := func(j int) bool { return j < len(t.toks) && t.toks[j].seg == tok.seg }
	k0 := t.key(i)
	if same(i+2) && k0 == "to" && t.key(i+1) == "dan" && t.key(i+2) == "pho" {
		w, n = addrWord{addrVillage, "", "tổ"}, 3
	} else if same(i + 1) {
		if w2, ok := addrWords2[[2]string{k0, t.key(i + 1)}]; ok {
			w, n = w2, 2
		}
	}
	if n == 0 {
		w1, ok := addrWords1[k0]
		if !ok || (k0 == "d" && !tok.dot) {
			return addrWord{}, 0
		}
		w, n = w1, 1
	}
	// A unit word needs a name after it in the same segment.
	if !same(i + n) {
		return addrWord{}, 0
	}
	// In accented text a word spelt with other marks is part of a name
	// ("Xuân Phương" is not "Xuân, Phường").
	// An unaccented word in accented text is a name too ("Xã Xa Dung").
	if !segStart && w.accent != "" && !tok.mark {
		if tok.ascii && t.accented || !tok.ascii && !addrEqualLower(t.s[tok.start:tok.end], w.accent) {
			return addrWord{}, 0
		}
	}
	return w, n
}

// addrEqualLower reports whether s lower-cased is want.
func addrEqualLower(s, want string) bool {
	for _, r := range s {
		w, size := utf8.DecodeRuneInString(want)
		if size == 0 || unicode.ToLower(r) != w {
			return false
		}
		want = want[size:]
	}
	return want == ""
}

// addrUnit is a run of tokens: an optional unit word [w0, w1) and a name
// [w1, n1).
type addrUnit struct {
	kind       addrKind
	level      string
	w0, w1, n1 int
	explicit   bool // has a unit word
	role       addrKind
}

// Parse reads one address. It never fails: an address it cannot place has
// Status AddressUnresolved and a Reason. Results are remembered per distinct
// address (AddressOptions.MemoSize), so the Current and Legacy slices of a
// result are shared between calls and must not be modified.
func (p *AddressParser) Parse(s string) AddressResult {
	if p.memo == nil {
		return p.parse(s)
	}
	if r, ok := p.memo.get(s); ok {
		return r
	}
	r := p.parse(s)
	p.memo.put(s, r)
	return r
}

// parse is Parse without the memo.
func (p *AddressParser) parse(s string) AddressResult {
	if len(s) > 1024 { // the administrative units are at the end
		i := len(s) - 1024
		for i < len(s) && !utf8.RuneStart(s[i]) {
			i++
		}
		s = s[i:]
	}
	w := addrScratchPool.Get().(*addrScratch)
	defer addrScratchPool.Put(w)
	t := &w.tokens
	t.buf, t.toks = w.buf[:0], w.toks[:0]
	t.tokenize(s)
	defer func() { t.s = "" }() // do not keep the input alive in the pool
	if len(t.toks) == 0 {
		return AddressResult{Status: AddressUnresolved, Reason: "địa chỉ trống"}
	}
	w.state = addrState{p: p, t: t, units: p.group(t, w.units[:0]), notes: w.notes[:0]}
	r := w.state.resolve()
	// The parser's reading stands when it placed a legacy commune in the
	// district and province written, with nothing to remark.
	if r.Status == AddressResolved && len(r.Legacy) == 1 && r.Reason == "" && r.Confidence >= 0.9 {
		return r
	}
	defer w.match.reset()
	m := p.matchTriples(&w.match, s)
	// The matcher's reading needs the hierarchy, or a unit word and a clear
	// lead, to stand.
	if !m.ok || m.margin < 0.25 || !m.hasDist && !m.hasProv && !(m.com.unit == 1+mCommune && m.margin >= 1.5) {
		return r
	}
	mr := p.matchResult(m, r.Parts)
	sameLegacy := len(r.Legacy) == 1 && len(mr.Legacy) == 1 && r.Legacy[0].Code == mr.Legacy[0].Code
	switch {
	case sameLegacy && r.Status == mr.Status && r.Confidence >= mr.Confidence:
		return r
	case r.Status != AddressResolved:
		return mr
	case len(mr.Legacy) == 1 && !sameLegacy && m.hasDist:
		// "Phú Bình, Chiêm Hóa, Tuyên Quang": the old commune in the old
		// district explains more of the text than the 2025 commune Chiêm Hóa.
		if len(r.Legacy) == 0 && len(r.Current) == 1 {
			mr.Reason = addrJoin(mr.Reason, fmt.Sprintf("đọc theo địa chỉ cũ (xã/phường và quận/huyện), không phải %s năm 2025", r.Current[0].Name))
		}
		return mr
	case mr.Confidence > r.Confidence:
		return mr
	}
	return r
}

func addrJoin(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// addrScratch is the working memory of one Parse call, reused through a
// pool so that parsing allocates only its result.
type addrScratch struct {
	tokens addrTokens
	state  addrState
	toks   [96]addrToken
	buf    [256]byte
	units  [24]addrUnit
	notes  [4]string
	match  matchScratch
}

var addrScratchPool = sync.Pool{New: func() any { return new(addrScratch) }}

// group groups the tokens into units at unit words and segment breaks.
func (p *AddressParser) group(t *addrTokens, units []addrUnit) []addrUnit {
	start := 0
	cur := addrUnit{}
	for i := 0; i < len(t.toks); {
		segStart := i == 0 || t.toks[i].seg != t.toks[i-1].seg
		if segStart && i > start {
			cur.n1 = i
			units = append(units, cur)
			cur, start = addrUnit{w0: i, w1: i}, i
		}
		// A word right after a unit word is the start of its name ("Xã Bản
		// Máy", "Phường Buôn Hồ").
		if cur.explicit && i == cur.w1 {
			i++
			continue
		}
		// Nor is a word that continues a known name ("Xã Tam Thôn Hiệp",
		// "Huyện Ia H' Drai").
		if i > cur.w1 && !segStart && (cur.kind == addrNone || cur.kind >= addrCommune) {
			var kb [128]byte
			if _, ok := p.prefixes[string(t.appendKey(kb[:0], cur.w1, i+1))]; ok {
				i++
				continue
			}
		}
		if w, n := t.wordAt(i, segStart); n > 0 {
			if i > start {
				cur.n1 = i
				units = append(units, cur)
			}
			cur = addrUnit{kind: w.kind, level: w.level, w0: i, w1: i + n, explicit: true}
			start = i
			i += n
			continue
		}
		i++
	}
	cur.n1 = len(t.toks)
	if cur.n1 > cur.w0 {
		units = append(units, cur)
	}
	// Numbered villages and house numbers end at their number ("Xóm 3 Nghi
	// Phong"); a name starting with a number is a house number.
	for i := 0; i < len(units); i++ {
		u := &units[i]
		switch {
		case (u.kind == addrVillage || u.kind == addrHouse) && u.n1 > u.w1+1 && t.toks[u.w1].digit:
			rest := addrUnit{w0: u.w1 + 1, w1: u.w1 + 1, n1: u.n1}
			u.n1 = u.w1 + 1
			units = slices.Insert(units, i+1, rest)
		case u.kind == addrNone && t.toks[u.w1].digit:
			j := u.w1
			for j < u.n1 && t.toks[j].digit {
				j++
			}
			if j < u.n1 {
				rest := addrUnit{w0: j, w1: j, n1: u.n1}
				u.n1 = j
				units = slices.Insert(units, i+1, rest)
			}
			u.kind = addrHouse
		}
	}
	return units
}
