package output

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/doisanh/doisanh/record"
)

// summarySheet is the first sheet of a fix-list workbook: counts per rule.
const summarySheet = "Tổng hợp"

var summaryHeader = []string{"Loại lỗi", "Mức độ", "Số trường hợp", "Trang tính", "Mã lỗi"}

// Outcomes are the values of the "Kết quả xác minh" drop-down, in the order
// offered. doisanh verify reads them back (tolerating typos).
var Outcomes = []string{
	"Đúng là lỗi – đã sửa",
	"Đúng là lỗi – chưa sửa",
	"Không phải lỗi",
	"Không tìm thấy người",
}

// Text of the title block.
const (
	listTitle = "DANH SÁCH TRƯỜNG HỢP CẦN XÁC MINH, LÀM SẠCH DỮ LIỆU DÂN CƯ"
	// confidentiality marks the list as personal data (Nghị định 13/2023/NĐ-CP)
	// restricted to the verification. It is not a state-secret grade ("Mật"):
	// only an authorised person may classify a document as such.
	confidentiality = "DỮ LIỆU CÁ NHÂN – HẠN CHẾ TIẾP CẬN: chỉ dùng cho công tác xác minh, làm sạch dữ liệu dân cư. " +
		"Không sao chụp, không chuyển cho người không có nhiệm vụ; trả lại danh sách sau khi xác minh."
	listFont = "Times New Roman"
)

// titleRows is the number of rows above a fix-list sheet's header row.
const titleRows = 5

// listInfo is what the title block and the document properties say about
// the run that produced a fix list.
type listInfo struct {
	Province string            // province name ("Tỉnh Nghệ An"), "" when unknown
	Period   string            // reporting period ("Tháng 07/2025")
	RunID    string            // summary.json's run_id
	RunDate  time.Time         // when the run started
	Version  string            // doisanh version
	Now      time.Time         // when the list was written
	Notes    map[string]string // "Ghi chú xác minh" prefilled, by finding_id
}

// Printed header and footer of every sheet (§18.3.1.39 codes: &L left,
// &R right, &8 size, &A sheet name, &P page, &N pages).
const (
	pageHeader = `&L&"` + listFont + `,Bold"&8DỮ LIỆU CÁ NHÂN – HẠN CHẾ TIẾP CẬN&R&8&A`
	pageFooter = "&L&8Chỉ dùng cho công tác xác minh&RTrang &P/&N"
)

// summaryWidths are the column widths of the summary sheet.
var summaryWidths = []float64{34, 12, 14, 30, 20}

// writeXLSX writes the fix list of commune c as a workbook to w: a summary
// sheet, then one sheet per rule named by its Vietnamese label. Each sheet
// has a title block (province, commune, period, run), a confidentiality
// line, A4 print setup fitted to the page width (the lists landscape,
// with a filter and their header row repeated on every page), and a
// drop-down of outcomes in "Kết quả xác minh". Every value is a text
// cell, so IDs keep their leading zeros and dates stay text. rows are the
// commune's fix-list rows in the order of c.idx, as its CSV has them
// (listRows.fill). A rule with more findings than a sheet holds
// (sheetRows) continues on a sheet of the same name numbered " (2)", its
// findings numbered on from the sheet before.
func writeXLSX(w io.Writer, fs []record.Finding, c *commune, info listInfo, rows *listRows) error {
	return writeBook(w, fs, c, info, rows, sheetRows)
}

// sheetRows is the most findings a list sheet holds: Excel's 1,048,576
// rows less the title block and the header row.
const sheetRows = 1<<20 - titleRows - 1

// writeBook is writeXLSX with at most perSheet findings a sheet.
func writeBook(w io.Writer, fs []record.Finding, c *commune, info listInfo, rows *listRows, perSheet int) error {
	// c.idx is sorted by rule first: split it into runs of one rule, of
	// at most perSheet findings.
	type run struct {
		rule, sheet string
		n           int // findings
		first       int // rows.row(first) is the row of the run's first finding
		before      int // findings of the rule on the sheets before
	}
	var runs []run
	used := map[string]bool{summarySheet: true}
	for n, i := range c.idx {
		r := fs[i].Rule
		switch last := len(runs) - 1; {
		case last < 0 || runs[last].rule != r:
			runs = append(runs, run{rule: r, sheet: uniqueSheetName(ruleLabel(r), used), first: n})
		case runs[last].n == perSheet:
			runs = append(runs, run{rule: r, sheet: uniqueSheetName(ruleLabel(r), used), first: n,
				before: runs[last].before + runs[last].n})
		}
		runs[len(runs)-1].n++
	}

	header := titleRows + 1 // the header row of every sheet
	sheets := []bookSheet{{Name: summarySheet}}
	for _, r := range runs {
		sheets = append(sheets, bookSheet{Name: r.sheet, PrintTitleRow: header, Filter: listRange(header, header+r.n)})
	}
	b := newBook(w, sheets, listProps(c, info))

	// Summary sheet: counts per rule, then the total.
	last := header + len(runs) + 1
	b.beginSheet(&sheetSetup{Widths: summaryWidths, Cols: len(summaryHeader), Rows: last, FreezeRows: header,
		Merges: titleMerges(len(summaryHeader)), Header: pageHeader, Footer: pageFooter})
	writeTitleRows(b, c, info)
	writeHeaderRow(b, header, summaryHeader)
	for n, r := range runs {
		b.startRow(header+1+n, 0)
		b.text(0, styleCell, ruleLabel(r.rule))
		b.text(1, styleCell, label(severityLabels, fs[c.idx[r.first]].Severity))
		b.number(2, styleNumber, int64(r.n))
		b.text(3, styleCell, r.sheet)
		b.text(4, styleCell, r.rule)
	}
	b.startRow(last, 0)
	b.text(0, styleHeader, "Tổng cộng")
	b.text(1, styleHeader, "")
	b.number(2, styleHeader, int64(len(c.idx)))
	b.endSheet()

	// One sheet per rule.
	outcomeCol := string(appendCellRef(nil, colOutcome, 0)[:1])
	for _, r := range runs {
		lastRow := header + r.n
		b.beginSheet(&sheetSetup{Widths: fixlistWidths, Cols: numCols, Rows: lastRow, FreezeRows: header, Landscape: true,
			Merges: titleMerges(numCols), Header: pageHeader, Footer: pageFooter,
			List: &listValidation{
				Sqref: outcomeCol + strconv.Itoa(header+1) + ":" + outcomeCol + strconv.Itoa(lastRow),
				Items: Outcomes, Title: "Kết quả xác minh",
				Prompt: "Chọn kết quả sau khi xác minh tại địa bàn.", ErrText: "Chọn một kết quả trong danh sách.",
			}})
		writeTitleRows(b, c, info)
		writeHeaderRow(b, header, fixlistHeader)
		for n := range r.n {
			row := rows.row(r.first + n) // the CSV's row: its number (column 0) is the commune's, not the sheet's
			b.startRow(header+1+n, 0)
			b.number(0, styleNumber, int64(r.before+n+1))
			for j := 1; j < len(row); j++ {
				b.text(j, styleCell, row[j]) // text, so IDs keep their leading zeros
			}
		}
		b.endSheet()
	}
	if err := b.Close(); err != nil {
		return fmt.Errorf("workbook: %w", err)
	}
	return nil
}

// listProps are the document properties of commune c's workbook.
func listProps(c *commune, info listInfo) bookProps {
	now := info.Now
	if now.IsZero() {
		now = time.Now()
	}
	return bookProps{
		Title:       listTitle + " – " + c.Name,
		Subject:     strings.TrimSpace(c.Name + ", " + info.Province + " – " + info.Period),
		Description: "Lần chạy " + info.RunID + ". " + confidentiality,
		Keywords:    "doisanh; Đề án 06; xác minh",
		Category:    "Dữ liệu cá nhân – hạn chế tiếp cận",
		Language:    "vi-VN",
		Creator:     "doisanh",
		Created:     now,
		AppVersion:  appVersion(info.Version),
	}
}

// listRange is the range of a list sheet from its header row to its last
// row, over every column ("A6:U106").
func listRange(header, last int) string {
	return string(appendCellRef(append(appendCellRef(nil, 0, header), ':'), numCols-1, last))
}

// titleMerges are the merged ranges of the title block: each of its four
// lines spans the sheet's cols columns.
func titleMerges(cols int) []string {
	m := make([]string, 4)
	for i := range m {
		m[i] = string(appendCellRef(append(appendCellRef(nil, 0, i+1), ':'), cols-1, i+1))
	}
	return m
}

// writeTitleRows writes the title block (titleLines); the fifth row is
// left blank.
func writeTitleRows(b *bookWriter, c *commune, info listInfo) {
	lines := titleLines(c, info)
	styles := [len(lines)]int{styleTitle, styleMeta, styleMeta, styleSecret}
	for i, l := range lines {
		height := 0.0
		if styles[i] == styleSecret {
			height = 30
		}
		b.startRow(i+1, height)
		b.text(0, styles[i], l)
	}
}

// titleLines are the lines of a sheet's title block: title, place and
// period, run, confidentiality line.
func titleLines(c *commune, info listInfo) [4]string {
	place := c.Name
	if c.Code != unknownCommune {
		place += " (mã " + c.Code + ")"
	}
	if info.Province != "" {
		place += ", " + info.Province
	}
	run := "Lần chạy: " + info.RunID
	if !info.RunDate.IsZero() {
		run += ", ngày " + info.RunDate.Local().Format("02/01/2006")
	}
	if info.Version != "" {
		run += " (doisanh " + info.Version + ")"
	}
	return [4]string{listTitle, "Địa bàn: " + place + "   Kỳ: " + info.Period, run, confidentiality}
}

// writeHeaderRow writes the column headers on row r.
func writeHeaderRow(b *bookWriter, r int, header []string) {
	b.startRow(r, 32)
	for i, h := range header {
		b.text(i, styleHeader, h)
	}
}

func appVersion(v string) string {
	var maj, min int
	if _, err := fmt.Sscanf(v, "%d.%d", &maj, &min); err != nil {
		return ""
	}
	return fmt.Sprintf("%d.%04d", maj, min)
}

// uniqueSheetName returns a valid sheet name for name, not yet in used: at
// most 31 characters, none of []:*?/\' (a slash becomes a dash), and a
// number added when two names collide after shortening.
func uniqueSheetName(name string, used map[string]bool) string {
	s := strings.Map(func(r rune) rune {
		switch r {
		case '/', '\\':
			return '-'
		case '[', ']', ':', '*', '?', '\'':
			return -1
		}
		return r
	}, name)
	s = strings.TrimSpace(s)
	if s == "" {
		s = "Danh sách"
	}
	s = truncRunes(s, 31)
	base := s
	for n := 2; used[s]; n++ {
		suffix := fmt.Sprintf(" (%d)", n)
		s = truncRunes(base, 31-utf8.RuneCountInString(suffix)) + suffix
	}
	used[s] = true
	return s
}

func truncRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n]))
}
