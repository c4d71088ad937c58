package rules

import (
	"github.com/doisanh/doisanh/normalize"
	"github.com/doisanh/doisanh/record"
)

// repeats returns which population rows repeat an earlier row
// (match.Population.RepeatedRows): Repeat when the caller set it, else
// computed now.
func (c *Checker) repeats() []bool {
	if c.Repeat != nil {
		return c.Repeat
	}
	return c.Pop.RepeatedRows()
}

// Repeats summarises match.Population.RepeatedRows: how many rows repeat an earlier one and
// the data rows (in the population file) of the first few of them.
func (c *Checker) Repeats(examples int) (n int, rows []int64) {
	for r, rep := range c.repeats() {
		if rep {
			n++
			if len(rows) < examples {
				rows = append(rows, c.Pop.Row(int32(r)))
			}
		}
	}
	return n, rows
}

// idHolders describes who holds a person_id shared by several people: the
// first row of each distinct person, and which of them the number's digits
// fit (province, century and gender, birth year: normalize.CheckPersonID).
type idHolders struct {
	rows []int32
	fits []bool
}

// holders returns the distinct people holding the number of group (rows
// that repeat an earlier one left out).
func (c *Checker) holders(group []int32, repeat []bool) idHolders {
	pop := c.Pop
	var h idHolders
	id := pop.Str(pop.People[group[0]].ID)
	for _, r := range group {
		p := &pop.People[r]
		if repeat[r] || pop.Str(p.ID) != id {
			continue
		}
		year := 0
		if p.Birth.Precision != normalize.PrecisionNone {
			year = int(p.Birth.Year)
		}
		h.rows = append(h.rows, r)
		h.fits = append(h.fits, len(normalize.CheckPersonID(id, p.Gender, year, pop.Str(p.BirthProv))) == 0)
	}
	return h
}

// owner returns the one holder the number fits when the others do not
// (the number was issued to that person and copied to the others), else -1.
func (h idHolders) owner() int32 {
	owner := int32(-1)
	for i, ok := range h.fits {
		if ok {
			if owner >= 0 {
				return -1 // fits two people: the digits cannot tell
			}
			owner = h.rows[i]
		}
	}
	if owner < 0 || len(h.rows) < 2 {
		return -1
	}
	return owner
}

// DropConsequences removes the findings that are consequences of another
// finding's defect (see the Precedence section of the README): the
// ID_INVALID findings of a person carrying a number issued to someone else
// — the DUP_ID/POPULATION finding on that person asks for a new number,
// and a number that does not fit its wrong holder is no structural error.
// It also keeps one DUP_PERSON finding per pair of numbers, whichever row
// it is filed on (a register given twice pairs each copy). It keeps the
// order of fs.
func (c *Checker) DropConsequences(fs []record.Finding) []record.Finding {
	var repeat []bool
	copied := map[string]bool{} // person_id → issued to one holder, copied to others
	for i := range fs {
		f := &fs[i]
		if f.Rule != IDInvalid || f.SourceKey == "" {
			continue
		}
		if _, seen := copied[f.SourceKey]; seen {
			continue
		}
		rows := c.Pop.ByID(f.SourceKey)
		if len(rows) < 2 {
			copied[f.SourceKey] = false
			continue
		}
		if repeat == nil {
			repeat = c.repeats()
		}
		copied[f.SourceKey] = c.holders(rows, repeat).owner() >= 0
	}
	pairs := map[[2]string]bool{}
	out := fs[:0]
	for _, f := range fs {
		if f.Rule == IDInvalid && copied[f.SourceKey] {
			continue
		}
		if f.Rule == DupPerson {
			pair := [2]string{f.PersonID, f.RelatedPersonID}
			if pair[1] < pair[0] {
				pair[0], pair[1] = pair[1], pair[0]
			}
			if pairs[pair] {
				continue
			}
			pairs[pair] = true
		}
		out = append(out, f)
	}
	return out
}
