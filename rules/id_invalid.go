package rules

import (
	"strconv"

	"github.com/doisanh/doisanh/normalize"
	"github.com/doisanh/doisanh/record"
)

// idInvalidCheck reports a population row whose person_id is not 12 digits or
// whose digits contradict the gender, century, birth year or
// birth-registration province on the same row (ID_INVALID). A 10-digit
// number read as an ID that lost two leading zeros (normalize.ParsePersonID)
// is trusted only when the reading fits the row; otherwise it is LENGTH.
type idInvalidCheck struct{}

var _ PersonRule = idInvalidCheck{}

func (idInvalidCheck) Info() Info { return idInvalidRule }

func (idInvalidCheck) CheckPerson(pl *Places, row *Row, out []record.Finding) []record.Finding {
	id, raw := row.ID, row.Raw
	year := 0
	if row.Birth.Precision != normalize.PrecisionNone {
		year = int(row.Birth.Year)
	}
	problems := normalize.CheckPersonID(id, row.Gender, year, row.BirthProv)
	if len(problems) > 0 && digitCount(raw.PersonID) == 10 {
		// Read as an ID of provinces 001-009 that lost both leading zeros,
		// but the row does not bear the reading out: the number is simply
		// too short.
		problems = []normalize.IDProblem{{Code: normalize.IDLength,
			Detail: "person ID " + strconv.Quote(raw.PersonID) + ": 10 digits, want 12 (read as " + id + " it does not fit the row either)"}}
	}
	for _, p := range problems {
		f := finding(IDInvalid, p.Code)
		f.Source = record.Population.String()
		f.SourceKey = id
		f.PersonID = id
		f.FullName = raw.FullName
		f.BirthDate = raw.BirthDate
		f.Field = "person_id"
		f.PopulationValue = raw.PersonID
		f.Suggestion += ": " + p.Detail
		pl.place(&f, row.Residence.Commune)
		out = append(out, f)
	}
	return out
}

// idInvalidRule is IDInvalid in the catalogue: its label, severity and, per subtype,
// what the officer is asked to do.
var idInvalidRule = Info{IDInvalid, "Số định danh sai cấu trúc", "person_id not 12 digits, or digits contradict gender, century, birth year or birth-registration province", High, []Subtype{
	{"LENGTH", "Số định danh không đủ 12 chữ số", "Đề nghị xác minh, cập nhật số định danh cá nhân đúng"},
	{"GENDER_CENTURY", "Mã thế kỷ/giới tính không khớp", "Đề nghị xác minh giới tính, năm sinh; điều chỉnh số định danh nếu cấp sai"},
	{"BIRTH_YEAR", "Mã năm sinh không khớp", "Đề nghị xác minh năm sinh; điều chỉnh số định danh nếu cấp sai"},
	{"PROVINCE", "Mã tỉnh nơi đăng ký khai sinh không khớp", "Đề nghị xác minh nơi đăng ký khai sinh; điều chỉnh số định danh nếu cấp sai"},
}}

// digitCount counts the ASCII digits of s.
func digitCount(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if '0' <= s[i] && s[i] <= '9' {
			n++
		}
	}
	return n
}
