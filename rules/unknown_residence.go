package rules

import (
	"strings"

	"github.com/doisanh/doisanh/admin"
	"github.com/doisanh/doisanh/normalize"
	"github.com/doisanh/doisanh/record"
)

// Residence is where a population row lives, and what is wrong with it.
type Residence struct {
	Commune    string // 2025 commune code to file the person under; "" when unknown
	Subtype    string // UNKNOWN_RESIDENCE subtype; "" when the residence is fine
	Suggestion string // extra detail for the finding (e.g. the new code)
	Village    string // village part of the address (thôn, xóm, tổ ...) as written; "" when none
}

// Residence places a population row from its commune_code and address and
// reports UNKNOWN_RESIDENCE: MISSING (neither), INVALID_CODE (a code in no
// list), LEGACY_CODE (a code valid only before 1 July 2025; the 2025 code
// is suggested), UNRESOLVED_ADDRESS (no code and an address that names no
// known commune) and CODE_ADDRESS_CONFLICT (a valid code, and an address
// that clearly names another commune).
func (c *Places) Residence(code, address string) Residence {
	var addr normalize.AddressResult
	if address = strings.TrimSpace(address); address != "" {
		addr = c.Addr.Parse(address)
	}
	r := c.residence(communeDigits(code), address, addr)
	r.Village = addr.Parts.Village
	return r
}

func (c *Places) residence(code, address string, addr normalize.AddressResult) Residence {
	if code == "" && address == "" {
		return Residence{Subtype: "MISSING"}
	}
	fromAddress := func() string {
		if addr.Status != normalize.AddressUnresolved && len(addr.Current) > 0 {
			return addr.Current[0].Code
		}
		return ""
	}
	if code == "" {
		if addr.Status == normalize.AddressUnresolved {
			return Residence{Subtype: "UNRESOLVED_ADDRESS", Suggestion: addr.Reason}
		}
		return Residence{Commune: fromAddress()}
	}
	if c.Units.Has(admin.Current, code) {
		// Only a confident reading of the address contradicts a valid code:
		// a guess must not send an officer out.
		if addr.Status == normalize.AddressResolved && addr.Confidence >= normalize.ConfidentAddress &&
			len(addr.Current) > 0 && !hasCode(addr.Current, code) {
			return Residence{Commune: code, Subtype: "CODE_ADDRESS_CONFLICT",
				Suggestion: "địa chỉ thuộc " + describe(addr.Current[0])}
		}
		return Residence{Commune: code}
	}
	if c.Units.Has(admin.Legacy, code) {
		next := c.Units.Convert(code)
		r := Residence{Subtype: "LEGACY_CODE"}
		switch {
		case len(next) == 1:
			r.Commune = next[0].Code
		case len(next) > 1:
			for _, cm := range addr.Current {
				if hasCode(next, cm.Code) {
					r.Commune = cm.Code
					break
				}
			}
		}
		if r.Commune != "" {
			cm, _ := c.Units.Commune(admin.Current, r.Commune)
			r.Suggestion = "mã mới " + describe(cm)
		} else if len(next) > 0 {
			names := make([]string, len(next))
			for i, cm := range next {
				names[i] = describe(cm)
			}
			r.Suggestion = "xã cũ đã chia cho: " + strings.Join(names, "; ")
			r.Commune = next[0].Code
		}
		return r
	}
	r := Residence{Subtype: "INVALID_CODE", Commune: fromAddress()}
	if r.Commune != "" {
		r.Suggestion = "theo địa chỉ: " + describe(addr.Current[0])
	}
	return r
}

// unknownResidenceCheck reports the residence problem that Residence found
// on a population row (UNKNOWN_RESIDENCE), filed under the commune the row
// was placed in, if any.
type unknownResidenceCheck struct{}

var _ PersonRule = unknownResidenceCheck{}

func (unknownResidenceCheck) Info() Info { return unknownResidenceRule }

func (unknownResidenceCheck) CheckPerson(pl *Places, row *Row, out []record.Finding) []record.Finding {
	res, id, raw := &row.Residence, row.ID, row.Raw
	if res.Subtype == "" {
		return out
	}
	f := finding(UnknownResidence, res.Subtype)
	f.Source = record.Population.String()
	f.SourceKey = id
	f.PersonID = id
	f.FullName = raw.FullName
	f.BirthDate = raw.BirthDate
	f.Field = "commune_code"
	f.PopulationValue = strings.TrimSpace(raw.CommuneCode + " | " + raw.Address)
	f.Address = raw.Address
	f.HouseholdID = strings.TrimSpace(raw.HouseholdID)
	if res.Suggestion != "" {
		f.Suggestion += " (" + res.Suggestion + ")"
	}
	pl.place(&f, res.Commune)
	return append(out, f)
}

// communeDigits returns a commune code in its 5-digit form
// (normalize.CommuneCode); "" when it has no digits, and the value as
// written when it is not a number (it will be INVALID_CODE).
func communeDigits(s string) string {
	if d, ok := normalize.CommuneCode(s); ok {
		return d
	}
	return strings.TrimSpace(s)
}

func hasCode(cs []admin.Commune, code string) bool {
	for _, c := range cs {
		if c.Code == code {
			return true
		}
	}
	return false
}

func describe(c admin.Commune) string { return c.Code + " " + c.Name }

// unknownResidenceRule is UnknownResidence in the catalogue: its label, severity and, per subtype,
// what the officer is asked to do.
var unknownResidenceRule = Info{UnknownResidence, "Không rõ nơi cư trú", "residence cannot be placed in a valid commune", Medium, []Subtype{
	{"MISSING", "Thiếu nơi cư trú", "Đề nghị xác minh, cập nhật nơi cư trú"},
	{"INVALID_CODE", "Mã xã không hợp lệ", "Đề nghị cập nhật mã đơn vị hành chính cấp xã đúng"},
	{"LEGACY_CODE", "Mã xã trước sắp xếp 7/2025", "Đề nghị cập nhật mã xã theo danh mục đơn vị hành chính từ 01/7/2025"},
	{"UNRESOLVED_ADDRESS", "Địa chỉ không xác định được xã", "Đề nghị xác minh, chuẩn hóa địa chỉ nơi cư trú"},
	{"CODE_ADDRESS_CONFLICT", "Mã xã không khớp địa chỉ", "Đề nghị xác minh nơi cư trú, thống nhất mã xã và địa chỉ"},
}}
