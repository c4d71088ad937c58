package normalize

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/doisanh/doisanh/admin"
)

// The matcher reads an address the way an officer does when the parser's
// unit words and commas fail: it finds every commune, district and province
// name the text may contain (exactly, one typing slip away, glued to its
// neighbours, by initials, or by an old name from before a merge) and scores
// each legacy (commune, district, province) triple by how much of the text
// it explains and whether the names agree with each other.

// Kinds of a name match.
const (
	mCommune uint8 = iota
	mDistrict
	mProvince
)

// mEntity is one unit a name may stand for.
type mEntity struct {
	kind    uint8
	list    admin.List // for communes: Legacy or Current
	idx     int32      // commune index in p.lists[list], district index in p.districts, province: -1
	prov    string     // province code (legacy list for legacy units, 2025 for 2025 communes)
	cur     string     // for a province: its 2025 province
	numeric bool       // a number ("Phường 7", "Quận 5"): needs a unit word before it
	initial bool       // initials of a name ("PN", "BMT")
	old     int32      // index+1 in p.oldNames when the name is an old one
}

// addrOldName is an old name of a legacy unit, for the explanation.
type addrOldName struct {
	key, year string
}

// mNames are the units one squashed name may stand for, with the name
// itself, so that a hit can carry the name without building it again.
type mNames struct {
	key string
	es  []mEntity
}

// matchIndex is built once by NewAddressParser.
type matchIndex struct {
	names    map[string]mNames   // squashed name -> units
	dels     map[string][]string // squashed name with one byte deleted -> names
	oldNames []addrOldName
	distIdx  map[string]int32  // legacy district code -> index in p.districts
	distKey  map[string]string // legacy district code -> squashed name without level word
	comDist  []int32           // legacy commune index -> index in p.districts
	distKeys []string          // index in p.districts -> squashed name without level word
}

func squashKey(k string) string { return strings.ReplaceAll(k, " ", "") }

func (p *AddressParser) buildMatchIndex() {
	m := &p.match
	m.names = map[string]mNames{}
	m.dels = map[string][]string{}
	m.distIdx = map[string]int32{}
	m.distKey = map[string]string{}
	add := func(key string, e mEntity) {
		if key == "" {
			return
		}
		v := m.names[key]
		for _, x := range v.es {
			if x.kind == e.kind && x.list == e.list && x.idx == e.idx && x.prov == e.prov {
				return
			}
		}
		v.key, v.es = key, append(v.es, e)
		m.names[key] = v
	}
	isNum := func(k string) bool { return k != "" && strings.Trim(k, "0123456789") == "" }
	// "T.Giang" (Tiền Giang), "Đ.Đa" (Đống Đa), "C/Giấy" (Cầu Giấy).
	initialsLast := func(k string) string {
		ws := strings.Fields(k)
		if len(ws) < 2 || isNum(ws[len(ws)-1]) {
			return ""
		}
		var b []byte
		for _, w := range ws[:len(ws)-1] {
			b = append(b, w[0])
		}
		return string(b) + ws[len(ws)-1]
	}
	initials := func(k string) string {
		ws := strings.Fields(k)
		if len(ws) < 2 {
			return ""
		}
		var b []byte
		for _, w := range ws {
			if isNum(w) {
				return ""
			}
			b = append(b, w[0])
		}
		return string(b)
	}
	leg := &p.lists[admin.Legacy]
	for i, k := range leg.keys {
		c := &leg.communes[i]
		add(squashKey(k), mEntity{kind: mCommune, list: admin.Legacy, idx: int32(i), prov: c.ProvinceCode, numeric: isNum(k)})
	}
	cur := &p.lists[admin.Current]
	for i, k := range cur.keys {
		c := &cur.communes[i]
		add(squashKey(k), mEntity{kind: mCommune, list: admin.Current, idx: int32(i), prov: c.ProvinceCode, numeric: isNum(k)})
	}
	for i, d := range p.districts {
		m.distIdx[d.code] = int32(i)
		k := addrStripKey(addrNameKey(d.name), "quan ", "huyen ", "thi xa ", "thanh pho ")
		m.distKey[d.code] = squashKey(k)
		add(squashKey(k), mEntity{kind: mDistrict, idx: int32(i), prov: d.province, numeric: isNum(k)})
		if in := initials(k); len(in) >= 2 {
			add(in, mEntity{kind: mDistrict, idx: int32(i), prov: d.province, initial: true})
		}
		if in := initialsLast(k); in != "" {
			add(in, mEntity{kind: mDistrict, idx: int32(i), prov: d.province, initial: true})
		}
	}
	for code, name := range p.provName[admin.Legacy] {
		k := addrNameKey(name)
		cur := p.legToCur[code]
		add(squashKey(k), mEntity{kind: mProvince, idx: -1, prov: code, cur: cur})
		if in := initials(k); len(in) >= 2 {
			add(in, mEntity{kind: mProvince, idx: -1, prov: code, cur: cur, initial: true})
		}
		if in := initialsLast(k); in != "" {
			add(in, mEntity{kind: mProvince, idx: -1, prov: code, cur: cur, initial: true})
		}
	}
	for _, a := range addrProvinceAliases {
		add(squashKey(a.key), mEntity{kind: mProvince, idx: -1, prov: a.code, cur: p.legToCur[a.code]})
	}
	for _, a := range addrMoreProvinceAliases {
		add(a.key, mEntity{kind: mProvince, idx: -1, prov: a.code, cur: p.legToCur[a.code]})
	}
	legIdx := map[string]int32{}
	m.comDist = make([]int32, len(leg.communes))
	for i, c := range leg.communes {
		legIdx[c.Code] = int32(i)
		m.comDist[i] = m.distIdx[c.DistrictCode]
	}
	m.distKeys = make([]string, len(p.districts))
	for i, d := range p.districts {
		m.distKeys[i] = m.distKey[d.code]
	}
	for _, o := range p.units.OldNames() {
		m.oldNames = append(m.oldNames, addrOldName{o.Key, o.Year})
		old := int32(len(m.oldNames))
		if o.Source == "typing" {
			old = 0
		}
		if o.District {
			i, ok := m.distIdx[o.Code]
			if !ok {
				continue
			}
			for _, lvl := range []string{"quan", "huyen", "thixa", "thanhpho", "tx", "tp"} {
				if strings.HasPrefix(o.Key, lvl) && len(o.Key) > len(lvl)+2 {
					add(o.Key[len(lvl):], mEntity{kind: mDistrict, idx: i, prov: p.districts[i].province, old: old})
				}
			}
			add(o.Key, mEntity{kind: mDistrict, idx: i, prov: p.districts[i].province, old: old})
			continue
		}
		i, ok := legIdx[o.Code]
		if !ok {
			continue
		}
		key := o.Key
		for _, lvl := range []string{"xa", "phuong", "thitran"} {
			if strings.HasPrefix(key, lvl) && len(key) > len(lvl) {
				key = key[len(lvl):]
				break
			}
		}
		add(key, mEntity{kind: mCommune, list: admin.Legacy, idx: i, prov: leg.communes[i].ProvinceCode, numeric: isNum(key), old: old})
	}
	for k := range m.names {
		if len(k) < 4 || isNum(k) {
			continue
		}
		// The name itself: a text with one letter too many, less that
		// letter, finds it in the same look-up as a replaced letter.
		m.dels[k] = append(m.dels[k], k)
		for i := 0; i < len(k); i++ {
			d := k[:i] + k[i+1:]
			if v := m.dels[d]; len(v) == 0 || v[len(v)-1] != k {
				m.dels[d] = append(m.dels[d], k)
			}
		}
	}
}

// addrMoreProvinceAliases are short forms of province names seen in
// addresses, squashed.
var addrMoreProvinceAliases = []struct{ key, code string }{
	{"hcmc", "79"}, {"tphochiminh", "79"}, {"tpho", "79"}, {"tphcm", "79"},
	{"tth", "46"}, {"tthue", "46"}, {"hue", "46"},
	{"brvt", "77"}, {"bariavungtau", "77"},
	{"daklak", "66"}, {"daclac", "66"}, {"daclak", "66"}, {"daklac", "66"},
	{"daknong", "67"}, {"dacnong", "67"},
	{"tphn", "01"}, {"hanoi", "01"},
}

// mWord is one word of the text for the matcher.
type mWord struct {
	key  string // folded
	unit uint8  // unit-word kind it can be: 0 none, else 1+m* kind, 4 any level ("tp")
	seg  int    // comma-separated segment
	// unitExact: written exactly as the unit word "tỉnh" or "huyện" with its accents ("Tỉnh",
	// "huyện"), which no name contains.
	unitExact bool
	raw       string // as written (after splitGlued)
}

// splitGlued rewrites s so that words run together are apart again: a
// capital after a small letter starts a word ("LongThạch", "TỉnhNghệAn"), a
// one- or two-letter capital prefix before a capitalised word is a unit word
// ("XNghi", "TTCàng"), a single digit inside a word is a slip of the finger
// and is dropped ("Dầ6u"), and a dot separates.
func splitGlued(s string) string {
	s, _, _ = splitGluedBuf(s, nil, nil)
	return s
}

// splitGluedBuf is splitGlued with the runes of s and of the result kept
// in rs and out, which it returns for reuse; it returns s itself when
// nothing is rewritten.
func splitGluedBuf(s string, rs, out []rune) (_ string, _, _ []rune) {
	for _, r := range s {
		rs = append(rs, r)
	}
	changed := false
	isL := func(i int) bool {
		return i >= 0 && i < len(rs) && (unicode.IsLetter(rs[i]) || unicode.Is(unicode.Mn, rs[i]))
	}
	isU := func(i int) bool { return i >= 0 && i < len(rs) && unicode.IsUpper(rs[i]) }
	isLo := func(i int) bool { return i >= 0 && i < len(rs) && unicode.IsLower(rs[i]) }
	isD := func(i int) bool { return i >= 0 && i < len(rs) && unicode.IsDigit(rs[i]) }
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if isD(i) && !isD(i+1) && !isD(i-1) {
			switch {
			case isL(i-1) && isL(i+1):
				changed = true
				continue // "Quỳn1 Lâm", "Dầ6u"
			case !isL(i-1) && isU(i+1) && isLo(i+2):
				changed = true
				continue // "7Sơn Hà"
			case isL(i-1) && isL(i-2) && isL(i-3) && !isL(i+1):
				changed = true
				continue // "Lạng5 Sơn", "Tiếns6"
			}
		}
		if i > 0 && isU(i) {
			switch {
			case isLo(i - 1):
				out = append(out, ' ') // "LongThạch"
				changed = true
			case isU(i-1) && isLo(i+1):
				// "XNghi", "TTCàng", "HCMC" stays; split before the last capital
				j := i - 1
				for j >= 0 && isU(j) {
					j--
				}
				if i-(j+1) <= 2 {
					out = append(out, ' ')
					changed = true
				}
			}
		}
		if r == '.' || r == '-' || r == '_' || r == '/' {
			out = append(out, ' ')
			changed = true
			continue
		}
		out = append(out, r)
	}
	// Unchanged, and valid UTF-8 (the runes of invalid bytes are U+FFFD,
	// which string(out) would write out).
	if !changed && utf8.ValidString(s) {
		return s, rs, out
	}
	return string(out), rs, out
}

// addrUnitWords are the unit words the matcher knows, folded, with the kind
// of name they announce (1+mCommune, 1+mDistrict, 1+mProvince, or 4 for
// "thành phố", a district or a province); "phung" and "huyn" are common
// misspellings of phường and huyện.
var addrUnitWords = map[string]uint8{
	"x": 1 + mCommune, "xa": 1 + mCommune, "p": 1 + mCommune, "phuong": 1 + mCommune, "f": 1 + mCommune, "ph": 1 + mCommune, "tt": 1 + mCommune, "phung": 1 + mCommune,
	"q": 1 + mDistrict, "quan": 1 + mDistrict, "h": 1 + mDistrict, "huyen": 1 + mDistrict, "tx": 1 + mDistrict, "huyn": 1 + mDistrict,
	"t": 1 + mProvince, "tinh": 1 + mProvince,
	"tp": 4, "thanhpho": 4,
}

// addrLevelWord is the commune level a unit word names.
var addrLevelWord = map[string]string{
	"x": "Xã", "xa": "Xã", "p": "Phường", "phuong": "Phường", "f": "Phường", "ph": "Phường", "tt": "Thị trấn", "tran": "Thị trấn",
}

// matchScratch is the working memory of the matcher in one Parse call
// (part of addrScratch): its slices keep their capacity from call to call.
type matchScratch struct {
	tokens     addrTokens
	runes, out []rune
	words      []mWord
	hits       []mHit
	cands      []mCand
	dist, prov []int
	dBuf, pBuf []int
}

// reset drops what the scratch refers to (the words hold the input), so
// that a pooled scratch keeps no text alive.
func (ms *matchScratch) reset() {
	ms.tokens.s = ""
	clear(ms.words)
	clear(ms.hits)
	clear(ms.cands)
	ms.words, ms.hits, ms.cands = ms.words[:0], ms.hits[:0], ms.cands[:0]
}

// matchWords tokenizes s for the matcher into the scratch; the words are
// valid until the next call.
func (ms *matchScratch) matchWords(s string) []mWord {
	s, ms.runes, ms.out = splitGluedBuf(s, ms.runes[:0], ms.out[:0])
	t := &ms.tokens
	t.tokenize(s)
	words := ms.words[:0]
	keys := string(t.buf) // one copy for all the words' keys
	for _, tok := range t.toks {
		k := keys[tok.k0:tok.k1]
		raw := s[tok.start:tok.end]
		// Only an ASCII t or h lower-cases to the first letter of "tỉnh"
		// or "huyện".
		exact := false
		if c := raw[0] | 0x20; c == 't' || c == 'h' {
			exact = addrEqualLower(raw, "tỉnh") || addrEqualLower(raw, "huyện")
		}
		words = append(words, mWord{key: k, unit: addrUnitWords[k], seg: int(tok.seg), unitExact: exact, raw: raw})
	}
	ms.words = words
	// Two-word unit words: "thi tran", "thi xa", "thanh pho" (the second word
	// carries the kind, the first is dropped from names by marking it a unit).
	for i := 0; i+1 < len(words); i++ {
		a, b := words[i].key, words[i+1].key
		switch {
		case a == "thi" && b == "tran":
			words[i].unit, words[i+1].unit = 1+mCommune, 1+mCommune
		case a == "thi" && b == "xa", a == "t" && b == "x":
			words[i].unit, words[i+1].unit = 1+mDistrict, 1+mDistrict
		case (a == "thanh" || a == "t") && (b == "pho" || b == "fho" || b == "p"):
			words[i].unit, words[i+1].unit = 4, 4
		}
	}
	return words
}

// mHit is a name found in the text.
type mHit struct {
	e       mEntity
	a, b    int     // word span
	cost    float64 // typing slips
	unit    uint8   // unit word right before the span
	unitKey string  // that word
	name    string  // the name matched (squashed)
}

// addrMatch is what the matcher settles on.
type addrMatch struct {
	ok            bool
	list          admin.List
	idx           int32
	score, margin float64
	com, dist     mHit
	hasDist       bool
	hasProv       bool
	second        string // the runner-up, for the explanation
	hits          []mHit
	prov          mHit
	words         []mWord
}

// hits appends to out the names in words: exactly, and with fuzzy also one
// typing slip away.
func (p *AddressParser) hits(out []mHit, words []mWord, fuzzy bool) []mHit {
	m := &p.match
	var buf [96]byte
	var seen [16]string
	for a := 0; a < len(words); a++ {
		unit, unitKey := uint8(0), ""
		if a > 0 {
			unit, unitKey = words[a-1].unit, words[a-1].key
		}
		if words[a].unit != 0 && len(words[a].key) <= 2 && words[a].key != "tt" {
			// a bare unit letter is never the start of a name ("X", "H", "T")
			if !(a+1 < len(words) && words[a+1].unit != 0) {
				continue
			}
		}
		kb := buf[:0]
		for b := a + 1; b <= len(words) && b-a <= 6; b++ {
			if b-1 > a && words[b-1].unitExact {
				break // a unit word ends a name ("Sơn, Tỉnh ..." is not "Sơn Tịnh")
			}
			if len(kb)+len(words[b-1].key) > len(buf) {
				break
			}
			kb = append(kb, words[b-1].key...)
			if es, ok := m.names[string(kb)]; ok {
				for _, e := range es.es {
					out = append(out, mHit{e: e, a: a, b: b, unit: unit, unitKey: unitKey, name: es.key})
				}
				continue
			}
			// Slips are looked for within a part of the text, in names
			// without digits.
			if !fuzzy || len(kb) < 5 || len(kb) > 24 || b-a > 4 || words[a].unit != 0 || words[b-1].seg != words[a].seg || words[b-1].key[0] <= '9' {
				continue
			}
			// One typing slip: a letter too many, too few or wrong.
			nSeen := 0
			// extra: the text has a letter more than the name; a shorter
			// name needs that, or a unit word before it.
			try := func(name string, extra bool) {
				for _, x := range seen[:nSeen] {
					if x == name {
						return
					}
				}
				if nSeen < len(seen) {
					seen[nSeen] = name
					nSeen++
				}
				if len(name) < 6 && !(extra && (len(name) >= 5 || unit == 1+mCommune && len(name) >= 4)) {
					return
				}
				for _, e := range m.names[name].es {
					if e.numeric || e.initial {
						continue
					}
					out = append(out, mHit{e: e, a: a, b: b, cost: 1, unit: unit, unitKey: unitKey, name: name})
				}
			}
			p.nearNames(unsafeString(kb), try)
		}
	}
	return out
}

// nearNames calls fn with each name one typing slip from key (squashed):
// extra is true when key has a letter more than the name. A name may come
// more than once.
func (p *AddressParser) nearNames(key string, fn func(name string, extra bool)) {
	m := &p.match
	for _, n := range m.dels[key] {
		if len(n) > len(key) {
			fn(n, false) // the text misses a letter
		}
	}
	var del [96]byte
	if len(key) > len(del)+1 {
		return
	}
	for i := 0; i < len(key); i++ {
		d := append(append(del[:0], key[:i]...), key[i+1:]...)
		for _, n := range m.dels[string(d)] {
			switch {
			case len(n) == len(d):
				fn(n, true) // the text has a letter too many
			case addrReplaced1(n, key):
				fn(n, false) // a letter replaced
			}
		}
	}
}

// hitWeight is the evidence a name found in the text gives.
func hitWeight(h mHit, kind uint8) float64 {
	w := [...]float64{3, 2, 1.5}[kind]
	if len(h.name) < 5 {
		w *= 0.8
	}
	if h.e.initial {
		w *= 0.6
	}
	w -= 1.2 * h.cost
	if h.cost > 0 && len(h.name) < 9 {
		w -= 0.5
	}
	switch {
	case h.unit == 0:
	case h.unit == 4:
		if kind != mCommune {
			w += 0.4
		}
	case h.unit-1 == kind:
		w += 0.6
	default:
		w -= 1.5 // "H. X" read as a commune
	}
	if h.e.old > 0 {
		w -= 0.3
	}
	// A longer name explains more of the text ("Long Bình Tân" over "Long
	// Bình").
	w += 0.03 * float64(len(h.name))
	return w
}

// matchTriples scores every commune the text may name with the district and
// province that best agree with it, reading the text s. The answer refers
// to ms, valid until its next use.
func (p *AddressParser) matchTriples(ms *matchScratch, s string) addrMatch {
	words := ms.matchWords(s)
	// Typing slips are looked for only when the names as written do not
	// settle the address.
	ms.hits = p.hits(ms.hits[:0], words, false)
	m := p.scoreHits(ms, words, ms.hits)
	if m.ok && m.hasDist && m.hasProv && m.margin >= 1 {
		return m
	}
	ms.hits = p.hits(ms.hits[:0], words, true)
	return p.scoreHits(ms, words, ms.hits)
}

// mCand is a commune the text may name, with its best district and
// province.
type mCand struct {
	list  admin.List
	idx   int32
	score float64
	com   mHit
	dist  mHit
	prov  mHit
	hasD  bool
	hasP  bool
}

func (p *AddressParser) scoreHits(ms *matchScratch, words []mWord, hits []mHit) addrMatch {
	overlap := func(x, y mHit) bool { return x.a < y.b && y.a < x.b }
	allD, allP, dBuf, pBuf := ms.dist[:0], ms.prov[:0], ms.dBuf[:0], ms.pBuf[:0]
	for j, h := range hits {
		switch h.e.kind {
		case mDistrict:
			allD = append(allD, j)
		case mProvince:
			allP = append(allP, j)
		}
	}
	cands := ms.cands[:0]
	defer func() { ms.dist, ms.prov, ms.dBuf, ms.pBuf, ms.cands = allD, allP, dBuf, pBuf, cands }()
	for _, h := range hits {
		if h.e.kind != mCommune {
			continue
		}
		if h.e.numeric && (h.unit != 1+mCommune) {
			continue
		}
		c := mCand{list: h.e.list, idx: h.e.idx, com: h}
		base := hitWeight(h, mCommune)
		var legProv, curProv string
		distI := int32(-1)
		if h.e.list == admin.Legacy {
			legProv, curProv = h.e.prov, p.lists[admin.Legacy].curProv[h.e.idx]
			distI = p.match.comDist[h.e.idx]
		} else {
			curProv = h.e.prov
		}
		dHits, pHits := dBuf[:0], pBuf[:0]
		for _, j := range allD {
			d := &hits[j]
			if d.e.idx != distI || overlap(*d, h) {
				continue
			}
			if d.e.numeric && d.unit != 1+mDistrict && d.unit != 4 {
				continue
			}
			dHits = append(dHits, j)
		}
		for _, j := range allP {
			d := &hits[j]
			if h.e.list == admin.Legacy && d.e.prov != legProv || h.e.list == admin.Current && d.e.cur != curProv || overlap(*d, h) {
				continue
			}
			pHits = append(pHits, j)
		}
		dBuf, pBuf = dHits, pHits
		bestD, bestP := 0.0, 0.0
		for _, dj := range append(dHits, -1) {
			wd := 0.0
			if dj >= 0 {
				d := hits[dj]
				wd = hitWeight(d, mDistrict)
				if d.a < h.b {
					wd -= 0.8 // a district before its commune
				}
				if wd <= 0 {
					continue
				}
			}
			for _, pj := range append(pHits, -1) {
				wp := 0.0
				if pj >= 0 {
					if dj >= 0 && overlap(hits[pj], hits[dj]) {
						continue
					}
					wp = hitWeight(hits[pj], mProvince)
					if wp <= 0 {
						continue
					}
				}
				if wd+wp > bestD+bestP {
					bestD, bestP = wd, wp
					c.hasD, c.hasP = dj >= 0, pj >= 0
					if dj >= 0 {
						c.dist = hits[dj]
					}
					if pj >= 0 {
						c.prov = hits[pj]
					}
				}
			}
		}
		// The level word written agrees with the commune's level.
		if lvl := addrLevelWord[h.unitKey]; lvl != "" && lvl == p.lists[h.e.list].communes[h.e.idx].Level {
			base += 0.3
		}
		c.score = base + bestD + bestP
		if !c.hasP && p.defProv != "" && curProv == p.defProv {
			c.score += 0.5 // the province assumed when the text names none
		}
		// "Thị trấn Hữu Lũng" of Huyện Hữu Lũng when the text names Hữu
		// Lũng once: the name is the district's, the commune is elsewhere.
		if h.e.list == admin.Legacy && !c.hasD && p.match.distKeys[distI] == h.name {
			c.score -= 1
		}
		// The commune is the last name of its part of the text.
		if h.b == len(words) || words[h.b].seg != words[h.b-1].seg {
			c.score += 0.3
		}
		if c.hasD && c.dist.a == h.b {
			c.score += 0.3
		}
		if h.e.list == admin.Current {
			c.score -= 0.2 // a legacy reading explains as much with a district
		}
		cands = append(cands, c)
	}
	if len(cands) == 0 {
		return addrMatch{}
	}
	// A 2025 commune named like an old district, written where a legacy
	// reading finds that district ("Sơn Hà, Nho Quan"), is the district.
	for i := range cands {
		c := &cands[i]
		if c.list != admin.Current {
			continue
		}
		for _, o := range cands {
			if o.list == admin.Legacy && o.hasD && o.dist.a == c.com.a && o.dist.b == c.com.b {
				c.score -= 1
				break
			}
		}
	}
	bi := 0
	for i := range cands {
		if cands[i].score > cands[bi].score {
			bi = i
		}
	}
	best := cands[bi]
	// The runner-up: the best candidate standing for another unit.
	second := -100.0
	secondName := ""
	for i := range cands {
		c := &cands[i]
		if i == bi || p.sameUnit(best.list, best.idx, c.list, c.idx) {
			continue
		}
		if c.score > second {
			second = c.score
			secondName = p.lists[c.list].communes[c.idx].Name
			if c.list == admin.Legacy {
				secondName += ", " + p.lists[c.list].communes[c.idx].DistrictName
			}
		}
	}
	return addrMatch{ok: true, list: best.list, idx: best.idx, score: best.score, margin: best.score - second,
		com: best.com, dist: best.dist, hasDist: best.hasD, hasProv: best.hasP, second: secondName, hits: hits, prov: best.prov, words: words}
}

// sameUnit reports whether two candidates are one answer: the same commune,
// or a legacy commune and the 2025 commune it went into whole.
func (p *AddressParser) sameUnit(l1 admin.List, i1 int32, l2 admin.List, i2 int32) bool {
	if l1 == l2 {
		return i1 == i2
	}
	if l1 == admin.Current {
		l1, i1, l2, i2 = l2, i2, l1, i1
	}
	cs := p.conv[i1]
	return len(cs) == 1 && cs[0] == i2
}

// text is the span of h as written.
func (m *addrMatch) text(h mHit) string {
	return m.spanText(h.a, h.b)
}

func (m *addrMatch) spanText(a, b int) string {
	var sb strings.Builder
	for i := a; i < b && i < len(m.words); i++ {
		if i > a {
			sb.WriteByte(' ')
		}
		sb.WriteString(m.words[i].raw)
	}
	return sb.String()
}

// withUnit is the span of h with the unit word written before it.
func (m *addrMatch) withUnit(h mHit) string {
	a := h.a
	for a > 0 && m.words[a-1].unit != 0 && a > h.a-2 {
		a--
	}
	return m.spanText(a, h.b)
}

// matchParts replaces the parser's commune, district and province with the
// names the matcher found; a village, street or house that swallowed the
// commune name is dropped for the words before the commune.
func (m *addrMatch) matchParts(parts Address) Address {
	com := m.withUnit(m.com)
	parts.Commune, parts.District, parts.Province = com, "", ""
	if m.hasDist {
		parts.District = m.withUnit(m.dist)
	}
	if m.hasProv {
		parts.Province = m.withUnit(m.prov)
	}
	name := addrNameKey(m.text(m.com))
	for _, f := range []*string{&parts.House, &parts.Street, &parts.Village} {
		if *f != "" && strings.Contains(addrNameKey(*f), name) {
			*f = ""
		}
	}
	if parts.House == "" && parts.Street == "" && parts.Village == "" {
		a := m.com.a
		for a > 0 && m.words[a-1].unit != 0 && a > m.com.a-2 {
			a--
		}
		parts.Village = m.spanText(0, a)
	}
	return parts
}

// matchResult turns the matcher's answer into a result.
func (p *AddressParser) matchResult(m addrMatch, parts Address) AddressResult {
	res := AddressResult{Parts: m.matchParts(parts)}
	var notes []string
	if m.list == admin.Current {
		res.Current = []admin.Commune{p.lists[admin.Current].communes[m.idx]}
	} else {
		lc := p.lists[admin.Legacy].communes[m.idx]
		res.Legacy = []admin.Commune{lc}
		for _, c := range p.conv[m.idx] {
			res.Current = append(res.Current, p.lists[admin.Current].communes[c])
		}
	}
	if m.com.e.old > 0 {
		o := p.match.oldNames[m.com.e.old-1]
		y := " (nguồn không ghi năm)"
		if o.year != "" {
			y = " năm " + o.year
		}
		notes = append(notes, fmt.Sprintf("%q là tên cũ trước sáp nhập%s, nay là %s (%s)", m.text(m.com), y, res.Legacy[0].Name, res.Legacy[0].DistrictName))
	}
	if m.hasDist && m.dist.e.old > 0 {
		o := p.match.oldNames[m.dist.e.old-1]
		y := " (nguồn không ghi năm)"
		if o.year != "" {
			y = " năm " + o.year
		}
		notes = append(notes, fmt.Sprintf("%q là tên cũ trước sáp nhập%s, nay thuộc %s", m.text(m.dist), y, res.Legacy[0].DistrictName))
	}
	if m.com.cost > 0 {
		notes = append(notes, fmt.Sprintf("đọc %q là %s", m.text(m.com), p.lists[m.list].communes[m.idx].Name))
	}
	if m.hasDist && m.dist.cost > 0 {
		notes = append(notes, fmt.Sprintf("đọc %q là %s", m.text(m.dist), res.Legacy[0].DistrictName))
	}
	if m.hasDist && m.dist.e.initial {
		notes = append(notes, fmt.Sprintf("%q là chữ viết tắt của %s", m.text(m.dist), res.Legacy[0].DistrictName))
	}
	// Confidence: how much agrees, and how far the runner-up is behind.
	conf := 0.55
	if m.hasDist {
		conf += 0.2
	}
	if m.hasProv {
		conf += 0.15
	}
	if m.list == admin.Current && m.hasProv {
		conf += 0.15
	}
	conf += min(0.2, 0.08*m.margin)
	if m.margin < 1 {
		conf -= 0.25
	}
	if m.com.cost > 0 {
		conf -= 0.1
	}
	if m.com.e.old > 0 {
		conf -= 0.05
	}
	if !m.hasDist && m.list == admin.Legacy {
		lc := res.Legacy[0]
		for _, h := range m.hits {
			if h.e.kind == mDistrict && !h.e.initial && h.e.prov == lc.ProvinceCode && !(h.a < m.com.b && m.com.a < h.b) && (!h.e.numeric || h.unit == 1+mDistrict) {
				notes = append(notes, fmt.Sprintf("xã/phường không thuộc quận/huyện ghi trong địa chỉ (%s); %s thuộc %s", p.districts[h.e.idx].name, lc.Name, lc.DistrictName))
				conf -= 0.15
				break
			}
		}
	}
	// A 2025 commune named like an old district, without a commune word
	// before it, may be the district of an address whose commune is
	// unreadable.
	if m.list == admin.Current && m.com.unit != 1+mCommune {
		cur := res.Current[0]
		for _, e := range p.match.names[m.com.name].es {
			if e.kind == mDistrict && !e.initial && p.legToCur[e.prov] == cur.ProvinceCode {
				conf = min(conf, 0.7)
				notes = append(notes, fmt.Sprintf("%q cũng là tên quận/huyện cũ (%s); nếu là huyện thì địa chỉ thiếu tên xã/phường", m.text(m.com), p.districts[e.idx].name))
				break
			}
		}
	}
	if m.second != "" && m.margin < 1.5 {
		notes = append(notes, fmt.Sprintf("cũng có thể là %s", m.second))
	}
	res.Status = AddressResolved
	if len(res.Current) > 1 {
		res.Status = AddressAmbiguous
		l := res.Legacy[0]
		notes = append([]string{fmt.Sprintf("%s (%s, %s) đã được chia cho %d xã/phường năm 2025", l.Name, l.DistrictName, l.ProvinceName, len(res.Current))}, notes...)
		conf = min(conf, 0.5) / float64(len(res.Current))
	}
	res.Confidence = max(0.05, min(1, float64(int(conf*100+0.5))/100))
	res.Reason = strings.Join(notes, "; ")
	return res
}

// addrReplaced1 reports whether a and b differ by one replaced byte or two
// adjacent bytes swapped.
func addrReplaced1(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if i == len(a) {
		return false
	}
	if a[i+1:] == b[i+1:] {
		return true
	}
	return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
}
