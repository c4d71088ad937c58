package normalize

import (
	"strings"
	"testing"
	"time"
)

func day(y, m, d int) Date {
	return Date{Year: int16(y), Month: uint8(m), Day: uint8(d), Precision: PrecisionDay}
}
func month(y, m int) Date { return Date{Year: int16(y), Month: uint8(m), Precision: PrecisionMonth} }
func year(y int) Date     { return Date{Year: int16(y), Precision: PrecisionYear} }

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want Date
	}{
		{"", Date{}},
		{"  ", Date{}},
		{"12/03/1985", day(1985, 3, 12)},
		{"1/2/1990", day(1990, 2, 1)},
		{" 01/02/1990 ", day(1990, 2, 1)},
		{"12-03-1985", day(1985, 3, 12)},
		{"12.03.1985", day(1985, 3, 12)},
		{"1985-03-12", day(1985, 3, 12)},
		{"1985/3/12", day(1985, 3, 12)},
		{"19850312", day(1985, 3, 12)},
		{"03/1985", month(1985, 3)},
		{"3/1985", month(1985, 3)},
		{"1985-03", month(1985, 3)},
		{"1985", year(1985)},
		{"00/00/1985", year(1985)},
		{"0/0/1985", year(1985)},
		{"00/03/1985", month(1985, 3)},
		{"00/1985", year(1985)},
		{"19850000", year(1985)},
		{"19850300", month(1985, 3)},
		{"31048", day(1985, 1, 1)},
		{"31048.0", day(1985, 1, 1)},
		{"36526", day(2000, 1, 1)},
		{"1985-03-12T00:00:00Z", day(1985, 3, 12)},
		{"1985-03-12T07:00:00+07:00", day(1985, 3, 12)},
		{"1985-03-12 00:00:00", day(1985, 3, 12)},
		{"29/02/2000", day(2000, 2, 29)},
		{"29/02/1996", day(1996, 2, 29)},
		{"31/12/1899", day(1899, 12, 31)},
		{"30/04/1975", day(1975, 4, 30)},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseDate(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseDateErrors(t *testing.T) {
	tests := []struct{ in, why string }{
		{"29/02/1900", "does not exist"},
		{"29/02/2023", "does not exist"},
		{"31/04/1990", "does not exist"},
		{"32/01/1990", "does not exist"},
		{"12/13/1990", "month 13"},
		{"12/03/85", "two-digit year"},
		{"12/00/1985", "day without a month"},
		{"1/1/0999", "year 999"},
		{"abc", "unexpected"},
		{"12/03/1985x", "unexpected"},
		{"12//1985", "unexpected"},
		{"/12/1985", "unexpected"},
		{"12/03/", "separator"},
		{"1/2/3/1985", "more than three"},
		{"123", "3 digits"},
		{"9999", "year 9999"},
		{"00001", "serial"},
		{"99999", "serial"},
		{"123456789012", "too long"},
		{"ngày 12 tháng 3", "unexpected"},
		{"12/03/1985/", "separator"},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if err == nil {
			t.Errorf("ParseDate(%q) = %+v, want error", tt.in, got)
			continue
		}
		if !strings.Contains(err.Error(), tt.why) {
			t.Errorf("ParseDate(%q) error %q, want it to mention %q", tt.in, err, tt.why)
		}
		if got != (Date{}) {
			t.Errorf("ParseDate(%q) = %+v with an error", tt.in, got)
		}
	}
}

// TestSerialDate checks every accepted serial against the time package.
func TestSerialDate(t *testing.T) {
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	for n := minSerial; n <= maxSerial; n++ {
		want := base.AddDate(0, 0, n)
		got, err := serialDate("", n)
		if err != nil || got != day(want.Year(), int(want.Month()), want.Day()) {
			t.Fatalf("serialDate(%d) = %+v, %v; want %v", n, got, err, want)
		}
	}
}

func TestDateString(t *testing.T) {
	tests := []struct {
		d    Date
		want string
	}{
		{Date{}, ""},
		{day(1985, 3, 12), "12/03/1985"},
		{day(2001, 12, 1), "01/12/2001"},
		{month(1985, 3), "03/1985"},
		{year(1985), "1985"},
		{Date{Year: 5, Precision: PrecisionYear}, "0005"},
		{Date{Year: 1985, Precision: 9}, ""},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.d, got, tt.want)
		}
		if tt.want == "" || tt.d.Year < minYear {
			continue
		}
		if back, err := ParseDate(tt.want); err != nil || back != tt.d {
			t.Errorf("ParseDate(%q) = %+v, %v; want %+v", tt.want, back, err, tt.d)
		}
	}
}

func TestCompareDates(t *testing.T) {
	tests := []struct {
		a, b Date
		want DateAgreement
	}{
		{day(1985, 3, 12), day(1985, 3, 12), DatesEqual},
		{year(1985), year(1985), DatesEqual},
		{year(1985), day(1985, 3, 12), DatesCompatible},
		{day(1985, 3, 12), year(1985), DatesCompatible},
		{month(1985, 3), day(1985, 3, 12), DatesCompatible},
		{month(1985, 4), day(1985, 3, 12), DatesDiffer},
		{year(1986), day(1985, 3, 12), DatesDiffer},
		{day(1985, 3, 12), day(1985, 12, 3), DatesSwapped},
		{day(1985, 12, 3), day(1985, 3, 12), DatesSwapped},
		{day(1985, 3, 13), day(1985, 13%12, 3), DatesDiffer},
		{day(1985, 3, 12), day(1986, 12, 3), DatesDiffer},
		{day(1985, 3, 12), day(1985, 3, 13), DatesDiffer},
		{day(1985, 5, 5), day(1985, 5, 6), DatesDiffer},
		{Date{}, day(1985, 3, 12), DatesUnknown},
		{year(1985), Date{}, DatesUnknown},
		{Date{}, Date{}, DatesUnknown},
	}
	for _, tt := range tests {
		if got := CompareDates(tt.a, tt.b); got != tt.want {
			t.Errorf("CompareDates(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := CompareDates(tt.b, tt.a); got != tt.want {
			t.Errorf("CompareDates(%v, %v) = %v, want %v (not symmetric)", tt.b, tt.a, got, tt.want)
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"12/03/1985", "00/00/1985", "31048", "1985-03-12T00:00:00Z", "19850312", "03/1985", "1/1/1", "", "-/."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if d != (Date{}) {
				t.Fatalf("ParseDate(%q) = %+v with error", s, d)
			}
			return
		}
		if d.Precision == PrecisionNone {
			if strings.TrimSpace(s) != "" || d != (Date{}) {
				t.Fatalf("ParseDate(%q) = %+v, nil", s, d)
			}
			return
		}
		// The canonical form reads back to the same date.
		back, err := ParseDate(d.String())
		if err != nil || back != d {
			t.Fatalf("ParseDate(%q) = %+v; its String %q reads back as %+v, %v", s, d, d.String(), back, err)
		}
		if d.Precision == PrecisionDay {
			tm := time.Date(int(d.Year), time.Month(d.Month), int(d.Day), 0, 0, 0, 0, time.UTC)
			if tm.Day() != int(d.Day) {
				t.Fatalf("ParseDate(%q) = %+v: not a calendar date", s, d)
			}
		}
	})
}

func BenchmarkParseDate(b *testing.B) {
	inputs := []string{"12/03/1985", "1985-03-12", "00/00/1985", "31048", "1985-03-12T00:00:00Z"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := ParseDate(inputs[i%len(inputs)]); err != nil {
			b.Fatal(err)
		}
	}
}
