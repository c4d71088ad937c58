package match

import (
	"fmt"
	"slices"
	"testing"

	"github.com/doisanh/doisanh/normalize"
)

func TestOneDigitOff(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"040085000001", "040085000001", false},
		{"040085000001", "040085000002", true},
		{"040085000012", "040085000021", true}, // adjacent swap
		{"040085000102", "040085000201", false},
		{"040085000001", "04008500001", false},
		{"", "", false},
		{"1", "2", true},
	}
	for _, tt := range tests {
		if got := oneDigitOff(tt.a, tt.b); got != tt.want {
			t.Errorf("oneDigitOff(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestGivenSimilar(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"nguyen van hung", "nguyen van hung", true},
		{"nguyen van hung", "tran van hung", true},
		{"nguyen van hung", "nguyen van hunh", true},
		{"nguyen thi lan", "nguyen thi lam", true},
		{"nguyen tuyet han", "nguyen thuy da yen", false},
		{"le van an", "le van binh", false},
		{"an", "an", true},
	}
	for _, tt := range tests {
		if got := givenSimilar(tt.a, tt.b); got != tt.want {
			t.Errorf("givenSimilar(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestPlausible: a fuzzy candidate needs evidence beyond a shared name and
// birth date when its other fields contradict the record.
func TestPlausible(t *testing.T) {
	const M = Missing
	// name, birth, gender, commune, id
	tests := []struct {
		name string
		v    Vector
		want bool
	}{
		{"all agree, no id", Vector{3, 3, 1, 1, M}, true},
		{"wrong id, rest agrees", Vector{3, 3, 1, 1, 0}, true},
		{"wrong id, other commune, same gender", Vector{3, 3, 1, 0, 0}, false},
		{"wrong id, commune unknown", Vector{3, 3, 1, M, 0}, true},
		{"wrong id and other gender", Vector{3, 3, 0, 1, 0}, false},
		{"gender, id and commune all disagree", Vector{3, 3, 0, 0, 0}, false},
		{"no id, other gender, same commune", Vector{3, 3, 0, 1, M}, true},
		{"no id, other gender and commune", Vector{3, 3, 0, 0, M}, false},
		{"no id, other gender, commune unknown", Vector{3, 3, 0, M, M}, true},
		{"id one digit off, other gender", Vector{3, 3, 0, 1, 1}, true},
		{"wrong id, similar name only", Vector{2, 3, 1, 1, 0}, false},
		{"different name", Vector{0, 3, 1, 1, M}, false},
		{"different birth date", Vector{3, 0, 1, 1, M}, false},
	}
	for _, tt := range tests {
		if got := plausible(tt.v); got != tt.want {
			t.Errorf("%s: plausible(%v) = %v, want %v", tt.name, tt.v, got, tt.want)
		}
	}
}

// TestCandidatesCommonName: a name so common that its namesakes born in one
// year fill every candidate place must not crowd out the person born the
// same day in the same commune.
func TestCandidatesCommonName(t *testing.T) {
	b := NewPopulationBuilder(400)
	add := func(i int, day uint8, commune string) {
		b.Add(&PersonInput{Row: int64(i + 1), ID: fmt.Sprintf("040324%06d", i), Name: "Nguyễn Thị Nhi",
			NameKey: "nguyen thi nhi", Birth: normalize.Date{Year: 2024, Month: 1 + uint8(i%12), Day: day, Precision: normalize.PrecisionDay},
			Gender: normalize.GenderFemale, Commune: commune})
	}
	for i := range 300 {
		add(i, 1+uint8(i%28), fmt.Sprintf("%05d", 16000+i%50))
	}
	add(300, 14, "17239") // born 14/01/2024 (300 % 12 = 0) in 17239
	pop := b.Build()
	l := NewLinker(pop, LinkOptions{})
	r := Record{NameKey: "nguyen thi nhi", Birth: normalize.Date{Year: 2024, Month: 1, Day: 14, Precision: normalize.PrecisionDay},
		Gender: normalize.GenderFemale, Commune: "17239"}
	if !slices.Contains(l.candidates(&r, nil), 300) {
		t.Fatal("the person born the same day in the commune is not among the candidates")
	}
	if link := l.Link(&r); link.Method != LinkFuzzy || link.Person != 300 {
		t.Errorf("link = %v to row %d, want fuzzy to row 300", link.Method, link.Person)
	}
}
