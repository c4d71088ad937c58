package rules

import "testing"

func TestRelationOf(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"Chủ hộ", relHead},
		{"CHỦ HỘ", relHead},
		{" chu ho ", relHead},
		{"Vợ", relSpouse},
		{"Chồng", relSpouse},
		{"vợ/chồng", relSpouse},
		{"Con đẻ", relOther},
		{"Con dâu", relOther},
		{"", relOther},
	}
	for _, tt := range tests {
		if got := relationOf(tt.in); got != tt.want {
			t.Errorf("relationOf(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestIDHoldersOwner(t *testing.T) {
	tests := []struct {
		name string
		fits []bool
		want int32
	}{
		{"fits the first only", []bool{true, false}, 10},
		{"fits the second only", []bool{false, true}, 11},
		{"fits one of three", []bool{false, true, false}, 11},
		{"fits both: digits cannot tell", []bool{true, true}, -1},
		{"fits none", []bool{false, false}, -1},
		{"one holder", []bool{true}, -1},
	}
	for _, tt := range tests {
		h := idHolders{fits: tt.fits}
		for i := range tt.fits {
			h.rows = append(h.rows, int32(10+i))
		}
		if got := h.owner(); got != tt.want {
			t.Errorf("%s: owner = %d, want %d", tt.name, got, tt.want)
		}
	}
}
