// Package score measures findings against the generator's ground truth:
// precision, recall and F1 per rule and subtype.
package score

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/doisanh/doisanh/record"
)

// Row is the score of one rule and subtype.
type Row struct {
	Rule, Subtype string
	Truth         int // injected defects
	Found         int // findings
	Correct       int // findings that match an injected defect
	// Consequences counts the findings that match an expected non-finding
	// of the truth (record.ExpectNone): a defect's consequence reported as
	// a defect of its own. They count in Found like any extra finding.
	Consequences int
}

// Precision is Correct/Found (1 when nothing was found).
func (r Row) Precision() float64 { return ratio(r.Correct, r.Found) }

// Recall is Correct/Truth (1 when nothing was injected).
func (r Row) Recall() float64 { return ratio(r.Correct, r.Truth) }

// F1 is the harmonic mean of precision and recall.
func (r Row) F1() float64 {
	p, q := r.Precision(), r.Recall()
	if p+q == 0 {
		return 0
	}
	return 2 * p * q / (p + q)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// Result holds one row per rule and subtype, and the misses for inspection.
type Result struct {
	Rows  []Row
	Total Row
	// FalsePositives and FalseNegatives list the keys that did not match,
	// at most MaxExamples per rule and subtype.
	FalsePositives, FalseNegatives []Key
	// Consequential marks the false positives that are expected
	// non-findings of the truth.
	Consequential map[Key]bool
	// NotFindings is the number of expected non-findings in the truth.
	NotFindings int
}

// MaxExamples bounds the false positives and negatives kept per subtype.
const MaxExamples = 20

// Key identifies a defect for scoring: rule, subtype, source and source_key,
// except DUP_PERSON, which is an unordered pair of person IDs.
type Key struct {
	Rule, Subtype, Source, Ref string
}

// FindingKey returns the scoring key of a finding.
func FindingKey(f record.Finding) Key {
	return makeKey(f.Rule, f.Subtype, f.Source, f.SourceKey, f.PersonID, f.RelatedPersonID)
}

// TruthKey returns the scoring key of an injected defect.
func TruthKey(t record.Truth) Key {
	return makeKey(t.Rule, t.Subtype, t.Source, t.SourceKey, t.PersonID, t.RelatedPersonID)
}

func makeKey(rule, subtype, source, sourceKey, person, related string) Key {
	if rule == "DUP_PERSON" {
		a, b := person, related
		if b < a {
			a, b = b, a
		}
		return Key{rule, subtype, "population", a + "|" + b}
	}
	return Key{rule, subtype, source, sourceKey}
}

// Compare scores findings against truth.
func Compare(findings []record.Finding, truth []record.Truth) Result {
	sc := NewScorer(truth)
	for i := range findings {
		sc.Add(&findings[i])
	}
	return sc.Result()
}

// group is one row of the table: a rule and a subtype.
type group struct{ rule, subtype string }

// Scorer scores findings against truth one finding at a time, so that a
// national run's findings need not be held (output.EachFinding): it keeps
// the truth and one key per distinct finding.
type Scorer struct {
	truth    []record.Truth
	rows     map[group]*Row
	want     map[Key]bool
	not      map[Key]bool
	seen     map[Key]bool
	examples map[group]int
	res      Result
	names    map[string]string // the rules, subtypes and sources of keys, stored once
	province map[string]int    // findings by province code (Province)
	findings int
}

// NewScorer returns a scorer of findings against truth, which it keeps.
func NewScorer(truth []record.Truth) *Scorer {
	sc := &Scorer{truth: truth, rows: map[group]*Row{}, want: make(map[Key]bool, len(truth)), not: map[Key]bool{},
		seen: map[Key]bool{}, examples: map[group]int{}, names: map[string]string{}, province: map[string]int{}}
	for _, t := range truth {
		k := sc.intern(TruthKey(t))
		if t.Expect == record.ExpectNone {
			sc.not[k] = true
			continue
		}
		if !sc.want[k] {
			sc.want[k] = true
			sc.row(t.Rule, t.Subtype).Truth++
		}
	}
	sc.res.NotFindings = len(sc.not)
	return sc
}

// row returns the row of a rule and subtype, adding it when new.
func (sc *Scorer) row(rule, subtype string) *Row {
	g := group{sc.name(rule), sc.name(subtype)} // a key of its own: the finding may be reused
	r := sc.rows[g]
	if r == nil {
		r = &Row{Rule: g.rule, Subtype: g.subtype}
		sc.rows[g] = r
	}
	return r
}

// name returns the one stored copy of s (a rule, a subtype, a source).
func (sc *Scorer) name(s string) string {
	if n, ok := sc.names[s]; ok {
		return n
	}
	s = strings.Clone(s)
	sc.names[s] = s
	return s
}

// intern stores k's rule, subtype and source once, and a copy of its
// reference (the finding it came from may be reused).
func (sc *Scorer) intern(k Key) Key {
	return Key{sc.name(k.Rule), sc.name(k.Subtype), sc.name(k.Source), strings.Clone(k.Ref)}
}

// Add scores one finding; f may be reused once Add returns.
func (sc *Scorer) Add(f *record.Finding) {
	sc.findings++
	if p := f.ProvinceCode; p != "" {
		sc.province[sc.name(p)]++
	}
	k := FindingKey(*f)
	if sc.seen[k] {
		return // one defect reported twice counts once
	}
	k = sc.intern(k)
	sc.seen[k] = true
	r := sc.row(f.Rule, f.Subtype)
	r.Found++
	if sc.want[k] {
		r.Correct++
		return
	}
	res := &sc.res
	if sc.not[k] {
		r.Consequences++
		res.Total.Consequences++
		if res.Consequential == nil {
			res.Consequential = map[Key]bool{}
		}
		res.Consequential[k] = true
	}
	if g := (group{r.Rule, r.Subtype}); sc.examples[g] < MaxExamples {
		sc.examples[g]++
		res.FalsePositives = append(res.FalsePositives, k)
	}
}

// Findings returns the number of findings added.
func (sc *Scorer) Findings() int { return sc.findings }

// Province returns the province code most findings added carry, as
// FindingsProvince does.
func (sc *Scorer) Province() string { return provinceOf(sc.province) }

// Result returns the score of the findings added so far; the scorer must
// not be used after.
func (sc *Scorer) Result() Result {
	res := sc.res
	missed := map[group]int{}
	for _, t := range sc.truth {
		k := TruthKey(t)
		if t.Expect == record.ExpectNone {
			continue
		}
		if g := (group{t.Rule, t.Subtype}); !sc.seen[k] && missed[g] < MaxExamples {
			missed[g]++
			sc.seen[k] = true
			res.FalseNegatives = append(res.FalseNegatives, k)
		}
	}
	for _, r := range sc.rows {
		res.Rows = append(res.Rows, *r)
		res.Total.Truth += r.Truth
		res.Total.Found += r.Found
		res.Total.Correct += r.Correct
	}
	res.Total.Rule = "TOTAL"
	slices.SortFunc(res.Rows, func(a, b Row) int {
		return cmp.Or(cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Subtype, b.Subtype))
	})
	sortKeys := func(ks []Key) {
		slices.SortFunc(ks, func(a, b Key) int {
			return cmp.Or(cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Subtype, b.Subtype), cmp.Compare(a.Ref, b.Ref))
		})
	}
	sortKeys(res.FalsePositives)
	sortKeys(res.FalseNegatives)
	return res
}

// WriteTable prints the score table.
func (r Result) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "rule\tsubtype\ttruth\tfound\tcorrect\tprecision\trecall\tF1\t")
	for _, row := range append(slices.Clone(r.Rows), r.Total) {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%.4f\t%.4f\t%.4f\t\n", row.Rule, row.Subtype,
			row.Truth, row.Found, row.Correct, row.Precision(), row.Recall(), row.F1())
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if r.NotFindings > 0 {
		_, err := fmt.Fprintf(w, "expected non-findings (consequences of a defect): %d, reported: %d\n",
			r.NotFindings, r.Total.Consequences)
		return err
	}
	return nil
}

// WriteMisses prints the false positives and negatives kept as examples.
func (r Result) WriteMisses(w io.Writer) {
	for _, k := range r.FalsePositives {
		what := "false positive "
		if r.Consequential[k] {
			what = "consequence    " // an expected non-finding reported
		}
		fmt.Fprintf(w, "%s %s %s %s %s\n", what, k.Rule, k.Subtype, k.Source, k.Ref)
	}
	for _, k := range r.FalseNegatives {
		fmt.Fprintf(w, "missed          %s %s %s %s\n", k.Rule, k.Subtype, k.Source, k.Ref)
	}
}

// Worst returns the rows whose precision or recall is below the targets.
func (r Result) Worst(minPrecision, minRecall float64) []string {
	var out []string
	for _, row := range r.Rows {
		if row.Precision() < minPrecision || row.Recall() < minRecall {
			out = append(out, strings.TrimSuffix(row.Rule+"/"+row.Subtype, "/"))
		}
	}
	return out
}

// RowJSON is one row of "doisanh score --json": a rule and subtype, or
// the total (Rule "TOTAL"), with its ratios worked out.
type RowJSON struct {
	Rule      string  `json:"rule"`
	Subtype   string  `json:"subtype"`
	Truth     int     `json:"truth"`
	Found     int     `json:"found"`
	Correct   int     `json:"correct"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// JSONRows returns the rows of r and then its total as "doisanh score
// --json" prints them.
func (r Result) JSONRows() []RowJSON {
	rows := make([]RowJSON, 0, len(r.Rows)+1)
	for _, x := range append(slices.Clone(r.Rows), r.Total) {
		rows = append(rows, RowJSON{x.Rule, x.Subtype, x.Truth, x.Found, x.Correct, x.Precision(), x.Recall(), x.F1()})
	}
	return rows
}
