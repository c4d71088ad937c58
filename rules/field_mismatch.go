package rules

import (
	"github.com/doisanh/doisanh/normalize"
	"github.com/doisanh/doisanh/record"
)

// Classes of a field difference, written in the suggestion.
const (
	classDiacritics = "chỉ khác dấu"
	classTypo       = "sai chính tả"
	classSwapped    = "nhầm ngày và tháng"
	classDifferent  = "khác hẳn"
)

// fieldMismatchCheck reports fields of a linked tax or insurance record
// that differ from the register (FIELD_MISMATCH: NAME, BIRTH_DATE, GENDER).
// Differences of writing only (NFC/NFD, tone placement, case, spacing, date
// format, a date known at a coarser precision) are not differences.
type fieldMismatchCheck struct{}

var _ RecordRule = fieldMismatchCheck{}

func (fieldMismatchCheck) Info() Info { return fieldMismatchRule }

func (fieldMismatchCheck) CheckRecord(c *Checker, r *SourceRecord, out []record.Finding) []record.Finding {
	if !r.linked() {
		return out
	}
	pop := c.Pop
	p := &pop.People[r.Link.Person]
	if pn := pop.Str(p.Name); r.Name != "" && pn != "" && r.Name != pn && !legacyAgrees(r.Encoded, pn) {
		class := classDifferent
		switch {
		case r.Match.NameKey == pop.Str(p.NameKey):
			class = classDiacritics
		case normalize.DamerauLevenshtein(r.Name, pn) <= 2:
			class = classTypo
		}
		out = append(out, c.mismatch(r, "NAME", "full_name", pop.Str(p.RawName), r.RawName, class))
	}
	switch normalize.CompareDates(r.Match.Birth, p.Birth) {
	case normalize.DatesSwapped:
		out = append(out, c.mismatch(r, "BIRTH_DATE", "birth_date", pop.Str(p.RawBirth), r.RawBirth, classSwapped))
	case normalize.DatesDiffer:
		out = append(out, c.mismatch(r, "BIRTH_DATE", "birth_date", pop.Str(p.RawBirth), r.RawBirth, classDifferent))
	}
	if g := r.Match.Gender; g != normalize.GenderUnknown && p.Gender != normalize.GenderUnknown && g != p.Gender {
		out = append(out, c.mismatch(r, "GENDER", "gender", p.Gender.String(), r.RawGender, classDifferent))
	}
	return out
}

func (c *Checker) mismatch(r *SourceRecord, subtype, field, popValue, srcValue, class string) record.Finding {
	f := c.sourceFinding(FieldMismatch, subtype, r)
	f.Field = field
	f.PopulationValue = popValue
	f.SourceValue = srcValue
	f.Suggestion += " (" + class + ")"
	return f
}

// legacyAgrees reports whether a legacy-encoded name has a reading equal to
// the register's name: when two encodings fit, the one that agrees is taken.
func legacyAgrees(encoded, popName string) bool {
	if encoded == "" {
		return false
	}
	for _, reading := range normalize.LegacyReadings(encoded) {
		if normalize.ParseName(reading).Display == popName {
			return true
		}
	}
	return false
}

// fieldMismatchRule is FieldMismatch in the catalogue: its label, severity and, per subtype,
// what the officer is asked to do.
var fieldMismatchRule = Info{FieldMismatch, "Sai lệch thông tin", "linked to a person, but a field differs", Low, []Subtype{
	{"NAME", "Sai lệch họ tên", "Đề nghị xác minh, cập nhật họ tên theo CSDLQG về dân cư"},
	{"BIRTH_DATE", "Sai lệch ngày sinh", "Đề nghị xác minh, cập nhật ngày sinh theo CSDLQG về dân cư"},
	{"GENDER", "Sai lệch giới tính", "Đề nghị xác minh, cập nhật giới tính theo CSDLQG về dân cư"},
}}
