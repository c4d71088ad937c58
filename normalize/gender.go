package normalize

import "strings"

// Gender is a person's sex as recorded on the register (giới tính).
type Gender uint8

// Genders.
const (
	GenderUnknown Gender = iota
	GenderMale
	GenderFemale
)

// String returns "Nam", "Nữ", or "" for GenderUnknown.
func (g Gender) String() string {
	switch g {
	case GenderMale:
		return "Nam"
	case GenderFemale:
		return "Nữ"
	}
	return ""
}

// genderWords maps folded, space-collapsed spellings to a gender. The
// digits follow the convention of most extracts and of the CCCD chip
// data: 1 is male, 0 is female (2 also female, as in some HR systems).
var genderWords = map[string]Gender{
	"nam": GenderMale, "m": GenderMale, "male": GenderMale, "man": GenderMale,
	"trai": GenderMale, "con trai": GenderMale, "gioi tinh nam": GenderMale, "1": GenderMale,
	"nu": GenderFemale, "f": GenderFemale, "female": GenderFemale, "woman": GenderFemale,
	"gai": GenderFemale, "con gai": GenderFemale, "gioi tinh nu": GenderFemale, "0": GenderFemale,
	"2": GenderFemale,
}

// ParseGender reads a gender written as Nam/Nữ (any case, NFC or NFD, with
// or without accents), M/F, male/female, trai/gái, or 1 (male) / 0 or 2
// (female). Empty input gives GenderUnknown and ok true; ok is false for a
// non-empty value it does not recognise.
func ParseGender(s string) (g Gender, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return GenderUnknown, true
	}
	if len(s) > 32 {
		return GenderUnknown, false
	}
	var buf [48]byte
	f := collapseSpaces(AppendFold(buf[:0], strings.TrimSuffix(s, ".")))
	g, ok = genderWords[string(f)]
	return g, ok
}
