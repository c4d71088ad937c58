package rules

import (
	"github.com/doisanh/doisanh/match"
	"github.com/doisanh/doisanh/record"
)

// idMismatchCheck reports a tax or insurance record confidently linked to
// a person whose ID it does not carry (ID_MISMATCH): an old CMND (OLD_ID),
// a wrong number (WRONG_ID) or none (MISSING_ID). The suggestion gives the
// right ID.
type idMismatchCheck struct{}

var _ RecordRule = idMismatchCheck{}

func (idMismatchCheck) Info() Info { return idMismatchRule }

func (idMismatchCheck) CheckRecord(c *Checker, r *SourceRecord, out []record.Finding) []record.Finding {
	if !r.linked() {
		return out
	}
	var subtype string
	switch {
	case r.Link.Method == match.LinkOldID:
		subtype = "OLD_ID"
	case r.Link.Method != match.LinkFuzzy:
		return out
	case r.Match.IDKind == match.IDNone:
		subtype = "MISSING_ID"
	default:
		subtype = "WRONG_ID"
	}
	f := c.sourceFinding(IDMismatch, subtype, r)
	f.Field = "id_number"
	f.PopulationValue = f.PersonID
	f.SourceValue = r.RawID
	f.Suggestion += ": " + f.PersonID
	return append(out, f)
}

// idMismatchRule is IDMismatch in the catalogue: its label, severity and, per subtype,
// what the officer is asked to do.
var idMismatchRule = Info{IDMismatch, "Sai số định danh", "the source's ID is old, wrong or missing, but the record is confidently the population person", Medium, []Subtype{
	{"OLD_ID", "Dùng số CMND cũ", "Đề nghị cập nhật số định danh cá nhân theo CSDLQG về dân cư"},
	{"WRONG_ID", "Sai số định danh", "Đề nghị cập nhật số định danh cá nhân đúng theo CSDLQG về dân cư"},
	{"MISSING_ID", "Thiếu số định danh", "Đề nghị bổ sung số định danh cá nhân theo CSDLQG về dân cư"},
}}
