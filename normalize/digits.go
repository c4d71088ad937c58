package normalize

// Digits returns the ASCII digits of a number as written in an extract,
// without the separators people and spreadsheets put inside numbers:
// spaces, tabs, no-break spaces, dots and dashes, and a leading apostrophe
// (a spreadsheet's text marker). ok is false when s holds anything else.
// It returns s itself when s is already clean, so it does not allocate then.
// This is the one definition of the separators doisanh accepts in IDs,
// codes and commune codes.
func Digits(s string) (string, bool) {
	var buf [32]byte
	d, _, ok := appendDigits(buf[:0], s)
	switch {
	case !ok:
		return "", false
	case len(d) == len(s):
		return s, true
	}
	return string(d), true
}

// CommuneCodeWidth is the number of digits of a commune code (GSO), in the
// legacy and the 2025 list alike.
const CommuneCodeWidth = 5

// CommuneCode returns a commune code as written in its canonical 5-digit
// form: its Digits, with the leading zeros a spreadsheet dropped restored
// ("1234" is "01234"). A code of more digits is returned as it is (no list
// has it). ok is false when s holds anything but digits and separators;
// an empty s gives "" and true.
func CommuneCode(s string) (string, bool) {
	d, ok := Digits(s)
	if !ok || d == "" || len(d) >= CommuneCodeWidth {
		return d, ok
	}
	return "00000"[len(d):] + d, true
}
