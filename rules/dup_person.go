package rules

import (
	"cmp"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/doisanh/doisanh/admin"
	"github.com/doisanh/doisanh/match"
	"github.com/doisanh/doisanh/normalize"
	"github.com/doisanh/doisanh/record"
)

// DupPersonThreshold is the probability from which DUP_PERSON reports a
// pair. The target is a precision of at least 0.99 (an officer sent to
// check a hundred findings finds at most one pair of strangers): on the
// namesake-dense cohort of the tests (8 seeds of 200 000 people, 8 000
// stranger pairs and 100 double registrations each) 0.99 let no stranger
// through among 653 pairs reported (0.98: 1 among 670), and on a
// generated province of 4 M people 2 among 11 762 (docs/RULES.md).
const DupPersonThreshold = 0.99

// DupPerson reports one person recorded twice under different person_ids
// (DUP_PERSON). Candidates are the pairs of rows with the same name in its
// canonical form (diacritics count: twins named Lam and Lâm are two
// children), the same gender and the same birth date at the same
// precision (day, month or year: a common date is weak evidence).
// Each candidate pair is then weighed as the linker weighs a link, by a
// Fellegi-Sunter model (DupModel): how common the name and the birth date
// are, and whether the two rows agree on the father, the mother, the
// address down to the village, the household, the old CMND, the
// birth-registration province and the spouse. A pair is reported when the
// model gives it a probability of at least DupPersonThreshold of being one
// person; the finding's score is that probability and its suggestion lists
// the evidence in Vietnamese.
func (c *Checker) DupPerson(out []record.Finding) []record.Finding {
	dm := EstimateDupModel(c.Pop, c.Repeat)
	// The pairs are scored a part of the blocks per core, their findings
	// joined in part order: EachPair's order.
	found := make([][]record.Finding, dupParts())
	var wg sync.WaitGroup
	for i := range found {
		wg.Go(func() {
			dm.eachPairPart(i, len(found), func(p *DupPair) {
				if p.Prob >= DupPersonThreshold {
					found[i] = append(found[i], c.dupFinding(dm, *p))
				}
			})
		})
	}
	wg.Wait()
	for _, fs := range found {
		out = append(out, fs...)
	}
	return out
}

// dupParts is the number of parts DUP_PERSON splits its blocks into: one
// a core.
func dupParts() int { return runtime.GOMAXPROCS(0) }

// Comparison fields of the DUP_PERSON model, in Vector order.
const (
	dupFather = iota
	dupMother
	dupAddress
	dupHousehold
	dupOldID
	dupBirthProv
	dupSpouse
	numDupFields
)

// DupFields are the fields the DUP_PERSON model compares between two rows
// that share name, gender and birth date. Level 0 is disagreement, the
// last level agreement; a field is Missing when either row lacks it.
var DupFields = []match.Field{
	{Name: "father", Levels: []string{"different", "same"}},
	{Name: "mother", Levels: []string{"different", "same"}},
	{Name: "address", Levels: []string{"other commune", "same commune", "same village"}},
	{Name: "household", Levels: []string{"different", "same"}},
	{Name: "old_id", Levels: []string{"different", "same"}},
	{Name: "birth_province", Levels: []string{"different", "same"}},
	{Name: "spouse", Levels: []string{"different", "same"}},
}

// dupPrior is the model used on a register too small to estimate from
// (fewer than dupMinPeople people), without term frequencies, and the
// starting point of EM. Its values are rounded from the model estimated
// on the namesake-dense cohort of the tests (Lambda: one double
// registration per 80 namesake pairs born the same day).
var dupPrior = match.Prior{
	Lambda: 0.012,
	M: [][]float64{
		{0.02, 0.98}, {0.02, 0.98}, {0.3, 0.02, 0.68}, {0.93, 0.07}, {0.01, 0.99}, {0.5, 0.5}, {0.02, 0.98},
	},
	U: [][]float64{
		{0.9989, 0.0011}, {0.9986, 0.0014}, {0.992, 0.0076, 0.0004}, {0.99999, 0.00001}, {0.99999, 0.00001},
		{0.19, 0.81}, {0.99999, 0.00001},
	},
}

// Estimation limits. Below dupMinPeople the prior model is used as it is;
// EM needs dupMinPairs candidate pairs and u needs dupMinUPairs sampled
// pairs of namesakes.
const (
	dupMinPeople  = 20_000
	dupMinPairs   = 200
	dupMinUPairs  = 1_000
	dupUTries     = 400_000
	dupUPairs     = 200_000
	dupMinM       = 0.005            // no level is impossible for one person: a typo in a CMND, a parent left out
	dupSampleSeed = 0x6475705f706572 // "dup_per": the sample is the same on every run
)

// DupModel is the DUP_PERSON model estimated on one register, with every
// candidate pair scored. Model holds the m- and u-probabilities of
// DupFields and Lambda, the share of candidate pairs that are one person.
//
// The u-probabilities come from pairs of namesakes a year apart (same name
// and gender, born one year apart): strangers who share a name, drawn the
// way candidate pairs are, so that they agree on a parent's or a village's
// name exactly as often as namesakes born the same day do by chance. The
// m-probabilities and Lambda come from EM over the candidate pairs with u
// fixed, as the linker does (match.Linker.Train). A pair's log-odds adds
// to the fields' weights the term frequencies of its name and birth date:
// a pair sharing a name n of count c_n is one person with odds
// NameMean/c_n times the average (the chance pairs of a name grow with the
// square of its count, its double registrations only with its count), and
// likewise for the birth date.
type DupModel struct {
	Model     *match.Model
	Estimated bool // Model was estimated from this register (else the prior)
	UPairs    int  // namesake pairs u was estimated from (0: prior u)
	EM        match.EMResult
	NameMean  float64 // mean over people of how many share their name key; 0: no term frequencies
	DateMean  float64 // mean over people with a birth date of how many share it (at its precision)
	dateCount map[uint64]int32
	Pairs     int // candidate pairs (EachPair gives them)

	pop    *match.Population
	repeat []bool
	// small holds the candidate pairs while there are at most
	// dupMinPairs, for estimateLambda; the model keeps no pair after
	// EstimateDupModel (a national register has tens of millions).
	small []DupPair
}

// DupPair is one candidate pair of register rows, A before B.
type DupPair struct {
	A, B   int32
	Vector match.Vector
	TF     float64 // term-frequency weight of the name and the birth date, bits
	Weight float64 // total log-odds in bits, prior included
	Prob   float64 // probability that A and B are one person
}

// EstimateDupModel finds the candidate pairs of pop (rows marked in repeat
// are left out: they repeat an earlier row) and estimates the model from
// their comparison patterns. It keeps no pair: EachPair finds and scores
// them again. It is deterministic.
func EstimateDupModel(pop *match.Population, repeat []bool) *DupModel {
	dm := &DupModel{Model: match.NewModel(DupFields, dupPrior), pop: pop, repeat: repeat}
	// The strangers' sample reads only the register: drawn on another
	// core while the candidate pairs are counted.
	var us []match.Vector
	var ws []float64
	var sampled sync.WaitGroup
	if pop.Len() >= dupMinPeople {
		sampled.Go(func() { us, ws = namesakePairs(pop, repeat) })
		dm.frequencies(pop, repeat)
	}
	// The candidate pairs are counted a part of the blocks per core; the
	// parts joined in order count as one pass would (Patterns keeps the
	// order vectors were first seen; the counts are whole numbers).
	type counted struct {
		pats  match.Patterns
		pairs int
		small []DupPair
	}
	parts := make([]counted, dupParts())
	var wg sync.WaitGroup
	for i := range parts {
		wg.Go(func() {
			c := &parts[i]
			candidatePairsPart(pop, repeat, i, len(parts), func(a, b int32) {
				v := dupCompare(pop, a, b)
				c.pats.Add(v)
				if c.pairs++; c.pairs <= dupMinPairs {
					c.small = append(c.small, DupPair{A: a, B: b, Vector: v, TF: dm.tf(pop, a)})
				}
			})
		})
	}
	wg.Wait()
	var pats match.Patterns
	for i := range parts {
		c := &parts[i]
		for k := range c.pats.Len() {
			v, n := c.pats.At(k)
			pats.AddN(v, n)
		}
		dm.Pairs += c.pairs
		dm.small = append(dm.small, c.small[:min(len(c.small), dupMinPairs-len(dm.small))]...)
	}
	sampled.Wait()
	if pop.Len() >= dupMinPeople {
		dm.estimate(us, ws, &pats)
	}
	dm.small = nil
	return dm
}

// EachPair calls fn for every candidate pair, scored by the model, in a
// deterministic order (the order of Population.DuplicateBlocks, then of
// birth date and row). It finds the pairs again, so that no list of them
// is held; fn must not keep p.
func (dm *DupModel) EachPair(fn func(p *DupPair)) { dm.eachPairPart(0, 1, fn) }

// eachPairPart is EachPair over part of parts of the blocks.
func (dm *DupModel) eachPairPart(part, parts int, fn func(p *DupPair)) {
	candidatePairsPart(dm.pop, dm.repeat, part, parts, func(a, b int32) {
		p := DupPair{A: a, B: b, Vector: dupCompare(dm.pop, a, b), TF: dm.tf(dm.pop, a)}
		p.Weight = dm.Model.PriorWeight() + dm.Model.Weight(p.Vector) + p.TF
		p.Prob = 1 / (1 + math.Exp2(-p.Weight))
		fn(&p)
	})
}

// dateKey identifies a birth date with its precision.
func dateKey(d normalize.Date) uint64 {
	return uint64(uint16(d.Year))<<24 | uint64(d.Month)<<16 | uint64(d.Day)<<8 | uint64(d.Precision)
}

// frequencies counts birth dates and the mean counts of names and dates.
func (dm *DupModel) frequencies(pop *match.Population, repeat []bool) {
	dm.dateCount = make(map[uint64]int32)
	var names, nn int64
	for r := range pop.People {
		p := &pop.People[r]
		if repeat[r] || p.NameKey == 0 {
			continue
		}
		names += int64(pop.NameCount(int32(r)))
		nn++
		if p.Birth.Precision != normalize.PrecisionNone {
			dm.dateCount[dateKey(p.Birth)]++
		}
	}
	var dates, nd int64
	for _, c := range dm.dateCount {
		dates += int64(c) * int64(c)
		nd += int64(c)
	}
	if nn > 0 && nd > 0 {
		dm.NameMean = float64(names) / float64(nn)
		dm.DateMean = float64(dates) / float64(nd)
	}
}

// tf is the term-frequency weight of a candidate pair whose first row is a.
func (dm *DupModel) tf(pop *match.Population, a int32) float64 {
	if dm.NameMean == 0 {
		return 0
	}
	w := math.Log2(dm.NameMean / float64(max(pop.NameCount(a), 1)))
	if c := dm.dateCount[dateKey(pop.People[a].Birth)]; c > 0 {
		w += math.Log2(dm.DateMean / float64(c))
	}
	return w
}

// candidatePairsPart calls fn for the pairs of rows that share a name in
// canonical form, a gender and a birth date at the same precision
// (sameBirth), under two different person_ids, in a deterministic order,
// in part of parts of the blocks (match.Population.DuplicateBlocksPart):
// the parts in order give every pair in one order. Within a block of
// namesakes born in one year the rows are sorted by birth date, so only
// rows born the same day are paired.
func candidatePairsPart(pop *match.Population, repeat []bool, part, parts int, fn func(a, b int32)) {
	var rows []int32
	pop.DuplicateBlocksPart(part, parts, func(block []int32) {
		rows = rows[:0]
		for _, r := range block {
			if !repeat[r] && pop.People[r].Birth.Precision != normalize.PrecisionNone {
				rows = append(rows, r)
			}
		}
		slices.SortFunc(rows, func(a, b int32) int {
			return cmp.Or(cmp.Compare(dateKey(pop.People[a].Birth), dateKey(pop.People[b].Birth)), cmp.Compare(a, b))
		})
		for i := 0; i < len(rows); {
			j := i + 1
			for j < len(rows) && sameBirth(pop.People[rows[i]].Birth, pop.People[rows[j]].Birth) {
				j++
			}
			for x := i; x < j; x++ {
				a := &pop.People[rows[x]]
				for y := x + 1; y < j; y++ {
					b := &pop.People[rows[y]]
					// Names compare by Ref (match.Person), first: no arena read.
					if a.Name != b.Name || a.Gender != b.Gender || pop.Str(a.ID) == pop.Str(b.ID) {
						continue
					}
					fn(rows[x], rows[y])
				}
			}
			i = j
		}
	})
}

// dupCompare compares two register rows on DupFields.
func dupCompare(pop *match.Population, ra, rb int32) match.Vector {
	a, b := &pop.People[ra], &pop.People[rb]
	v := match.MissingVector()
	v[dupFather] = agreeKey(a.FatherKey, b.FatherKey)
	v[dupMother] = agreeKey(a.MotherKey, b.MotherKey)
	if ca, cb := pop.Str(a.Commune), pop.Str(b.Commune); ca != "" && cb != "" {
		switch {
		case ca != cb:
			v[dupAddress] = 0
		case sameVillage(pop, a, b):
			v[dupAddress] = 2
		default:
			v[dupAddress] = 1
		}
	}
	v[dupHousehold] = agreeStr(pop.Str(a.Household), pop.Str(b.Household))
	v[dupOldID] = agreeStr(pop.Str(a.OldID), pop.Str(b.OldID))
	v[dupBirthProv] = agreeStr(pop.Str(a.BirthProv), pop.Str(b.BirthProv))
	v[dupSpouse] = agreeStr(pop.Str(a.SpouseID), pop.Str(b.SpouseID))
	return v
}

func sameVillage(pop *match.Population, a, b *match.Person) bool {
	ka := normalize.VillageKey(pop.Str(a.Village))
	return ka != "" && ka == normalize.VillageKey(pop.Str(b.Village))
}

func agreeKey(a, b uint64) uint8 {
	switch {
	case a == 0 || b == 0:
		return match.Missing
	case a == b:
		return 1
	}
	return 0
}

func agreeStr(a, b string) uint8 {
	switch {
	case a == "" || b == "":
		return match.Missing
	case a == b:
		return 1
	}
	return 0
}

// estimate sets u from namesakes born a year apart and m and Lambda by EM
// over the candidate pairs' comparison patterns pats.
func (dm *DupModel) estimate(us []match.Vector, ws []float64, pats *match.Patterns) {
	m := dm.Model
	if len(us) >= dupMinUPairs {
		dm.UPairs = len(us)
		m.U = smoothedU(us, ws, len(DupFields))
		m.Refresh()
	}
	if dm.Pairs < dupMinPairs {
		// Too few pairs to learn m from: keep the prior's m and learn only
		// the share of pairs that are one person, which depends most on
		// the register (how dense namesakes are, how clean it is).
		dm.estimateLambda()
		return
	}
	res, err := m.EstimatePatterns(pats, match.EMOptions{FixU: true})
	if err != nil {
		return // no vectors: the prior stays
	}
	dm.EM = res
	dm.Estimated = true
	for f := range m.M {
		for l := range m.M[f] {
			m.M[f][l] = max(m.M[f][l], dupMinM)
		}
		s := 0.0
		for _, x := range m.M[f] {
			s += x
		}
		for l := range m.M[f] {
			m.M[f][l] /= s
		}
	}
	m.Refresh()
}

// estimateLambda sets Lambda by EM with m and u fixed: the mean, over the
// candidate pairs (fewer than dupMinPairs, all in dm.small), of their
// probability of being one person.
func (dm *DupModel) estimateLambda() {
	m := dm.Model
	if len(dm.small) == 0 {
		return
	}
	for it := 0; it < 200; it++ {
		prior := math.Log2(m.Lambda / (1 - m.Lambda))
		var s float64
		for i := range dm.small {
			p := &dm.small[i]
			s += 1 / (1 + math.Exp2(-(prior + m.Weight(p.Vector) + p.TF)))
		}
		next := s / float64(len(dm.small))
		done := math.Abs(next-m.Lambda) < 1e-6
		m.Lambda = next
		m.Refresh()
		dm.EM.Iterations = it + 1
		if done {
			dm.EM.Converged = true
			break
		}
	}
	dm.EM.Lambda, dm.EM.Pairs = m.Lambda, float64(len(dm.small))
}

// namesakePairs compares random rows with a namesake of the same gender
// born a year later (or earlier): pairs of strangers drawn like candidate
// pairs, apart from the birth date. Each pair is weighed by the number of
// namesakes it was drawn from, so that names count as they do among the
// candidates, where the pairs of a name grow with the square of its count:
// strangers with a rare name share a village or a father's name more often
// than those with a common one, and candidates are mostly common names.
func namesakePairs(pop *match.Population, repeat []bool) ([]match.Vector, []float64) {
	rng := rand.New(rand.NewPCG(dupSampleSeed, uint64(pop.Len())))
	n := pop.Len()
	var out []match.Vector
	var ws []float64
	for range dupUTries {
		if len(out) >= dupUPairs {
			break
		}
		ra := int32(rng.IntN(n))
		a := &pop.People[ra]
		if repeat[ra] || a.NameKey == 0 || a.Birth.Precision == normalize.PrecisionNone {
			continue
		}
		key := pop.Str(a.NameKey)
		block := pop.DuplicateBlock(key, a.Birth.Year+1, a.Gender)
		if len(block) == 0 {
			block = pop.DuplicateBlock(key, a.Birth.Year-1, a.Gender)
		}
		if len(block) == 0 {
			continue
		}
		rb := block[rng.IntN(len(block))]
		if repeat[rb] {
			continue
		}
		out = append(out, dupCompare(pop, ra, rb))
		ws = append(ws, float64(len(block)))
	}
	return out, ws
}

// smoothedU is each field's weighted share of levels among the vectors
// where it is not Missing, with half an average pair added to every level:
// a level never seen among strangers (two namesakes with one CMND) is
// rare, not impossible, and its weight stays finite and honest about the
// sample's size.
func smoothedU(vs []match.Vector, ws []float64, nf int) [][]float64 {
	out := make([][]float64, nf)
	for f := range nf {
		k := len(DupFields[f].Levels)
		counts := make([]float64, k)
		var n, total float64
		for i, v := range vs {
			if l := v[f]; int(l) < k {
				counts[l] += ws[i]
				total += ws[i]
				n++
			}
		}
		half := 0.5
		if n > 0 {
			half = 0.5 * total / n
		}
		s := 0.0
		for l := range counts {
			counts[l] += half
			s += counts[l]
		}
		for l := range counts {
			counts[l] /= s
		}
		out[f] = counts
	}
	return out
}

// dupFinding writes the finding of a pair: filed on the later row, with
// the earlier as related, the probability as its score and the evidence
// in the suggestion.
func (c *Checker) dupFinding(dm *DupModel, p DupPair) record.Finding {
	pop := c.Pop
	a, b := &pop.People[p.A], &pop.People[p.B]
	f := finding(DupPerson, "")
	f.Source = record.Population.String()
	c.aboutPerson(&f, p.B)
	f.SourceKey = f.PersonID
	f.RelatedPersonID = pop.Str(a.ID)
	f.PopulationValue = pop.Str(a.ID) + " / " + pop.Str(b.ID)
	f.Score = p.Prob
	f.Suggestion = "Căn cứ: " + strings.Join(c.dupEvidence(p), "; ") + " (khả năng là một người: " +
		percent(p.Prob) + "). " + f.Suggestion
	return f
}

// dupEvidence lists in Vietnamese what the two rows of a pair share and
// where they differ, strongest first as the model weighs it.
func (c *Checker) dupEvidence(p DupPair) []string {
	pop := c.Pop
	a, b := &pop.People[p.A], &pop.People[p.B]
	born := "ngày sinh"
	switch a.Birth.Precision {
	case normalize.PrecisionMonth:
		born = "tháng năm sinh"
	case normalize.PrecisionYear:
		born = "năm sinh"
	}
	ev := []string{"cùng họ tên, " + born + ", giới tính"}
	if n := pop.NameCount(p.A); n > 2 {
		ev[0] += " (" + strconv.Itoa(n) + " người mang họ tên này)"
	}
	v := p.Vector
	switch {
	case v[dupFather] == 1 && v[dupMother] == 1:
		ev = append(ev, "cùng cha mẹ")
	case v[dupFather] == 1:
		ev = append(ev, "cùng cha")
	case v[dupMother] == 1:
		ev = append(ev, "cùng mẹ")
	}
	if v[dupFather] == 0 {
		ev = append(ev, "khác tên cha")
	}
	if v[dupMother] == 0 {
		ev = append(ev, "khác tên mẹ")
	}
	commune := pop.Str(a.Commune)
	switch v[dupAddress] {
	case 2:
		ev = append(ev, "cùng địa chỉ "+lowerFirst(strings.Join(strings.Fields(pop.Str(a.Village)), " "))+", "+c.communeName(commune))
	case 1:
		ev = append(ev, "cùng nơi cư trú "+c.communeName(commune))
	case 0:
		ev = append(ev, "khác xã nơi cư trú")
	}
	switch v[dupOldID] {
	case 1:
		ev = append(ev, "cùng CMND "+pop.Str(a.OldID))
	case 0:
		ev = append(ev, "khác số CMND")
	}
	if v[dupHousehold] == 1 {
		ev = append(ev, "cùng hộ "+pop.Str(a.Household))
	}
	switch v[dupSpouse] {
	case 1:
		ev = append(ev, "cùng vợ/chồng "+pop.Str(a.SpouseID))
	case 0:
		ev = append(ev, "khác vợ/chồng")
	}
	switch v[dupBirthProv] {
	case 0:
		ev = append(ev, "nơi đăng ký khai sinh khác tỉnh (mã "+pop.Str(a.BirthProv)+" và "+pop.Str(b.BirthProv)+")")
	case 1:
		ev = append(ev, "cùng tỉnh đăng ký khai sinh")
	}
	return ev
}

// communeName is a 2025 commune's name ("Xã Nghi Phong"), else its code.
func (c *Checker) communeName(code string) string {
	if cm, ok := c.Units.Commune(admin.Current, code); ok {
		return cm.Name
	}
	return code
}

// lowerFirst writes a unit word in lower case inside a sentence: "Xóm 3"
// becomes "xóm 3"; an abbreviation in capitals ("TDP 5") stays as it is.
func lowerFirst(s string) string {
	first, _, _ := strings.Cut(s, " ")
	if strings.ToUpper(first) == first {
		return s
	}
	return strings.ToLower(first) + s[len(first):]
}

// percent writes a probability as a percentage with one decimal and a
// decimal comma, rounded down so that 99,95 % reads "99,9%", never "100%".
func percent(p float64) string {
	x := math.Floor(p*1000) / 10
	if x >= 100 {
		x = 99.9
	}
	return strings.Replace(strconv.FormatFloat(x, 'f', 1, 64), ".", ",", 1) + "%"
}

// sameBirth reports whether two birth dates are the same at the same
// precision: the same day, the same month where neither row knows the day,
// or the same year where neither knows more. A year alone is shared by
// many namesakes, and says little: its term frequency (the people born
// that year with no more precise date) weighs it. A month on one row
// against a day on the other fits a thirtieth of those namesakes and is
// not paired.
func sameBirth(a, b normalize.Date) bool {
	return normalize.CompareDates(a, b) == normalize.DatesEqual && a.Precision == b.Precision &&
		a.Precision != normalize.PrecisionNone
}

// dupPersonRule is DupPerson in the catalogue: its label, severity and, per subtype,
// what the officer is asked to do.
var dupPersonRule = Info{DupPerson, "Nghi trùng công dân", "one person recorded twice under different person_ids (twins are not duplicates)", High, []Subtype{
	{"", "Nghi một công dân có hai số định danh", "Đề nghị xác minh, hợp nhất hồ sơ và hủy số định danh cấp trùng"},
}}
