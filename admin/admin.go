// Package admin holds Vietnam's administrative units: the legacy list of 63
// provinces and their districts and communes (in force until 30 June 2025)
// and the 2025 list of 34 provinces and 3,321 communes with no district
// level, with the conversion between them. The tables are embedded (see
// data/README.md for source, date and licence) and parsed once.
//
// A 2025 commune reuses the code of one of the legacy communes merged into
// it, often under another name, so a commune code means nothing without the
// list it comes from: every lookup takes a List.
package admin

import (
	"bytes"
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// List names one of the two lists of administrative units.
type List uint8

// AllProvinces is what a register of the whole country gives where a
// province code goes (doisanh generate --province all, a reconciliation's
// province): every province of the 2025 list. NationalName is its name.
const (
	AllProvinces = "all"
	NationalName = "Toàn quốc"
)

const (
	Legacy  List = iota // 63 provinces, before 1 July 2025
	Current             // 34 provinces, from 1 July 2025
)

// String returns "legacy" or "current".
func (l List) String() string {
	switch l {
	case Legacy:
		return "legacy"
	case Current:
		return "current"
	}
	return fmt.Sprintf("List(%d)", uint8(l))
}

// Commune is a commune-level unit (xã, phường, thị trấn, đặc khu) with the
// district and province it belongs to in its list. Names are the official
// full names ("Xã Nghi Phong", "Huyện Nghi Lộc", "Tỉnh Nghệ An"). District
// fields are empty in the Current list.
type Commune struct {
	Code, Name, Level, DistrictCode, DistrictName, ProvinceCode, ProvinceName string
}

// Units is the read-only set of both lists. It is safe for concurrent use.
type Units struct {
	lists     [2]unitList
	provinces [2][]province
	provKeys  map[string][2]int  // folded province name or alias -> index+1 in provinces[l]
	convert   map[string][]int32 // legacy code -> indexes in lists[Current]
	sources   map[string][]int32 // current code -> indexes in lists[Legacy]
	history   []OldName
}

// OldName is a name a unit had before an administrative change between 2017
// and June 2025 (a merge, a rename, a town become a ward, a district absorbed
// by a city), with the legacy unit that succeeded it. Key is the old name
// folded to lower-case ASCII letters and digits with nothing between them,
// with or without its level word ("xanghihuong", "nghihuong", "txcualo").
// Year is the year of the change, "" when the source gives none. Source is
// the document the change is taken from, or "typing" for a spelling variant
// that is not a change at all.
type OldName struct {
	District bool   // Code is a legacy district code (3 digits), else a commune code (5 digits)
	Code     string // the successor in the legacy list
	Key      string
	Year     string
	Source   string
}

// OldNames returns the old names of legacy units, ordered by kind, code and
// key. The slice is the caller's.
func (u *Units) OldNames() []OldName {
	return append([]OldName(nil), u.history...)
}

type unitList struct {
	communes []Commune
	byCode   map[string]int32
	// byNumber[n] is 1 + the index of the commune of 5-digit code n (0:
	// none): the pipeline looks a code up for nearly every row, and an
	// array is cheaper than hashing the string.
	byNumber []int32
}

type province struct{ code, name string }

//go:embed data/*.csv
var data embed.FS

var (
	defaultOnce  sync.Once
	defaultUnits *Units
)

// Default returns the units parsed from the embedded tables. The tables are
// parsed on the first call only.
func Default() *Units {
	defaultOnce.Do(func() {
		u, err := load(data)
		if err != nil {
			panic("admin: embedded data: " + err.Error()) // the tables ship with the binary
		}
		defaultUnits = u
	})
	return defaultUnits
}

func load(fsys embed.FS) (*Units, error) {
	read := func(name string, n int, each func(rec []string) error) error {
		b, err := fsys.ReadFile("data/" + name)
		if err != nil {
			return err
		}
		r := csv.NewReader(bytes.NewReader(b))
		r.FieldsPerRecord = n
		r.ReuseRecord = true
		if _, err := r.Read(); err != nil {
			return fmt.Errorf("%s: header: %w", name, err)
		}
		for {
			rec, err := r.Read()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			if err := each(rec); err != nil {
				line, _ := r.FieldPos(0)
				return fmt.Errorf("%s line %d: %w", name, line, err)
			}
		}
	}
	u := &Units{
		provKeys: map[string][2]int{},
		convert:  map[string][]int32{},
		sources:  map[string][]int32{},
	}
	provName := [2]map[string]string{{}, {}}
	err := read("provinces.csv", 3, func(rec []string) error {
		l := Legacy
		switch rec[0] {
		case "L":
		case "C":
			l = Current
		default:
			return fmt.Errorf("list %q is not L or C", rec[0])
		}
		u.provinces[l] = append(u.provinces[l], province{rec[1], rec[2]})
		provName[l][rec[1]] = rec[2]
		return nil
	})
	if err != nil {
		return nil, err
	}
	type district struct{ name, province string }
	districts := map[string]district{}
	err = read("districts.csv", 3, func(rec []string) error {
		districts[rec[0]] = district{rec[1], rec[2]}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = read("legacy.csv", 4, func(rec []string) error {
		d, ok := districts[rec[3]]
		if !ok {
			return fmt.Errorf("commune %s: unknown district %q", rec[0], rec[3])
		}
		u.lists[Legacy].communes = append(u.lists[Legacy].communes, Commune{
			Code: rec[0], Name: rec[1], Level: rec[2],
			DistrictCode: rec[3], DistrictName: d.name,
			ProvinceCode: d.province, ProvinceName: provName[Legacy][d.province],
		})
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = read("current.csv", 4, func(rec []string) error {
		name, ok := provName[Current][rec[3]]
		if !ok {
			return fmt.Errorf("commune %s: unknown province %q", rec[0], rec[3])
		}
		u.lists[Current].communes = append(u.lists[Current].communes, Commune{
			Code: rec[0], Name: rec[1], Level: rec[2], ProvinceCode: rec[3], ProvinceName: name,
		})
		return nil
	})
	if err != nil {
		return nil, err
	}
	for l := range u.lists {
		ul := &u.lists[l]
		ul.byCode = make(map[string]int32, len(ul.communes))
		for i, c := range ul.communes {
			if _, dup := ul.byCode[c.Code]; dup {
				return nil, fmt.Errorf("%s list: duplicate commune code %s", List(l), c.Code)
			}
			ul.byCode[c.Code] = int32(i)
			if n, ok := codeNumber(c.Code); ok {
				if ul.byNumber == nil {
					ul.byNumber = make([]int32, 100000)
				}
				ul.byNumber[n] = int32(i) + 1
			}
		}
	}
	err = read("conversion.csv", 2, func(rec []string) error {
		from, ok := u.lists[Legacy].byCode[rec[0]]
		if !ok {
			return fmt.Errorf("unknown legacy commune %q", rec[0])
		}
		to, ok := u.lists[Current].byCode[rec[1]]
		if !ok {
			return fmt.Errorf("unknown 2025 commune %q", rec[1])
		}
		u.convert[rec[0]] = append(u.convert[rec[0]], to)
		u.sources[rec[1]] = append(u.sources[rec[1]], from)
		return nil
	})
	if err != nil {
		return nil, err
	}
	distCodes := map[string]bool{}
	for _, c := range u.lists[Legacy].communes {
		distCodes[c.DistrictCode] = true
	}
	err = read("history.csv", 5, func(rec []string) error {
		o := OldName{Code: rec[1], Key: rec[2], Year: rec[3], Source: rec[4]}
		switch rec[0] {
		case "commune":
			if _, ok := u.lists[Legacy].byCode[o.Code]; !ok {
				return fmt.Errorf("unknown legacy commune %q", o.Code)
			}
		case "district":
			o.District = true
			if !distCodes[o.Code] {
				return fmt.Errorf("unknown legacy district %q", o.Code)
			}
		default:
			return fmt.Errorf("kind %q is not commune or district", rec[0])
		}
		u.history = append(u.history, o)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for l := range u.provinces {
		for i, p := range u.provinces[l] {
			for _, k := range provinceKeys(p.name) {
				v := u.provKeys[k]
				v[l] = i + 1
				u.provKeys[k] = v
			}
		}
	}
	for _, a := range provinceAliases {
		for l := range u.provinces {
			for i, p := range u.provinces[l] {
				if p.code == a.code {
					v := u.provKeys[a.key]
					v[l] = i + 1
					u.provKeys[a.key] = v
				}
			}
		}
	}
	return u, nil
}

// provinceAliases are short forms seen in real addresses, by province code
// (the same in both lists for these).
var provinceAliases = []struct{ key, code string }{
	{"hcm", "79"}, {"tphcm", "79"}, {"tp hcm", "79"}, {"sai gon", "79"}, {"saigon", "79"}, {"sg", "79"},
	{"hn", "01"}, {"tphn", "01"}, {"tp hn", "01"},
	{"dn", "48"}, {"hp", "31"}, {"ct", "92"},
	{"brvt", "77"}, {"ba ria", "77"}, {"vung tau", "77"},
	{"tt hue", "46"}, {"thua thien hue", "46"}, {"thua thien", "46"},
}

// provinceKeys returns the folded keys a province name is looked up by: the
// name without its level word, and the full name.
func provinceKeys(name string) []string {
	full := foldKey(name)
	keys := []string{full}
	for _, p := range []string{"thanh pho ", "tinh "} {
		if strings.HasPrefix(full, p) {
			keys = append(keys, full[len(p):])
		}
	}
	return keys
}

var foldChain = transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)

// foldKey lower-cases s, drops accents (đ as d) and apostrophes and turns
// every other run of non-letters, non-digits into one space. Numbers lose
// their leading zeros.
func foldKey(s string) string {
	t, _, err := transform.String(foldChain, s)
	if err != nil {
		t = s
	}
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(t) {
		switch {
		case r == 'đ' || r == 'ð':
			r = 'd'
		case r == '\'' || r == '\u2019' || r == '\u02bc':
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		} else {
			space = true
		}
	}
	words := strings.Fields(b.String())
	for i, w := range words {
		if strings.Trim(w, "0123456789") == "" && len(w) > 1 {
			words[i] = strings.TrimLeft(w, "0")
			if words[i] == "" {
				words[i] = "0"
			}
		}
	}
	return strings.Join(words, " ")
}

// Commune returns the commune with the 5-digit code in list l. A code that
// lost its leading zeros ("7" for "00007") is accepted.
func (u *Units) Commune(l List, code string) (Commune, bool) {
	i, ok := u.commune(l, code)
	if !ok {
		return Commune{}, false
	}
	return u.lists[l].communes[i], true
}

// Has reports whether list l has a commune of that code, as Commune finds
// it, without copying the commune (the pipeline asks for every row).
func (u *Units) Has(l List, code string) bool {
	_, ok := u.commune(l, code)
	return ok
}

// ProvinceOf returns the province code of the commune of that code in list
// l, as Commune finds it.
func (u *Units) ProvinceOf(l List, code string) (string, bool) {
	i, ok := u.commune(l, code)
	if !ok {
		return "", false
	}
	return u.lists[l].communes[i].ProvinceCode, true
}

// commune returns the index in list l of the commune of that code.
func (u *Units) commune(l List, code string) (int32, bool) {
	if l > Current {
		return 0, false
	}
	ul := &u.lists[l]
	if n, ok := codeNumber(code); ok && ul.byNumber != nil {
		i := ul.byNumber[n]
		return i - 1, i > 0
	}
	i, ok := ul.byCode[code]
	if !ok {
		if c, padded := padCode(code, 5); padded {
			i, ok = ul.byCode[c]
		}
	}
	return i, ok
}

// codeNumber returns the number of a code of exactly five digits.
func codeNumber(code string) (int, bool) {
	if len(code) != 5 {
		return 0, false
	}
	n := 0
	for i := range 5 {
		d := code[i] - '0'
		if d > 9 {
			return 0, false
		}
		n = n*10 + int(d)
	}
	return n, true
}

// padCode left-pads an all-digit code shorter than n with zeros.
func padCode(s string, n int) (string, bool) {
	if s == "" || len(s) >= n {
		return s, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return s, false
		}
	}
	return strings.Repeat("0", n-len(s)) + s, true
}

// Communes returns the communes of list l in the province with the given
// code ("40"), or all of them when province is "", ordered by code. The
// slice is the caller's.
func (u *Units) Communes(l List, province string) []Commune {
	if l > Current {
		return nil
	}
	all := u.lists[l].communes
	if province == "" {
		return append([]Commune(nil), all...)
	}
	if code, _, ok := u.Province(l, province); ok {
		province = code
	}
	var out []Commune
	for _, c := range all {
		if c.ProvinceCode == province {
			out = append(out, c)
		}
	}
	return out
}

// Convert returns the 2025 communes the legacy commune with the given code
// went into: one, or several when it was divided between them. It returns
// nil for an unknown code.
func (u *Units) Convert(legacyCode string) []Commune {
	c, ok := u.Commune(Legacy, legacyCode)
	if !ok {
		return nil
	}
	return u.pick(Current, u.convert[c.Code])
}

// Sources returns the legacy communes merged (in whole or in part) into the
// 2025 commune with the given code, or nil for an unknown code.
func (u *Units) Sources(currentCode string) []Commune {
	c, ok := u.Commune(Current, currentCode)
	if !ok {
		return nil
	}
	return u.pick(Legacy, u.sources[c.Code])
}

func (u *Units) pick(l List, idx []int32) []Commune {
	out := make([]Commune, len(idx))
	for i, j := range idx {
		out[i] = u.lists[l].communes[j]
	}
	return out
}

// Province finds a province of list l by code ("40", "040") or by name, with
// or without accents and level word ("Nghệ An", "Tỉnh Nghệ An", "nghe an",
// "TP. Hồ Chí Minh") or a common alias ("HCM", "HN"). It returns the 2-digit
// code and the official name.
func (u *Units) Province(l List, s string) (code, name string, ok bool) {
	if l > Current {
		return "", "", false
	}
	s = strings.TrimSpace(s)
	if s != "" && strings.Trim(s, "0123456789") == "" {
		c := strings.TrimLeft(s, "0")
		if len(c) == 1 {
			c = "0" + c
		}
		for _, p := range u.provinces[l] {
			if p.code == c {
				return p.code, p.name, true
			}
		}
		return "", "", false
	}
	k := foldKey(s)
	for _, prefix := range []string{"", "tp ", "t "} {
		if !strings.HasPrefix(k, prefix) {
			continue
		}
		if v := u.provKeys[k[len(prefix):]]; v[l] > 0 {
			p := u.provinces[l][v[l]-1]
			return p.code, p.name, true
		}
	}
	return "", "", false
}

// Provinces returns the codes and official names of the provinces of list
// l, ordered by code.
func (u *Units) Provinces(l List) (codes, names []string) {
	if l > Current {
		return nil, nil
	}
	for _, p := range u.provinces[l] {
		codes = append(codes, p.code)
		names = append(names, p.name)
	}
	return codes, names
}

// CurrentProvince finds the 2025 province s names, as --province takes it:
// a 2025 province by code ("40", "040") or name, or else a legacy province
// by code or name ("02", "Hà Giang"), which gives the 2025 province its
// communes went into (most of them, should they have been divided). It
// returns the 2-digit code and official name of the 2025 province.
func (u *Units) CurrentProvince(s string) (code, name string, ok bool) {
	if code, name, ok := u.Province(Current, s); ok {
		return code, name, true
	}
	legacy, _, ok := u.Province(Legacy, s)
	if !ok {
		return "", "", false
	}
	count := map[string]int{}
	for _, c := range u.Communes(Legacy, legacy) {
		for _, n := range u.Convert(c.Code) {
			count[n.ProvinceCode]++
		}
	}
	best := 0
	for p, n := range count {
		if n > best || n == best && p < code {
			code, best = p, n
		}
	}
	if code == "" {
		return "", "", false
	}
	return u.Province(Current, code)
}
