package normalize

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Nguyễn Văn Hùng", "nguyen van hung"},
		{"ĐẶNG THỊ ĐÀO", "dang thi dao"},
		{"Ðỗ", "do"}, // U+00D0 Eth look-alike
		{norm.NFD.String("Trần Thị Huệ"), "tran thi hue"},
		{"Hoà", "hoa"},
		{"Hòa", "hoa"},
		{"Đắk Lắk", "dak lak"},
		{"Ea H'leo", "ea h'leo"},
		{"", ""},
		{"abc", "abc"},
		{"x\xffy", "xy"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func BenchmarkFold(b *testing.B) {
	buf := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendFold(buf[:0], "Nguyễn Thị Thanh Hường")
	}
}
