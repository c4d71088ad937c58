package rules

import (
	"github.com/doisanh/doisanh/normalize"
	"github.com/doisanh/doisanh/record"
)

// DupPerson reports one person recorded twice under different person_ids
// (DUP_PERSON): the same name in its canonical form (diacritics count: twins
// named Lam and Lâm are two children), the same gender and birth date (to the
// day, or to the month where neither row knows more), and the same
// parents, or, where neither row names parents, the same birth-registration
// province. Twins share parents and a birth date but not a name, so they are
// never paired. Two rows with different old CMND numbers, or married to
// different people, are two people who happen to share a name and birthday.
func (c *Checker) DupPerson(out []record.Finding) []record.Finding {
	pop := c.Pop
	pop.DuplicateBlocks(func(rows []int32) {
		for i, ra := range rows {
			a := &pop.People[ra]
			for _, rb := range rows[i+1:] {
				b := &pop.People[rb]
				if pop.Str(a.ID) == pop.Str(b.ID) || pop.Str(a.Name) != pop.Str(b.Name) ||
					a.Gender != b.Gender || !sameBirth(a.Birth, b.Birth) {
					continue
				}
				if !sameOrigin(a.FatherKey, b.FatherKey, a.MotherKey, b.MotherKey, a.BirthProv, b.BirthProv) ||
					differ(pop.Str(a.OldID), pop.Str(b.OldID)) || differ(pop.Str(a.SpouseID), pop.Str(b.SpouseID)) {
					continue
				}
				f := finding(DupPerson, "")
				f.Source = record.Population.String()
				c.aboutPerson(&f, rb)
				f.SourceKey = f.PersonID
				f.RelatedPersonID = pop.Str(a.ID)
				f.PopulationValue = pop.Str(a.ID) + " / " + pop.Str(b.ID)
				out = append(out, f)
			}
		}
	})
	return out
}

// sameOrigin decides whether two namesakes born the same day are one person.
func sameOrigin(fa, fb, ma, mb uint64, pa, pb string) bool {
	known, agree := 0, 0
	for _, pair := range [...][2]uint64{{fa, fb}, {ma, mb}} {
		if pair[0] != 0 && pair[1] != 0 {
			known++
			if pair[0] == pair[1] {
				agree++
			}
		}
	}
	if known > 0 {
		return agree == known
	}
	if fa != 0 || fb != 0 || ma != 0 || mb != 0 {
		return false // one row names parents, the other none: not enough
	}
	return pa != "" && pa == pb
}

// sameBirth reports whether two birth dates are the same day, or the same
// month where neither row knows the day. A year alone is shared by too many
// namesakes to say anything, and a month on one row against a day on the
// other fits a thirtieth of them.
func sameBirth(a, b normalize.Date) bool {
	return normalize.CompareDates(a, b) == normalize.DatesEqual && a.Precision == b.Precision &&
		a.Precision >= normalize.PrecisionMonth
}

// differ reports whether two values are both known and not equal.
func differ(a, b string) bool { return a != "" && b != "" && a != b }

// dupPersonRule is DupPerson in the catalogue: its label, severity and, per subtype,
// what the officer is asked to do.
var dupPersonRule = Info{DupPerson, "Nghi trùng công dân", "one person recorded twice under different person_ids (twins are not duplicates)", High, []Subtype{
	{"", "Nghi một công dân có hai số định danh", "Đề nghị xác minh, hợp nhất hồ sơ và hủy số định danh cấp trùng"},
}}
