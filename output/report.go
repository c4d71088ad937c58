package output

import (
	_ "embed"
	"html/template"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/doisanh/doisanh/internal/numfmt"
)

//go:embed report.html.tmpl
var reportSource string

// reportTemplate is parsed once; templates are safe for concurrent use.
var reportTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"num": numfmt.VI[int64],
}).Parse(reportSource))

// Chart geometry, in SVG pixels.
const (
	chartLabel = 300 // width of the label column
	chartBars  = 360 // width of the longest bar
	chartRow   = 24  // height of one bar row
)

type reportView struct {
	S           *Summary
	Title       string
	Seconds     string
	TotalRate   string
	Inputs      []reportInput
	Rules       []reportBar // catalogue rules, for the totals table and chart
	RulesHeight int
	Width       int
	LabelWidth  int
	Communes    []reportCommune // known communes
	Unknown     *reportCommune  // findings without a commune, kept apart
	Precision   []reportPrecision
}

type reportInput struct {
	Input
	Name string // Vietnamese name of the source
}

type reportBar struct {
	Code, Label, Severity, SeverityLabel string
	Count                                int64
	Rate                                 string // per 1,000 residents
	Y, TextY                             int
	W                                    int
}

type reportCommune struct {
	Name, Code, Province string
	High, Medium, Low    int64
	Total, Residents     int64
	Rate                 float64
	RateText             string
	Fixlist              string
}

type reportPrecision struct {
	Label                      string
	Errors, NotError, NotFound int64
	Precision                  string
}

// rateText writes a rate per 1,000 with one decimal and a decimal comma;
// "–" without residents.
func rateText(n, residents int64) string {
	if residents <= 0 {
		return "–"
	}
	return strings.Replace(strconv.FormatFloat(per1000(n, residents), 'f', 1, 64), ".", ",", 1)
}

// writeReport writes report.html: one self-contained file, no network,
// readable on a phone and printable on A4.
func writeReport(w io.Writer, s *Summary) error {
	v := reportView{S: s, Width: chartLabel + chartBars + 80, LabelWidth: chartLabel}
	v.Title = "Báo cáo đối sánh dữ liệu dân cư"
	if s.ProvinceName != "" {
		v.Title += " – " + s.ProvinceName
	}
	if s.Period != "" {
		v.Title += " – " + s.Period
	}
	if !s.Started.IsZero() && !s.Finished.IsZero() {
		secs := strconv.FormatFloat(s.Finished.Sub(s.Started).Round(time.Millisecond).Seconds(), 'f', 1, 64)
		v.Seconds = strings.Replace(secs, ".", ",", 1) // Vietnamese decimal comma
	}
	if s.TotalResidents > 0 {
		v.TotalRate = rateText(s.TotalFindings, s.TotalResidents)
	}
	for _, in := range s.Inputs {
		v.Inputs = append(v.Inputs, reportInput{in, label(sourceLabels, in.Source)})
	}
	var maxRule int64
	for _, r := range s.ByRule {
		maxRule = max(maxRule, r.Count)
	}
	for i, r := range s.ByRule {
		v.Rules = append(v.Rules, reportBar{Code: r.Rule, Label: r.Label, Severity: r.Severity,
			SeverityLabel: label(severityLabels, r.Severity), Count: r.Count, Rate: rateText(r.Count, s.TotalResidents),
			Y: i * chartRow, TextY: i*chartRow + 15, W: barWidth(r.Count, maxRule)})
	}
	v.RulesHeight = len(v.Rules)*chartRow + 4

	for _, c := range s.ByCommune {
		rc := reportCommune{Name: c.CommuneName, Code: c.CommuneCode, Province: c.ProvinceCode,
			Total: c.Count, Residents: c.Residents, Rate: c.Per1000, RateText: rateText(c.Count, c.Residents),
			Fixlist: c.Fixlist}
		for _, r := range c.ByRule {
			switch r.Severity {
			case "high":
				rc.High += r.Count
			case "medium":
				rc.Medium += r.Count
			default:
				rc.Low += r.Count
			}
		}
		if c.CommuneCode == unknownCommune || c.CommuneCode == "" {
			if v.Unknown == nil {
				v.Unknown = &rc
			} else {
				v.Unknown.High += rc.High
				v.Unknown.Medium += rc.Medium
				v.Unknown.Low += rc.Low
				v.Unknown.Total += rc.Total
			}
			continue
		}
		v.Communes = append(v.Communes, rc)
	}
	if vr := s.Verification; vr != nil {
		for _, p := range vr.ByRule {
			rp := reportPrecision{Label: p.Label, Errors: p.Fixed + p.Open, NotError: p.NotError, NotFound: p.NotFound, Precision: "–"}
			if x, ok := p.Precision(); ok {
				rp.Precision = percent(x * 100)
			}
			v.Precision = append(v.Precision, rp)
		}
	}
	return reportTemplate.Execute(w, &v)
}

func barWidth(n, most int64) int {
	if most <= 0 || n <= 0 {
		return 0
	}
	return max(1, int(n*chartBars/most))
}
