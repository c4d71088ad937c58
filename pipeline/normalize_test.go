package pipeline

import (
	"testing"

	"github.com/doisanh/doisanh/normalize"
)

func TestReadName(t *testing.T) {
	tcvn3 := normalize.EncodeLegacy("Nguyễn Văn Hùng", normalize.EncodingTCVN3)
	latin1 := func(s string) string { // bytes read as Latin-1, as an exporter may
		r := make([]rune, len(s))
		for i := 0; i < len(s); i++ {
			r[i] = rune(s[i])
		}
		return string(r)
	}
	tests := []struct {
		name, raw, shown, reason string
	}{
		{"unicode as written", "NGUYỄN  văn Hùng", "NGUYỄN  văn Hùng", ""},
		{"raw TCVN3 decoded", tcvn3, "Nguyễn Văn Hùng", ""},
		{"mis-read TCVN3 decoded", latin1(tcvn3), "Nguyễn Văn Hùng", ""},
		{"VIQR decoded", "Nguye^~n Va(n Hu`ng", "Nguyễn Văn Hùng", ""},
		{"bytes that are no name", "\xff\xfe\x00", "", "invalid UTF-8 that is not TCVN3, VNI or Windows-1258 text"},
		{"no letters", "123", "123", "no letters in the name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, shown, reason := readName(nil, tt.raw, false)
			if shown != tt.shown || reason != tt.reason {
				t.Errorf("readName(%q) = shown %q, reason %q; want %q, %q", tt.raw, shown, reason, tt.shown, tt.reason)
			}
		})
	}
}

// TestValueMemo: the memo answers as the parser does, for values it holds
// and for values past its eight slots.
func TestValueMemo(t *testing.T) {
	var m valueMemo[normalize.Gender]
	calls := 0
	parse := func(s string) (normalize.Gender, bool) {
		calls++
		return normalize.ParseGender(s)
	}
	values := []string{"Nam", "Nữ", "nam", "NỮ", "M", "F", "1", "0", "x", "Nam", "Nữ", "", "?", "Nam"}
	for round := range 3 {
		for _, v := range values {
			g, ok := m.get(v, parse)
			wg, wok := normalize.ParseGender(v)
			if g != wg || ok != wok {
				t.Fatalf("round %d: get(%q) = %v, %v; ParseGender %v, %v", round, v, g, ok, wg, wok)
			}
		}
	}
	if calls >= 3*len(values) {
		t.Errorf("%d parses for %d lookups: the memo kept nothing", calls, 3*len(values))
	}
	calls = 0
	for range 5 {
		m.get("Nam", parse)
	}
	if calls > 1 {
		t.Errorf("a value looked up five times in a row was parsed %d times", calls)
	}
}
