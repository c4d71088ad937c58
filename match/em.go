package match

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
)

// EMOptions tunes Model.Estimate. The zero value gives the defaults.
type EMOptions struct {
	// MaxIter bounds the EM iterations; default 200.
	MaxIter int
	// Tol: EM has converged when no probability, nor Lambda, changes by
	// more than Tol in an iteration; default 1e-6.
	Tol float64
	// FixU keeps U as it is (typically set by EstimateU from random
	// pairs, which is more stable) and estimates only M and Lambda.
	FixU bool
	// FixLambda keeps Lambda as it is.
	FixLambda bool
}

// EMResult reports an estimation.
type EMResult struct {
	Iterations    int     // EM iterations run
	Converged     bool    // the change fell below Tol before MaxIter
	Lambda        float64 // estimated P(match) among the pairs
	LogLikelihood float64 // natural log-likelihood of the pairs under the final model
	Pairs         float64 // number of comparison vectors
	Patterns      int     // distinct comparison vectors
	Swapped       bool    // the classes came out reversed and were swapped (see Estimate)
}

// ErrNoVectors is returned when there is nothing to estimate from.
var ErrNoVectors = errors.New("match: no comparison vectors")

// Patterns counts distinct comparison vectors, so that EM costs O(distinct
// vectors) per iteration rather than O(pairs), and so that pairs can be
// compared and counted as a stream without being kept. The zero value is
// empty and ready to use.
type Patterns struct {
	idx    map[uint64]int32 // by packed vector
	vs     []Vector
	counts []float64
	total  float64
}

// Add counts one comparison vector.
func (p *Patterns) Add(v Vector) { p.AddN(v, 1) }

// AddN counts n (a weight, usually 1) comparison vectors equal to v.
func (p *Patterns) AddN(v Vector, n float64) {
	if p.idx == nil {
		p.idx = make(map[uint64]int32)
	}
	k := binary.LittleEndian.Uint64(v[:])
	i, ok := p.idx[k]
	if !ok {
		i = int32(len(p.vs))
		p.idx[k] = i
		p.vs = append(p.vs, v)
		p.counts = append(p.counts, 0)
	}
	p.counts[i] += n
	p.total += n
}

// Len returns the number of distinct vectors.
func (p *Patterns) Len() int { return len(p.vs) }

// At returns the k-th distinct vector (0 <= k < Len), in the order they
// were first counted, and its count.
func (p *Patterns) At(k int) (Vector, float64) { return p.vs[k], p.counts[k] }

// Total returns the number of vectors counted.
func (p *Patterns) Total() float64 { return p.total }

// Estimate estimates M, Lambda and (unless opts.FixU) U from comparison
// vectors of candidate pairs by expectation-maximisation, as Splink and
// fastLink do: the E step gives each distinct vector its posterior match
// probability, the M step re-estimates the probabilities from the counts
// weighted by it, Missing levels being left out of both. Probabilities are
// clamped to [1e-6, 1-1e-6]. The result depends only on the multiset of
// vectors, not on their order.
//
// EM may settle with the two classes exchanged. When U is estimated too and
// exact agreement comes out as evidence against a match (the sum over fields
// of the exact-agreement weights is negative), the classes are swapped back
// and EMResult.Swapped is set.
//
// On error (no vectors, or a level out of range for its field) the model is
// unchanged.
func (m *Model) Estimate(vs []Vector, opts EMOptions) (EMResult, error) {
	var p Patterns
	for _, v := range vs {
		p.Add(v)
	}
	return m.EstimatePatterns(&p, opts)
}

// EstimatePatterns is Estimate on counted vectors.
func (m *Model) EstimatePatterns(p *Patterns, opts EMOptions) (EMResult, error) {
	if opts.MaxIter <= 0 {
		opts.MaxIter = 200
	}
	if opts.Tol <= 0 {
		opts.Tol = 1e-6
	}
	pats, counts, err := m.canonical(p)
	if err != nil {
		return EMResult{}, err
	}
	nf := len(m.Fields)
	res := EMResult{Patterns: len(pats)}
	for _, c := range counts {
		res.Pairs += c
	}
	if res.Pairs <= 0 {
		return EMResult{}, ErrNoVectors
	}

	M := cloneProbs(m.M)
	U := cloneProbs(m.U)
	lambda := clampProb(m.Lambda)
	accM := newLike(M)
	accU := newLike(U)
	post := make([]float64, len(pats))

	for res.Iterations < opts.MaxIter {
		res.Iterations++
		// E step.
		var sumG float64
		for i, v := range pats {
			pm, pu := lambda, 1-lambda
			for f := range nf {
				if l := v[f]; l != Missing {
					pm *= M[f][l]
					pu *= U[f][l]
				}
			}
			g := pm / (pm + pu)
			post[i] = g
			sumG += counts[i] * g
		}
		// M step.
		clearProbs(accM)
		clearProbs(accU)
		for i, v := range pats {
			cg := counts[i] * post[i]
			cu := counts[i] - cg
			for f := range nf {
				if l := v[f]; l != Missing {
					accM[f][l] += cg
					accU[f][l] += cu
				}
			}
		}
		delta := 0.0
		if !opts.FixLambda {
			nl := clampProb(sumG / res.Pairs)
			delta = math.Abs(nl - lambda)
			lambda = nl
		}
		delta = max(delta, update(M, accM))
		if !opts.FixU {
			delta = max(delta, update(U, accU))
		}
		if delta < opts.Tol {
			res.Converged = true
			break
		}
	}

	if !opts.FixU && reversed(M, U) {
		M, U = U, M
		if !opts.FixLambda {
			lambda = 1 - lambda
		}
		res.Swapped = true
	}
	m.M, m.U, m.Lambda = M, U, lambda
	m.Refresh()
	res.Lambda = m.Lambda
	res.LogLikelihood = m.logLikelihood(pats, counts)
	return res, nil
}

// EstimateU sets U from comparison vectors of random pairs, nearly all of
// which are non-matches: U for each field and level becomes the share of
// the level among the vectors where the field is not Missing. Fields
// Missing in every vector keep their U. On error (a level out of range)
// the model is unchanged.
func (m *Model) EstimateU(vs []Vector) error {
	nf := len(m.Fields)
	var counts [MaxFields][256]int64
	for _, v := range vs {
		for f := range nf {
			counts[f][v[f]]++
		}
	}
	acc := newLike(m.U)
	for f, fd := range m.Fields {
		for l := len(fd.Levels); l < int(Missing); l++ {
			if counts[f][l] > 0 {
				return fmt.Errorf("match: EstimateU: field %q has level %d in %d vectors, want 0 to %d or Missing", fd.Name, l, counts[f][l], len(fd.Levels)-1)
			}
		}
		for l := range acc[f] {
			acc[f][l] = float64(counts[f][l])
		}
	}
	update(m.U, acc)
	m.Refresh()
	return nil
}

// canonical returns p's vectors with the slots past the model's fields set
// to Missing, merged and sorted, so that EM's floating-point sums run in an
// order fixed by the data alone.
func (m *Model) canonical(p *Patterns) ([]Vector, []float64, error) {
	if err := m.check(p.vs); err != nil {
		return nil, nil, err
	}
	nf := len(m.Fields)
	type pc struct {
		v Vector
		c float64
	}
	all := make([]pc, 0, len(p.vs))
	for i, v := range p.vs {
		for f := nf; f < MaxFields; f++ {
			v[f] = Missing
		}
		if p.counts[i] > 0 {
			all = append(all, pc{v, p.counts[i]})
		}
	}
	slices.SortFunc(all, func(a, b pc) int {
		for f := range nf {
			if a.v[f] != b.v[f] {
				return int(a.v[f]) - int(b.v[f])
			}
		}
		return 0
	})
	var vs []Vector
	var cs []float64
	for i, x := range all {
		if i > 0 && x.v == all[i-1].v {
			cs[len(cs)-1] += x.c
			continue
		}
		vs = append(vs, x.v)
		cs = append(cs, x.c)
	}
	return vs, cs, nil
}

func (m *Model) check(vs []Vector) error {
	for i, v := range vs {
		for f, fd := range m.Fields {
			if l := v[f]; l != Missing && int(l) >= len(fd.Levels) {
				return fmt.Errorf("match: vector %d: field %q has level %d, want 0 to %d or Missing", i, fd.Name, l, len(fd.Levels)-1)
			}
		}
	}
	return nil
}

func (m *Model) logLikelihood(pats []Vector, counts []float64) float64 {
	var ll float64
	for i, v := range pats {
		pm, pu := m.Lambda, 1-m.Lambda
		for f := range m.Fields {
			if l := v[f]; l != Missing {
				pm *= m.M[f][l]
				pu *= m.U[f][l]
			}
		}
		ll += counts[i] * math.Log(pm+pu)
	}
	return ll
}

// update sets each field of p to its accumulated counts, normalised and
// clamped, and returns the largest change. Fields with no counts keep
// their values.
func update(p, acc [][]float64) float64 {
	delta := 0.0
	for f := range p {
		var s float64
		for _, x := range acc[f] {
			s += x
		}
		if s <= 0 {
			continue
		}
		normalizeProbs(acc[f])
		for l, x := range acc[f] {
			delta = max(delta, math.Abs(x-p[f][l]))
			p[f][l] = x
		}
	}
	return delta
}

// reversed reports whether exact agreement is, on balance over the fields,
// evidence against a match.
func reversed(M, U [][]float64) bool {
	var s float64
	for f := range M {
		top := len(M[f]) - 1
		s += math.Log2(M[f][top] / U[f][top])
	}
	return s < 0
}

func cloneProbs(p [][]float64) [][]float64 {
	out := make([][]float64, len(p))
	for i := range p {
		out[i] = slices.Clone(p[i])
	}
	return out
}

func newLike(p [][]float64) [][]float64 {
	out := make([][]float64, len(p))
	for i := range p {
		out[i] = make([]float64, len(p[i]))
	}
	return out
}

func clearProbs(p [][]float64) {
	for _, x := range p {
		clear(x)
	}
}
