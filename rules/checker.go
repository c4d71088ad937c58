package rules

import (
	"cmp"
	"encoding/binary"
	"encoding/hex"
	"slices"

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
// use (province, commune, rule, subtype, name, id) and drops repeats.
func Finish(fs []record.Finding) []record.Finding {
	for i := range fs {
		fs[i].FindingID = FindingID(&fs[i])
	}
	slices.SortFunc(fs, func(a, b record.Finding) int {
		return cmp.Or(cmp.Compare(a.ProvinceCode, b.ProvinceCode), cmp.Compare(a.CommuneCode, b.CommuneCode),
			cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Subtype, b.Subtype),
			cmp.Compare(a.FullName, b.FullName), cmp.Compare(a.FindingID, b.FindingID))
	})
	return slices.CompactFunc(fs, func(a, b record.Finding) bool { return a.FindingID == b.FindingID })
}
