// Package csvcell guards the cells of the CSV files doisanh writes against
// formula injection, as OWASP describes ("CSV Injection"): a spreadsheet
// program that opens a CSV file runs a cell starting with =, +, -, @, tab
// or carriage return as a formula (=HYPERLINK(...), -2+3). Guard writes
// such a cell with a leading apostrophe, which spreadsheets show as text;
// Unguard, used by every reader of those files (verify, ReadFindings,
// score), removes exactly that apostrophe, so that a round trip gives back
// the value as it was.
//
// To keep the round trip lossless, a value that already starts with
// apostrophes followed by one of those characters ('=x) gets one more
// apostrophe too. Unguard strips one apostrophe from a cell that starts
// with one or more apostrophes and then one of the characters, and leaves
// any other cell alone ('abc stays 'abc).
package csvcell

// triggers are the first characters that make a spreadsheet read a cell
// as a formula, and line feed: encoding/csv reads a CR LF inside a quoted
// field back as LF, so a cell guarded for its CR comes back starting with
// LF.
const triggers = "=+-@\t\r\n"

func isTrigger(c byte) bool {
	for i := 0; i < len(triggers); i++ {
		if triggers[i] == c {
			return true
		}
	}
	return false
}

// guarded reports whether s is apostrophes (possibly none) followed by a
// trigger character.
func guarded(s string) bool {
	i := 0
	for i < len(s) && s[i] == '\'' {
		i++
	}
	return i < len(s) && isTrigger(s[i])
}

// Guard returns s as it must be written in a CSV cell: with a leading
// apostrophe when it starts with =, +, -, @, tab, CR or LF (after any
// apostrophes), else unchanged.
func Guard(s string) string {
	if guarded(s) {
		return "'" + s
	}
	return s
}

// Unguard returns the value a CSV cell written by Guard holds: without its
// first character when the cell is one or more apostrophes followed by a
// trigger character, else the cell unchanged. Unguard(Guard(s)) == s for
// every s.
func Unguard(s string) string {
	if len(s) > 1 && s[0] == '\'' && guarded(s[1:]) {
		return s[1:]
	}
	return s
}

// GuardRow guards every cell of row in place and returns it.
func GuardRow(row []string) []string {
	for i, c := range row {
		row[i] = Guard(c)
	}
	return row
}

// UnguardRows unguards every cell of rows in place.
func UnguardRows(rows [][]string) {
	for _, row := range rows {
		for i, c := range row {
			row[i] = Unguard(c)
		}
	}
}
