package rules

import (
	"strconv"
	"strings"

	"github.com/doisanh/doisanh/match"
	"github.com/doisanh/doisanh/record"
)

// notInPopulation reports a tax or insurance record that matches nobody on
// the register, or matches several people equally well (NOT_IN_POPULATION).
// An ambiguous record is reported with its candidates, never linked to one.
func (c *Checker) notInPopulation(r *SourceRecord, out []record.Finding) []record.Finding {
	subtype := "TAX"
	if r.Source == record.Insurance {
		subtype = "INSURANCE"
	}
	f := c.sourceFinding(NotInPopulation, subtype, r)
	f.PersonID = ""
	f.Field = "id_number"
	f.SourceValue = r.RawID
	f.Score = 0
	c.explainAmbiguous(&f, r.Link)
	return append(out, f)
}

// Birth reports a registered birth whose child is not on the register
// (NOT_IN_POPULATION/BIRTH).
func (c *Checker) Birth(e *record.CivilEvent, link match.Link, commune string, out []record.Finding) []record.Finding {
	if link.Person >= 0 {
		return out
	}
	f := finding(NotInPopulation, "BIRTH")
	f.Source = record.Civil.String()
	f.SourceKey = e.EventID
	f.FullName = e.SubjectName
	f.BirthDate = e.SubjectBirthDate
	f.Field = "subject_id"
	f.SourceValue = e.SubjectID
	f.Score = 0
	c.place(&f, commune)
	c.explainAmbiguous(&f, link)
	return append(out, f)
}

func (c *Checker) explainAmbiguous(f *record.Finding, link match.Link) {
	if link.Method != match.LinkAmbiguous {
		return
	}
	ids := make([]string, 0, len(link.Candidates))
	for _, row := range link.Candidates {
		ids = append(ids, c.Pop.Str(c.Pop.People[row].ID))
	}
	f.Suggestion += " (trùng khớp " + strconv.Itoa(len(ids)) + " công dân, cần xác minh: " + strings.Join(ids, ", ") + ")"
}

// notInPopulationRule is NotInPopulation in the catalogue: its label, severity and, per subtype,
// what the officer is asked to do.
var notInPopulationRule = Info{NotInPopulation, "Chưa có trong CSDLQG về dân cư", "a tax, insurance or birth record with no person on the register", Medium, []Subtype{
	{"TAX", "Người nộp thuế chưa có trên CSDLQG", "Đề nghị xác minh, thu thập thông tin công dân vào CSDLQG về dân cư"},
	{"INSURANCE", "Người tham gia BHXH/BHYT chưa có trên CSDLQG", "Đề nghị xác minh, thu thập thông tin công dân vào CSDLQG về dân cư"},
	{"BIRTH", "Trẻ đã đăng ký khai sinh chưa có trên CSDLQG", "Đề nghị xác minh, cập nhật thông tin trẻ em vào CSDLQG về dân cư"},
}}
