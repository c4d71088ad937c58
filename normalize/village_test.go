package normalize

import "testing"

func TestVillageKey(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Xóm 3", "3"},
		{"xom 03", "3"},
		{"Thôn 3", "3"},
		{"TDP số 05", "5"},
		{"Tổ dân phố 5", "5"},
		{"K. phố 2", "k pho 2"}, // an abbreviation the parser left: kept, and compared as written
		{"Xóm Đông Hồ", "dong ho"},
		{"xóm  đông hồ", "dong ho"},
		{"Thôn Tổ 1", "1"},
		{"Ấp 0", "0"},
		{"", ""},
		{"Xóm", ""},
	} {
		if got := VillageKey(tc.in); got != tc.want {
			t.Errorf("VillageKey(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if VillageKey("Thôn 3") == VillageKey("Thôn 13") {
		t.Error("Thôn 3 and Thôn 13 share a key")
	}
}
