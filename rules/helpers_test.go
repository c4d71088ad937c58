package rules

import "testing"

func TestCommuneDigits(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"  ", ""},
		{"17833", "17833"},
		{"4", "00004"},
		{" 97 ", "00097"},
		{"17.833", "17833"},
		{"1783300000", "1783300000"},
		{"abc", "abc"},
		{"x17833", "x17833"},
	}
	for _, tt := range tests {
		if got := communeDigits(tt.in); got != tt.want {
			t.Errorf("communeDigits(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
