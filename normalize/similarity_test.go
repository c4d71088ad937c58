package normalize

import (
	"math"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestJaroWinkler(t *testing.T) {
	tests := []struct {
		a, b string
		want float64
	}{
		{"", "", 1},
		{"abc", "", 0},
		{"", "abc", 0},
		{"abc", "xyz", 0},
		{"martha", "marhta", 0.9611},
		{"dwayne", "duane", 0.84},
		{"dixon", "dicksonx", 0.8133},
		{"nguyen van an", "nguyen van an", 1},
		{"nguyen van an", "nguyen van anh", 0.9857},
		{"tran thi hoa", "tran thi hao", 0.9833},
		{"Nguyễn", "Nguyên", 0.9333},    // one rune differs, not one byte
		{"lê thị hà", "le thi ha", 0.8}, // runes, not bytes
		{"pham", "phạm", 0.8667},
	}
	for _, tt := range tests {
		got := JaroWinkler(tt.a, tt.b)
		if math.Abs(got-tt.want) > 0.0005 {
			t.Errorf("JaroWinkler(%q, %q) = %.4f, want %.4f", tt.a, tt.b, got, tt.want)
		}
		if back := JaroWinkler(tt.b, tt.a); math.Abs(back-got) > 1e-12 {
			t.Errorf("JaroWinkler not symmetric on %q, %q: %v vs %v", tt.a, tt.b, got, back)
		}
	}
}

func TestDamerauLevenshtein(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"abc", "", 3},
		{"", "abcd", 4},
		{"abc", "abc", 0},
		{"ca", "ac", 1},
		{"ca", "abc", 3}, // OSA, not unrestricted Damerau (which gives 2)
		{"kitten", "sitting", 3},
		{"Nguyễn", "Nguyên", 1},
		{"Nguyễn", "Nguyen", 1},
		{"Trần Thị Hoa", "Trần Thị Hoà", 1},
		{"Trần Thị Hoa", "Trần Thị Hao", 1},
		{"Lê Văn Tám", "Lê Tám Văn", 6},
		{"hòa", "hoà", 2},
		{"Đặng", "Ðặng", 1},
	}
	for _, tt := range tests {
		if got := DamerauLevenshtein(tt.a, tt.b); got != tt.want {
			t.Errorf("DamerauLevenshtein(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := DamerauLevenshtein(tt.b, tt.a); got != tt.want {
			t.Errorf("DamerauLevenshtein(%q, %q) = %d, want %d (not symmetric)", tt.b, tt.a, got, tt.want)
		}
	}
}

// TestSimilarityLong checks strings past the stack buffers.
func TestSimilarityLong(t *testing.T) {
	a := strings.Repeat("nguyễn văn ", 20)
	b := strings.Repeat("nguyen văn ", 20)
	if got := DamerauLevenshtein(a, b); got != 20 {
		t.Errorf("DamerauLevenshtein on %d runes = %d, want 20", utf8.RuneCountInString(a), got)
	}
	if got := JaroWinkler(a, a+"x"); got < 0.99 || got >= 1 {
		t.Errorf("JaroWinkler on long strings = %v", got)
	}
}

func TestSimilarityAllocs(t *testing.T) {
	a, b := "Nguyễn Thị Thanh Hương", "Nguyen Thi Thanh Huong"
	if n := testing.AllocsPerRun(100, func() { JaroWinkler(a, b) }); n != 0 {
		t.Errorf("JaroWinkler allocates %v times", n)
	}
	if n := testing.AllocsPerRun(100, func() { DamerauLevenshtein(a, b) }); n != 0 {
		t.Errorf("DamerauLevenshtein allocates %v times", n)
	}
}

func FuzzSimilarity(f *testing.F) {
	f.Add("nguyen van an", "nguyen an van")
	f.Add("Nguyễn", "Nguyên")
	f.Add("", "\xff")
	f.Add("abcxba", "abxcab")
	f.Add("ab", "ba")
	f.Fuzz(func(t *testing.T, a, b string) {
		jw := JaroWinkler(a, b)
		if jw < 0 || jw > 1 || math.IsNaN(jw) {
			t.Fatalf("JaroWinkler(%q, %q) = %v", a, b, jw)
		}
		d := DamerauLevenshtein(a, b)
		la, lb := utf8.RuneCountInString(a), utf8.RuneCountInString(b)
		if d < max(la, lb)-min(la, lb) || d > max(la, lb) {
			t.Fatalf("DamerauLevenshtein(%q, %q) = %d out of bounds", a, b, d)
		}
		if same := string([]rune(a)) == string([]rune(b)); (d == 0) != same || (jw == 1) != same {
			t.Fatalf("distance %d and similarity %v disagree on %q, %q", d, jw, a, b)
		}
		if want := osaReference([]rune(a), []rune(b)); d != want {
			t.Fatalf("DamerauLevenshtein(%q, %q) = %d, reference %d", a, b, d, want)
		}
		if DamerauLevenshtein(b, a) != d {
			t.Fatalf("DamerauLevenshtein not symmetric on %q, %q", a, b)
		}
	})
}

// osaReference is the textbook full-matrix optimal string alignment.
func osaReference(a, b []rune) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

var sinkF float64
var sinkI int

func BenchmarkJaroWinkler(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkF = JaroWinkler("nguyen thi thanh huong", "nguyen thi thanh hong")
	}
}

func BenchmarkDamerauLevenshtein(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkI = DamerauLevenshtein("Nguyễn Thị Thanh Hương", "Nguyễn Thị Thanh Hường")
	}
}

func BenchmarkDamerauLevenshteinDifferent(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkI = DamerauLevenshtein("Nguyễn Thị Thanh Hương", "Trần Văn Bình Minh")
	}
}
