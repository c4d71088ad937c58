package match

import "testing"

func TestOneDigitOff(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"040085000001", "040085000001", false},
		{"040085000001", "040085000002", true},
		{"040085000012", "040085000021", true}, // adjacent swap
		{"040085000102", "040085000201", false},
		{"040085000001", "04008500001", false},
		{"", "", false},
		{"1", "2", true},
	}
	for _, tt := range tests {
		if got := oneDigitOff(tt.a, tt.b); got != tt.want {
			t.Errorf("oneDigitOff(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
