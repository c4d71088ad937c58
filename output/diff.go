package output

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"fmt"
	"github.com/doisanh/doisanh/internal/numfmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/doisanh/doisanh/internal/csvcell"
	"github.com/doisanh/doisanh/record"
)

// DiffRow counts, for one commune and rule (or a total), the findings of an
// old run that were fixed or are still open, and the new ones.
type DiffRow struct {
	ProvinceCode string `json:"province_code"`
	CommuneCode  string `json:"commune_code"`
	CommuneName  string `json:"commune_name"`
	Rule         string `json:"rule"` // empty on commune and overall totals
	Old          int64  `json:"old"`  // findings of the old run
	Fixed        int64  `json:"fixed"`
	NotError     int64  `json:"not_error"` // gone because officers confirmed them not errors (reconcile --verified)
	Open         int64  `json:"still_open"`
	New          int64  `json:"new"`
}

// Done is the share of the old findings that were real errors (not
// confirmed non-errors) and were fixed, in percent; 0 when there were none.
func (r DiffRow) Done() float64 {
	if r.Old-r.NotError <= 0 {
		return 0
	}
	return float64(r.Fixed) * 100 / float64(r.Old-r.NotError)
}

func (r *DiffRow) add(o DiffRow) {
	r.Old += o.Old
	r.Fixed += o.Fixed
	r.NotError += o.NotError
	r.Open += o.Open
	r.New += o.New
}

// DiffCommune is one commune's progress: its total and one row per rule.
type DiffCommune struct {
	Rank  int       `json:"rank"` // by rate, 1 is best; 0 for the unknown commune and communes with nothing old
	Total DiffRow   `json:"total"`
	Rules []DiffRow `json:"rules"`
}

// DiffResult is the progress between two runs, matched by finding_id.
type DiffResult struct {
	OldRun   string        `json:"old_run,omitempty"` // RunLabel of each run, set by the caller
	NewRun   string        `json:"new_run,omitempty"`
	Province string        `json:"province,omitempty"`
	Warnings []string      `json:"warnings,omitempty"` // why the runs are not comparable (diff --force)
	Communes []DiffCommune `json:"communes"`           // ranked by rate; then the unknown commune
	ByRule   []DiffRow     `json:"by_rule"`            // all communes, per rule, catalogue order
	Total    DiffRow       `json:"total"`
	FixedIDs []string      `json:"-"` // finding_ids in the old run only
	NewIDs   []string      `json:"-"` // finding_ids in the new run only
}

// Diff compares the findings of an old and a current run by finding_id: a
// finding only in old is fixed, unless its id is in dismissed (the current
// run's Verification.Dismissed: officers confirmed it is not an error), one
// in both still open, one only in cur is new. Fixed, dismissed and
// still-open findings count in the commune of the old run, new ones in the
// commune of the new run, so that Old = Fixed + NotError + Open.
func Diff(old, cur []record.Finding, dismissed []string) *DiffResult {
	notErr := make(map[string]struct{}, len(dismissed))
	for _, id := range dismissed {
		notErr[id] = struct{}{}
	}
	inNew := make(map[string]struct{}, len(cur))
	for i := range cur {
		inNew[cur[i].FindingID] = struct{}{}
	}
	inOld := make(map[string]struct{}, len(old))
	type key struct{ prov, code, rule string }
	rows := map[key]*DiffRow{}
	row := func(f *record.Finding) *DiffRow {
		k := key{f.ProvinceCode, f.CommuneCode, f.Rule}
		r := rows[k]
		if r == nil {
			r = &DiffRow{ProvinceCode: k.prov, CommuneCode: k.code, Rule: k.rule}
			rows[k] = r
		}
		if r.CommuneName == "" {
			r.CommuneName = norm.NFC.String(f.CommuneName)
		}
		return r
	}
	res := &DiffResult{}
	for i := range old {
		f := &old[i]
		if _, dup := inOld[f.FindingID]; dup {
			continue
		}
		inOld[f.FindingID] = struct{}{}
		r := row(f)
		r.Old++
		if _, ok := inNew[f.FindingID]; ok {
			r.Open++
		} else if _, ok := notErr[f.FindingID]; ok {
			r.NotError++
		} else {
			r.Fixed++
			res.FixedIDs = append(res.FixedIDs, f.FindingID)
		}
	}
	seen := make(map[string]struct{})
	for i := range cur {
		f := &cur[i]
		if _, ok := inOld[f.FindingID]; ok {
			continue
		}
		if _, dup := seen[f.FindingID]; dup {
			continue
		}
		seen[f.FindingID] = struct{}{}
		row(f).New++
		res.NewIDs = append(res.NewIDs, f.FindingID)
	}

	all := make([]DiffRow, 0, len(rows))
	for _, r := range rows {
		all = append(all, *r)
	}
	slices.SortFunc(all, func(a, b DiffRow) int {
		return cmp.Or(cmp.Compare(a.ProvinceCode, b.ProvinceCode), cmp.Compare(a.CommuneCode, b.CommuneCode),
			cmp.Compare(ruleRank(a.Rule), ruleRank(b.Rule)), cmp.Compare(a.Rule, b.Rule))
	})
	for _, r := range all {
		n := len(res.Communes)
		if n == 0 || res.Communes[n-1].Total.ProvinceCode != r.ProvinceCode || res.Communes[n-1].Total.CommuneCode != r.CommuneCode {
			res.Communes = append(res.Communes, DiffCommune{Total: DiffRow{
				ProvinceCode: r.ProvinceCode, CommuneCode: r.CommuneCode, CommuneName: r.CommuneName}})
			n++
		}
		c := &res.Communes[n-1]
		c.Rules = append(c.Rules, r)
		c.Total.add(r)
		if c.Total.CommuneName == "" {
			c.Total.CommuneName = r.CommuneName
		}
		res.Total.add(r)
	}
	byRule := map[string]*DiffRow{}
	for _, r := range all {
		br := byRule[r.Rule]
		if br == nil {
			br = &DiffRow{Rule: r.Rule}
			byRule[r.Rule] = br
		}
		br.add(r)
	}
	for _, r := range byRule {
		res.ByRule = append(res.ByRule, *r)
	}
	slices.SortFunc(res.ByRule, func(a, b DiffRow) int {
		return cmp.Or(cmp.Compare(ruleRank(a.Rule), ruleRank(b.Rule)), cmp.Compare(a.Rule, b.Rule))
	})
	rankCommunes(res.Communes)
	slices.Sort(res.FixedIDs)
	slices.Sort(res.NewIDs)
	return res
}

// rankCommunes orders communes by rate (highest first), then by the
// number of old findings (most first) and code; communes with nothing old
// and the unknown commune come last, unranked.
func rankCommunes(cs []DiffCommune) {
	ranked := func(c *DiffCommune) bool {
		return c.Total.Old-c.Total.NotError > 0 && c.Total.CommuneCode != "" && c.Total.CommuneCode != unknownCommune
	}
	slices.SortStableFunc(cs, func(a, b DiffCommune) int {
		ua, ub := a.Total.CommuneCode == "" || a.Total.CommuneCode == unknownCommune, b.Total.CommuneCode == "" || b.Total.CommuneCode == unknownCommune
		if ua != ub {
			if ub {
				return -1
			}
			return 1
		}
		ra, rb := ranked(&a), ranked(&b)
		if ra != rb {
			if ra {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(b.Total.Done(), a.Total.Done()), cmp.Compare(b.Total.Old, a.Total.Old),
			cmp.Compare(a.Total.ProvinceCode, b.Total.ProvinceCode), cmp.Compare(a.Total.CommuneCode, b.Total.CommuneCode))
	})
	n := 0
	for i := range cs {
		if ranked(&cs[i]) {
			n++
			cs[i].Rank = n
		}
	}
}

// communeTitle names a commune for people: its name, else its code, else
// "Chưa xác định".
func communeTitle(r DiffRow) string {
	switch {
	case r.CommuneName != "":
		return r.CommuneName
	case r.CommuneCode != "":
		return "Mã xã " + r.CommuneCode
	}
	return unknownCommuneName
}

// percent writes p with one decimal and a decimal comma: "33,3%".
func percent(p float64) string {
	return strings.Replace(strconv.FormatFloat(p, 'f', 1, 64), ".", ",", 1) + "%"
}

// DoneText is Done as "33,3%", "-" when there was nothing to do.
func (r DiffRow) DoneText() string { return r.doneText() }

// DonePercent is Done rounded to a whole percent, for bar widths.
func (r DiffRow) DonePercent() int { return int(r.Done() + 0.5) }

func (r DiffRow) doneText() string {
	if r.Old-r.NotError <= 0 {
		return "-"
	}
	return percent(r.Done())
}

// progressLine is the sentence of provincial reports:
// "Xã Nghi Phong: đã rà soát, xử lý 3/10 trường hợp, đạt 30,0%".
func progressLine(title string, r DiffRow) string {
	line := fmt.Sprintf("%s: đã rà soát, xử lý %s/%s trường hợp, đạt %s", title, numfmt.VI(r.Fixed), numfmt.VI(r.Old-r.NotError), percent(r.Done()))
	if r.NotError > 0 {
		line += fmt.Sprintf("; xác minh không phải lỗi %s", numfmt.VI(r.NotError))
	}
	return line + fmt.Sprintf("; phát sinh mới %s trường hợp", numfmt.VI(r.New))
}

var diffCols = []string{"Kỳ trước", "Đã xử lý", "Không phải lỗi", "Còn tồn", "Phát sinh mới", "Tỷ lệ xử lý"}

func (r DiffRow) figures() []string {
	return []string{numfmt.VI(r.Old), numfmt.VI(r.Fixed), numfmt.VI(r.NotError), numfmt.VI(r.Open), numfmt.VI(r.New), r.doneText()}
}

func rankText(n int) string {
	if n == 0 {
		return "–"
	}
	return numfmt.VI(int64(n))
}

// WriteTable writes the progress as text: the overall sentence, one line
// per commune ranked by rate, then one line per rule.
func (d *DiffResult) WriteTable(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for _, warn := range d.Warnings {
		fmt.Fprintln(bw, "CẢNH BÁO: "+warn)
	}
	fmt.Fprintln(bw, progressLine("Tổng cộng", d.Total))
	fmt.Fprintf(bw, "Tổng số kỳ này: %s (còn tồn %s, phát sinh mới %s)\n\n",
		numfmt.VI(d.Total.Open+d.Total.New), numfmt.VI(d.Total.Open), numfmt.VI(d.Total.New))
	table := [][]string{append([]string{"Hạng", "Xã/phường", "Mã xã"}, diffCols...)}
	for _, c := range d.Communes {
		table = append(table, append([]string{rankText(c.Rank), communeTitle(c.Total), c.Total.CommuneCode}, c.Total.figures()...))
	}
	table = append(table, append([]string{"", "Tổng cộng", ""}, d.Total.figures()...))
	writeAligned(bw, "  ", table, 3)
	fmt.Fprintln(bw)
	table = [][]string{append([]string{"Loại lỗi"}, diffCols...)}
	for _, r := range d.ByRule {
		table = append(table, append([]string{ruleLabel(r.Rule)}, r.figures()...))
	}
	writeAligned(bw, "  ", table, 1)
	return bw.Flush()
}

// WriteCSV writes the figures of WriteTable as CSV with a UTF-8 BOM: one
// row per commune in rank order, the total, then one row per rule; cells
// are guarded against formula injection (csvcell.Guard).
func (d *DiffResult) WriteCSV(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(bom)
	cw := csv.NewWriter(bw)
	cw.Write([]string{"Hạng", "Mã tỉnh", "Mã xã", "Xã/phường", "Mã lỗi", "Loại lỗi", "Kỳ trước", "Đã xử lý",
		"Không phải lỗi", "Còn tồn", "Phát sinh mới", "Tỷ lệ xử lý (%)"})
	rec := func(rank string, r DiffRow, title, rule, label string) {
		done := ""
		if r.Old-r.NotError > 0 {
			done = strconv.FormatFloat(r.Done(), 'f', 1, 64)
		}
		cw.Write(csvcell.GuardRow([]string{rank, r.ProvinceCode, r.CommuneCode, title, rule, label,
			strconv.FormatInt(r.Old, 10), strconv.FormatInt(r.Fixed, 10), strconv.FormatInt(r.NotError, 10),
			strconv.FormatInt(r.Open, 10), strconv.FormatInt(r.New, 10), done}))
	}
	for _, c := range d.Communes {
		rank := ""
		if c.Rank > 0 {
			rank = strconv.Itoa(c.Rank)
		}
		rec(rank, c.Total, communeTitle(c.Total), "", "")
	}
	rec("", d.Total, "Tổng cộng", "", "")
	for _, r := range d.ByRule {
		rec("", r, "Toàn tỉnh", r.Rule, ruleLabel(r.Rule))
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// writeAligned writes table as columns two spaces apart, each line starting
// with indent; the first textCols columns are aligned left, the others
// (numbers) right.
func writeAligned(w *bufio.Writer, indent string, table [][]string, textCols int) {
	var widths []int
	for _, row := range table {
		for i, cell := range row {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], utf8.RuneCountInString(cell))
		}
	}
	for _, row := range table {
		w.WriteString(indent)
		for i, cell := range row {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(cell))
			if i > 0 {
				w.WriteString("  ")
			}
			if i < textCols {
				w.WriteString(cell)
				if i < len(row)-1 {
					w.WriteString(pad)
				}
			} else {
				w.WriteString(pad + cell)
			}
		}
		w.WriteByte('\n')
	}
}

// sourceNames are the Vietnamese names of the sources in messages.
func sourceName(s string) string { return label(sourceLabels, s) }

// provinceOf is the province a summary says it reconciled.
func provinceOf(s *Summary) string {
	if s.Province != "" {
		return s.Province
	}
	if p, ok := s.Options["province"].(string); ok {
		return p
	}
	return ""
}

// Comparable lists why two runs cannot be compared by diff: another
// province, another set of sources, or a source of which no row was usable
// (its findings would all look fixed or all new). An empty list means the
// runs are comparable.
func Comparable(old, cur *Summary) []string {
	var why []string
	if po, pc := provinceOf(old), provinceOf(cur); po != "" && pc != "" && po != pc {
		why = append(why, fmt.Sprintf("khác tỉnh: kỳ trước %s, kỳ này %s", runPlace(old), runPlace(cur)))
	}
	sources := func(s *Summary) []string {
		var out []string
		for _, in := range s.Inputs {
			if !slices.Contains(out, in.Source) {
				out = append(out, in.Source)
			}
		}
		slices.SortFunc(out, func(a, b string) int { return cmp.Compare(sourceRank(a), sourceRank(b)) })
		return out
	}
	so, sc := sources(old), sources(cur)
	if !slices.Equal(so, sc) {
		why = append(why, fmt.Sprintf("khác bộ nguồn dữ liệu: kỳ trước %s; kỳ này %s", sourceList(so), sourceList(sc)))
	}
	for _, run := range []struct {
		name string
		s    *Summary
	}{{"kỳ trước", old}, {"kỳ này", cur}} {
		for _, in := range run.s.Inputs {
			if in.Used == 0 {
				why = append(why, fmt.Sprintf("%s: nguồn %s (%s) không có dòng dùng được (đọc %s, loại %s)",
					run.name, sourceName(in.Source), in.Path, numfmt.VI(in.Read), numfmt.VI(in.Rejected)))
			}
		}
	}
	return why
}

func sourceList(ss []string) string {
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = sourceName(s)
	}
	if len(names) == 0 {
		return "(không có)"
	}
	return strings.Join(names, ", ")
}

func runPlace(s *Summary) string {
	p := provinceOf(s)
	if s.ProvinceName != "" {
		p += " (" + s.ProvinceName + ")"
	}
	return p
}

// RunLabel names a run for the header of a comparison: its run id and the
// date it started.
func RunLabel(s *Summary) string {
	l := s.RunID
	t := s.Started
	if t.IsZero() {
		t = s.Finished
	}
	if !t.IsZero() {
		l += ", ngày " + t.Local().Format("02/01/2006")
	}
	if s.Period != "" {
		l = s.Period + " (" + l + ")"
	}
	return l
}

// DiffHeader is the first lines of diff's output: which runs are compared.
func DiffHeader(old, cur *Summary) string {
	place := ""
	if n := cur.ProvinceName; n != "" {
		place = n + ": "
	}
	return fmt.Sprintf("%sso sánh kỳ trước %s với kỳ này %s\n", place, RunLabel(old), RunLabel(cur))
}
