package output

import (
	_ "embed"
	"html/template"
	"io"

	"github.com/doisanh/doisanh/internal/numfmt"
)

//go:embed progress.html.tmpl
var progressSource string

var progressTemplate = template.Must(template.New("progress").Funcs(template.FuncMap{
	"num": numfmt.VI[int64], "title": communeTitle, "label": ruleLabel, "rank": rankText,
	"sub": func(a, b int64) int64 { return a - b },
}).Parse(progressSource))

type progressView struct {
	D     *DiffResult
	Title string
}

// WriteHTML writes a self-contained progress page for leaders: the runs
// compared, the overall rate, one line per commune ranked by rate with a
// bar, and one line per rule. It needs no network and prints on A4.
func (d *DiffResult) WriteHTML(w io.Writer) error {
	title := "Tiến độ xác minh, làm sạch dữ liệu dân cư"
	if d.Province != "" {
		title += " – " + d.Province
	}
	return progressTemplate.Execute(w, &progressView{D: d, Title: title})
}
