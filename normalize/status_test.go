package normalize

import "testing"

func TestParseStatus(t *testing.T) {
	tests := []struct {
		in   string
		want Status
		ok   bool
	}{
		{"", StatusUnknown, true},
		{"còn sống", StatusAlive, true},
		{"CÒN  SỐNG ", StatusAlive, true},
		{"alive", StatusAlive, true},
		{"Đã chết", StatusDead, true},
		{"da_chet", StatusDead, true},
		{"dead", StatusDead, true},
		{"mất tích", StatusMissing, true},
		{"đã xóa", StatusDeregistered, true},
		{"active", StatusActive, true},
		{"Đang hoạt động", StatusActive, true},
		{"closed", StatusInactive, true},
		{"suspended", StatusInactive, true},
		{"ended", StatusInactive, true},
		{"tạm dừng", StatusInactive, true},
		{"xyz", StatusUnknown, false},
	}
	for _, tt := range tests {
		got, ok := ParseStatus(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseStatus(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
