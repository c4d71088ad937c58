package normalize

import (
	"strings"
	"testing"
)

func TestParsePersonID(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{"001085012345", "001085012345", ""},
		{" 001085012345 ", "001085012345", ""},
		{"001 085 012 345", "001085012345", ""},
		{"001.085.012.345", "001085012345", ""},
		{"001-085-012345", "001085012345", ""},
		{"'001085012345", "001085012345", ""},
		{"1085012345", "001085012345", ""},  // Hà Nội, both leading zeros lost
		{"4085012345", "004085012345", ""},  // Cao Bằng
		{"3085012345", "", "10 digits"},     // 003 is no province
		{"1585012345", "", "10 digits"},     // 5: no century code of the living
		{"0185012345", "", "10 digits"},     // 000 is no province
		{"40190012345", "040190012345", ""}, // lost leading zero
		{"079301000001", "079301000001", ""},
		{"123456789", "", "CMND"},
		{"0010850123456", "", "13 digits"},
		{"", "", "no digits"},
		{"00108501234O", "", "unexpected 'O'"},
		{"001085012345x", "", "unexpected"},
		{"１２３", "", "unexpected"},
	}
	for _, tt := range tests {
		got, err := ParsePersonID(tt.in)
		checkParse(t, "ParsePersonID", tt.in, got, err, tt.want, tt.err)
	}
}

func checkParse(t *testing.T, fn, in, got string, err error, want, wantErr string) {
	t.Helper()
	switch {
	case wantErr == "" && (err != nil || got != want):
		t.Errorf("%s(%q) = %q, %v; want %q", fn, in, got, err, want)
	case wantErr != "" && err == nil:
		t.Errorf("%s(%q) = %q, want error mentioning %q", fn, in, got, wantErr)
	case wantErr != "" && !strings.Contains(err.Error(), wantErr):
		t.Errorf("%s(%q) error %q, want it to mention %q", fn, in, err, wantErr)
	case wantErr != "" && got != "":
		t.Errorf("%s(%q) = %q with an error", fn, in, got)
	}
}

func TestParseOldID(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{"123456789", "123456789", ""},
		{"023 456 789", "023456789", ""},
		{"23456789", "023456789", ""},
		{"001085012345", "", "personal ID"},
		{"1234567", "", "7 digits"},
		{"12345678a", "", "unexpected"},
	}
	for _, tt := range tests {
		got, err := ParseOldID(tt.in)
		checkParse(t, "ParseOldID", tt.in, got, err, tt.want, tt.err)
	}
}

func TestCheckPersonID(t *testing.T) {
	tests := []struct {
		id       string
		g        Gender
		year     int
		province string
		want     []string // problem codes
	}{
		{"001085012345", GenderMale, 1985, "001", nil},
		{"001185012345", GenderFemale, 1985, "Hà Nội", nil},
		{"079203012345", GenderMale, 2003, "", nil},
		{"079303012345", GenderFemale, 2003, "79", nil},
		{"040090012345", GenderUnknown, 0, "", nil},
		{"40085012345", GenderMale, 1985, "", nil}, // raw, lost zero
		{"001085012345", GenderFemale, 1985, "", []string{IDGenderCentury}},
		{"001185012345", GenderMale, 1985, "", []string{IDGenderCentury}},
		{"001285012345", GenderMale, 1985, "", []string{IDGenderCentury}}, // 2000s digit, born 1985
		{"001085012345", GenderMale, 2085, "", []string{IDGenderCentury}}, // 1900s digit, born 2085
		{"001485012345", GenderUnknown, 0, "", []string{IDGenderCentury}}, // 2100s
		{"001385012345", GenderMale, 1985, "", []string{IDGenderCentury}}, // both wrong: one problem
		{"001086012345", GenderMale, 1985, "", []string{IDBirthYear}},
		{"040085012345", GenderMale, 1985, "Hà Nội", []string{IDProvince}},
		{"040085012345", GenderMale, 1985, "tỉnh nghệ an", nil},
		{"040085012345", GenderMale, 1985, "Atlantis", nil},          // unknown province: skipped
		{"003085012345", GenderMale, 1985, "", []string{IDProvince}}, // 003 is no province
		{"099185012345", GenderMale, 1990, "", []string{IDProvince, IDGenderCentury, IDBirthYear}},
		{"12345", GenderMale, 1985, "", []string{IDLength}},
		{"123456789", GenderMale, 1985, "", []string{IDLength}},
		{"", GenderUnknown, 0, "", []string{IDLength}},
	}
	for _, tt := range tests {
		got := CheckPersonID(tt.id, tt.g, tt.year, tt.province)
		var codes []string
		for _, p := range got {
			codes = append(codes, p.Code)
			if p.Detail == "" {
				t.Errorf("CheckPersonID(%q): problem %s has no detail", tt.id, p.Code)
			}
		}
		if strings.Join(codes, ",") != strings.Join(tt.want, ",") {
			t.Errorf("CheckPersonID(%q, %v, %d, %q) = %v, want %v", tt.id, tt.g, tt.year, tt.province, got, tt.want)
		}
	}
}

func TestProvinceCode(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"40", "040", true},
		{"040", "040", true},
		{"1", "001", true},
		{"Nghệ An", "040", true},
		{"Tỉnh Nghệ An", "040", true},
		{"nghe an", "040", true},
		{"NGHỆ AN", "040", true},
		{"Nghe\u0323\u0302 An", "040", true}, // NFD, marks in the wrong order
		{"Thành phố Hồ Chí Minh", "079", true},
		{"TP. HCM", "079", true},
		{"TP.HCM", "079", true},
		{"Hà Nội", "001", true},
		{"Thanh Hóa", "038", true},
		{"Thanh Hoá", "038", true},
		{"Hoà Bình", "017", true},
		{"Hòa Bình", "017", true},
		{"Đắk Lắk", "066", true},
		{"Đăk Lăk", "066", true},
		{"Ðắk Nông", "067", true}, // U+00D0
		{"Bà Rịa - Vũng Tàu", "077", true},
		{"Bà Rịa–Vũng Tàu", "077", true},
		{"Thừa Thiên Huế", "046", true},
		{"Huế", "046", true},
		{"Cà Mau", "096", true},
		{"Quảng Nam", "049", true},
		{"Hải Dương", "030", true},
		{"03", "", false},
		{"100", "", false},
		{"0001", "", false},
		{"", "", false},
		{"Atlantis", "", false},
		{"Tỉnh", "", false},
	}
	for _, tt := range tests {
		got, ok := ProvinceCode(tt.in)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("ProvinceCode(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	if len(provinceByCode) != 63 {
		t.Errorf("%d provinces, want 63", len(provinceByCode))
	}
	for code, name := range provinceByCode {
		if got, ok := ProvinceCode(name); !ok || got != code {
			t.Errorf("ProvinceCode(%q) = %q, %v; want %q", name, got, ok, code)
		}
	}
}

func TestParseTaxCode(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{"0100109106", "0100109106", ""},
		{"0100109106-001", "0100109106-001", ""},
		{"0100109106001", "0100109106-001", ""},
		{"0100 109 106", "0100109106", ""},
		{"0100109107", "", "check digit"},
		{"0100109106-01", "", "12"}, // 12 digits would be a personal ID... but see below
		{"001085012345", "001085012345", ""},
		{"01001091", "", "8 digits"},
		{"01001091x6", "", "unexpected"},
	}
	for _, tt := range tests {
		got, err := ParseTaxCode(tt.in)
		if tt.in == "0100109106-01" {
			// 12 digits after dropping the dash: read as a personal ID.
			if err != nil || got != "010010910601" {
				t.Errorf("ParseTaxCode(%q) = %q, %v", tt.in, got, err)
			}
			continue
		}
		checkParse(t, "ParseTaxCode", tt.in, got, err, tt.want, tt.err)
	}
	// Every 9-digit prefix has exactly one check digit, or none when
	// 10 − (Σ mod 11) is 10.
	for _, p := range []string{"010010910", "030123456", "810000000", "000000000", "999999999"} {
		n := 0
		for c := '0'; c <= '9'; c++ {
			if _, err := ParseTaxCode(p + string(c)); err == nil {
				n++
			}
		}
		if n > 1 {
			t.Errorf("prefix %s: %d valid check digits", p, n)
		}
	}
}

func TestParseInsuranceCode(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{"0123456789", "0123456789", ""},
		{"123456789", "0123456789", ""},
		{"01 2345 6789", "0123456789", ""},
		{"12345678", "", "8 digits"},
		{"01234567890", "", "11 digits"},
		{"BHXH012345", "", "unexpected"},
	}
	for _, tt := range tests {
		got, err := ParseInsuranceCode(tt.in)
		checkParse(t, "ParseInsuranceCode", tt.in, got, err, tt.want, tt.err)
	}
}

func TestParseCardNumber(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{"DN4010123456789", "DN4010123456789", ""},
		{"dn4010123456789", "DN4010123456789", ""},
		{"GD 4 79 0123456789", "GD4790123456789", ""},
		{"HT-3-01-0123456789", "HT3010123456789", ""},
		{"DN6010123456789", "", "benefit level"},
		{"D14010123456789", "", "letter"},
		{"DN40101234567A9", "", "digit"},
		{"DN401012345678", "", "14 characters"},
		{"DN40101234567890", "", "more than 15"},
		{"ĐN4010123456789", "", "unexpected"},
	}
	for _, tt := range tests {
		got, err := ParseCardNumber(tt.in)
		checkParse(t, "ParseCardNumber", tt.in, got, err, tt.want, tt.err)
	}
}

func FuzzParseIDs(f *testing.F) {
	for _, s := range []string{"001085012345", "40085012345", "0100109106-001", "DN4010123456789", "123456789", "Nghệ An", "", "'0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if id, err := ParsePersonID(s); err == nil {
			if !isDigits(id, 12) {
				t.Fatalf("ParsePersonID(%q) = %q", s, id)
			}
			if again, err := ParsePersonID(id); err != nil || again != id {
				t.Fatalf("ParsePersonID not idempotent on %q", id)
			}
		}
		for _, p := range CheckPersonID(s, GenderMale, 1985, s) {
			if p.Code == "" || p.Detail == "" {
				t.Fatalf("empty problem for %q", s)
			}
		}
		if id, err := ParseOldID(s); err == nil && !isDigits(id, 9) {
			t.Fatalf("ParseOldID(%q) = %q", s, id)
		}
		if id, err := ParseInsuranceCode(s); err == nil && !isDigits(id, 10) {
			t.Fatalf("ParseInsuranceCode(%q) = %q", s, id)
		}
		if tc, err := ParseTaxCode(s); err == nil {
			if again, err := ParseTaxCode(tc); err != nil || again != tc {
				t.Fatalf("ParseTaxCode not idempotent: %q -> %q -> %q, %v", s, tc, again, err)
			}
		}
		if c, err := ParseCardNumber(s); err == nil && len(c) != 15 {
			t.Fatalf("ParseCardNumber(%q) = %q", s, c)
		}
		if code, ok := ProvinceCode(s); ok {
			if _, known := provinceByCode[code]; !known {
				t.Fatalf("ProvinceCode(%q) = unknown %q", s, code)
			}
		}
	})
}

func BenchmarkParsePersonID(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParsePersonID("001085012345"); err != nil {
			b.Fatal(err)
		}
	}
}
