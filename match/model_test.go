package match

import (
	"math"
	"strings"
	"testing"
)

func twoFieldModel() *Model {
	return NewModel([]Field{
		{Name: "a", Levels: []string{"different", "same"}},
		{Name: "b", Levels: []string{"different", "close", "same"}},
	}, Prior{
		Lambda: 0.5,
		M:      [][]float64{{0.2, 0.8}, {0.1, 0.1, 0.8}},
		U:      [][]float64{{0.8, 0.2}, {0.8, 0.1, 0.1}},
	})
}

func TestWeightAndProbability(t *testing.T) {
	m := twoFieldModel()
	vec := func(a, b uint8) Vector {
		v := MissingVector()
		v[0], v[1] = a, b
		return v
	}
	tests := []struct {
		name string
		v    Vector
		want float64 // weight in bits
	}{
		{"both agree", vec(1, 2), 2 + 3},
		{"both disagree", vec(0, 0), -2 - 3},
		{"partial", vec(1, 1), 2 + 0},
		{"a missing", vec(Missing, 2), 3},
		{"all missing", MissingVector(), 0},
		{"out of range level is no evidence", vec(1, 7), 2},
		{"slots past the fields ignored", Vector{1, 2, 0, 0, 0, 0, 0, 0}, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := m.Weight(tt.v); math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("Weight = %v, want %v", got, tt.want)
			}
			wantP := 1 / (1 + math.Exp2(-tt.want)) // Lambda 0.5: prior weight 0
			if got := m.Probability(tt.v); math.Abs(got-wantP) > 1e-12 {
				t.Errorf("Probability = %v, want %v", got, wantP)
			}
			var sum float64
			for _, fw := range m.Explain(tt.v) {
				sum += fw.Weight
			}
			if math.Abs(sum-tt.want) > 1e-9 {
				t.Errorf("Explain weights sum to %v, want %v", sum, tt.want)
			}
		})
	}
}

func TestProbabilityPrior(t *testing.T) {
	m := twoFieldModel()
	m.Lambda = 0.2
	m.Refresh()
	// Prior odds 1:4 (-2 bits); weight 2 (a agrees, b missing) gives even odds.
	v := MissingVector()
	v[0] = 1
	if got := m.Probability(v); math.Abs(got-0.5) > 1e-12 {
		t.Errorf("Probability = %v, want 0.5", got)
	}
	if got := m.PriorWeight(); math.Abs(got+2) > 1e-12 {
		t.Errorf("PriorWeight = %v, want -2", got)
	}
}

func TestExplain(t *testing.T) {
	m := twoFieldModel()
	v := MissingVector()
	v[1] = 2
	got := m.Explain(v)
	if len(got) != 2 {
		t.Fatalf("Explain returned %d fields", len(got))
	}
	if got[0].Level != Missing || got[0].Label != "missing" || got[0].Weight != 0 || got[0].String() != "a=missing" {
		t.Errorf("missing field explained as %+v (%s)", got[0], got[0])
	}
	if got[1].Field != "b" || got[1].Label != "same" || got[1].M != 0.8 || got[1].U != 0.1 || got[1].String() != "b=same +3.0" {
		t.Errorf("field b explained as %+v (%s)", got[1], got[1])
	}
}

func TestNewModelDefaults(t *testing.T) {
	m := NewModel([]Field{{Name: "x", Levels: []string{"0", "1", "2", "3"}}})
	if m.Lambda != 0.1 {
		t.Errorf("default Lambda = %v", m.Lambda)
	}
	for l := 1; l < 4; l++ {
		if m.M[0][l] <= m.M[0][l-1] || m.U[0][l] >= m.U[0][l-1] {
			t.Errorf("default M %v should rise and U %v fall with the level", m.M[0], m.U[0])
		}
	}
	if w := m.Weight(Vector{3}); w <= 0 {
		t.Errorf("default weight of exact agreement = %v, want > 0", w)
	}
}

func TestNewModelPanics(t *testing.T) {
	two := []string{"no", "yes"}
	tests := []struct {
		name   string
		fields []Field
		priors []Prior
		want   string
	}{
		{"too many fields", make([]Field, MaxFields+1), nil, "fields"},
		{"one level", []Field{{Name: "x", Levels: []string{"only"}}}, nil, "levels"},
		{"prior shape", []Field{{Name: "x", Levels: two}}, []Prior{{M: [][]float64{{1, 2, 3}}}}, "prior"},
		{"two priors", []Field{{Name: "x", Levels: two}}, []Prior{{}, {}}, "Prior"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if s, _ := r.(string); !strings.Contains(s, tt.want) {
					t.Errorf("panic %v, want one mentioning %q", r, tt.want)
				}
			}()
			NewModel(tt.fields, tt.priors...)
		})
	}
}

func TestWeightNoAlloc(t *testing.T) {
	m := twoFieldModel()
	v := Vector{1, 2}
	if n := testing.AllocsPerRun(100, func() { _ = m.Probability(v) }); n != 0 {
		t.Errorf("Probability allocates %v times", n)
	}
}

func TestTFAdjust(t *testing.T) {
	tests := []struct {
		name          string
		base, u, freq float64
		want          float64
	}{
		{"average value", 10, 0.01, 0.01, 10},
		{"common value weighs less", 10, 0.01, 0.04, 8},
		{"rare value weighs more", 10, 0.01, 0.0025, 12},
		{"unknown value", 10, 0.01, 0, 10},
		{"tiny frequency clamped", 10, 0.01, 1e-12, 10 + math.Log2(0.01/1e-6)},
		{"frequency above 1 clamped", 10, 0.5, 3, 9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := TFAdjust(tt.base, tt.u, tt.freq); math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("TFAdjust(%v, %v, %v) = %v, want %v", tt.base, tt.u, tt.freq, got, tt.want)
			}
		})
	}
}

func TestWeightTF(t *testing.T) {
	m := twoFieldModel() // b: 3 levels, exact U = 0.1, weight of exact +3
	tests := []struct {
		name  string
		v     Vector
		field int
		freq  float64
		want  float64
	}{
		{"exact, common value", Vector{1, 2}, 1, 0.4, 2 + 3 - 2},
		{"exact, rare value", Vector{1, 2}, 1, 0.025, 2 + 3 + 2},
		{"not exact: no adjustment", Vector{1, 1}, 1, 0.4, 2},
		{"missing: no adjustment", Vector{1, Missing}, 1, 0.4, 2},
		{"unknown frequency", Vector{1, 2}, 1, 0, 5},
		{"field out of range", Vector{1, 2}, 5, 0.4, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := m.WeightTF(tt.v, tt.field, tt.freq); math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("WeightTF = %v, want %v", got, tt.want)
			}
		})
	}
}
