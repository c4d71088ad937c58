package normalize

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// latin1 returns the bytes of s read as Latin-1, as a spreadsheet or a
// careless import shows legacy text.
func latin1(s string) string {
	r := make([]rune, len(s))
	for i := 0; i < len(s); i++ {
		r[i] = rune(s[i])
	}
	return string(r)
}

func TestDecodeLegacy(t *testing.T) {
	tests := []struct {
		in   string
		want string
		enc  Encoding
	}{
		// TCVN3 (ABC), raw bytes and mis-read as Latin-1 or Windows-1252.
		{"Nguy\xd5n V\xa8n An", "Nguyến Văn An", EncodingTCVN3},
		{"NguyÔn V¨n An", "Nguyễn Văn An", EncodingTCVN3},
		{"TrÇn ThÞ Thu H\u00adêng", "Trần Thị Thu Hường", EncodingTCVN3},
		{"Lª Hoµng", "Lê Hoàng", EncodingTCVN3},
		{"\xa7\xe7 Minh", "Đỗ Minh", EncodingTCVN3},
		{"§ç Minh", "Đỗ Minh", EncodingTCVN3},
		// Capitals on control bytes: Ứ is 0x11, Ú 0x01, Ý 0x16.
		{"\x11ng V\xa8n \x01t", "Ứng Văn Út", EncodingTCVN3},
		{"\x16 Lan", "Ý Lan", EncodingTCVN3},
		// TCVN3 capitals in 0x80-0x9F, mis-read through Windows-1252.
		{"\u0152 Lan", "Ệ Lan", EncodingTCVN3}, // 0x8C
		// VNI-Windows.
		{"Nguyeãn Vaên An", "Nguyễn Văn An", EncodingVNI},
		{"Tröông Quoác Vieät", "Trương Quốc Việt", EncodingVNI},
		{"Ñoã Thò Hoaø", "Đỗ Thị Hoà", EncodingVNI},
		{"NGUYEÃN VAÊN AN", "NGUYỄN VĂN AN", EncodingVNI},
		// VIQR.
		{"Nguye^~n Va(n An", "Nguyễn Văn An", EncodingVIQR},
		{"DDo^~ Thi. Ho`a", "Đỗ Thị Hòa", EncodingVIQR},
		{"d-o^~ thi. ho`a", "đỗ thị hòa", EncodingVIQR},
		{"Tru+o+ng Quo^'c Vie^.t", "Trương Quốc Việt", EncodingVIQR},
		// Windows-1258: precomposed where it has them, combining tones else.
		{"Nguy\xea\xden V\xe3n An", "Nguyễn Văn An", EncodingWindows1258},
		{"Tr\xfd\xf5ng Qu\xf4\xecc Vi\xea\xf2t", "Trương Quốc Việt", EncodingWindows1258},
		// Not decoded: already Unicode, ASCII, or no clear evidence.
		{"Nguyễn Văn An", "Nguyễn Văn An", EncodingUnicode},
		{"Lê Hà", "Lê Hà", EncodingUnicode},
		{"Nguyen Van An", "Nguyen Van An", EncodingUnicode},
		{"H'Hen Niê", "H'Hen Niê", EncodingUnicode},
		{"Nguyen Van A.", "Nguyen Van A.", EncodingUnicode}, // one VIQR mark is not evidence
		{"José García", "José García", EncodingUnicode},
		{"Müller", "Müller", EncodingUnicode},
		// Ð (Eth) typed for Đ: the Unicode reading spells good syllables
		// and wins over Windows-1258 ("Vơ Đông").
		{"Võ Ðông", "Võ Ðông", EncodingUnicode},
		{"ÐOÀN VĂN ÐÔNG", "ÐOÀN VĂN ÐÔNG", EncodingUnicode},
		{"Lê Thị Ðào", "Lê Thị Ðào", EncodingUnicode},
		{"ðinh thu hà", "ðinh thu hà", EncodingUnicode},
		{"\xff\xfe\xfd", "\xff\xfe\xfd", EncodingUnicode},
		{"", "", EncodingUnicode},
	}
	for _, tt := range tests {
		got, enc := DecodeLegacy(tt.in)
		if got != tt.want || enc != tt.enc {
			t.Errorf("DecodeLegacy(%q) = %q, %v; want %q, %v", tt.in, got, enc, tt.want, tt.enc)
		}
	}
}

// testNames builds real full names: common family names, middle names and
// given names, with the letters every encoding must carry.
func testNames() []string {
	families := []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
		"Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Trương", "Đinh", "Ưng", "Ông", "Ứng", "Âu", "Ân", "Ấu"}
	middles := []string{"Văn", "Thị", "Minh", "Hoàng", "Ngọc", "Thanh", "Đức", "Quốc", "Quang", "Hữu", "Thị Ngọc", "Xuân", "Mỹ", "Phước"}
	givens := []string{"An", "Anh", "Bảo", "Bích", "Cường", "Dũng", "Duyên", "Đạt", "Giang", "Hà", "Hải", "Hằng",
		"Hạnh", "Hiếu", "Hòa", "Hùng", "Hương", "Hường", "Huyền", "Khánh", "Khoa", "Kiên", "Lan", "Linh", "Lộc",
		"Loan", "Long", "Mai", "Nga", "Nghĩa", "Ngọc", "Nhung", "Oanh", "Phúc", "Phương", "Quân", "Quý", "Quỳnh",
		"Sơn", "Tâm", "Thảo", "Thắng", "Thúy", "Thủy", "Tiến", "Trang", "Trinh", "Trung", "Tuấn", "Tùng",
		"Uyên", "Vân", "Việt", "Vy", "Xuyến", "Yến", "Ỷ", "Ý", "Ẩn", "Ước", "Ửng", "Ổn", "Ỳ", "Ễnh", "Ẫm", "Ỡ", "Ọ"}
	var out []string
	for i, f := range families {
		for j, m := range middles {
			for k, g := range givens {
				if (i+j+k)%3 == 0 {
					out = append(out, f+" "+m+" "+g)
				}
			}
		}
		out = append(out, f+" "+givens[i%len(givens)])
	}
	return out
}

// readings returns the plausible readings of legacy bytes other than want.
func otherReadings(raw, want string) []string {
	var out []string
	cands := []string{decodeTCVN3([]byte(raw)), decodeCP1258([]byte(raw))}
	if d, ok := decodeVNI([]byte(raw)); ok {
		cands = append(cands, d)
	}
	for _, d := range cands {
		if d != want && plausibleName(d) {
			out = append(out, d)
		}
	}
	return out
}

// TestLegacyRoundTrip encodes real names in each legacy encoding and
// decodes them back. A few short names have two plausible readings
// (Windows-1258 "Ho\xe0ng" is Hoàng, in VNI Hồng); those may go either
// way but must stay rare.
func TestLegacyRoundTrip(t *testing.T) {
	names := testNames()
	if len(names) < 1000 {
		t.Fatalf("only %d test names", len(names))
	}
	for _, e := range []Encoding{EncodingTCVN3, EncodingVNI, EncodingVIQR, EncodingWindows1258} {
		ambiguous, fails := 0, 0
		for _, n := range names {
			enc := EncodeLegacy(n, e)
			if enc == n {
				continue // plain ASCII: nothing to decode
			}
			got, ge := DecodeLegacy(enc)
			if got != n || ge != e {
				if e != EncodingVIQR && len(otherReadings(enc, n)) > 0 {
					ambiguous++
					continue
				}
				if fails++; fails < 10 {
					t.Errorf("DecodeLegacy(EncodeLegacy(%q, %v) = %q) = %q, %v", n, e, enc, got, ge)
				}
			}
			if pn := ParseName(enc); pn.Display != ParseName(got).Display || pn.Encoding != ge {
				t.Errorf("ParseName(%q) = %q, %v; DecodeLegacy gives %q", enc, pn.Display, pn.Encoding, got)
			}
			// The Latin-1 reading of TCVN3 and VNI bytes decodes too, unless
			// it is itself a well-written name ("Phan Minh Ẫm" in TCVN3
			// reads "Phan Minh Ãm"): no decoder can tell.
			if l1 := latin1(enc); (e == EncodingTCVN3 || e == EncodingVNI) && !readsClean(l1) {
				if got, _ := DecodeLegacy(l1); got != n {
					if fails++; fails < 10 {
						t.Errorf("DecodeLegacy(latin1(EncodeLegacy(%q, %v))) = %q", n, e, got)
					}
				}
			}
		}
		t.Logf("%v: %d names, %d ambiguous", e, len(names), ambiguous)
		if fails > 0 || ambiguous*50 > len(names) {
			t.Errorf("%v: %d of %d names failed, %d ambiguous", e, fails, len(names), ambiguous)
		}
	}
}

func readsClean(s string) bool {
	plausible, clean := readsAsName(s)
	return plausible && clean
}

func TestEncodeLegacy(t *testing.T) {
	tests := []struct {
		in   string
		e    Encoding
		want string
	}{
		{"Nguyễn Văn An", EncodingTCVN3, "Nguy\xd4n V\xa8n An"},
		{"Ứng Út", EncodingTCVN3, "\x11ng \x01t"},
		{"Nguyễn Văn An", EncodingVNI, "Nguye\xe3n Va\xean An"},
		{"Đỗ Ứng", EncodingVNI, "\xd1o\xe3 \xd6\xd9ng"},
		{"Nguyễn Văn An", EncodingVIQR, "Nguye^~n Va(n An"},
		{"Đỗ Thị Hòa", EncodingVIQR, "DDo^~ Thi. Ho`a"},
		{"Nguyễn Văn An", EncodingWindows1258, "Nguy\xea\xden V\xe3n An"},
		{"Nguyễn Văn An", EncodingUnicode, "Nguyễn Văn An"},
		{"Zoë 李", EncodingTCVN3, "Zo? ?"},
		{"Zoë 李", EncodingVIQR, "Zo? ?"},
	}
	for _, tt := range tests {
		if got := EncodeLegacy(tt.in, tt.e); got != tt.want {
			t.Errorf("EncodeLegacy(%q, %v) = %q, want %q", tt.in, tt.e, got, tt.want)
		}
	}
	for e, want := range map[Encoding]string{EncodingUnicode: "unicode", EncodingTCVN3: "tcvn3", EncodingVNI: "vni", EncodingVIQR: "viqr", EncodingWindows1258: "cp1258", 99: "?"} {
		if e.String() != want {
			t.Errorf("Encoding(%d).String() = %q, want %q", e, e.String(), want)
		}
	}
}

func TestPlausibleSyllable(t *testing.T) {
	good := []string{"nguyễn", "Trương", "quốc", "giếng", "gì", "người", "khuỷu", "ngoài", "Đặng", "a", "ý", "thuở", "xoáy", "hoà", "HÒA", "việt", "yến", "quý", "gia"}
	bad := []string{"", "nguyen1", "h'hen", "ksor", "taõm", "nguyênx", "aê", "bạn̂", "thảt", "thàc", "hoàng̃", "ngooong", "brr", "qa", "x", "Müller", "ǆ"}
	for _, w := range good {
		if !plausibleSyllable(w) {
			t.Errorf("plausibleSyllable(%q) = false", w)
		}
	}
	for _, w := range bad {
		if plausibleSyllable(w) {
			t.Errorf("plausibleSyllable(%q) = true", w)
		}
	}
}

func FuzzDecodeLegacy(f *testing.F) {
	for _, s := range []string{"NguyÔn", "Nguy\xd4n", "Nguyeãn", "Nguye^~n", "\x11ng", "Nguy\xea\xden", "dd", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, e := DecodeLegacy(s)
		if e == EncodingUnicode {
			if d != s {
				t.Fatalf("DecodeLegacy(%q) changed it to %q without an encoding", s, d)
			}
			return
		}
		if !utf8.ValidString(d) || !plausibleName(d) {
			t.Fatalf("DecodeLegacy(%q) = %q, %v: not a plausible name", s, d, e)
		}
		for _, enc := range []Encoding{EncodingTCVN3, EncodingVNI, EncodingVIQR, EncodingWindows1258} {
			if x := EncodeLegacy(d, enc); strings.ContainsRune(x, utf8.RuneError) && enc == EncodingVIQR {
				t.Fatalf("EncodeLegacy(%q, viqr) = %q not ASCII", d, x)
			}
		}
	})
}

func BenchmarkDecodeLegacyUnicode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkS, _ = DecodeLegacy("Trần Thị Thanh Hương")
	}
}

func BenchmarkDecodeLegacyTCVN3(b *testing.B) {
	s := EncodeLegacy("Trần Thị Thanh Hương", EncodingTCVN3)
	b.ReportAllocs()
	for b.Loop() {
		sinkS, _ = DecodeLegacy(s)
	}
}

func TestLegacyReadings(t *testing.T) {
	if got := LegacyReadings("Nguyễn Văn An"); got != nil {
		t.Errorf("LegacyReadings(unicode) = %q, want nil", got)
	}
	if got := LegacyReadings("Phan Minh Tri'"); len(got) != 1 || got[0] != "Phan Minh Trí" {
		t.Errorf("LegacyReadings(a final VIQR mark) = %q, want [Phan Minh Trí]", got)
	}
	for _, name := range []string{"Hoàng Văn Hồng", "Thái Bích San", "Nguyễn Thị Hằng", "Đặng Hoà"} {
		for _, e := range []Encoding{EncodingTCVN3, EncodingVNI, EncodingWindows1258} {
			// As raw bytes, and as an export tool that took them for
			// Windows-1252 writes them.
			for _, enc := range []string{EncodeLegacy(name, e), latin1(EncodeLegacy(name, e))} {
				readings := LegacyReadings(enc)
				found := enc == name // Windows-1258 and Latin-1 share á, í, ...
				for _, r := range readings {
					if NameKey(r) == NameKey(name) && ParseName(r).Display == ParseName(name).Display {
						found = true
					}
				}
				if !found {
					t.Errorf("LegacyReadings(%s of %q: %q) = %q: the original is not among them", e, name, enc, readings)
				}
			}
		}
	}
	// Mis-read VNI that spells other good syllables: DecodeLegacy cannot
	// tell, but the reading must be on offer.
	for in, want := range map[string]string{
		"Hoàng Vãn Vu":    "Hoàng Văn Vu",
		"Cao Thò Nhi":     "Cao Thị Nhi",
		"Phan Quoác Vinh": "Phan Quốc Vinh",
	} {
		if got := LegacyReadings(in); !slices.Contains(got, want) {
			t.Errorf("LegacyReadings(%q) = %q, want it to hold %q", in, got, want)
		}
	}
}
