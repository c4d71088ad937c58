package synth

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/doisanh/doisanh/normalize"
)

func TestToggleVowelMark(t *testing.T) {
	tests := []struct {
		in   string
		pick int
		want string
		ok   bool
	}{
		{"Hùng", 0, "Hừng", true},
		{"Hưng", 0, "Hung", true},
		{"Tâm", 0, "Tam", true},
		{"Tam", 0, "Tâm", true},
		{"Lê", 0, "Le", true},
		{"Hoà", 0, "Hôà", true}, // first vowel o gains a circumflex
		{"Hoà", 1, "Hoầ", true},
		{"Ơn", 0, "On", true},
		{"Linh", 0, "Linh", false},
		{"", 0, "", false},
	}
	for _, tt := range tests {
		got, ok := toggleVowelMark(tt.in, tt.pick)
		if got != tt.want || ok != tt.ok {
			t.Errorf("toggleVowelMark(%q, %d) = %q, %v; want %q, %v", tt.in, tt.pick, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSwapTonePlacement(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Nguyễn Thị Hòa", "Nguyễn Thị Hoà"},
		{"Nguyễn Thị Hoà", "Nguyễn Thị Hòa"},
		{"Lê Thúy", "Lê Thuý"},
		{"Lê Thuỷ Tiên", "Lê Thủy Tiên"},
		{"Trần Khỏe", "Trần Khoẻ"},
		{"HÒA", "HOÀ"},
		{"Hoàng Quý", "Hoàng Quý"},   // closed syllable and qu: one style
		{"Phạm Quỳnh", "Phạm Quỳnh"}, // not a final uy
		{"Lan", "Lan"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := swapTonePlacement(tt.in); got != tt.want {
			t.Errorf("swapTonePlacement(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTypo(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, w := range []string{"Hùng", "Thảo", "Nguyệt", "An", "Lâm"} {
		for range 50 {
			got, ok := typo(r, w)
			if !ok {
				if utf8.RuneCountInString(w) >= 3 && got != w {
					t.Errorf("typo(%q) = %q, not ok but changed", w, got)
				}
				continue
			}
			if got == w || !utf8.ValidString(got) {
				t.Errorf("typo(%q) = %q", w, got)
			}
			if d := normalize.DamerauLevenshtein(got, w); d != 1 {
				t.Errorf("typo(%q) = %q: edit distance %d, want 1", w, got, d)
			}
		}
	}
}

func TestNames(t *testing.T) {
	ns := newNameSource()
	r := rand.New(rand.NewPCG(3, 4))
	const n = 20000
	words, nguyen, van, thi := map[int]int{}, 0, 0, 0
	for i := range n {
		female := i%2 == 1
		name := ns.fullName(r, ns.surname(r), female)
		f := strings.Fields(name)
		words[len(f)]++
		if f[0] == "Nguyễn" {
			nguyen++
		}
		if f[1] == "Văn" {
			van++
			if female {
				t.Errorf("woman named %q", name)
			}
		}
		if f[1] == "Thị" {
			thi++
		}
		if !norm.NFC.IsNormalString(name) || strings.ContainsRune(name, 'Ð') {
			t.Errorf("name %q not NFC or with Eth", name)
		}
	}
	if words[3]+words[4] != n {
		t.Errorf("word counts %v, want 3 or 4", words)
	}
	if s := float64(words[4]) / n; s < 0.12 || s > 0.22 {
		t.Errorf("%.3f of names have four words, want about 1/6", s)
	}
	if s := float64(nguyen) / n; s < 0.33 || s > 0.43 {
		t.Errorf("%.3f Nguyễn, want about 0.38", s)
	}
	if van < n/8 || thi < n/8 {
		t.Errorf("Văn %d, Thị %d of %d: want both common", van, thi, n)
	}
}

// TestNoiseIsBenign renders values with heavy noise and checks that the
// normalisers read them back as the same value.
func TestNoiseIsBenign(t *testing.T) {
	opts := DefaultOptions()
	opts.Noise = 5
	m := newModel(opts, testGeography())
	m.opts.People = 2000
	m.build()
	rd := newRenderer(m, saltTax)
	for i := range m.people {
		p := &m.people[i]
		rd.row(i)
		if got, err := normalize.ParsePersonID(rd.id(p.id)); err != nil || got != p.id {
			t.Errorf("id %s rendered, read back %q, %v", p.id, got, err)
		}
		name := rd.name(p.name, true)
		if got, want := normalize.NameKey(name), normalize.NameKey(p.name); got != want {
			t.Errorf("name %q rendered %q: key %q, want %q", p.name, name, got, want)
		}
		d, err := normalize.ParseDate(rd.date(p.birth))
		if err != nil || int(d.Year) != int(p.birth.y) || int(d.Month) != int(p.birth.m) || int(d.Day) != int(p.birth.d) {
			t.Errorf("date %v read back %+v, %v", p.birth, d, err)
		}
		g, ok := normalize.ParseGender(rd.gender(p.female))
		if !ok || (g == normalize.GenderFemale) != p.female {
			t.Errorf("gender of %s read back %v", p.id, g)
		}
	}
}

func FuzzSwapTonePlacement(f *testing.F) {
	for _, s := range []string{"Nguyễn Thị Hòa", "Lê Thuý", "Quý", "HOÀ", "a", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		s = norm.NFC.String(s)
		got := swapTonePlacement(s)
		if normalize.Fold(got) != normalize.Fold(s) {
			t.Errorf("swapTonePlacement(%q) = %q folds differently", s, got)
		}
		if got != s && swapTonePlacement(got) != s {
			t.Errorf("swapping %q twice gives %q", s, swapTonePlacement(got))
		}
	})
}

func FuzzToggleVowelMark(f *testing.F) {
	for _, s := range []string{"Hùng", "Hưng", "Tâm", "Linh", "Ơn", ""} {
		f.Add(s, 0)
	}
	f.Fuzz(func(t *testing.T, s string, pick int) {
		if !utf8.ValidString(s) || pick < 0 {
			return
		}
		got, ok := toggleVowelMark(s, pick)
		if !ok {
			return
		}
		if got == s {
			t.Errorf("toggleVowelMark(%q) ok but unchanged", s)
		}
		if normalize.Fold(got) != normalize.Fold(s) {
			t.Errorf("toggleVowelMark(%q) = %q folds differently", s, got)
		}
	})
}

// TestNamesakeDensity: given names are skewed like a real province's, so
// that namesakes born the same day are as common as in a province of 4 M
// people: among 200 000 people born within four years (137 a day), about
// 8 000 pairs share full name, gender and birth date (the brief's
// measure of a real province: about 7 000).
func TestNamesakeDensity(t *testing.T) {
	ns := newNameSource()
	r := rand.New(rand.NewPCG(3, 4))
	const people, days = 200_000, 4 * 365
	cells := map[string]int{}
	given := map[string]int{}
	for range people {
		female := r.IntN(2) == 1
		name := ns.fullName(r, ns.surname(r), female)
		cells[fmt.Sprintf("%s|%v|%d", name, female, r.IntN(days))]++
		if !female {
			given[lastWord(name)]++
		}
	}
	pairs := 0
	for _, n := range cells {
		pairs += n * (n - 1) / 2
	}
	if pairs < 5_000 || pairs > 10_000 {
		t.Errorf("%d pairs share name, gender and birth date, want 5 000 to 10 000", pairs)
	}
	top := 0
	for _, n := range given {
		top = max(top, n)
	}
	if share := float64(top) / (people / 2); share < 0.08 || share > 0.2 {
		t.Errorf("the commonest male given name is borne by %.3f of men, want 0.08-0.2", share)
	}
	t.Logf("%d pairs of namesakes born the same day; commonest male given name %.3f", pairs, float64(top)/(people/2))
}
