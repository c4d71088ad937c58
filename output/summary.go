package output

import (
	"cmp"
	"encoding/json"
	"fmt"
	"github.com/doisanh/doisanh/internal/numfmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/doisanh/doisanh/admin"
	"github.com/doisanh/doisanh/record"
	"github.com/doisanh/doisanh/rules"
)

// Input is one input file of a run and what became of its rows.
type Input struct {
	Source   string `json:"source"`
	Path     string `json:"path"`
	Size     int64  `json:"size"`
	SHA256   string `json:"sha256"`
	Read     int64  `json:"read"`
	Used     int64  `json:"used"`
	Rejected int64  `json:"rejected"`
}

// Stage is the time one stage of a run took: read, normalise, index, link,
// rules, write.
type Stage struct {
	Name    string  `json:"name"`
	Seconds float64 `json:"seconds"`
	Rows    int64   `json:"rows"`
}

// RuleCount is the number of findings of one rule.
type RuleCount struct {
	Rule     string `json:"rule"`
	Label    string `json:"label"`    // Vietnamese
	Severity string `json:"severity"` // high, medium, low
	Count    int64  `json:"count"`
}

// SubtypeCount is the number of findings of one rule and subtype.
type SubtypeCount struct {
	Rule    string `json:"rule"`
	Subtype string `json:"subtype"`
	Label   string `json:"label"`
	Count   int64  `json:"count"`
}

// SourceCount is the number of findings from one source.
type SourceCount struct {
	Source string `json:"source"`
	Count  int64  `json:"count"`
}

// CommuneCount is the number of findings of one commune, in all and per rule.
type CommuneCount struct {
	ProvinceCode string      `json:"province_code"`
	CommuneCode  string      `json:"commune_code"` // "00000" when unknown
	CommuneName  string      `json:"commune_name"`
	Count        int64       `json:"count"`
	ByRule       []RuleCount `json:"by_rule"`   // rules with findings, catalogue order
	Fixlist      string      `json:"fixlist"`   // path of its CSV fix list, relative to the run directory
	Residents    int64       `json:"residents"` // living people of the register in the commune (0 when not given)
	Per1000      float64     `json:"per_1000"`  // findings per 1,000 residents; 0 without residents
}

// Summary describes a run; it is written as summary.json. The caller fills
// the run information; WriteFindings computes the counts.
type Summary struct {
	Version  string         `json:"version"`
	RunID    string         `json:"run_id"`
	Started  time.Time      `json:"started"`
	Finished time.Time      `json:"finished"`
	Options  map[string]any `json:"options"` // free-form run options

	// Province is the 2-digit code of the province reconciled and
	// ProvinceName its official name (admin.AllProvinces and
	// admin.NationalName for a register of the whole country); Period is the reporting period
	// ("Tháng 07/2025"). The caller may set them; WriteFindings fills them
	// when empty (province from Options["province"] or the findings, period
	// from Started).
	Province     string `json:"province"`
	ProvinceName string `json:"province_name"`
	Period       string `json:"period"`

	// Residents is the register's living people by 2025 commune code (""
	// for the unknown commune), set by the caller for rates per 1,000
	// residents.
	Residents map[string]int64 `json:"-"`
	// TotalResidents is their sum, computed by WriteFindings.
	TotalResidents int64 `json:"total_residents"`

	// Verification is set when the run applied a verification ledger.
	Verification *Verification `json:"verification,omitempty"`
	Inputs       []Input       `json:"inputs"`
	Stages       []Stage       `json:"stages"`
	// Warnings are problems of a whole input file (a file given twice,
	// another province's extract), one line each.
	Warnings []string `json:"warnings,omitempty"`

	// Computed by WriteFindings.
	RowsRead      int64          `json:"rows_read"`
	RowsUsed      int64          `json:"rows_used"`
	RowsRejected  int64          `json:"rows_rejected"`
	Rejects       int64          `json:"rejects"` // rows in rejects.parquet
	TotalFindings int64          `json:"total_findings"`
	ByRule        []RuleCount    `json:"by_rule"` // every catalogue rule, then unknown codes
	BySubtype     []SubtypeCount `json:"by_subtype"`
	BySource      []SourceCount  `json:"by_source"`
	ByCommune     []CommuneCount `json:"by_commune"`
}

// summarize fills the computed fields of s from the findings and communes.
func summarize(s *Summary, fs []record.Finding, communes []*commune, rejects int64) {
	s.RowsRead, s.RowsUsed, s.RowsRejected = 0, 0, 0
	for _, in := range s.Inputs {
		s.RowsRead += in.Read
		s.RowsUsed += in.Used
		s.RowsRejected += in.Rejected
	}
	s.Rejects = rejects
	s.TotalFindings = int64(len(fs))
	s.ByRule = countRules(fs, nil)
	for _, r := range rules.Catalog {
		if !slices.ContainsFunc(s.ByRule, func(c RuleCount) bool { return c.Rule == r.Code }) {
			s.ByRule = append(s.ByRule, RuleCount{Rule: r.Code, Label: r.Label, Severity: r.Severity})
		}
	}
	sortRules(s.ByRule)

	type sub struct{ rule, subtype string }
	subs := map[sub]int64{}
	srcs := map[string]int64{}
	for i := range fs {
		subs[sub{fs[i].Rule, fs[i].Subtype}]++
		srcs[fs[i].Source]++
	}
	s.BySubtype = s.BySubtype[:0]
	for k, n := range subs {
		s.BySubtype = append(s.BySubtype, SubtypeCount{k.rule, k.subtype, subtypeLabel(k.rule, k.subtype), n})
	}
	slices.SortFunc(s.BySubtype, func(a, b SubtypeCount) int {
		return cmp.Or(cmp.Compare(ruleRank(a.Rule), ruleRank(b.Rule)), cmp.Compare(a.Rule, b.Rule),
			cmp.Compare(subtypeRank(a.Rule, a.Subtype), subtypeRank(b.Rule, b.Subtype)), cmp.Compare(a.Subtype, b.Subtype))
	})
	s.BySource = s.BySource[:0]
	for src, n := range srcs {
		s.BySource = append(s.BySource, SourceCount{src, n})
	}
	slices.SortFunc(s.BySource, func(a, b SourceCount) int {
		return cmp.Or(cmp.Compare(sourceRank(a.Source), sourceRank(b.Source)), cmp.Compare(a.Source, b.Source))
	})
	s.ByCommune = s.ByCommune[:0]
	s.TotalResidents = 0
	for _, n := range s.Residents {
		s.TotalResidents += n
	}
	for _, c := range communes {
		cc := CommuneCount{
			ProvinceCode: c.Province, CommuneCode: c.Code, CommuneName: c.Name,
			Count: int64(len(c.idx)), ByRule: countRules(fs, c.idx), Fixlist: c.file() + ".csv",
		}
		if c.Code != unknownCommune { // no rate for findings without a commune
			cc.Residents = s.Residents[c.Code]
			cc.Per1000 = per1000(cc.Count, cc.Residents)
		}
		s.ByCommune = append(s.ByCommune, cc)
	}
}

// countRules counts the findings fs[idx] (all of fs when idx is nil) per
// rule, in catalogue order.
func countRules(fs []record.Finding, idx []int32) []RuleCount {
	var out []RuleCount
	add := func(f *record.Finding) {
		for i := range out {
			if out[i].Rule == f.Rule {
				out[i].Count++
				return
			}
		}
		sev := f.Severity
		if r, ok := rules.Lookup(f.Rule); ok {
			sev = r.Severity
		}
		out = append(out, RuleCount{Rule: f.Rule, Label: ruleLabel(f.Rule), Severity: sev, Count: 1})
	}
	if idx == nil {
		for i := range fs {
			add(&fs[i])
		}
	} else {
		for _, i := range idx {
			add(&fs[i])
		}
	}
	sortRules(out)
	return out
}

func sortRules(rs []RuleCount) {
	slices.SortFunc(rs, func(a, b RuleCount) int {
		return cmp.Or(cmp.Compare(ruleRank(a.Rule), ruleRank(b.Rule)), cmp.Compare(a.Rule, b.Rule))
	})
}

func subtypeRank(rule, subtype string) int {
	r, _ := rules.Lookup(rule)
	for i, s := range r.Subtypes {
		if s.Code == subtype {
			return i
		}
	}
	return len(r.Subtypes)
}

func sourceRank(s string) int {
	for _, src := range record.Sources {
		if src.String() == s {
			return int(src)
		}
	}
	return len(record.Sources)
}

// describeRun fills the province and period of s when the caller did not.
func describeRun(s *Summary, fs []record.Finding) {
	if s.Province == "" {
		if p, ok := s.Options["province"].(string); ok {
			s.Province = p
		}
	}
	if s.Province == "" {
		n := map[string]int{}
		for i := range fs {
			if c := fs[i].ProvinceCode; c != "" && c != unknownProvince {
				n[c]++
			}
		}
		best := 0
		for c, k := range n {
			if k > best || k == best && c < s.Province {
				s.Province, best = c, k
			}
		}
	}
	if s.Province == admin.AllProvinces && s.ProvinceName == "" {
		s.ProvinceName = admin.NationalName
	}
	if s.Province != "" && s.ProvinceName == "" {
		if code, name, ok := admin.Default().Province(admin.Current, s.Province); ok {
			s.Province, s.ProvinceName = code, name
		}
	}
	if s.Period == "" {
		t := s.Started
		if t.IsZero() {
			t = s.Finished
		}
		if !t.IsZero() {
			s.Period = "Tháng " + t.Local().Format("01/2006")
		}
	}
}

// FormatInt writes n with Vietnamese digit grouping: 4.524.
func FormatInt(n int64) string { return numfmt.VI(n) }

// RulePrecision counts the outcomes officers reported for one rule's
// findings, read back from returned fix lists (doisanh verify).
type RulePrecision struct {
	Rule     string `json:"rule"`
	Label    string `json:"label"`
	Fixed    int64  `json:"fixed"`     // Đúng là lỗi – đã sửa
	Open     int64  `json:"open"`      // Đúng là lỗi – chưa sửa
	NotError int64  `json:"not_error"` // Không phải lỗi
	NotFound int64  `json:"not_found"` // Không tìm thấy người
}

// Checked is the number of findings with an outcome.
func (p RulePrecision) Checked() int64 { return p.Fixed + p.Open + p.NotError + p.NotFound }

// Precision is the share of the findings checked in the field (person
// found) that were real errors, in [0, 1]; ok is false when none was.
func (p RulePrecision) Precision() (float64, bool) {
	n := p.Fixed + p.Open + p.NotError
	if n == 0 {
		return 0, false
	}
	return float64(p.Fixed+p.Open) / float64(n), true
}

// SortPrecision orders rows by catalogue order and fills their labels.
func SortPrecision(ps []RulePrecision) {
	for i := range ps {
		ps[i].Label = ruleLabel(ps[i].Rule)
	}
	slices.SortFunc(ps, func(a, b RulePrecision) int {
		return cmp.Or(cmp.Compare(ruleRank(a.Rule), ruleRank(b.Rule)), cmp.Compare(a.Rule, b.Rule))
	})
}

// Verification is what a run took from the verification ledger
// (reconcile --verified).
type Verification struct {
	Ledger    string          `json:"ledger"`
	Entries   int64           `json:"entries"`   // findings in the ledger
	Dismissed []string        `json:"dismissed"` // finding_ids found again but confirmed not errors: not raised
	ReRaised  int64           `json:"re_raised"` // found again although reported fixed
	ByRule    []RulePrecision `json:"by_rule"`   // outcomes per rule over the whole ledger

	// Notes are shown to the officer in "Ghi chú xác minh", by finding_id.
	Notes map[string]string `json:"-"`
}

// ReadSummary reads a run's summary.json; dir may be the run directory,
// the file itself or another file of the run (findings.parquet).
func ReadSummary(dir string) (*Summary, error) {
	p := dir
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		p = filepath.Join(dir, "summary.json")
	} else if filepath.Ext(dir) != ".json" {
		p = filepath.Join(filepath.Dir(dir), "summary.json")
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("reading run summary: %w", err)
	}
	var s Summary
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("reading run summary %s: %w", p, err)
	}
	return &s, nil
}

// per1000 is n per 1,000 residents, 0 without residents.
func per1000(n, residents int64) float64 {
	if residents <= 0 {
		return 0
	}
	return float64(n) * 1000 / float64(residents)
}

// SourceLabel is the Vietnamese name of a source ("population" is "Dân cư").
func SourceLabel(s string) string { return label(sourceLabels, s) }
