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
