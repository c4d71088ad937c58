package match

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// A known model to draw synthetic comparison vectors from.
var (
	emFields = []Field{
		{Name: "name", Levels: []string{"different", "similar", "close", "exact"}},
		{Name: "birth_date", Levels: []string{"different", "swapped", "coarser", "exact"}},
		{Name: "gender", Levels: []string{"different", "same"}},
		{Name: "commune", Levels: []string{"different", "same"}},
		{Name: "id", Levels: []string{"different", "one digit off", "same"}},
	}
	emTrueM = [][]float64{
		{0.05, 0.05, 0.10, 0.80},
		{0.05, 0.03, 0.12, 0.80},
		{0.02, 0.98},
		{0.15, 0.85},
		{0.10, 0.05, 0.85},
	}
	emTrueU = [][]float64{
		{0.85, 0.10, 0.04, 0.01},
		{0.90, 0.01, 0.05, 0.04},
		{0.50, 0.50},
		{0.70, 0.30},
		{0.97, 0.02, 0.01},
	}
	emMissing = []float64{0.02, 0.03, 0.01, 0.05, 0.30}
)

func draw(rng *rand.Rand, p []float64) uint8 {
	x := rng.Float64()
	for l, q := range p {
		if x < q {
			return uint8(l)
		}
		x -= q
	}
	return uint8(len(p) - 1)
}

// drawVectors draws n vectors, a share lambda of them matches. It also
// returns which were matches.
func drawVectors(seed uint64, n int, lambda float64) ([]Vector, []bool) {
	rng := rand.New(rand.NewPCG(seed, 1))
	vs := make([]Vector, n)
	match := make([]bool, n)
	for i := range vs {
		probs := emTrueU
		if rng.Float64() < lambda {
			probs, match[i] = emTrueM, true
		}
		v := MissingVector()
		for f := range emFields {
			if rng.Float64() >= emMissing[f] {
				v[f] = draw(rng, probs[f])
			}
		}
		vs[i] = v
	}
	return vs, match
}

func assertClose(t *testing.T, what string, got, want [][]float64, tol float64) {
	t.Helper()
	for f := range want {
		for l := range want[f] {
			if d := math.Abs(got[f][l] - want[f][l]); d > tol {
				t.Errorf("%s[%s][%d] = %.4f, want %.4f (off by %.4f)", what, emFields[f].Name, l, got[f][l], want[f][l], d)
			}
		}
	}
}

func TestEstimateRecoversModel(t *testing.T) {
	const lambda = 0.3
	vs, _ := drawVectors(1, 200_000, lambda)
	tests := []struct {
		name  string
		prior []Prior
	}{
		{"default prior", nil},
		{"reversed prior", []Prior{{Lambda: 0.6, M: emTrueU, U: emTrueM}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewModel(emFields, tt.prior...)
			res, err := m.Estimate(vs, EMOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Converged {
				t.Errorf("did not converge in %d iterations", res.Iterations)
			}
			t.Logf("%+v", res)
			if math.Abs(m.Lambda-lambda) > 0.03 {
				t.Errorf("Lambda = %.4f, want %.4f", m.Lambda, lambda)
			}
			assertClose(t, "M", m.M, emTrueM, 0.03)
			assertClose(t, "U", m.U, emTrueU, 0.03)
			if res.Pairs != float64(len(vs)) || res.Patterns < 10 || res.Patterns > 5*5*3*3*4 {
				t.Errorf("Pairs, Patterns = %v, %d", res.Pairs, res.Patterns)
			}
		})
	}
}

func TestEstimateFixedU(t *testing.T) {
	// u from random pairs: here, vectors drawn from non-matches only.
	random, _ := drawVectors(2, 100_000, 0)
	cands, _ := drawVectors(3, 100_000, 0.4)
	m := NewModel(emFields)
	if err := m.EstimateU(random); err != nil {
		t.Fatal(err)
	}
	assertClose(t, "U from random pairs", m.U, emTrueU, 0.01)
	u := cloneProbs(m.U)
	res, err := m.Estimate(cands, EMOptions{FixU: true})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Converged || res.Swapped {
		t.Errorf("result %+v", res)
	}
	for f := range u {
		if !slices.Equal(u[f], m.U[f]) {
			t.Errorf("FixU changed U[%d] from %v to %v", f, u[f], m.U[f])
		}
	}
	if math.Abs(m.Lambda-0.4) > 0.03 {
		t.Errorf("Lambda = %.4f, want 0.4", m.Lambda)
	}
	assertClose(t, "M", m.M, emTrueM, 0.03)
}

// The model classifies well: its probabilities separate the true matches.
func TestEstimateClassifies(t *testing.T) {
	vs, match := drawVectors(4, 50_000, 0.2)
	m := NewModel(emFields)
	if _, err := m.Estimate(vs, EMOptions{}); err != nil {
		t.Fatal(err)
	}
	var wrong int
	for i, v := range vs {
		if (m.Probability(v) >= 0.5) != match[i] {
			wrong++
		}
	}
	if rate := float64(wrong) / float64(len(vs)); rate > 0.02 {
		t.Errorf("misclassifies %.2f%% of pairs", 100*rate)
	}
}

func TestEstimateDeterministic(t *testing.T) {
	vs, _ := drawVectors(5, 30_000, 0.25)
	m1 := NewModel(emFields)
	r1, err := m1.Estimate(vs, EMOptions{})
	if err != nil {
		t.Fatal(err)
	}
	shuffled := slices.Clone(vs)
	rand.New(rand.NewPCG(9, 9)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	// Slots past the model's fields do not matter either.
	for i := range shuffled {
		shuffled[i][MaxFields-1] = uint8(i % 3)
	}
	m2 := NewModel(emFields)
	r2, err := m2.Estimate(shuffled, EMOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r1 != r2 || m1.Lambda != m2.Lambda {
		t.Errorf("results differ: %+v vs %+v", r1, r2)
	}
	for f := range emFields {
		if !slices.Equal(m1.M[f], m2.M[f]) || !slices.Equal(m1.U[f], m2.U[f]) {
			t.Errorf("field %d differs between runs", f)
		}
	}
}

func TestEstimateConvergesAndClamps(t *testing.T) {
	// Every pair agrees exactly on everything: u of exact agreement and
	// lambda are pushed to the bounds, never to 0 or 1.
	v := Vector{3, 3, 1, 1, 2}
	vs := slices.Repeat([]Vector{v}, 1000)
	vs = append(vs, Vector{0, 0, 0, 0, 0})
	m := NewModel(emFields)
	res, err := m.Estimate(vs, EMOptions{MaxIter: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for f := range emFields {
		for l := range m.M[f] {
			for _, p := range []float64{m.M[f][l], m.U[f][l]} {
				if p < probMin*0.99 || p > probMax || math.IsNaN(p) {
					t.Fatalf("probability %v out of bounds in field %d (%+v)", p, f, res)
				}
			}
		}
	}
	if w := m.Weight(v); math.IsInf(w, 0) || math.IsNaN(w) || w <= 0 {
		t.Errorf("weight of full agreement = %v", w)
	}
	if m.Lambda < probMin || m.Lambda > probMax {
		t.Errorf("Lambda = %v", m.Lambda)
	}
	// More iterations never move a converged model by more than Tol.
	vs2, _ := drawVectors(6, 20_000, 0.3)
	m2 := NewModel(emFields)
	if res, err := m2.Estimate(vs2, EMOptions{Tol: 1e-9, MaxIter: 5000}); err != nil || !res.Converged {
		t.Fatalf("did not converge: %+v %v", res, err)
	}
	before := cloneProbs(m2.M)
	if res, _ := m2.Estimate(vs2, EMOptions{Tol: 1e-9}); res.Iterations > 2 {
		t.Errorf("restarting from a converged model took %d iterations", res.Iterations)
	}
	assertClose(t, "M after restart", m2.M, before, 1e-6)
}

func TestEstimateErrors(t *testing.T) {
	m := NewModel(emFields)
	before := cloneProbs(m.M)
	if _, err := m.Estimate(nil, EMOptions{}); !errors.Is(err, ErrNoVectors) {
		t.Errorf("no vectors: err = %v", err)
	}
	bad := []Vector{{3, 3, 1, 1, 2}, {3, 3, 2, 1, 2}} // gender has 2 levels
	if _, err := m.Estimate(bad, EMOptions{}); err == nil {
		t.Error("level out of range: no error")
	}
	if err := m.EstimateU(bad); err == nil {
		t.Error("EstimateU with a level out of range: no error")
	}
	if _, err := m.Estimate([]Vector{MissingVector()}, EMOptions{}); err != nil {
		t.Errorf("all missing: %v", err)
	}
	for f := range before {
		if !slices.Equal(before[f], m.M[f]) {
			t.Errorf("failed or empty estimation changed M[%d]", f)
		}
	}
}

func TestPatterns(t *testing.T) {
	var p Patterns
	p.Add(Vector{1})
	p.Add(Vector{1})
	p.AddN(Vector{2}, 3)
	if p.Len() != 2 || p.Total() != 5 {
		t.Errorf("Len, Total = %d, %v, want 2, 5", p.Len(), p.Total())
	}
	vs, _ := drawVectors(7, 10_000, 0.3)
	var q Patterns
	for _, v := range vs {
		q.Add(v)
	}
	m1, m2 := NewModel(emFields), NewModel(emFields)
	r1, _ := m1.Estimate(vs, EMOptions{})
	r2, _ := m2.EstimatePatterns(&q, EMOptions{})
	if r1 != r2 {
		t.Errorf("Estimate %+v and EstimatePatterns %+v differ", r1, r2)
	}
}
