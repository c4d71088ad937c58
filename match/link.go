package match

import (
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/doisanh/doisanh/normalize"
)

// IDKind says what kind of number a source record's id_number holds.
type IDKind uint8

// ID kinds.
const (
	IDNone     IDKind = iota // empty
	IDPersonal               // 12 digits after normalisation (structure not checked)
	IDOld                    // 9-digit CMND
	IDOther                  // anything else
)

// Record is the part of a tax, insurance or civil record used for linking.
type Record struct {
	ID       string // digits
	IDKind   IDKind
	NameKey  string
	Phonetic string
	Birth    normalize.Date
	Gender   normalize.Gender
	Commune  string // 2025 commune code, "" when unknown
}

// Method is how a record was linked.
type Method uint8

// Link methods.
const (
	LinkNone      Method = iota // nobody on the register
	LinkID                      // the person_id matches
	LinkOldID                   // the old CMND matches
	LinkFuzzy                   // no usable ID; name, birth date, gender and commune agree
	LinkAmbiguous               // several people fit equally well: not linked
)

var methodNames = [...]string{"none", "id", "old_id", "fuzzy", "ambiguous"}

func (m Method) String() string { return methodNames[m] }

// Link is the outcome of linking one record.
type Link struct {
	Method     Method
	Person     int32   // population row; -1 when not linked
	Score      float64 // match probability; 1 for an exact ID link with agreeing fields
	Vector     Vector  // field agreement with the linked (or best) person
	Candidates []int32 // the people an ambiguous record fits
}

// Comparison fields of the linking model, in Vector order.
const (
	FieldName = iota
	FieldBirth
	FieldGender
	FieldCommune
	FieldID
	numFields
)

// LinkFields describes the comparison vector. Level 0 is disagreement; the
// highest level is exact agreement.
var LinkFields = []Field{
	{Name: "name", Levels: []string{"different", "similar", "close", "exact"}},
	{Name: "birth_date", Levels: []string{"different", "day/month swapped", "same at coarser precision", "exact"}},
	{Name: "gender", Levels: []string{"different", "same"}},
	{Name: "commune", Levels: []string{"different", "same"}},
	{Name: "id", Levels: []string{"different", "one digit off", "same"}},
}

// LinkOptions tunes the linker.
type LinkOptions struct {
	Threshold float64 // minimum match probability to link; 0 means DefaultThreshold
	Margin    float64 // minimum weight (bits) ahead of the runner-up; 0 means DefaultMargin
	Seed      uint64  // for the random pairs that estimate u-probabilities
	// Repeat is the population's RepeatedRows when the caller has it
	// already; nil: computed by NewLinker.
	Repeat []bool
}

// Linker links source records to the population. Safe for concurrent use
// after Train.
type Linker struct {
	pop    *Population
	model  *Model
	opts   LinkOptions
	repeat []bool // rows repeating an earlier row (Population.RepeatedRows): never candidates
	// warmed adds up what Warm read, so that its reads are not dropped
	// as unused.
	warmed atomic.Uint32
}

// NewLinker returns a linker with prior m/u probabilities; call Train to
// estimate them from the data.
func NewLinker(pop *Population, opts LinkOptions) *Linker {
	if opts.Threshold == 0 {
		opts.Threshold = DefaultThreshold
	}
	if opts.Margin == 0 {
		opts.Margin = DefaultMargin
	}
	m := NewModel(LinkFields)
	repeat := opts.Repeat
	if len(repeat) != pop.Len() {
		repeat = pop.RepeatedRows()
	}
	return &Linker{pop: pop, model: m, opts: opts, repeat: repeat}
}

// Model returns the linking model (for reports).
func (l *Linker) Model() *Model { return l.model }

// Train estimates the model: u-probabilities from random pairs of people,
// then m-probabilities and the match prior by EM over the candidate pairs
// of the sample records.
func (l *Linker) Train(sample []Record) (EMResult, error) {
	n := len(l.pop.People)
	if n >= 2 {
		rng := rand.New(rand.NewPCG(l.opts.Seed, 0x646f6973616e68))
		pairs := make([][2]int32, 0, min(200_000, n*4))
		for range cap(pairs) {
			a, b := rng.IntN(n), rng.IntN(n)
			if a != b {
				pairs = append(pairs, [2]int32{int32(a), int32(b)})
			}
		}
		vs := make([]Vector, len(pairs))
		inParallel(len(pairs), func(lo, hi int) {
			var rec Record
			var rows [WarmBatch]int32
			for at := lo; at < hi; at += WarmBatch / 2 {
				end := min(at+WarmBatch/2, hi)
				// Random people: read ahead a part's, then compare them.
				for i := at; i < end; i++ {
					rows[2*(i-at)], rows[2*(i-at)+1] = pairs[i][0], pairs[i][1]
				}
				l.warmPeople(rows[:2*(end-at)], false)
				for i := at; i < end; i++ {
					l.recordOf(pairs[i][0], &rec)
					vs[i] = l.Compare(&rec, pairs[i][1])
				}
			}
		})
		if err := l.model.EstimateU(vs); err != nil {
			return EMResult{}, err
		}
	}
	// The comparison vectors of each sample record with its candidates,
	// in sample order.
	per := make([][]Vector, len(sample))
	inParallel(len(sample), func(lo, hi int) {
		var cands []int32
		for i := lo; i < hi; i++ {
			cands = l.candidates(&sample[i], cands[:0])
			for _, c := range cands {
				per[i] = append(per[i], l.Compare(&sample[i], c))
			}
		}
	})
	var vs []Vector
	for _, v := range per {
		vs = append(vs, v...)
	}
	if len(vs) == 0 {
		return EMResult{}, nil
	}
	return l.model.Estimate(vs, EMOptions{FixU: true})
}

// inParallel calls fn on consecutive ranges [lo, hi) covering [0, n), one
// range per core, and waits for them.
func inParallel(n int, fn func(lo, hi int)) {
	parts := min(runtime.GOMAXPROCS(0), max(n, 1))
	var wg sync.WaitGroup
	for p := range parts {
		wg.Go(func() { fn(p*n/parts, (p+1)*n/parts) })
	}
	wg.Wait()
}

// recordOf fills r with person row's fields, as if it were a source record.
func (l *Linker) recordOf(row int32, r *Record) {
	p := &l.pop.People[row]
	*r = Record{ID: l.pop.Str(p.ID), IDKind: IDPersonal, NameKey: l.pop.Str(p.NameKey),
		Birth: p.Birth, Gender: p.Gender, Commune: l.pop.Str(p.Commune)}
}

// Link finds the population person a record belongs to.
func (l *Linker) Link(r *Record) Link {
	switch r.IDKind {
	case IDPersonal:
		if rows := l.pop.ByID(r.ID); len(rows) > 0 {
			if link, ok := l.linkByID(r, rows, LinkID); ok {
				return link
			}
		}
	case IDOld:
		if rows := l.pop.ByOldID(r.ID); len(rows) > 0 {
			if link, ok := l.linkByID(r, rows, LinkOldID); ok {
				return link
			}
		}
	case IDOther:
		// A malformed number can still be exactly the one the register
		// holds (an ID issued with the wrong length is ID_INVALID there,
		// not a mismatch here).
		if rows := l.pop.ByID(r.ID); len(rows) > 0 {
			if link, ok := l.linkByID(r, rows, LinkID); ok {
				return link
			}
		}
	}
	return l.fuzzy(r, -1)
}

// linkByID links a record to the person(s) holding its ID. A single holder
// whose name and birth date both disagree is re-examined by fuzzy linking,
// since the ID may be a wrong one belonging to someone else.
func (l *Linker) linkByID(r *Record, rows []int32, method Method) (Link, bool) {
	rows = l.firstRows(rows)
	if len(rows) == 1 {
		v := l.Compare(r, rows[0])
		if v[FieldName] == 0 && v[FieldBirth] <= 1 {
			if f := l.fuzzy(r, rows[0]); f.Method == LinkFuzzy {
				return f, true
			}
		}
		return Link{Method: method, Person: rows[0], Score: l.candidate(r, rows[0], v).Probability, Vector: v}, true
	}
	// One ID, several people (DUP_ID): pick the one the fields point to.
	cands := make([]Candidate, len(rows))
	for i, row := range rows {
		v := l.Compare(r, row)
		cands[i] = l.candidate(r, row, v)
	}
	d := Decide(cands, DecideOptions{Threshold: l.opts.Threshold, Margin: l.opts.Margin})
	switch d.Outcome {
	case Linked:
		return Link{Method: method, Person: d.Best.Row, Score: d.Best.Probability, Vector: d.Best.Vector}, true
	case Ambiguous:
		return Link{Method: LinkAmbiguous, Person: -1, Candidates: d.Rows()}, true
	}
	return Link{}, false
}

// fuzzy links by the blocking keys; exclude is a row not to consider.
func (l *Linker) fuzzy(r *Record, exclude int32) Link {
	var buf [64]int32
	rows := l.candidates(r, buf[:0])
	var cbuf [64]Candidate
	cands := cbuf[:0]
	for _, row := range rows {
		if row == exclude || l.repeat[row] {
			continue
		}
		v := l.Compare(r, row)
		if !plausible(v) {
			continue
		}
		cands = append(cands, l.candidate(r, row, v))
	}
	d := Decide(cands, DecideOptions{Threshold: l.opts.Threshold, Margin: l.opts.Margin})
	switch d.Outcome {
	case Linked:
		return Link{Method: LinkFuzzy, Person: d.Best.Row, Score: d.Best.Probability, Vector: d.Best.Vector}
	case Ambiguous:
		return Link{Method: LinkAmbiguous, Person: -1, Candidates: d.Rows()}
	}
	return Link{Method: LinkNone, Person: -1}
}

// firstRows drops from rows (one ID's holders) those repeating an earlier
// row: a register given twice holds each person twice, and the record
// belongs to the person, not to one of the copies.
func (l *Linker) firstRows(rows []int32) []int32 {
	for i, r := range rows {
		if l.repeat[r] {
			out := append([]int32(nil), rows[:i]...)
			for _, r := range rows[i+1:] {
				if !l.repeat[r] {
					out = append(out, r)
				}
			}
			return out
		}
	}
	return rows
}

// candidate scores row for r. The weight takes the name's term frequency
// into account: agreeing on a common name ("Nguyễn Văn Hùng") is weaker
// evidence than agreeing on a rare one. Ranking and threshold both use it.
func (l *Linker) candidate(r *Record, row int32, v Vector) Candidate {
	w := l.model.Weight(v)
	if v[FieldName] == 3 {
		w = l.model.WeightTF(v, FieldName, l.pop.NameFrequency(row))
	}
	return Candidate{Row: row, Vector: v, Weight: w, Probability: l.model.Posterior(w)}
}

// candidates appends the rows sharing a blocking key with r, without repeats.
func (l *Linker) candidates(r *Record, dst []int32) []int32 {
	add := func(rows []int32) {
	next:
		for _, row := range rows {
			for _, have := range dst {
				if have == row {
					continue next
				}
			}
			if len(dst) < 256 {
				dst = append(dst, row)
			}
		}
	}
	// The most selective block first: where a name is very common (a
	// common name born in one year can fill the 256 places), the people
	// born the same day in the commune must not be the ones left out.
	if r.Birth.Precision == normalize.PrecisionDay && r.Commune != "" {
		add(l.pop.byDate.Lookup(dateCommuneKey(r.Birth, r.Commune)))
	}
	if r.NameKey != "" && r.Birth.Precision != normalize.PrecisionNone {
		add(l.pop.byName.Lookup(nameYearKey(r.NameKey, r.Birth.Year)))
		if r.Phonetic != "" {
			add(l.pop.byPhon.Lookup(nameYearKey(r.Phonetic, r.Birth.Year)))
		}
	}
	return dst
}

// Compare returns the field agreement of a record with a person.
func (l *Linker) Compare(r *Record, row int32) Vector {
	p := &l.pop.People[row]
	var v Vector
	for i := range v {
		v[i] = Missing
	}
	if pk := l.pop.Str(p.NameKey); r.NameKey != "" && pk != "" {
		switch {
		case r.NameKey == pk: // the common case: no similarity to compute
			v[FieldName] = 3
		case !givenSimilar(r.NameKey, pk):
			// Whole-name similarity is dominated by the shared family
			// and middle names ("Nguyễn Thị ..."): the given name decides.
			v[FieldName] = 0
		default:
			switch jw := normalize.JaroWinkler(r.NameKey, pk); {
			case jw >= 0.95:
				v[FieldName] = 2
			case jw >= 0.88:
				v[FieldName] = 1
			default:
				v[FieldName] = 0
			}
		}
	}
	switch normalize.CompareDates(r.Birth, p.Birth) {
	case normalize.DatesEqual:
		if r.Birth.Precision == normalize.PrecisionDay {
			v[FieldBirth] = 3
		} else {
			v[FieldBirth] = 2
		}
	case normalize.DatesCompatible:
		v[FieldBirth] = 2
	case normalize.DatesSwapped:
		v[FieldBirth] = 1
	case normalize.DatesDiffer:
		v[FieldBirth] = 0
	}
	if r.Gender != normalize.GenderUnknown && p.Gender != normalize.GenderUnknown {
		v[FieldGender] = b2u(r.Gender == p.Gender)
	}
	if pc := l.pop.Str(p.Commune); r.Commune != "" && pc != "" {
		v[FieldCommune] = b2u(r.Commune == pc)
	}
	if r.ID != "" {
		own := p.ID
		if r.IDKind == IDOld {
			own = p.OldID
		}
		switch pid := l.pop.Str(own); {
		case pid == "":
		case pid == r.ID:
			v[FieldID] = 2
		case oneDigitOff(r.ID, pid):
			v[FieldID] = 1
		default:
			v[FieldID] = 0
		}
	}
	return v
}

// plausible reports whether a candidate without a matching ID may be linked
// at all: its name must be at least similar and its birth date not
// different. Field weights add up independently, so without this floor a
// namesake-free pair born the same day in the same commune (strong
// evidence on two fields) could outweigh a completely different name.
// A record whose ID is neither the person's nor one digit off it must agree
// on the name and birth date outright, and must not also contradict the
// person's gender: a namesake born the same day with another number and
// the other sex ("Nguyễn Văn Anh", Nam, against "Nguyễn Vân Anh", Nữ: the
// name key drops the accents), or living in another commune, is another
// person, whatever the weights say: at a province's namesake density a
// full name and birth date alone are shared by thousands of pairs of
// strangers. Without an ID to compare, a record that contradicts both the
// gender and the commune is not linked either.
func plausible(v Vector) bool {
	if v[FieldName] == Missing || v[FieldName] == 0 || v[FieldBirth] == 0 {
		return false
	}
	if v[FieldID] == 0 && (v[FieldGender] == 0 || v[FieldCommune] == 0) {
		return false
	}
	if v[FieldGender] == 0 && v[FieldID] == Missing && v[FieldCommune] == 0 {
		return false
	}
	if v[FieldID] == 0 {
		return v[FieldName] == 3 && (v[FieldBirth] == Missing || v[FieldBirth] >= 2)
	}
	return true
}

// givenSimilar reports whether the given names (last words) of two name
// keys are equal or one typo apart.
func givenSimilar(a, b string) bool {
	ga, gb := a[strings.LastIndexByte(a, ' ')+1:], b[strings.LastIndexByte(b, ' ')+1:]
	return ga == gb || normalize.DamerauLevenshtein(ga, gb) <= 1 || normalize.JaroWinkler(ga, gb) >= 0.9
}

func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// oneDigitOff reports whether two equal-length digit strings differ in one
// position or by one swap of adjacent digits.
func oneDigitOff(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	first := -1
	diffs := 0
	for i := 0; i < len(a); i++ {
		if a[i] != b[i] {
			if diffs == 0 {
				first = i
			}
			diffs++
			if diffs > 2 {
				return false
			}
		}
	}
	switch diffs {
	case 1:
		return true
	case 2:
		return first+1 < len(a) && a[first] == b[first+1] && a[first+1] == b[first]
	}
	return false
}
