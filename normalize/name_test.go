package normalize

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestParseName(t *testing.T) {
	tests := []struct {
		in, display, key      string
		family, middle, given string
	}{
		{"Nguyễn Văn An", "Nguyễn Văn An", "nguyen van an", "Nguyễn", "Văn", "An"},
		{"nguyễn văn an", "Nguyễn Văn An", "nguyen van an", "Nguyễn", "Văn", "An"},
		{"NGUYỄN VĂN AN", "Nguyễn Văn An", "nguyen van an", "Nguyễn", "Văn", "An"},
		{"  Nguyễn   Văn\tAn ", "Nguyễn Văn An", "nguyen van an", "Nguyễn", "Văn", "An"},
		{"Nguyễn\u00a0Văn\u3000An", "Nguyễn Văn An", "nguyen van an", "Nguyễn", "Văn", "An"},
		// NFD, and NFD with the marks in non-canonical order.
		{norm.NFD.String("Trần Thị Ngọc Hậu"), "Trần Thị Ngọc Hậu", "tran thi ngoc hau", "Trần", "Thị Ngọc", "Hậu"},
		{"Tra\u0302\u0300n Thi\u0323 Ha\u0302\u0323u", "Trần Thị Hậu", "tran thi hau", "Trần", "Thị", "Hậu"},
		{"Tra\u0300\u0302n Thi\u0323 Ha\u0323\u0302u", "Trần Thị Hậu", "tran thi hau", "Trần", "Thị", "Hậu"},
		{"Nguye\u0302\u0303n", "Nguyễn", "nguyen", "", "", "Nguyễn"},
		{"Nguye\u0303\u0302n", "Nguyễn", "nguyen", "", "", "Nguyễn"},
		{"Lu\u031B\u0323c", "Lực", "luc", "", "", "Lực"},
		// Tone placement: oa, oe, uy take it on the first vowel without a final.
		{"Lê Thị Hoà", "Lê Thị Hòa", "le thi hoa", "Lê", "Thị", "Hòa"},
		{"Lê Thị Hòa", "Lê Thị Hòa", "le thi hoa", "Lê", "Thị", "Hòa"},
		{"Trần Thuý Kiều", "Trần Thúy Kiều", "tran thuy kieu", "Trần", "Thúy", "Kiều"},
		{"Vũ Khoẻ", "Vũ Khỏe", "vu khoe", "Vũ", "", "Khỏe"},
		{"Hoàng Văn Toán", "Hoàng Văn Toán", "hoang van toan", "Hoàng", "Văn", "Toán"},
		{"Hòang Văn Tóan", "Hoàng Văn Toán", "hoang van toan", "Hoàng", "Văn", "Toán"},
		{"Huỳnh Thị Thủy", "Huỳnh Thị Thủy", "huynh thi thuy", "Huỳnh", "Thị", "Thủy"},
		{"Hùynh Thị Thuỷ", "Huỳnh Thị Thủy", "huynh thi thuy", "Huỳnh", "Thị", "Thủy"},
		{"Ngô Quý", "Ngô Quý", "ngo quy", "Ngô", "", "Quý"},
		{"Ngô Qúy", "Ngô Quý", "ngo quy", "Ngô", "", "Quý"},
		{"Đỗ Văn Ngòai", "Đỗ Văn Ngoài", "do van ngoai", "Đỗ", "Văn", "Ngoài"},
		{"Lý Thị Người", "Lý Thị Người", "ly thi nguoi", "Lý", "Thị", "Người"},
		{"Trương Quốc Việt", "Trương Quốc Việt", "truong quoc viet", "Trương", "Quốc", "Việt"},
		{"Gìang Thị Giàu", "Giàng Thị Giàu", "giang thi giau", "Giàng", "Thị", "Giàu"},
		{"Phạm Thị Mùa", "Phạm Thị Mùa", "pham thi mua", "Phạm", "Thị", "Mùa"},
		// Đ and its look-alike Eth.
		{"Ðặng Văn Ðức", "Đặng Văn Đức", "dang van duc", "Đặng", "Văn", "Đức"},
		{"Võ Ðông", "Võ Đông", "vo dong", "Võ", "", "Đông"},
		{"ÐINH THỊ HÀ", "Đinh Thị Hà", "dinh thi ha", "Đinh", "Thị", "Hà"},
		{"đặng văn đức", "Đặng Văn Đức", "dang van duc", "Đặng", "Văn", "Đức"},
		{"ðặng", "Đặng", "dang", "", "", "Đặng"},
		// Đăk/Đắk are different spellings, one key.
		{"Y Đăk", "Y Đăk", "y dak", "Y", "", "Đăk"},
		{"Y Đắk", "Y Đắk", "y dak", "Y", "", "Đắk"},
		// Apostrophes and hyphens (Ê Đê, Jrai names).
		{"H'Hen Niê", "H'Hen Niê", "h'hen nie", "H'Hen", "", "Niê"},
		{"H’hen Niê", "H'Hen Niê", "h'hen nie", "H'Hen", "", "Niê"},
		{"Ksor H‘Ben", "Ksor H'Ben", "ksor h'ben", "Ksor", "", "H'Ben"},
		{"Nguyễn-Trần Anh", "Nguyễn-Trần Anh", "nguyen-tran anh", "Nguyễn-Trần", "", "Anh"},
		{"'Anh -", "Anh", "anh", "", "", "Anh"},
		// Legacy encodings.
		{"NguyÔn V¨n An", "Nguyễn Văn An", "nguyen van an", "Nguyễn", "Văn", "An"},
		{"Nguy\xd4n V\xa8n An", "Nguyễn Văn An", "nguyen van an", "Nguyễn", "Văn", "An"},
		{"Nguyeãn Vaên An", "Nguyễn Văn An", "nguyen van an", "Nguyễn", "Văn", "An"},
		{"Nguye^~n Va(n An", "Nguyễn Văn An", "nguyen van an", "Nguyễn", "Văn", "An"},
		{"\x11ng Th\xde Ho\xb5", "Ứng Thị Hòa", "ung thi hoa", "Ứng", "Thị", "Hòa"},
		// Not letters.
		{"", "", "", "", "", ""},
		{"123", "", "", "", "", ""},
		{" - ' ", "", "", "", "", ""},
		{"Nguyễn Văn An (1985)", "Nguyễn Văn An", "nguyen van an", "Nguyễn", "Văn", "An"},
	}
	for _, tt := range tests {
		n := ParseName(tt.in)
		if n.Display != tt.display || n.Key != tt.key || n.Family != tt.family || n.Middle != tt.middle || n.Given != tt.given {
			t.Errorf("ParseName(%q) = %q key %q [%q|%q|%q]; want %q key %q [%q|%q|%q]", tt.in,
				n.Display, n.Key, n.Family, n.Middle, n.Given, tt.display, tt.key, tt.family, tt.middle, tt.given)
		}
		if k := NameKey(tt.in); k != n.Key {
			t.Errorf("NameKey(%q) = %q, ParseName key %q", tt.in, k, n.Key)
		}
	}
}

// TestNameSpellingsAgree checks that ways of writing one name give one
// Display, and that different names stay apart.
func TestNameSpellingsAgree(t *testing.T) {
	groups := [][]string{
		{"Nguyễn Thị Hòa", "NGUYỄN THỊ HOÀ", "nguyễn thị hoà", norm.NFD.String("Nguyễn Thị Hoà"), "Nguyễn  Thị  Hòa", "NguyÔn ThÞ Hoµ", "Nguye^~n Thi. Ho`a", "Nguyeãn Thò Hoaø"},
		{"Đỗ Thúy", "Ðỗ Thuý", "đỗ THUÝ", "DDo^~ Thu'y"},
		{"Lê Khỏe", "Lê Khoẻ", "LÊ KHỎE", "Le^ Kho?e"},
	}
	for _, g := range groups {
		want := ParseName(g[0]).Display
		for _, s := range g[1:] {
			if got := ParseName(s).Display; got != want {
				t.Errorf("ParseName(%q).Display = %q, want %q as for %q", s, got, want, g[0])
			}
		}
	}
	if ParseName("Nguyễn Thị Hòa").Display == ParseName("Nguyễn Thị Hóa").Display {
		t.Error("different tones gave the same Display")
	}
}

func TestPhonetic(t *testing.T) {
	same := [][2]string{
		{"Dũng", "Giũng"}, {"Dũng", "Rũng"}, {"Đức", "Dức"},
		{"Trung", "Chung"}, {"Sơn", "Xơn"}, {"Lan", "Nan"},
		{"Huy", "Hui"}, {"Thy", "Thi"}, {"Vân", "Vâng"}, {"Lành", "Làn"},
		{"Phúc", "Phút"}, {"Thạch", "Thạt"}, {"Kiên", "Ciên"},
		{"Nguyễn", "Nguyeenx"}, {"Văn", "Vawn"}, {"Hòa", "Hoaf"}, {"Thị", "Thij"},
		{"Đình", "ddinh"}, {"Nghĩa", "Ngĩa"}, {"Quang", "Quan"},
		{"Nguyễn Văn An", "nguyen van an"},
	}
	for _, p := range same {
		a, b := ParseName(p[0]).Phonetic, ParseName(p[1]).Phonetic
		if a != b || a == "" {
			t.Errorf("Phonetic(%q) = %q, Phonetic(%q) = %q; want equal", p[0], a, p[1], b)
		}
	}
	differ := [][2]string{{"An", "Bình"}, {"Hoa", "Hoàng"}, {"Minh", "Mai"}, {"Tuấn", "Tâm"}, {"Hùng", "Hương"}}
	for _, p := range differ {
		a, b := ParseName(p[0]).Phonetic, ParseName(p[1]).Phonetic
		if a == b {
			t.Errorf("Phonetic(%q) = Phonetic(%q) = %q; want different", p[0], p[1], a)
		}
	}
}

func FuzzParseName(f *testing.F) {
	for _, s := range []string{"Nguyễn Văn An", "NguyÔn V¨n An", "Nguyeãn", "Nguye^~n", "H'Hen", "\x11ng", "a\u0323\u0302", "ǅ ı ß", "Ð", "\xff\xfe", "dd-", "Hoà",
		"00uYÔ0", "響", "B00000000ð"} { // past failures
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := ParseName(s)
		if !utf8.ValidString(n.Display) || !utf8.ValidString(n.Key) {
			t.Fatalf("ParseName(%q) invalid UTF-8: %q %q", s, n.Display, n.Key)
		}
		if !norm.NFC.IsNormalString(n.Display) {
			t.Fatalf("ParseName(%q).Display = %q is not NFC", s, n.Display)
		}
		if n.Key != Fold(n.Display) {
			t.Fatalf("ParseName(%q).Key = %q, Fold(Display) = %q", s, n.Key, Fold(n.Display))
		}
		if k := NameKey(s); k != n.Key {
			t.Fatalf("NameKey(%q) = %q, ParseName key %q (display %q)", s, k, n.Key, n.Display)
		}
		if strings.Contains(n.Display, "  ") || strings.TrimSpace(n.Display) != n.Display {
			t.Fatalf("ParseName(%q).Display = %q has extra spaces", s, n.Display)
		}
		// Display is stable, unless it reads as legacy text itself
		// (digits dropped from "00uYÔ0" leave "Uyô", TCVN3 for "Uyụ").
		if again := ParseName(n.Display); again.Display != n.Display && again.Encoding == EncodingUnicode {
			t.Fatalf("ParseName not idempotent: %q -> %q -> %q", s, n.Display, again.Display)
		}
		if (n.Key == "") != (n.Display == "") || (n.Phonetic == "") != (n.Key == "") {
			t.Fatalf("ParseName(%q): empty mismatch %+v", s, n)
		}
	})
}

var sinkName Name
var sinkS string

func BenchmarkParseName(b *testing.B) {
	names := []string{"Nguyễn Văn An", "Trần Thị Thanh Hương", "Lê Hoàng Minh Quân", "Phạm Thị Hoà"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		sinkName = ParseName(names[i%len(names)])
	}
}

func BenchmarkParseNameNFD(b *testing.B) {
	s := norm.NFD.String("Trần Thị Thanh Hương")
	b.ReportAllocs()
	for b.Loop() {
		sinkName = ParseName(s)
	}
}

func BenchmarkParseNameTCVN3(b *testing.B) {
	s := EncodeLegacy("Trần Thị Thanh Hương", EncodingTCVN3)
	b.ReportAllocs()
	for b.Loop() {
		sinkName = ParseName(s)
	}
}

func BenchmarkNameKey(b *testing.B) {
	names := []string{"Nguyễn Văn An", "Trần Thị Thanh Hương", "Lê Hoàng Minh Quân", "Phạm Thị Hoà"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		sinkS = NameKey(names[i%len(names)])
	}
}

// BenchmarkNameKeySame uses the input of BenchmarkFold, for comparison.
func BenchmarkNameKeySame(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkS = NameKey("Nguyễn Thị Thanh Hường")
	}
}

// BenchmarkNameKeyLatin1 is a name written only with Latin-1 letters,
// which DecodeLegacy must check for mis-read legacy text.
func BenchmarkNameKeyLatin1(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkS = NameKey("Lê Hoàng Minh Quân")
	}
}

func BenchmarkParseNameSame(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkName = ParseName("Nguyễn Thị Thanh Hường")
	}
}

// nameParser is shared by FuzzNameParser's runs, so that words parsed by
// one are looked up by the next.
var nameParser NameParser

// FuzzNameParser holds NameParser to ParseName: the same Name for any
// text, whether its words are new to the parser or remembered.
func FuzzNameParser(f *testing.F) {
	for _, s := range []string{"Nguyễn Văn An", "NguyÔn V¨n An", "Nguyễn  Văn   An ", " An", "An.Bình", "H'Hen Niê",
		"Nguye^~n", "a\u0323\u0302 b", "ǅ ı ß", "Ð ð", "\xff\xfe x", "dd- -x", "Hoà Thuý", "Nguyễn\tVăn\u00a0An",
		"Ngh Gi Qu", "Nguyeenx Hoaf", "1 2 3", "", " ", "響 An", "A\u0301n", "Trần Thị Ý-Nhi"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := ParseName(s)
		var fresh NameParser
		for _, p := range []*NameParser{&fresh, &fresh, &nameParser} {
			if got := p.Parse(s); got != want {
				t.Fatalf("Parse(%q) = %+v, ParseName %+v", s, got, want)
			}
		}
	})
}

func TestNameParserBounded(t *testing.T) {
	var p NameParser
	for i := range maxNameWords + 100 {
		w := fmt.Sprintf("w%d", i)
		if got, want := p.Parse(w+" An"), ParseName(w+" An"); got != want {
			t.Fatalf("Parse(%q) = %+v, want %+v", w, got, want)
		}
	}
	if len(p.words) != maxNameWords {
		t.Errorf("%d words kept, want %d", len(p.words), maxNameWords)
	}
}

func BenchmarkNameParser(b *testing.B) {
	names := []string{"Nguyễn Văn An", "Trần Thị Bích Ngọc", "Lê Hoàng Minh", "Phạm Thị Thu Hương", "Hoàng Văn Đức",
		"Vũ Thị Mai", "Đặng Quốc Bảo", "Bùi Thị Hồng Nhung"}
	b.Run("ParseName", func(b *testing.B) {
		for i := range b.N {
			_ = ParseName(names[i%len(names)])
		}
	})
	b.Run("NameParser", func(b *testing.B) {
		var p NameParser
		for i := range b.N {
			_ = p.Parse(names[i%len(names)])
		}
	})
}
