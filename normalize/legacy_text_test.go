package normalize

import (
	"testing"
	"unicode/utf8"
)

func TestDecodeLegacyText(t *testing.T) {
	texts := []string{
		"Nữ", "Nam", "NỮ", "nữ", "Thôn 3, Xã Nam Hồng, Tỉnh Hà Tĩnh", "Số 12 ngõ 5, Phường Đống Đa",
		"Xóm Đồng, Xã Hải Lộc", "còn sống", "đã chết", "Chủ hộ", "Vợ", "Con đẻ", "thường trú", "tạm trú",
		"Khai sinh", "kết hôn", "ĐÃ CHẾT", "Tổ 7, Khu phố Bắc Hà, TP. Hà Tĩnh",
		"KĐT Linh Đàm, Phường Hoàng Liệt", "Số 5, TĐC Xuân La, Đ. Võ Chí Công",
	}
	for _, want := range texts {
		for _, enc := range []Encoding{EncodingTCVN3, EncodingVNI, EncodingWindows1258} {
			raw := EncodeLegacy(want, enc)
			for _, in := range []string{raw, latin1(raw)} {
				got, e := DecodeLegacyText(in)
				if got != want {
					t.Errorf("DecodeLegacyText(%q) [%v] = %q, %v; want %q", in, enc, got, e, want)
				}
			}
		}
		// Unicode stays as it is.
		if got, e := DecodeLegacyText(want); got != want || e != EncodingUnicode {
			t.Errorf("DecodeLegacyText(%q) = %q, %v; want it unchanged", want, got, e)
		}
	}
	for _, s := range []string{"", "Nam", "F", "1", "Café", "Hồ Chí Minh", "\x00", "ab\x00cd", "\xff\xfe", "Nguy\x00n",
		"thôn Tân Hà", "xóm Bàu Sen, Tân Hà", "Thôn Võ Ðông", "Mã Ðà", "Ðông Hà"} {
		got, e := DecodeLegacyText(s)
		if e != EncodingUnicode || got != s {
			t.Errorf("DecodeLegacyText(%q) = %q, %v; want it unchanged", s, got, e)
		}
	}
	// The example of issue 11: a TCVN3 gender, as raw bytes and as shown by
	// a Windows-1252 reader.
	for _, in := range []string{"N\xf7", "N÷"} {
		if got, e := DecodeLegacyText(in); got != "Nữ" || e != EncodingTCVN3 {
			t.Errorf("DecodeLegacyText(%q) = %q, %v; want Nữ, tcvn3", in, got, e)
		}
	}
}

func TestDecodeAs(t *testing.T) {
	for _, want := range []string{"Nguyễn Văn An", "Thôn 3, Xã Nam Hồng", "ĐÀO THỊ ÚT", "12/03/1985", "Ư"} {
		for _, enc := range []Encoding{EncodingTCVN3, EncodingVNI, EncodingWindows1258} {
			got, ok := DecodeAs(EncodeLegacy(want, enc), enc)
			if !ok || got != want {
				t.Errorf("DecodeAs(%q, %v) = %q, %v; want %q", EncodeLegacy(want, enc), enc, got, ok, want)
			}
		}
	}
	if got, _ := DecodeAs("abc", EncodingUnicode); got != "abc" {
		t.Errorf("DecodeAs unicode changed its input: %q", got)
	}
}

func TestParseEncoding(t *testing.T) {
	for in, want := range map[string]Encoding{"utf-8": EncodingUnicode, "TCVN3": EncodingTCVN3,
		"vni": EncodingVNI, "cp1258": EncodingWindows1258} {
		if got, ok := ParseEncoding(in); !ok || got != want {
			t.Errorf("ParseEncoding(%q) = %v, %v", in, got, ok)
		}
	}
	if _, ok := ParseEncoding("latin1"); ok {
		t.Error("ParseEncoding(latin1) accepted")
	}
}

func FuzzDecodeLegacyText(f *testing.F) {
	for _, s := range []string{"N÷", "N\xf7", "Th«n 3, X· Nam Hång", "\x01nh", "Café", "\x00", "Nguy\xd4n, 12"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, e := DecodeLegacyText(s)
		if e == EncodingUnicode {
			if d != s {
				t.Fatalf("DecodeLegacyText(%q) changed it to %q without an encoding", s, d)
			}
			return
		}
		if !utf8.ValidString(d) {
			t.Fatalf("DecodeLegacyText(%q) = %q, %v: not UTF-8", s, d, e)
		}
		if _, ok := judgedTokens(d); !ok {
			t.Fatalf("DecodeLegacyText(%q) = %q, %v: a token is not a syllable", s, d, e)
		}
	})
}

// BenchmarkDecodeLegacyTextUnicode is the per-row cost for the common
// case: free text already in Unicode (ASCII, or with a letter outside
// Latin-1).
func BenchmarkDecodeLegacyTextUnicode(b *testing.B) {
	vals := []string{"Nam", "Nữ", "còn sống", "thường trú", "Chủ hộ", "Xóm 18, Xã Thanh Sơn, Huyện Thanh Chương, Tỉnh Nghệ An"}
	b.ReportAllocs()
	for b.Loop() {
		for _, v := range vals {
			if _, e := DecodeLegacyText(v); e != EncodingUnicode {
				b.Fatal(v)
			}
		}
	}
}

func BenchmarkDecodeLegacyTextTCVN3(b *testing.B) {
	v := EncodeLegacy("Xóm 18, Xã Thanh Sơn, Huyện Thanh Chương, Tỉnh Nghệ An", EncodingTCVN3)
	b.ReportAllocs()
	for b.Loop() {
		if _, e := DecodeLegacyText(v); e == EncodingUnicode {
			b.Fatal(v)
		}
	}
}
