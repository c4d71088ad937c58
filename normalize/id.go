package normalize

import (
	"fmt"
	"strings"
)

// appendDigits appends to dst the digits of s, skipping spaces, dots,
// dashes and a leading apostrophe (a spreadsheet's text marker). ok is
// false if s holds anything else.
func appendDigits(dst []byte, s string) (_ []byte, bad rune, ok bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "'")
	for _, r := range s {
		switch {
		case '0' <= r && r <= '9':
			dst = append(dst, byte(r))
		case r == ' ' || r == '.' || r == '-' || r == '\t' || r == '\u00a0':
		default:
			return dst, r, false
		}
	}
	return dst, 0, true
}

// cleanDigits returns the digits of s, reusing s when it is already clean.
func cleanDigits(what, s string) (string, error) {
	var buf [32]byte
	d, bad, ok := appendDigits(buf[:0], s)
	if !ok {
		return "", fmt.Errorf("%s %q: unexpected %q", what, s, bad)
	}
	if len(d) == len(s) {
		return s, nil
	}
	return string(d), nil
}

// ParsePersonID reads a 12-digit personal ID (số định danh cá nhân, on the
// CCCD), ignoring spaces, dots and dashes. An 11-digit number is taken as
// an ID whose leading zero a spreadsheet dropped. A 10-digit number is an
// ID of provinces 001–009 (Hà Nội 001, Hà Giang 002, ...) that lost both
// leading zeros to a spreadsheet or an INT64 column, when that reading is
// unambiguous: 00 and its first digit name a province, and its second
// digit is a century-and-gender code of a living person (0–3, born
// 1900–2099). Other 10-digit numbers are refused. A 9-digit number is an
// old CMND and is refused: see ParseOldID.
func ParsePersonID(s string) (string, error) {
	d, err := cleanDigits("person ID", s)
	if err != nil {
		return "", err
	}
	switch len(d) {
	case 12:
		return d, nil
	case 11:
		return "0" + d, nil
	case 10:
		if _, ok := provinceName("00" + d[:1]); ok && '0' <= d[1] && d[1] <= '3' {
			return "00" + d, nil
		}
		return "", fmt.Errorf("person ID %q: 10 digits, want 12 (not an ID of provinces 001-009 that lost two leading zeros)", s)
	case 9:
		return "", fmt.Errorf("person ID %q: 9 digits is an old CMND number, not a 12-digit personal ID", s)
	case 0:
		return "", fmt.Errorf("person ID %q: no digits", s)
	}
	return "", fmt.Errorf("person ID %q: %d digits, want 12", s, len(d))
}

// ParseOldID reads a 9-digit old identity card number (CMND), restoring a
// leading zero a spreadsheet dropped from an 8-digit number.
func ParseOldID(s string) (string, error) {
	d, err := cleanDigits("CMND", s)
	if err != nil {
		return "", err
	}
	switch len(d) {
	case 9:
		return d, nil
	case 8:
		return "0" + d, nil
	case 12:
		return "", fmt.Errorf("CMND %q: 12 digits is a personal ID (CCCD), not a CMND", s)
	}
	return "", fmt.Errorf("CMND %q: %d digits, want 9", s, len(d))
}

// IDProblem is one way a personal ID contradicts itself or the register.
// Code is LENGTH, GENDER_CENTURY, BIRTH_YEAR or PROVINCE.
type IDProblem struct {
	Code   string `json:"code"`
	Detail string `json:"detail"`
}

// Codes of IDProblem.
const (
	IDLength        = "LENGTH"
	IDGenderCentury = "GENDER_CENTURY"
	IDBirthYear     = "BIRTH_YEAR"
	IDProvince      = "PROVINCE"
)

// CheckPersonID checks a personal ID against its structure: digits 1-3 a
// birth-registration province code (equal to province when that is
// known), digit 4 the century of birth and gender (0/1 male/female born in
// the 1900s, 2/3 in the 2000s, 4/5 the 2100s, ...), digits 5-6 the last two
// digits of the birth year. An unknown gender (GenderUnknown), birth year
// (0) or province ("") skips that check. id may be raw: if it does not
// parse as 12 digits the only problem is LENGTH. It returns nil when the
// ID is consistent.
func CheckPersonID(id string, g Gender, birthYear int, province string) []IDProblem {
	if !isDigits(id, 12) {
		p, err := ParsePersonID(id)
		if err != nil {
			return []IDProblem{{IDLength, err.Error()}}
		}
		id = p
	}
	var out []IDProblem
	code := id[:3]
	if name, ok := provinceName(code); !ok {
		out = append(out, IDProblem{IDProvince, "province code " + code + " does not exist"})
	} else if want, ok := ProvinceCode(province); ok && want != code {
		wantName, _ := provinceName(want)
		out = append(out, IDProblem{IDProvince, fmt.Sprintf("province code %s (%s), birth registered in %s (%s)", code, name, want, wantName)})
	}
	c := int(id[3] - '0')
	century := 1900 + 100*(c/2)
	female := c%2 == 1
	var why []string
	switch {
	case birthYear == 0 && century > 2000:
		why = append(why, fmt.Sprintf("digit 4 is %d: born in the %ds", c, century))
	case birthYear != 0 && (birthYear < century || birthYear >= century+100):
		why = append(why, fmt.Sprintf("digit 4 is %d (born in the %ds), birth year %d", c, century, birthYear))
	}
	if g == GenderMale && female || g == GenderFemale && !female {
		why = append(why, fmt.Sprintf("digit 4 is %d (%s), gender %s", c, Gender(1+c%2), g))
	}
	if len(why) > 0 {
		out = append(out, IDProblem{IDGenderCentury, strings.Join(why, "; ")})
	}
	if birthYear != 0 {
		if yy := int(id[4]-'0')*10 + int(id[5]-'0'); yy != birthYear%100 {
			out = append(out, IDProblem{IDBirthYear, fmt.Sprintf("digits 5-6 are %02d, birth year %d", yy, birthYear)})
		}
	}
	return out
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// provinceByCode indexes legacyProvinces by 3-digit ID code; provinceByKey
// by compact folded name and common aliases.
var (
	provinceByCode = map[string]string{}
	provinceByKey  = map[string]string{}
)

func init() {
	for _, p := range legacyProvinces {
		code := "0" + p.code
		provinceByCode[code] = p.name
		provinceByKey[compactKey(p.name)] = code
	}
	for alias, code := range map[string]string{
		"hn": "001", "hcm": "079", "tphcm": "079", "saigon": "079", "hochiminhcity": "079",
		"thuathienhue": "046", "hue": "046", "brvt": "077", "vungtau": "077", "bariavungtau": "077",
		"hoabinh": "017", "khanhhoa": "056", "thanhhoa": "038", "daklak": "066", "daknong": "067",
		"backan": "006",
	} {
		provinceByKey[alias] = code
	}
}

func provinceName(code string) (string, bool) {
	name, ok := provinceByCode[code]
	return name, ok
}

// compactKey folds s and keeps only its letters and digits: "Bà Rịa -
// Vũng Tàu" becomes "bariavungtau".
func compactKey(s string) string {
	var buf [64]byte
	f := AppendFold(buf[:0], s)
	out := f[:0]
	for _, c := range f {
		if 'a' <= c && c <= 'z' || '0' <= c && c <= '9' {
			out = append(out, c)
		}
	}
	return string(out)
}

// ProvinceCode returns the 3-digit birth-registration code used in
// personal IDs (the GSO code of one of the 63 provinces before 1 July 2025
// with a leading 0) for a code ("40", "040") or a province name ("Nghệ
// An", "Tỉnh Nghệ An", "nghe an", "TP. HCM"). ok is false when s names no
// province.
func ProvinceCode(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 {
		return "", false
	}
	if isDigits(s, len(s)) {
		if len(s) > 3 {
			return "", false
		}
		code := "000"[:3-len(s)] + s
		_, ok := provinceByCode[code]
		return code, ok
	}
	k := compactKey(s)
	if code, ok := provinceByKey[k]; ok {
		return code, true
	}
	for _, prefix := range [...]string{"thanhpho", "tinh", "tp"} {
		if rest, ok := strings.CutPrefix(k, prefix); ok {
			if code, ok := provinceByKey[rest]; ok {
				return code, true
			}
		}
	}
	return "", false
}

// taxWeights weight the first nine digits of a tax code for its check digit.
var taxWeights = [9]int{31, 29, 23, 19, 17, 13, 7, 5, 3}

// taxCheckOK reports whether the 10th digit of d is its check digit:
// 10 − (Σ wᵢdᵢ mod 11).
func taxCheckOK(d string) bool {
	sum := 0
	for i, w := range taxWeights {
		sum += w * int(d[i]-'0')
	}
	return 10-sum%11 == int(d[9]-'0')
}

// ParseTaxCode reads a tax code (mã số thuế): 10 digits whose last is a
// check digit, optionally followed by a 3-digit branch suffix (written
// with or without a dash; returned as "0123456789-001"), or a 12-digit
// personal ID, the tax code of individuals since 1 July 2025. Spaces and
// dots are ignored.
func ParseTaxCode(s string) (string, error) {
	var buf [32]byte
	d, bad, ok := appendDigits(buf[:0], s)
	if !ok {
		return "", fmt.Errorf("tax code %q: unexpected %q", s, bad)
	}
	switch len(d) {
	case 10, 13:
		if !taxCheckOK(string(d[:10])) {
			return "", fmt.Errorf("tax code %q: check digit %c is wrong", s, d[9])
		}
		if len(d) == 10 {
			return string(d), nil
		}
		return string(d[:10]) + "-" + string(d[10:]), nil
	case 12:
		return string(d), nil
	case 11:
		return "0" + string(d), nil // a personal ID that lost its leading zero
	}
	return "", fmt.Errorf("tax code %q: %d digits, want 10, 13 or 12", s, len(d))
}

// ParseInsuranceCode reads a 10-digit social-insurance number (mã số
// BHXH), restoring a leading zero a spreadsheet dropped from 9 digits.
func ParseInsuranceCode(s string) (string, error) {
	d, err := cleanDigits("insurance code", s)
	if err != nil {
		return "", err
	}
	switch len(d) {
	case 10:
		return d, nil
	case 9:
		return "0" + d, nil
	}
	return "", fmt.Errorf("insurance code %q: %d digits, want 10", s, len(d))
}

// ParseCardNumber reads a 15-character health-insurance card number (mã
// thẻ BHYT): a 2-letter beneficiary group, a benefit level 1-5, a 2-digit
// province and the 10-digit social-insurance number. It returns it in
// upper case without spaces or dashes.
func ParseCardNumber(s string) (string, error) {
	var buf [24]byte
	b := buf[:0]
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r == ' ' || r == '-' || r == '.':
			continue
		case 'a' <= r && r <= 'z':
			r -= 'a' - 'A'
		case r >= 0x80:
			return "", fmt.Errorf("health card %q: unexpected %q", s, r)
		}
		if len(b) == 15 {
			return "", fmt.Errorf("health card %q: more than 15 characters", s)
		}
		b = append(b, byte(r))
	}
	if len(b) != 15 {
		return "", fmt.Errorf("health card %q: %d characters, want 15", s, len(b))
	}
	for i, c := range b {
		letter := 'A' <= c && c <= 'Z'
		digit := '0' <= c && c <= '9'
		switch {
		case i < 2 && !letter:
			return "", fmt.Errorf("health card %q: character %d must be a letter (beneficiary group)", s, i+1)
		case i >= 2 && !digit:
			return "", fmt.Errorf("health card %q: character %d must be a digit", s, i+1)
		case i == 2 && (c < '1' || c > '5'):
			return "", fmt.Errorf("health card %q: benefit level %c, want 1-5", s, c)
		}
	}
	return string(b), nil
}
