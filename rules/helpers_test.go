package rules

import "testing"

func TestSameOrigin(t *testing.T) {
	const f1, f2, m1, m2 = 11, 12, 21, 22
	tests := []struct {
		name           string
		fa, fb, ma, mb uint64
		pa, pb         string
		want           bool
	}{
		{"same parents", f1, f1, m1, m1, "", "", true},
		{"same father, mothers unknown", f1, f1, 0, 0, "", "", true},
		{"different fathers", f1, f2, m1, m1, "040", "040", false},
		{"different mothers", f1, f1, m1, m2, "040", "040", false},
		{"one side names parents, other none", f1, 0, m1, 0, "040", "040", false},
		{"no parents, same birth province", 0, 0, 0, 0, "040", "040", true},
		{"no parents, different provinces", 0, 0, 0, 0, "040", "001", false},
		{"no parents, no province", 0, 0, 0, 0, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sameOrigin(tt.fa, tt.fb, tt.ma, tt.mb, tt.pa, tt.pb); got != tt.want {
				t.Errorf("sameOrigin = %v, want %v", got, tt.want)
			}
		})
	}
}

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
