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

func TestGivenSimilar(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"nguyen van hung", "nguyen van hung", true},
		{"nguyen van hung", "tran van hung", true},
		{"nguyen van hung", "nguyen van hunh", true},
		{"nguyen thi lan", "nguyen thi lam", true},
		{"nguyen tuyet han", "nguyen thuy da yen", false},
		{"le van an", "le van binh", false},
		{"an", "an", true},
	}
	for _, tt := range tests {
		if got := givenSimilar(tt.a, tt.b); got != tt.want {
			t.Errorf("givenSimilar(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
