package output

import (
	"cmp"
	_ "embed"
	"html/template"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

//go:embed report.html.tmpl
var reportSource string

// reportTemplate is parsed once; templates are safe for concurrent use.
var reportTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"num": formatInt,
}).Parse(reportSource))

// Chart geometry, in SVG pixels.
const (
	chartLabel = 300 // width of the label column
	chartBars  = 360 // width of the longest bar
	chartRow   = 24  // height of one bar row
)

type reportView struct {
	S           *Summary
	Seconds     string
	Rules       []reportBar // catalogue rules, for the totals table and chart
	RulesHeight int
	Top         []reportBar // top communes by findings
	TopHeight   int
	Width       int
	LabelWidth  int
	RuleCodes   []string
	Communes    []reportCommune
}

type reportBar struct {
	Code, Label, Severity, SeverityLabel string
	Count                                int64
	Y, TextY                             int
	W                                    int
}

type reportCommune struct {
	Name, Code, Province string
	Counts               []int64
	Total                int64
}

// writeReport writes report.html: one self-contained file, no network.
func writeReport(w io.Writer, s *Summary) error {
	v := reportView{S: s, Width: chartLabel + chartBars + 80, LabelWidth: chartLabel}
	if !s.Started.IsZero() && !s.Finished.IsZero() {
		secs := strconv.FormatFloat(s.Finished.Sub(s.Started).Round(time.Millisecond).Seconds(), 'f', 1, 64)
		v.Seconds = strings.Replace(secs, ".", ",", 1) // Vietnamese decimal comma
	}
	var maxRule int64
	for _, r := range s.ByRule {
		maxRule = max(maxRule, r.Count)
	}
	for i, r := range s.ByRule {
		v.Rules = append(v.Rules, reportBar{Code: r.Rule, Label: r.Label, Severity: r.Severity,
			SeverityLabel: label(severityLabels, r.Severity), Count: r.Count,
			Y: i * chartRow, TextY: i*chartRow + 15, W: barWidth(r.Count, maxRule)})
		v.RuleCodes = append(v.RuleCodes, r.Rule)
	}
	v.RulesHeight = len(v.Rules)*chartRow + 4

	top := make([]CommuneCount, len(s.ByCommune))
	copy(top, s.ByCommune)
	sortCommunesByCount(top)
	if len(top) > 15 {
		top = top[:15]
	}
	var maxCommune int64
	if len(top) > 0 {
		maxCommune = top[0].Count
	}
	for i, c := range top {
		v.Top = append(v.Top, reportBar{Code: c.CommuneCode, Label: c.CommuneName + " (" + c.CommuneCode + ")",
			Count: c.Count, Y: i * chartRow, TextY: i*chartRow + 15, W: barWidth(c.Count, maxCommune)})
	}
	v.TopHeight = len(v.Top)*chartRow + 4

	for _, c := range s.ByCommune {
		rc := reportCommune{Name: c.CommuneName, Code: c.CommuneCode, Province: c.ProvinceCode,
			Counts: make([]int64, len(v.RuleCodes)), Total: c.Count}
		for _, r := range c.ByRule {
			for j, code := range v.RuleCodes {
				if code == r.Rule {
					rc.Counts[j] = r.Count
				}
			}
		}
		v.Communes = append(v.Communes, rc)
	}
	return reportTemplate.Execute(w, &v)
}

func barWidth(n, most int64) int {
	if most <= 0 || n <= 0 {
		return 0
	}
	return max(1, int(n*chartBars/most))
}

// sortCommunesByCount orders communes by findings, most first, then code.
func sortCommunesByCount(cs []CommuneCount) {
	slices.SortStableFunc(cs, func(a, b CommuneCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.ProvinceCode, b.ProvinceCode),
			cmp.Compare(a.CommuneCode, b.CommuneCode))
	})
}

// formatInt writes n with dots between thousands, as Vietnamese does.
func formatInt(n int64) string {
	return message.NewPrinter(language.Vietnamese).Sprintf("%d", n)
}
