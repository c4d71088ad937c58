package rules

import (
	"strconv"
	"strings"

	"github.com/doisanh/doisanh/match"
	"github.com/doisanh/doisanh/record"
)

// notInPopulationCheck reports a tax or insurance record that matches
// nobody on the register, or matches several people equally well
// (NOT_IN_POPULATION/TAX, /INSURANCE), and a registered birth whose child
// is not on the register (NOT_IN_POPULATION/BIRTH). An ambiguous record is
// reported with its candidates, never linked to one.
type notInPopulationCheck struct{}

var _ RecordRule = notInPopulationCheck{}

func (notInPopulationCheck) Info() Info { return notInPopulationRule }

func (notInPopulationCheck) CheckRecord(c *Checker, r *SourceRecord, out []record.Finding) []record.Finding {
	if r.Link.Person >= 0 {
		return out
	}
	subtype, field := "TAX", "id_number"
	switch {
	case r.Source == record.Insurance:
		subtype = "INSURANCE"
	case r.Source == record.Civil && r.Event == record.EventBirth:
		subtype, field = "BIRTH", "subject_id"
	case r.Source == record.Civil:
		return out
	}
	f := c.sourceFinding(NotInPopulation, subtype, r)
	f.PersonID = ""
	f.Field = field
	f.SourceValue = r.RawID
	f.Score = 0
	c.explainAmbiguous(&f, r.Link)
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
