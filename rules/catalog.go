// Package rules holds the reconciliation rule catalogue and the rules
// themselves: each rule turns linked, normalised records into findings.
package rules

// Rule codes of the catalogue (DESIGN.md section 3).
const (
	DupID            = "DUP_ID"
	DupPerson        = "DUP_PERSON"
	IDInvalid        = "ID_INVALID"
	SpouseConflict   = "SPOUSE_CONFLICT"
	UnknownResidence = "UNKNOWN_RESIDENCE"
	NotInPopulation  = "NOT_IN_POPULATION"
	FieldMismatch    = "FIELD_MISMATCH"
	IDMismatch       = "ID_MISMATCH"
	DeceasedActive   = "DECEASED_ACTIVE"
)

// Severity of a finding.
const (
	High   = "high"
	Medium = "medium"
	Low    = "low"
)

// Subtype is one finer reason under a rule.
type Subtype struct {
	Code       string // e.g. "NOT_RECIPROCAL"; empty for a rule without subtypes
	Label      string // Vietnamese label shown to officers
	Suggestion string // what to do, in Vietnamese
}

// Info describes one rule of the catalogue.
type Info struct {
	Code     string
	Label    string // Vietnamese label
	Meaning  string // one line in English, for docs
	Severity string
	Subtypes []Subtype
}

// Catalog lists every rule, in the order reports show them.
var Catalog = []Info{
	{DupID, "Trùng số định danh", "one person_id on two or more population rows that are not the same person; one tax/insurance code used by several people", High, []Subtype{
		{"POPULATION", "Trùng số định danh trên CSDLQG về dân cư", "Đề nghị xác minh nhân thân các công dân dùng chung số định danh, hủy và cấp lại số cho người cấp sai"},
		{"TAX", "Một mã số thuế dùng cho nhiều người", "Đề nghị phối hợp cơ quan thuế xác minh người sử dụng mã số thuế"},
		{"INSURANCE", "Một mã số BHXH dùng cho nhiều người", "Đề nghị phối hợp cơ quan BHXH xác minh người sử dụng mã số BHXH"},
	}},
	{DupPerson, "Nghi trùng công dân", "one person recorded twice under different person_ids (twins are not duplicates)", High, []Subtype{
		{"", "Nghi một công dân có hai số định danh", "Đề nghị xác minh, hợp nhất hồ sơ và hủy số định danh cấp trùng"},
	}},
	{IDInvalid, "Số định danh sai cấu trúc", "person_id not 12 digits, or digits contradict gender, century, birth year or birth-registration province", High, []Subtype{
		{"LENGTH", "Số định danh không đủ 12 chữ số", "Đề nghị xác minh, cập nhật số định danh cá nhân đúng"},
		{"GENDER_CENTURY", "Mã thế kỷ/giới tính không khớp", "Đề nghị xác minh giới tính, năm sinh; điều chỉnh số định danh nếu cấp sai"},
		{"BIRTH_YEAR", "Mã năm sinh không khớp", "Đề nghị xác minh năm sinh; điều chỉnh số định danh nếu cấp sai"},
		{"PROVINCE", "Mã tỉnh nơi đăng ký khai sinh không khớp", "Đề nghị xác minh nơi đăng ký khai sinh; điều chỉnh số định danh nếu cấp sai"},
	}},
	{SpouseConflict, "Lệch thông tin vợ/chồng", "spouse links that cannot all be true", Medium, []Subtype{
		{"NOT_RECIPROCAL", "Quan hệ vợ/chồng không hai chiều", "Đề nghị xác minh tình trạng hôn nhân, cập nhật thông tin vợ/chồng ở cả hai công dân"},
		{"MULTIPLE", "Một người là vợ/chồng của nhiều người", "Đề nghị xác minh tình trạng hôn nhân của các công dân liên quan"},
		{"NOT_FOUND", "Số định danh vợ/chồng không có trên CSDLQG", "Đề nghị xác minh, cập nhật số định danh của vợ/chồng"},
		{"SELF", "Vợ/chồng trùng chính công dân", "Đề nghị xác minh, cập nhật số định danh của vợ/chồng"},
		{"OLD_ID", "Vợ/chồng ghi theo số CMND cũ", "Đề nghị cập nhật số định danh cá nhân (CCCD) của vợ/chồng thay cho số CMND"},
		{"CIVIL_MARRIAGE", "Lệch với sổ đăng ký kết hôn", "Đề nghị đối chiếu với cơ sở dữ liệu hộ tịch, cập nhật thông tin vợ/chồng"},
	}},
	{UnknownResidence, "Không rõ nơi cư trú", "residence cannot be placed in a valid commune", Medium, []Subtype{
		{"MISSING", "Thiếu nơi cư trú", "Đề nghị xác minh, cập nhật nơi cư trú"},
		{"INVALID_CODE", "Mã xã không hợp lệ", "Đề nghị cập nhật mã đơn vị hành chính cấp xã đúng"},
		{"LEGACY_CODE", "Mã xã trước sắp xếp 7/2025", "Đề nghị cập nhật mã xã theo danh mục đơn vị hành chính từ 01/7/2025"},
		{"UNRESOLVED_ADDRESS", "Địa chỉ không xác định được xã", "Đề nghị xác minh, chuẩn hóa địa chỉ nơi cư trú"},
		{"CODE_ADDRESS_CONFLICT", "Mã xã không khớp địa chỉ", "Đề nghị xác minh nơi cư trú, thống nhất mã xã và địa chỉ"},
	}},
	{NotInPopulation, "Chưa có trong CSDLQG về dân cư", "a tax, insurance or birth record with no person on the register", Medium, []Subtype{
		{"TAX", "Người nộp thuế chưa có trên CSDLQG", "Đề nghị xác minh, thu thập thông tin công dân vào CSDLQG về dân cư"},
		{"INSURANCE", "Người tham gia BHXH/BHYT chưa có trên CSDLQG", "Đề nghị xác minh, thu thập thông tin công dân vào CSDLQG về dân cư"},
		{"BIRTH", "Trẻ đã đăng ký khai sinh chưa có trên CSDLQG", "Đề nghị xác minh, cập nhật thông tin trẻ em vào CSDLQG về dân cư"},
	}},
	{FieldMismatch, "Sai lệch thông tin", "linked to a person, but a field differs", Low, []Subtype{
		{"NAME", "Sai lệch họ tên", "Đề nghị xác minh, cập nhật họ tên theo CSDLQG về dân cư"},
		{"BIRTH_DATE", "Sai lệch ngày sinh", "Đề nghị xác minh, cập nhật ngày sinh theo CSDLQG về dân cư"},
		{"GENDER", "Sai lệch giới tính", "Đề nghị xác minh, cập nhật giới tính theo CSDLQG về dân cư"},
	}},
	{IDMismatch, "Sai số định danh", "the source's ID is old, wrong or missing, but the record is confidently the population person", Medium, []Subtype{
		{"OLD_ID", "Dùng số CMND cũ", "Đề nghị cập nhật số định danh cá nhân theo CSDLQG về dân cư"},
		{"WRONG_ID", "Sai số định danh", "Đề nghị cập nhật số định danh cá nhân đúng theo CSDLQG về dân cư"},
		{"MISSING_ID", "Thiếu số định danh", "Đề nghị bổ sung số định danh cá nhân theo CSDLQG về dân cư"},
	}},
	{DeceasedActive, "Đã chết nhưng còn hoạt động", "death registered while the register says alive; or a tax/insurance record active after death", High, []Subtype{
		{"CIVIL_DEATH", "Đã đăng ký khai tử nhưng CSDLQG còn sống", "Đề nghị xác minh, cập nhật trạng thái đã chết trên CSDLQG về dân cư"},
		{"TAX", "Mã số thuế còn hoạt động sau khi chết", "Đề nghị thông báo cơ quan thuế đóng mã số thuế"},
		{"INSURANCE", "BHXH/BHYT còn hiệu lực sau khi chết", "Đề nghị thông báo cơ quan BHXH dừng/giải quyết chế độ"},
	}},
}

// Lookup returns the catalogue entry of a rule code.
func Lookup(code string) (Info, bool) {
	for _, r := range Catalog {
		if r.Code == code {
			return r, true
		}
	}
	return Info{}, false
}

// SubtypeInfo returns the entry of one subtype of a rule.
func SubtypeInfo(rule, subtype string) (Subtype, bool) {
	r, ok := Lookup(rule)
	if !ok {
		return Subtype{}, false
	}
	for _, s := range r.Subtypes {
		if s.Code == subtype {
			return s, true
		}
	}
	return Subtype{}, false
}
