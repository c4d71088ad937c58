package normalize

import (
	"testing"
	"unicode/utf8"
)

func TestParseGender(t *testing.T) {
	tests := []struct {
		in   string
		want Gender
		ok   bool
	}{
		{"", GenderUnknown, true},
		{"   ", GenderUnknown, true},
		{"Nam", GenderMale, true},
		{"nam", GenderMale, true},
		{" NAM ", GenderMale, true},
		{"Nữ", GenderFemale, true},
		{"NỮ", GenderFemale, true},
		{"nữ", GenderFemale, true},
		{"Nu\u0303", GenderFemale, true}, // NFD
		{"nu", GenderFemale, true},
		{"NU", GenderFemale, true},
		{"M", GenderMale, true},
		{"m.", GenderMale, true},
		{"F", GenderFemale, true},
		{"male", GenderMale, true},
		{"Female", GenderFemale, true},
		{"trai", GenderMale, true},
		{"Gái", GenderFemale, true},
		{"con  gái", GenderFemale, true},
		{"Giới tính nam", GenderMale, true},
		{"1", GenderMale, true},
		{"0", GenderFemale, true},
		{"x", GenderUnknown, false},
		{"không rõ", GenderUnknown, false},
		{"Nam Nữ", GenderUnknown, false},
		{"3", GenderUnknown, false},
	}
	for _, tt := range tests {
		got, ok := ParseGender(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseGender(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestGenderString(t *testing.T) {
	for _, g := range []Gender{GenderUnknown, GenderMale, GenderFemale} {
		back, ok := ParseGender(g.String())
		if !ok || back != g {
			t.Errorf("ParseGender(%v.String()) = %v, %v", g, back, ok)
		}
	}
}

func FuzzParseGender(f *testing.F) {
	for _, s := range []string{"Nam", "Nữ", "nu\u0303", "F", "1", "", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		g, ok := ParseGender(s)
		if !ok && g != GenderUnknown {
			t.Fatalf("ParseGender(%q) = %v with ok false", s, g)
		}
		if !utf8.ValidString(g.String()) {
			t.Fatal("invalid String")
		}
		if ok && g != GenderUnknown {
			if again, ok2 := ParseGender(g.String()); !ok2 || again != g {
				t.Fatalf("round trip of %v failed", g)
			}
		}
	})
}
