package numfmt

import (
	"math"
	"testing"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

func TestGroup(t *testing.T) {
	tests := []struct {
		n      int64
		vi, en string
	}{
		{0, "0", "0"},
		{7, "7", "7"},
		{999, "999", "999"},
		{1000, "1.000", "1,000"},
		{12345, "12.345", "12,345"},
		{1003000, "1.003.000", "1,003,000"},
		{-1234, "-1.234", "-1,234"},
		{-999, "-999", "-999"},
		{math.MaxInt64, "9.223.372.036.854.775.807", "9,223,372,036,854,775,807"},
		{math.MinInt64, "-9.223.372.036.854.775.808", "-9,223,372,036,854,775,808"},
	}
	for _, tt := range tests {
		if got := VI(tt.n); got != tt.vi {
			t.Errorf("VI(%d) = %q, want %q", tt.n, got, tt.vi)
		}
		if got := EN(tt.n); got != tt.en {
			t.Errorf("EN(%d) = %q, want %q", tt.n, got, tt.en)
		}
	}
}

// FuzzGroup checks the grouping against golang.org/x/text's printers.
func FuzzGroup(f *testing.F) {
	for _, n := range []int64{0, 1, 999, 1000, -1000, 123456789, math.MinInt64} {
		f.Add(n)
	}
	vi, en := message.NewPrinter(language.Vietnamese), message.NewPrinter(language.English)
	f.Fuzz(func(t *testing.T, n int64) {
		if got, want := VI(n), vi.Sprintf("%d", n); got != want {
			t.Errorf("VI(%d) = %q, x/text %q", n, got, want)
		}
		if got, want := EN(n), en.Sprintf("%d", n); got != want {
			t.Errorf("EN(%d) = %q, x/text %q", n, got, want)
		}
	})
}
