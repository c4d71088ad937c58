package rules

import (
	"strings"

	"github.com/doisanh/doisanh/normalize"
	"github.com/doisanh/doisanh/record"
)

// deceasedActiveCheck reports a tax or insurance record still active for
// a person the register says is dead (DECEASED_ACTIVE/TAX, /INSURANCE), and
// a registered death of a person the register still shows alive, or with
// no status (DECEASED_ACTIVE/CIVIL_DEATH).
type deceasedActiveCheck struct{}

var _ RecordRule = deceasedActiveCheck{}

func (deceasedActiveCheck) Info() Info { return deceasedActiveRule }

func (deceasedActiveCheck) CheckRecord(c *Checker, r *SourceRecord, out []record.Finding) []record.Finding {
	if r.Link.Person < 0 {
		return out
	}
	st := c.Pop.People[r.Link.Person].Status
	if r.Source == record.Civil {
		if r.Event != record.EventDeath || st != normalize.StatusAlive && st != normalize.StatusUnknown {
			return out
		}
		f := c.sourceFinding(DeceasedActive, "CIVIL_DEATH", r)
		f.Field = "status"
		f.PopulationValue = normalize.StatusAlive.String()
		f.SourceValue = "khai tử " + r.EventDate
		return append(out, f)
	}
	if r.Status != normalize.StatusActive || st != normalize.StatusDead {
		return out
	}
	f := c.sourceFinding(DeceasedActive, strings.ToUpper(r.Source.String()), r)
	f.Field = "status"
	f.PopulationValue = normalize.StatusDead.String()
	f.SourceValue = normalize.StatusActive.String()
	return append(out, f)
}

// deceasedActiveRule is DeceasedActive in the catalogue: its label, severity and, per subtype,
// what the officer is asked to do.
var deceasedActiveRule = Info{DeceasedActive, "Đã chết nhưng còn hoạt động", "death registered while the register says alive; or a tax/insurance record active after death", High, []Subtype{
	{"CIVIL_DEATH", "Đã đăng ký khai tử nhưng CSDLQG còn sống", "Đề nghị xác minh, cập nhật trạng thái đã chết trên CSDLQG về dân cư"},
	{"TAX", "Mã số thuế còn hoạt động sau khi chết", "Đề nghị thông báo cơ quan thuế đóng mã số thuế"},
	{"INSURANCE", "BHXH/BHYT còn hiệu lực sau khi chết", "Đề nghị thông báo cơ quan BHXH dừng/giải quyết chế độ"},
}}
