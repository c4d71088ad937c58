package match

import (
	"cmp"
	"slices"
)

// Default decision settings.
const (
	DefaultThreshold = 0.95 // minimum match probability to link
	DefaultMargin    = 4.0  // bits (a likelihood ratio of 16) ahead of the runner-up
)

// Candidate is one population row a source record may belong to.
type Candidate struct {
	Row         int32
	Weight      float64 // match weight in bits, possibly term-frequency adjusted
	Probability float64 // posterior match probability
	Vector      Vector
}

// Outcome is the kind of a linking decision.
type Outcome uint8

// Outcomes.
const (
	NoMatch   Outcome = iota // no candidate reaches the threshold
	Linked                   // one candidate, clearly ahead of the others
	Ambiguous                // several candidates fit about equally well: none is picked
)

func (o Outcome) String() string {
	switch o {
	case NoMatch:
		return "no_match"
	case Linked:
		return "linked"
	case Ambiguous:
		return "ambiguous"
	}
	return "unknown"
}

// DecideOptions tunes Decide. The zero value gives the defaults.
type DecideOptions struct {
	// Threshold is the minimum Probability for a candidate to be linked;
	// 0 means DefaultThreshold.
	Threshold float64
	// Margin is how many bits of Weight the best candidate must be ahead
	// of the runner-up to be linked; 0 means DefaultMargin, and a negative
	// value means any lead at all. A tie is never linked.
	Margin float64
}

// Decision is the outcome of Decide.
type Decision struct {
	Outcome Outcome
	// Best is the candidate with the highest Weight (ties: the lowest
	// Row), whatever the outcome, so that a NoMatch can still report its
	// nearest miss. Best.Row is -1 when there were no candidates.
	Best Candidate
	// RunnerUp is the second candidate in that order; RunnerUp.Row is -1
	// when there was at most one candidate.
	RunnerUp Candidate
	// Contenders, for Ambiguous, are the candidates within the margin of
	// Best (Best included), by descending Weight then ascending Row.
	Contenders []Candidate
}

// Rows returns the rows of the contenders of an ambiguous decision, the
// linked row of a Linked one, and nil for NoMatch. It returns a new slice.
func (d Decision) Rows() []int32 {
	switch d.Outcome {
	case Linked:
		return []int32{d.Best.Row}
	case Ambiguous:
		rows := make([]int32, len(d.Contenders))
		for i, c := range d.Contenders {
			rows[i] = c.Row
		}
		return rows
	}
	return nil
}

// Decide decides which candidate, if any, a source record belongs to. The
// candidates are ranked by Weight (ties by Row); Probability is used only
// against the threshold, so it should be computed from the same Weight
// (Model.Posterior) for the two to agree.
//
//   - NoMatch: the best candidate's Probability is below the threshold (or
//     there are no candidates).
//   - Linked: the best candidate reaches the threshold and its Weight is at
//     least Margin bits above the runner-up's (and strictly above it).
//   - Ambiguous: the best reaches the threshold but the runner-up is within
//     the margin, whether or not the runner-up itself reaches the
//     threshold: the record is never linked silently to one of several
//     plausible people.
//
// The candidates should be distinct rows. Decide does not modify cands and
// allocates only for Ambiguous.
func Decide(cands []Candidate, opts DecideOptions) Decision {
	if opts.Threshold == 0 {
		opts.Threshold = DefaultThreshold
	}
	if opts.Margin == 0 {
		opts.Margin = DefaultMargin
	}
	margin := max(opts.Margin, 0)
	d := Decision{Outcome: NoMatch, Best: Candidate{Row: -1}, RunnerUp: Candidate{Row: -1}}
	best, second := -1, -1
	for i, c := range cands {
		switch {
		case best < 0 || ahead(c, cands[best]):
			best, second = i, best
		case second < 0 || ahead(c, cands[second]):
			second = i
		}
	}
	if best < 0 {
		return d
	}
	d.Best = cands[best]
	if second >= 0 {
		d.RunnerUp = cands[second]
	}
	if d.Best.Probability < opts.Threshold {
		return d
	}
	if second < 0 {
		d.Outcome = Linked
		return d
	}
	lead := d.Best.Weight - d.RunnerUp.Weight
	if lead > 0 && lead >= margin {
		d.Outcome = Linked
		return d
	}
	d.Outcome = Ambiguous
	for _, c := range cands {
		if c.Weight >= d.Best.Weight-margin {
			d.Contenders = append(d.Contenders, c)
		}
	}
	slices.SortFunc(d.Contenders, compareCandidates)
	return d
}

// ahead reports whether a ranks before b: higher Weight, then lower Row.
func ahead(a, b Candidate) bool { return compareCandidates(a, b) < 0 }

func compareCandidates(a, b Candidate) int {
	if c := cmp.Compare(b.Weight, a.Weight); c != 0 {
		return c
	}
	return cmp.Compare(a.Row, b.Row)
}
