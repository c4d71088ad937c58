package match

import "github.com/doisanh/doisanh/normalize"

// RepeatedRows marks the rows that repeat an earlier row: the same
// person_id, name key and birth date. A register file given twice, or one
// person entered twice under one number, gives such rows; linking and the
// rules count each person once, on the first row. The slice has one entry
// per row; it is computed afresh on each call.
func (p *Population) RepeatedRows() []bool {
	repeat := make([]bool, p.Len())
	p.IDGroups(func(rows []int32) {
		for i, r := range rows {
			a := &p.People[r]
			for _, q := range rows[:i] {
				b := &p.People[q]
				if !repeat[q] && p.Str(b.ID) == p.Str(a.ID) && p.Str(b.NameKey) == p.Str(a.NameKey) &&
					normalize.CompareDates(b.Birth, a.Birth) == normalize.DatesEqual && b.Birth.Precision == a.Birth.Precision {
					repeat[r] = true
					break
				}
			}
		}
	})
	return repeat
}
