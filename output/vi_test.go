package output

import (
	"regexp"
	"strings"
	"testing"

	"github.com/doisanh/doisanh/admin"
	"github.com/doisanh/doisanh/normalize"
)

// englishWord finds words that only appear in the English details the
// engine produces.
var englishWord = regexp.MustCompile(`\b(digits?|is|are|the|born|birth|year|gender|province|code|does|not|exist|registered|person|want|unexpected|no|commune|district|name|unknown|read|as|legacy|was|divided|between|communes|ambiguous|named|written|empty|address|default|old|number|personal)\b`)

func TestVietnamese(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Đề nghị xác minh: province code 041 does not exist", "Đề nghị xác minh: mã tỉnh 041 không tồn tại"},
		{"x: digit 4 is 3 (Nữ), gender Nam", "x: chữ số thứ 4 là 3 (Nữ), giới tính Nam"},
		{"digit 4 is 2 (born in the 2000s), birth year 1984; digit 4 is 2 (Nam), gender Nữ",
			"chữ số thứ 4 là 2 (sinh trong các năm 2000–2099), năm sinh 1984; chữ số thứ 4 là 2 (Nam), giới tính Nữ"},
		{"digit 4 is 4: born in the 2100s", "chữ số thứ 4 là 4: sinh trong các năm 2100–2199"},
		{"digits 5-6 are 07, birth year 1970", "chữ số thứ 5-6 là 07, năm sinh 1970"},
		{`person ID "0524097477": 10 digits, want 12`, `số định danh "0524097477": có 10 chữ số, cần 12`},
		{`person ID "x1": unexpected 'x'`, `số định danh "x1": có ký tự lạ 'x'`},
		{"province code 001 (Hà Nội), birth registered in 040 (Nghệ An)", "mã tỉnh 001 (Hà Nội), nơi đăng ký khai sinh 040 (Nghệ An)"},
		{"xác minh (no commune, district or province name)", "xác minh (địa chỉ không có tên xã, huyện hoặc tỉnh)"},
		{`unknown commune name "Nghi Phong"; read "a" as "b"`, `không có xã/phường tên "Nghi Phong"; đọc "a" là "b"`},
		{"Đề nghị xác minh, cập nhật", "Đề nghị xác minh, cập nhật"},
	}
	for _, tt := range tests {
		if got := vietnamese(tt.in); got != tt.want {
			t.Errorf("vietnamese(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

// TestVietnameseCoversProducers runs the functions that write English
// details on many inputs and checks that none survives translation: a new
// or reworded message in normalize fails here.
func TestVietnameseCoversProducers(t *testing.T) {
	var details []string
	ids := []string{"040084000001", "041084000001", "040384000001", "040284000001", "040184000001", "040484000001",
		"001099000001", "0524097477", "180437492", "0791941578538", "", "04x084000001"}
	for _, id := range ids {
		for _, g := range []normalize.Gender{normalize.GenderMale, normalize.GenderFemale, normalize.GenderUnknown} {
			for _, y := range []int{0, 1984, 2001, 1899} {
				for _, prov := range []string{"", "40", "01"} {
					for _, p := range normalize.CheckPersonID(id, g, y, prov) {
						details = append(details, p.Detail)
					}
				}
			}
		}
		if _, err := normalize.ParsePersonID(id); err != nil {
			details = append(details, err.Error())
		}
		if _, err := normalize.ParseOldID(id); err != nil {
			details = append(details, err.Error())
		}
	}
	parser := normalize.NewAddressParser(admin.Default(), normalize.AddressOptions{Province: "40"})
	for _, a := range []string{"", "Xóm 5", "Xóm 3, Xã Không Có Thật, Tỉnh Nghệ An", "Xóm 1, Xã Nghi Phong, Huyện Ba Vì, Tỉnh Nghệ An",
		"Thôn 2, Xã Tân Lập", "Xã Hưng Lộc, TP Vinh, Nghệ An", "xa nghi phong huyen nghi loc tinh nghe an",
		"Tổ 1, Phường 1", "Xóm 4, Xã Nghi Phong, Tỉnh Hà Tĩnh", "Xóm 1, Huyện Không Có, Tỉnh Nghệ An", "Tỉnh Không Có"} {
		if r := parser.Parse(a); r.Reason != "" {
			details = append(details, r.Reason)
		}
	}
	if len(details) < 20 {
		t.Fatalf("only %d details produced", len(details))
	}
	for _, d := range details {
		got := vietnamese(d)
		// Quoted values are the data as written: not checked.
		unquoted := regexp.MustCompile(`"[^"]*"|'[^']*'`).ReplaceAllString(got, "")
		if w := englishWord.FindString(unquoted); w != "" {
			t.Errorf("English %q left in %q (from %q)", w, got, d)
		}
		if strings.Contains(got, "  ") {
			t.Errorf("double space in %q", got)
		}
	}
}

// TestMustContain: the literal a phrase's every match holds, and that
// every phrase of the table has one (else vietnamese runs it on every
// suggestion).
func TestMustContain(t *testing.T) {
	for _, tt := range []struct{ pattern, want string }{
		{`province code (\d+) does not exist`, " does not exist"},
		{`(person ID|CMND) ("(?:[^"\\]|\\.)*"): no digits`, ": no digits"},
		{`empty address`, "empty address"},
		{`a|b`, ""},
		{`(?i)empty`, ""},
	} {
		if got := mustContain(tt.pattern); got != tt.want {
			t.Errorf("mustContain(%q) = %q, want %q", tt.pattern, got, tt.want)
		}
	}
	for i, p := range viPhrases {
		if viNeed[i] == "" {
			t.Errorf("phrase %q: no literal every match holds", p.re)
		}
		if !strings.Contains(p.re.String(), regexp.QuoteMeta(viNeed[i])) {
			t.Errorf("phrase %q: need %q is not in its pattern", p.re, viNeed[i])
		}
	}
}
