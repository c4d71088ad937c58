package normalize

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Precision says which parts of a Date are known.
type Precision uint8

// Date precisions, coarsest first.
const (
	PrecisionNone  Precision = iota // empty or unreadable
	PrecisionYear                   // yyyy
	PrecisionMonth                  // mm/yyyy
	PrecisionDay                    // dd/mm/yyyy
)

var precisionNames = [...]string{"none", "year", "month", "day"}

func (p Precision) String() string {
	if int(p) < len(precisionNames) {
		return precisionNames[p]
	}
	return "?"
}

// Date is a calendar date known to some precision. Parts finer than the
// precision are zero. Registers hold many partial birth dates (only the
// year, or the month and year), which are normal, not errors.
type Date struct {
	Year       int16
	Month, Day uint8
	Precision  Precision
}

// String writes the date as dd/mm/yyyy, mm/yyyy or yyyy by precision, or
// "" when it is unknown.
func (d Date) String() string {
	var buf [16]byte
	b := buf[:0]
	switch d.Precision {
	case PrecisionDay:
		b = append(append2(b, int(d.Day)), '/')
		fallthrough
	case PrecisionMonth:
		b = append(append2(b, int(d.Month)), '/')
	case PrecisionYear:
	default:
		return ""
	}
	if y := int(d.Year); 0 <= y && y <= 9999 {
		b = append(append2(b, y/100), byte('0'+y/10%10), byte('0'+y%10))
	} else {
		b = strconv.AppendInt(b, int64(y), 10)
	}
	return string(b)
}

func append2(b []byte, n int) []byte { return append(b, byte('0'+n/10%10), byte('0'+n%10)) }

// Year limits for a plausible date in a register.
const (
	minYear = 1800
	maxYear = 2199
)

// Spreadsheet serial day numbers accepted by ParseDate: 5 digits, from
// 18 May 1927 (10000) to 31 December 2099 (73050), in the 1900 date system.
const (
	minSerial = 10000
	maxSerial = 73050
)

// ParseDate reads a date as written in extracts: dd/mm/yyyy, d/m/yyyy,
// dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd, yyyymmdd, mm/yyyy, yyyy-mm, yyyy,
// partial dates with zeros (00/00/yyyy is a year, 00/mm/yyyy a month),
// ISO timestamps ("1985-03-12T00:00:00Z", "1985-03-12 00:00:00") and
// spreadsheet serial numbers (5 digits, 1900 date system, years 1927-2099).
// Empty input gives Date{} and no error. The error says why a value is not
// a date: a bad character, an impossible day, a two-digit year.
func ParseDate(s string) (Date, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return Date{}, nil
	}
	if len(t) > 10 && t[4] == '-' && (t[10] == 'T' || t[10] == ' ') {
		t = t[:10] // ISO timestamp: the time of day is not part of a birth date
	}
	var f [3]struct{ v, w int }
	n := 0
	var sep byte
	afterSep := true // at the start, or just after a separator
	for i := 0; i < len(t); {
		c := t[i]
		if c < '0' || c > '9' {
			switch {
			case (c != '/' && c != '-' && c != '.') || afterSep:
				return Date{}, fmt.Errorf("date %q: unexpected %q", s, rune(c))
			case i == len(t)-1:
				return Date{}, fmt.Errorf("date %q: ends with a separator", s)
			case n == 3:
				return Date{}, fmt.Errorf("date %q: more than three parts", s)
			}
			if sep == 0 {
				sep = c
			}
			afterSep = true
			i++
			continue
		}
		for ; i < len(t) && '0' <= t[i] && t[i] <= '9'; i++ {
			if f[n].w == 8 {
				return Date{}, fmt.Errorf("date %q: number too long", s)
			}
			f[n].v = f[n].v*10 + int(t[i]-'0')
			f[n].w++
		}
		n++
		afterSep = false
	}
	switch n {
	case 1:
		switch f[0].w {
		case 4:
			return makeDate(s, f[0].v, 0, 0)
		case 8:
			return makeDate(s, f[0].v/10000, f[0].v/100%100, f[0].v%100)
		case 5:
			return serialDate(s, f[0].v)
		}
		return Date{}, fmt.Errorf("date %q: %d digits is neither a year, yyyymmdd nor a spreadsheet serial", s, f[0].w)
	case 2:
		switch {
		case f[0].w <= 2 && f[1].w == 4:
			return makeDate(s, f[1].v, f[0].v, 0)
		case f[0].w == 4 && f[1].w <= 2:
			return makeDate(s, f[0].v, f[1].v, 0)
		case f[0].w == 5 && sep == '.' && f[1].v == 0:
			return serialDate(s, f[0].v) // "31048.0" from a spreadsheet
		}
	case 3:
		switch {
		case f[0].w == 4 && f[1].w <= 2 && f[2].w <= 2:
			return makeDate(s, f[0].v, f[1].v, f[2].v)
		case f[0].w <= 2 && f[1].w <= 2 && f[2].w == 4:
			return makeDate(s, f[2].v, f[1].v, f[0].v)
		case f[0].w <= 2 && f[1].w <= 2 && f[2].w == 2:
			return Date{}, fmt.Errorf("date %q: two-digit year is ambiguous", s)
		}
	}
	return Date{}, fmt.Errorf("date %q: not a known date layout", s)
}

var errSerialRange = errors.New("spreadsheet serial out of the plausible range 10000-73050")

// serialDate converts a spreadsheet day number (1900 date system, whose
// day 60 is the non-existent 29 February 1900) to a date.
func serialDate(s string, n int) (Date, error) {
	if n < minSerial || n > maxSerial {
		return Date{}, fmt.Errorf("date %q: %w", s, errSerialRange)
	}
	// Days since 1899-12-30, converted with the civil-from-days algorithm.
	z := n - 25569 + 719468 // days since 0000-03-01 of the Unix epoch shift
	era := z / 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return Date{Year: int16(y), Month: uint8(m), Day: uint8(d), Precision: PrecisionDay}, nil
}

// makeDate validates a date whose zero parts are unknown.
func makeDate(s string, y, m, d int) (Date, error) {
	if y < minYear || y > maxYear {
		return Date{}, fmt.Errorf("date %q: year %d out of range %d-%d", s, y, minYear, maxYear)
	}
	if m > 12 {
		return Date{}, fmt.Errorf("date %q: month %d out of range", s, m)
	}
	if m == 0 {
		if d != 0 {
			return Date{}, fmt.Errorf("date %q: day without a month", s)
		}
		return Date{Year: int16(y), Precision: PrecisionYear}, nil
	}
	if d == 0 {
		return Date{Year: int16(y), Month: uint8(m), Precision: PrecisionMonth}, nil
	}
	if d > daysIn(y, m) {
		return Date{}, fmt.Errorf("date %q: %02d/%02d/%d does not exist", s, d, m, y)
	}
	return Date{Year: int16(y), Month: uint8(m), Day: uint8(d), Precision: PrecisionDay}, nil
}

// DaysInMonth returns the number of days of month m (1-12) of year y in the
// Gregorian calendar.
func DaysInMonth(y, m int) int { return daysIn(y, m) }

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// DateAgreement is how two dates of the same event compare.
type DateAgreement uint8

// Outcomes of CompareDates.
const (
	DatesEqual      DateAgreement = iota // same date, same precision
	DatesCompatible                      // equal at the coarser precision (1985 and 12/03/1985)
	DatesSwapped                         // day and month swapped (both at most 12), otherwise equal
	DatesDiffer                          // a real difference
	DatesUnknown                         // either date is unknown
)

var agreementNames = [...]string{"equal", "compatible", "swapped", "differ", "unknown"}

func (a DateAgreement) String() string {
	if int(a) < len(agreementNames) {
		return agreementNames[a]
	}
	return "?"
}

// CompareDates compares two dates at the precision both are known to.
func CompareDates(a, b Date) DateAgreement {
	if a.Precision == PrecisionNone || b.Precision == PrecisionNone {
		return DatesUnknown
	}
	if a == b {
		return DatesEqual
	}
	p := min(a.Precision, b.Precision)
	if a.Year == b.Year && (p < PrecisionMonth || a.Month == b.Month) && (p < PrecisionDay || a.Day == b.Day) {
		return DatesCompatible
	}
	if p == PrecisionDay && a.Year == b.Year && a.Day == b.Month && a.Month == b.Day && a.Day <= 12 && a.Month <= 12 {
		return DatesSwapped
	}
	return DatesDiffer
}
