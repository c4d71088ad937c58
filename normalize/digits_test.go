package normalize

import (
	"strings"
	"testing"
)

func TestDigits(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want string
		ok   bool
	}{
		{"", "", true},
		{"040085000001", "040085000001", true},
		{"040 085 000 001", "040085000001", true},
		{"040.085.000.001", "040085000001", true},
		{"040-085-000-001", "040085000001", true},
		{"\t040085000001 ", "040085000001", true},
		{"040\u00a0085", "040085", true},
		{"'040085000001", "040085000001", true}, // spreadsheet text marker
		{"17902", "17902", true},
		{"x17902", "", false},
		{"17902a", "", false},
		{"1/2", "", false},
		{"١٢", "", false}, // Arabic-Indic digits are not digits here
		{"''12", "", false},
	} {
		got, ok := Digits(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Digits(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCommuneCode(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want string
		ok   bool
	}{
		{"", "", true},
		{"   ", "", true},
		{"17902", "17902", true},
		{"4", "00004", true},
		{"1234", "01234", true},
		{"01234", "01234", true},
		{" 1 234 ", "01234", true},
		{"123456", "123456", true}, // too long: no list has it
		{"17-902", "17902", true},
		{"Xã 17902", "", false},
	} {
		got, ok := CommuneCode(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("CommuneCode(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestDigitsNoAllocWhenClean(t *testing.T) {
	s := strings.Repeat("1", 12)
	if n := testing.AllocsPerRun(100, func() { Digits(s) }); n != 0 {
		t.Errorf("Digits of a clean number allocates %v times", n)
	}
}

func FuzzDigits(f *testing.F) {
	for _, s := range []string{"040 085 000 001", "'0123", "1.2-3", "x1", "", "\u00a01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := Digits(s)
		if !ok {
			if d != "" {
				t.Fatalf("Digits(%q) = %q with ok false", s, d)
			}
			return
		}
		for i := 0; i < len(d); i++ {
			if d[i] < '0' || d[i] > '9' {
				t.Fatalf("Digits(%q) = %q holds a non-digit", s, d)
			}
		}
		if again, ok := Digits(d); !ok || again != d {
			t.Fatalf("Digits(Digits(%q)) = %q, %v", s, again, ok)
		}
		c, ok := CommuneCode(s)
		if !ok || (d != "" && len(c) < CommuneCodeWidth) || !strings.HasSuffix(c, d) {
			t.Fatalf("CommuneCode(%q) = %q, %v (digits %q)", s, c, ok, d)
		}
	})
}
