package rules

import (
	"github.com/doisanh/doisanh/normalize"
	"github.com/doisanh/doisanh/record"
)

// IDInvalid reports a population row whose person_id is not 12 digits or
// whose digits contradict the gender, century, birth year or
// birth-registration province on the same row (ID_INVALID).
func (c *Checker) IDInvalid(id string, g normalize.Gender, birth normalize.Date, birthProv string, commune string, raw *record.Person, out []record.Finding) []record.Finding {
	year := 0
	if birth.Precision != normalize.PrecisionNone {
		year = int(birth.Year)
	}
	for _, p := range normalize.CheckPersonID(id, g, year, birthProv) {
		f := finding(IDInvalid, p.Code)
		f.Source = record.Population.String()
		f.SourceKey = id
		f.PersonID = id
		f.FullName = raw.FullName
		f.BirthDate = raw.BirthDate
		f.Field = "person_id"
		f.PopulationValue = raw.PersonID
		f.Suggestion += ": " + p.Detail
		c.place(&f, commune)
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
