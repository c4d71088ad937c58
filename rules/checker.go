package rules

import (
	"cmp"
	"encoding/binary"
	"encoding/hex"
	"slices"
	"strings"

	"github.com/doisanh/doisanh/admin"
	"github.com/doisanh/doisanh/match"
	"github.com/doisanh/doisanh/normalize"
	"github.com/doisanh/doisanh/record"
)

// Places is what the rules need before the population is indexed: the
// administrative tables and an address parser. It places register rows in
// communes (Residence) and findings in communes (their names and
// province), and it is what a PersonRule sees besides the row. Build one
// with NewPlaces; the zero Places is not usable. It is read-only after
// construction and safe for concurrent use by the normalising workers.
type Places struct {
	Units *admin.Units
	Addr  *normalize.AddressParser
}

// NewPlaces returns the admin tables with an address parser that assumes
// province when an address names none.
func NewPlaces(units *admin.Units, province string) *Places {
	return &Places{
		Units: units,
		Addr:  normalize.NewAddressParser(units, normalize.AddressOptions{Province: province}),
	}
}

// Checker is what the rules that look at the whole register need: the
// places and the indexed population, with the rows that repeat an earlier
// row computed once. A RecordRule or a CrossRule sees it besides its
// record or what linking kept. Build one with NewChecker once the
// population is indexed; every field is set there and only read
// afterwards, so its methods are safe for concurrent use by the linking
// workers and by the cross rules running side by side. The zero Checker is
// not usable.
type Checker struct {
	*Places
	Pop *match.Population
	// Repeat is Pop.RepeatedRows(), shared by the rules (and the linker)
	// instead of computed by each.
	Repeat []bool
}

// NewChecker returns the checker of one indexed population.
func NewChecker(places *Places, pop *match.Population) *Checker {
	return &Checker{Places: places, Pop: pop, Repeat: pop.RepeatedRows()}
}

// finding starts a finding of rule and subtype with the catalogue's
// severity and suggestion.
func finding(rule, subtype string) record.Finding {
	f := record.Finding{Rule: rule, Subtype: subtype, Score: 1}
	if info, ok := Lookup(rule); ok {
		f.Severity = info.Severity
	}
	if st, ok := SubtypeInfo(rule, subtype); ok {
		f.Suggestion = st.Suggestion
	}
	return f
}

// place fills the finding's commune from a 2025 commune code.
func (c *Places) place(f *record.Finding, commune string) {
	if commune == "" {
		return
	}
	f.CommuneCode = commune
	if cm, ok := c.Units.Commune(admin.Current, commune); ok {
		f.CommuneName = cm.Name
		f.ProvinceCode = cm.ProvinceCode
	}
}

// aboutPerson fills the finding's person, place, name and birth date from
// population row.
func (c *Checker) aboutPerson(f *record.Finding, row int32) {
	p := &c.Pop.People[row]
	f.PersonID = c.Pop.Str(p.ID)
	f.FullName = c.Pop.Str(p.RawName)
	f.BirthDate = c.Pop.Str(p.RawBirth)
	f.HouseholdID = c.Pop.Str(p.Household)
	c.place(f, c.Pop.Str(p.Commune))
}

// FindingID returns the stable identifier of a finding: a hash of its rule,
// subtype, source, source key, person and related person. The same problem
// has the same id in every run.
func FindingID(f *record.Finding) string {
	h := match.HashString(f.Rule)
	for _, s := range [...]string{f.Subtype, f.Source, f.SourceKey, f.PersonID, f.RelatedPersonID, f.Field} {
		h = match.HashCombine(h, match.HashString(s))
	}
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], h)
	return hex.EncodeToString(b[:])
}

// Finish sets every finding's id, sorts the findings in the order fix lists
// use (province, commune, rule, subtype, name, id) and drops repeats: of
// findings with one id and the same place, rule and name, the first in fs
// is kept.
//
// The sort runs on a compact key per finding (the first 16 bytes of its
// province, commune, rule and subtype, and its position), reading the
// finding itself only when two keys tie: compared in place, findings
// scattered over the heap made most comparisons a cache miss. Findings
// that compare equal are ordered by position, so the order is total and
// the keys are sorted on every core (sortParallel) with one result; then
// the findings are moved into place once.
func Finish(fs []record.Finding) []record.Finding {
	keys := make([]findingKey, len(fs))
	eachPart(len(fs), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			fs[i].FindingID = FindingID(&fs[i])
			keys[i] = newFindingKey(&fs[i], int32(i)) // a run holds far fewer than 2^31 findings
		}
	})
	sortParallel(keys, func(a, b findingKey) int {
		if a.plain && b.plain {
			if c := cmp.Compare(a.hi, b.hi); c != 0 {
				return c
			}
			if c := cmp.Compare(a.lo, b.lo); c != 0 {
				return c
			}
		}
		if c := compareFindings(&fs[a.pos], &fs[b.pos]); c != 0 {
			return c
		}
		return cmp.Compare(a.pos, b.pos)
	})
	order := make([]int32, len(keys))
	for k := range keys {
		order[k] = keys[k].pos
	}
	permute(fs, order)
	return slices.CompactFunc(fs, func(a, b record.Finding) bool { return a.FindingID == b.FindingID })
}

// findingKey is what Finish sorts: the first 16 bytes of a finding's
// province, commune, rule and subtype, each ended by a zero byte, big
// endian in hi and lo, and the finding's position. Without a zero byte in
// those fields (plain), comparing hi and lo orders two findings as
// compareFindings does whenever they differ.
type findingKey struct {
	hi, lo uint64
	pos    int32
	plain  bool
}

func newFindingKey(f *record.Finding, pos int32) findingKey {
	var b [16]byte
	n := 0
	plain := true
	for _, s := range [...]string{f.ProvinceCode, f.CommuneCode, f.Rule, f.Subtype} {
		if strings.IndexByte(s, 0) >= 0 {
			plain = false
		}
		n += copy(b[min(n, len(b)):], s)
		n++ // the zero byte ending s
	}
	return findingKey{hi: binary.BigEndian.Uint64(b[:8]), lo: binary.BigEndian.Uint64(b[8:]), pos: pos, plain: plain}
}

// compareFindings orders findings by province, commune, rule, subtype,
// full name and id, looking no further than the first field that differs.
func compareFindings(a, b *record.Finding) int {
	if c := strings.Compare(a.ProvinceCode, b.ProvinceCode); c != 0 {
		return c
	}
	if c := strings.Compare(a.CommuneCode, b.CommuneCode); c != 0 {
		return c
	}
	if c := strings.Compare(a.Rule, b.Rule); c != 0 {
		return c
	}
	if c := strings.Compare(a.Subtype, b.Subtype); c != 0 {
		return c
	}
	if c := strings.Compare(a.FullName, b.FullName); c != 0 {
		return c
	}
	return strings.Compare(a.FindingID, b.FindingID)
}

// permute rearranges fs so that fs[k] is what fs[order[k]] was, following
// the cycles of order and moving each finding once; order ends as the
// identity.
func permute(fs []record.Finding, order []int32) {
	for i := range order {
		if order[i] == int32(i) {
			continue // in place, or placed by an earlier cycle
		}
		first := fs[i]
		j := i
		for {
			k := int(order[j])
			order[j] = int32(j)
			if k == i {
				fs[j] = first
				break
			}
			fs[j] = fs[k]
			j = k
		}
	}
}
