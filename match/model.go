package match

import (
	"fmt"
	"math"
)

// MaxFields is the largest number of compared fields a Model supports.
const MaxFields = 8

// Missing is the comparison level of a field that could not be compared
// because one side has no value. It is no evidence either way: its weight
// is 0, and EM ignores it.
const Missing uint8 = 255

// Probabilities are kept within [probMin, probMax] so that no level is ever
// impossible under either class and weights stay finite.
const (
	probMin = 1e-6
	probMax = 1 - 1e-6
)

// Field is one compared field of a model.
//
// Levels names the comparison levels, ordered from level 0, disagreement,
// up to the last level, exact agreement; the levels in between are
// increasingly close partial agreements (for a name: "different",
// "similar", "close", "exact"). A field has 2 to 254 levels.
type Field struct {
	Name   string
	Levels []string
}

// Vector is the comparison of one record pair: Vector[i] is the level of
// Model.Fields[i], or Missing. Entries past the model's fields are ignored.
type Vector [MaxFields]uint8

// MissingVector returns a Vector with every field Missing, the usual
// starting point for filling in a comparison.
func MissingVector() Vector {
	var v Vector
	for i := range v {
		v[i] = Missing
	}
	return v
}

// Prior gives starting values for a Model. Zero or nil parts take the
// defaults described at NewModel.
type Prior struct {
	Lambda float64     // prior P(match) among candidate pairs
	M, U   [][]float64 // per field, per level; a nil field row takes the default
}

// Model is a Fellegi-Sunter record linkage model: for each field and level,
// the probability M of that level among matching pairs and U among
// non-matching pairs, and Lambda, the share of matches among the compared
// pairs. The match weight of a comparison is the sum over its non-missing
// fields of log2(M/U): positive weights favour a match.
//
// Weight, Probability and Explain use a table of weights computed by
// NewModel, Estimate, EstimateU and Refresh; call Refresh after changing
// M, U or Lambda directly (a Model written as a struct literal must call
// Refresh before use, or all its weights are 0). A Model is safe for concurrent use by those
// read-only methods, but not while it is being estimated or refreshed.
type Model struct {
	Fields []Field
	Lambda float64
	M, U   [][]float64

	w     [MaxFields][]float64 // log2(M/U), per field and level
	prior float64              // log2(Lambda / (1 - Lambda))
}

// NewModel returns a model of fields with starting probabilities. With no
// Prior (at most one may be given), Lambda is 0.1 and each field with k
// levels starts with M proportional to 4^level (exact agreement most likely
// among matches) and U the reverse (disagreement most likely among
// non-matches). It panics if there are more than MaxFields fields, a field
// has fewer than 2 or more than 254 levels, or a prior has the wrong shape:
// these are programming errors.
func NewModel(fields []Field, priors ...Prior) *Model {
	if len(fields) > MaxFields {
		panic(fmt.Sprintf("match: NewModel: %d fields, at most %d", len(fields), MaxFields))
	}
	if len(priors) > 1 {
		panic("match: NewModel: more than one Prior")
	}
	var p Prior
	if len(priors) == 1 {
		p = priors[0]
	}
	m := &Model{Fields: fields, Lambda: 0.1, M: make([][]float64, len(fields)), U: make([][]float64, len(fields))}
	if p.Lambda > 0 {
		m.Lambda = clampProb(p.Lambda)
	}
	for f, fd := range fields {
		k := len(fd.Levels)
		if k < 2 || k > int(Missing)-1 {
			panic(fmt.Sprintf("match: NewModel: field %q has %d levels, want 2 to %d", fd.Name, k, Missing-1))
		}
		m.M[f] = startProbs(p.M, f, k, fd.Name, true)
		m.U[f] = startProbs(p.U, f, k, fd.Name, false)
	}
	m.Refresh()
	return m
}

func startProbs(prior [][]float64, f, k int, name string, rising bool) []float64 {
	out := make([]float64, k)
	if f < len(prior) && prior[f] != nil {
		if len(prior[f]) != k {
			panic(fmt.Sprintf("match: NewModel: prior for field %q has %d levels, want %d", name, len(prior[f]), k))
		}
		copy(out, prior[f])
	} else {
		for l := range out {
			e := l
			if !rising {
				e = k - 1 - l
			}
			out[l] = math.Pow(4, float64(e))
		}
	}
	normalizeProbs(out)
	return out
}

// Refresh recomputes the weight table from M, U and Lambda, clamping them
// to [1e-6, 1-1e-6] first. Call it after changing them directly.
func (m *Model) Refresh() {
	m.Lambda = clampProb(m.Lambda)
	m.prior = math.Log2(m.Lambda / (1 - m.Lambda))
	for f := range m.w {
		m.w[f] = nil
	}
	for f := range m.Fields {
		w := make([]float64, len(m.M[f]))
		for l := range w {
			m.M[f][l] = clampProb(m.M[f][l])
			m.U[f][l] = clampProb(m.U[f][l])
			w[l] = math.Log2(m.M[f][l] / m.U[f][l])
		}
		m.w[f] = w
	}
}

// Weight returns the match weight of v: the sum over the model's fields of
// log2(M/U) at the field's level. Missing fields, and levels out of range
// for their field, add 0. It does not allocate.
func (m *Model) Weight(v Vector) float64 {
	var s float64
	for f := range m.Fields {
		if w := m.w[f]; int(v[f]) < len(w) {
			s += w[v[f]]
		}
	}
	return s
}

// PriorWeight returns log2(Lambda / (1 - Lambda)), the prior log-odds of a
// match in bits.
func (m *Model) PriorWeight() float64 { return m.prior }

// Probability returns the posterior probability that the pair compared by v
// is a match: Posterior(Weight(v)).
func (m *Model) Probability(v Vector) float64 {
	return m.Posterior(m.Weight(v))
}

// Posterior converts a match weight in bits (possibly adjusted, for
// example by TFAdjust) into the posterior match probability given Lambda:
// 1 / (1 + 2^-(weight + PriorWeight())).
func (m *Model) Posterior(weight float64) float64 {
	return 1 / (1 + math.Exp2(-(weight + m.prior)))
}

// FieldWeight is one field's part in a match weight.
type FieldWeight struct {
	Field  string  // field name
	Level  uint8   // comparison level, or Missing
	Label  string  // level name, or "missing"
	M, U   float64 // probabilities of the level; 0 when missing
	Weight float64 // log2(M/U); 0 when missing
}

// String formats the field weight for an explanation, e.g. "name=exact +9.3".
func (fw FieldWeight) String() string {
	if fw.Level == Missing {
		return fw.Field + "=missing"
	}
	return fmt.Sprintf("%s=%s %+.1f", fw.Field, fw.Label, fw.Weight)
}

// Explain returns each field's level and partial weight for v, in field
// order. Their weights sum to Weight(v).
func (m *Model) Explain(v Vector) []FieldWeight {
	out := make([]FieldWeight, len(m.Fields))
	for f, fd := range m.Fields {
		fw := FieldWeight{Field: fd.Name, Level: Missing, Label: "missing"}
		if l := v[f]; int(l) < len(fd.Levels) && int(l) < len(m.w[f]) {
			fw.Level, fw.Label = l, fd.Levels[l]
			fw.M, fw.U, fw.Weight = m.M[f][l], m.U[f][l], m.w[f][l]
		}
		out[f] = fw
	}
	return out
}

// TFAdjust returns a match weight adjusted for the frequency of the agreed
// value, as Splink does: for exact agreement on a field, the chance that a
// non-matching pair agrees is the value's relative frequency valueFreq, not
// the field's average u. So the weight log2(m/u) included in baseWeight
// becomes log2(m/valueFreq): baseWeight + log2(u/valueFreq). Agreeing on a
// common name then counts for less than agreeing on a rare one.
//
// Apply it only to fields at their exact-agreement level. valueFreq is
// clamped to [1e-6, 1]; a valueFreq <= 0 (value unknown to the frequency
// table) leaves baseWeight unchanged.
func TFAdjust(baseWeight, u, valueFreq float64) float64 {
	if valueFreq <= 0 || u <= 0 {
		return baseWeight
	}
	return baseWeight + math.Log2(u/min(max(valueFreq, probMin), 1))
}

// WeightTF returns Weight(v) with the term-frequency adjustment of field
// applied when v agrees exactly on it (its highest level): TFAdjust with
// the field's exact-agreement U and valueFreq, the relative frequency of
// the agreed value (for example FreqTable.Freq of its hash). Otherwise it
// returns Weight(v). Pass the result to Posterior for the matching
// probability.
func (m *Model) WeightTF(v Vector, field int, valueFreq float64) float64 {
	w := m.Weight(v)
	if field < 0 || field >= len(m.Fields) {
		return w
	}
	top := len(m.U[field]) - 1
	if int(v[field]) != top {
		return w
	}
	return TFAdjust(w, m.U[field][top], valueFreq)
}

func clampProb(p float64) float64 {
	if p != p || p < probMin { // NaN counts as impossible
		return probMin
	}
	return min(p, probMax)
}

// normalizeProbs scales p to sum to 1 and clamps each entry into
// [probMin, probMax].
func normalizeProbs(p []float64) {
	var s float64
	for i, x := range p {
		x = max(x, 0)
		if x != x {
			x = 0
		}
		p[i] = x
		s += x
	}
	if s <= 0 {
		for i := range p {
			p[i] = 1 / float64(len(p))
		}
		return
	}
	for i := range p {
		p[i] = clampProb(p[i] / s)
	}
}
