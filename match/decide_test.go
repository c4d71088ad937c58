package match

import (
	"slices"
	"testing"
)

func cand(row int32, w, p float64) Candidate {
	return Candidate{Row: row, Weight: w, Probability: p}
}

func TestDecide(t *testing.T) {
	opts := DecideOptions{Threshold: 0.9, Margin: 4}
	tests := []struct {
		name     string
		cands    []Candidate
		opts     DecideOptions
		want     Outcome
		best     int32
		runnerUp int32
		rows     []int32
	}{
		{"no candidates", nil, opts, NoMatch, -1, -1, nil},
		{"one below threshold", []Candidate{cand(5, 2, 0.5)}, opts, NoMatch, 5, -1, nil},
		{"one above", []Candidate{cand(5, 12, 0.99)}, opts, Linked, 5, -1, []int32{5}},
		{"exactly at threshold", []Candidate{cand(5, 12, 0.9)}, opts, Linked, 5, -1, []int32{5}},
		{"clear winner", []Candidate{cand(1, 3, 0.6), cand(2, 15, 0.999), cand(3, 1, 0.3)}, opts, Linked, 2, 1, []int32{2}},
		{"lead exactly the margin", []Candidate{cand(1, 11, 0.99), cand(2, 15, 0.999)}, opts, Linked, 2, 1, []int32{2}},
		{"two over threshold, close", []Candidate{cand(1, 14, 0.998), cand(2, 15, 0.999), cand(3, -5, 0.01)}, opts, Ambiguous, 2, 1, []int32{2, 1}},
		{"runner-up under threshold but within margin", []Candidate{cand(1, 12, 0.95), cand(2, 9, 0.85)}, opts, Ambiguous, 1, 2, []int32{1, 2}},
		{"tie broken by row for Best, still ambiguous", []Candidate{cand(9, 15, 0.999), cand(4, 15, 0.999)}, opts, Ambiguous, 4, 9, []int32{4, 9}},
		{"tie with negative margin", []Candidate{cand(9, 15, 0.999), cand(4, 15, 0.999)}, DecideOptions{Threshold: 0.9, Margin: -1}, Ambiguous, 4, 9, []int32{4, 9}},
		{"any lead with negative margin", []Candidate{cand(9, 15.5, 0.999), cand(4, 15, 0.999)}, DecideOptions{Threshold: 0.9, Margin: -1}, Linked, 9, 4, []int32{9}},
		{"all below threshold, close", []Candidate{cand(1, 1, 0.5), cand(2, 1, 0.5)}, opts, NoMatch, 1, 2, nil},
		{"defaults: 0.95 and 4 bits", []Candidate{cand(1, 10, 0.96), cand(2, 6.5, 0.9)}, DecideOptions{}, Ambiguous, 1, 2, []int32{1, 2}},
		{"defaults: below 0.95", []Candidate{cand(1, 10, 0.94)}, DecideOptions{}, NoMatch, 1, -1, nil},
		{"contenders ordered by weight", []Candidate{cand(7, 13, 0.99), cand(3, 12, 0.99), cand(8, 14, 0.99), cand(1, 2, 0.4)}, opts, Ambiguous, 8, 7, []int32{8, 7, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			orig := slices.Clone(tt.cands)
			d := Decide(tt.cands, tt.opts)
			if d.Outcome != tt.want || d.Best.Row != tt.best || d.RunnerUp.Row != tt.runnerUp {
				t.Errorf("Decide = %v best %d runner-up %d, want %v best %d runner-up %d",
					d.Outcome, d.Best.Row, d.RunnerUp.Row, tt.want, tt.best, tt.runnerUp)
			}
			if got := d.Rows(); !slices.Equal(got, tt.rows) {
				t.Errorf("Rows() = %v, want %v", got, tt.rows)
			}
			if !slices.Equal(orig, tt.cands) {
				t.Error("Decide modified its input")
			}
			if d.Outcome != Ambiguous && d.Contenders != nil {
				t.Errorf("contenders %v on %v", d.Contenders, d.Outcome)
			}
		})
	}
}

func TestDecideOrderIndependent(t *testing.T) {
	cands := []Candidate{cand(1, 14, 0.998), cand(2, 15, 0.999), cand(3, 11.5, 0.99), cand(4, 15, 0.999)}
	want := Decide(cands, DecideOptions{})
	for range 20 {
		slices.Reverse(cands)
		cands[0], cands[2] = cands[2], cands[0]
		got := Decide(cands, DecideOptions{})
		if got.Outcome != want.Outcome || got.Best != want.Best || got.RunnerUp != want.RunnerUp || !slices.Equal(got.Contenders, want.Contenders) {
			t.Fatalf("decision depends on candidate order: %+v vs %+v", got, want)
		}
	}
}

func TestDecideNoAlloc(t *testing.T) {
	cands := []Candidate{cand(1, 3, 0.6), cand(2, 15, 0.999), cand(3, 1, 0.3)}
	if n := testing.AllocsPerRun(100, func() { _ = Decide(cands, DecideOptions{}) }); n != 0 {
		t.Errorf("Decide allocates %v times when linking", n)
	}
}

func TestOutcomeString(t *testing.T) {
	for o, want := range map[Outcome]string{NoMatch: "no_match", Linked: "linked", Ambiguous: "ambiguous", 9: "unknown"} {
		if o.String() != want {
			t.Errorf("%d.String() = %q, want %q", o, o.String(), want)
		}
	}
}
