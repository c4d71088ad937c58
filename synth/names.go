package synth

import (
	_ "embed"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// Given names from duyet/vietnamese-namedb (MIT, data/LICENSE.vietnamese-namedb.txt),
// copied from shared/reference: one "middle given" pair per line.
var (
	//go:embed data/given_names_male.txt
	givenMaleText string
	//go:embed data/given_names_female.txt
	givenFemaleText string
)

// surnames with their commonly cited shares in percent
// (shared/reference/README.md); the rest is spread over rarer surnames.
var surnames = []struct {
	name  string
	share float64
}{
	{"Nguyễn", 38.4}, {"Trần", 12.1}, {"Lê", 9.5}, {"Phạm", 7}, {"Hoàng", 3.1}, {"Huỳnh", 2},
	{"Phan", 4.5}, {"Vũ", 2.2}, {"Võ", 1.7}, {"Đặng", 2.1}, {"Bùi", 2}, {"Đỗ", 1.4}, {"Hồ", 1.3},
	{"Ngô", 1.3}, {"Dương", 1}, {"Lý", 0.5}, {"Đinh", 0.9}, {"Đào", 0.8}, {"Cao", 0.6},
	{"Thái", 0.5}, {"Chu", 0.4}, {"Lương", 0.5}, {"Trịnh", 0.5}, {"Mai", 0.4}, {"Tạ", 0.3},
	{"Lưu", 0.3}, {"Quách", 0.2}, {"Kiều", 0.2}, {"Tăng", 0.2}, {"Lâm", 0.3},
}

// Middle names other than Văn and Thị.
var (
	middleMale   = []string{"Minh", "Hoàng", "Ngọc", "Thanh", "Đức", "Quốc", "Quang", "Hữu", "Công", "Đình", "Xuân", "Trọng"}
	middleFemale = []string{"Ngọc", "Thanh", "Minh", "Thu", "Kim", "Phương", "Hồng", "Thuỳ", "Mai", "Hoài", "Thúy"}
)

// givenZipf is the exponent of the given-name distribution: the given
// names of a list, ranked by how many of its lines end in them, are drawn
// with weight 1/rank^givenZipf. At 0.95 the commonest (Minh, Nhi) is borne
// by about one man or woman in seven, and about 8 000 pairs of people of
// one gender share surname, middle and given name and birth date among
// 200 000 people born within four years, as many as in a province of 4 M
// people (the uniform draw of the list's lines gave a fifth of that).
const givenZipf = 0.95

// nameSource draws realistic Vietnamese names.
type nameSource struct {
	surnameCum []float64
	given      [2][][2]string // [male, female] middle+given pairs
	ranked     [2][]string    // distinct given names, commonest first
	givenCum   [2][]float64   // cumulative Zipf weights over ranked
	middles    [2]map[string][]string
}

func newNameSource() *nameSource {
	ns := &nameSource{}
	total := 0.0
	for _, s := range surnames {
		total += s.share
		ns.surnameCum = append(ns.surnameCum, total)
	}
	ns.given[0] = parseGiven(givenMaleText)
	ns.given[1] = parseGiven(givenFemaleText)
	for g := range ns.given {
		count := map[string]int{}
		ns.middles[g] = map[string][]string{}
		for _, pr := range ns.given[g] {
			if count[pr[1]] == 0 {
				ns.ranked[g] = append(ns.ranked[g], pr[1])
			}
			count[pr[1]]++
			ns.middles[g][pr[1]] = append(ns.middles[g][pr[1]], pr[0])
		}
		// Commonest first; ties keep the list's order (a stable sort).
		slices.SortStableFunc(ns.ranked[g], func(a, b string) int { return count[b] - count[a] })
		t := 0.0
		for i := range ns.ranked[g] {
			t += 1 / math.Pow(float64(i+1), givenZipf)
			ns.givenCum[g] = append(ns.givenCum[g], t)
		}
	}
	return ns
}

// pair draws a middle+given pair of the gender: the given name by its
// Zipf weight, then one of the list's middle names that go with it.
func (ns *nameSource) pair(r *rand.Rand, female bool) [2]string {
	g := gi(female)
	cum := ns.givenCum[g]
	x := r.Float64() * cum[len(cum)-1]
	i, _ := slices.BinarySearch(cum, x)
	given := ns.ranked[g][min(i, len(cum)-1)]
	ms := ns.middles[g][given]
	return [2]string{ms[r.IntN(len(ms))], given}
}

// parseGiven reads the given-name list: each line is "given" or
// "middle given" (a longer line keeps its last two words).
func parseGiven(text string) [][2]string {
	var out [][2]string
	for line := range strings.Lines(text) {
		f := strings.Fields(strings.ReplaceAll(line, "Ð", "Đ")) // Eth look-alike in the list
		switch len(f) {
		case 0:
			continue
		case 1:
			out = append(out, [2]string{"", f[0]})
		default:
			out = append(out, [2]string{f[len(f)-2], f[len(f)-1]})
		}
	}
	return out
}

func (ns *nameSource) surname(r *rand.Rand) string {
	x := r.Float64() * ns.surnameCum[len(ns.surnameCum)-1]
	for i, c := range ns.surnameCum {
		if x < c {
			return surnames[i].name
		}
	}
	return surnames[0].name
}

func gi(female bool) int {
	if female {
		return 1
	}
	return 0
}

// givenName returns a given name (the last word) of the gender.
func (ns *nameSource) givenName(r *rand.Rand, female bool) string {
	return ns.pair(r, female)[1]
}

// fullName returns surname + middle name(s) + given name: mostly three
// words, about one in six four. Men get Văn, women Thị about half the time.
func (ns *nameSource) fullName(r *rand.Rand, surname string, female bool) string {
	pair := ns.pair(r, female)
	common, other := "Văn", middleMale
	if female {
		common, other = "Thị", middleFemale
	}
	var b strings.Builder
	b.WriteString(surname)
	x := r.Float64()
	switch {
	case x < 1.0/6 && pair[0] != "":
		// four words: a common middle name before the list's pair
		b.WriteString(" " + other[r.IntN(len(other))] + " " + pair[0])
	case x < 0.55:
		b.WriteString(" " + common)
	case pair[0] != "":
		b.WriteString(" " + pair[0])
	default:
		b.WriteString(" " + other[r.IntN(len(other))])
	}
	b.WriteString(" " + pair[1])
	return b.String()
}

// withGiven returns name with its last word replaced by given.
func withGiven(name, given string) string {
	i := strings.LastIndexByte(name, ' ')
	return name[:i+1] + given
}

// lastWord returns the last word of name.
func lastWord(name string) string {
	return name[strings.LastIndexByte(name, ' ')+1:]
}
