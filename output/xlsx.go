package output

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/doisanh/doisanh/record"
)

// summarySheet is the first sheet of a fix-list workbook: counts per rule.
const summarySheet = "Tổng hợp"

var summaryHeader = []string{"Mã lỗi", "Loại lỗi", "Mức độ", "Số trường hợp"}

// writeXLSX writes the fix list of commune c as a workbook to w: a summary
// sheet, then one sheet per rule named by its code. Sheets are streamed.
func writeXLSX(w io.Writer, fs []record.Finding, c *commune) (err error) {
	x := excelize.NewFile()
	defer func() {
		if cerr := x.Close(); err == nil {
			err = cerr
		}
	}()
	bold, err := x.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
	})
	if err != nil {
		return err
	}
	if err := x.SetSheetName("Sheet1", summarySheet); err != nil {
		return err
	}

	// c.idx is sorted by rule first: split it into runs of one rule.
	type run struct {
		rule string
		idx  []int32
	}
	var runs []run
	for _, i := range c.idx {
		r := fs[i].Rule
		if len(runs) == 0 || runs[len(runs)-1].rule != r {
			runs = append(runs, run{rule: r})
		}
		runs[len(runs)-1].idx = append(runs[len(runs)-1].idx, i)
	}

	sw, err := x.NewStreamWriter(summarySheet)
	if err != nil {
		return err
	}
	if err := startSheet(sw, summaryHeader, []float64{22, 34, 12, 14}, bold); err != nil {
		return err
	}
	total := 0
	for n, r := range runs {
		sev := ""
		if len(r.idx) > 0 {
			sev = label(severityLabels, fs[r.idx[0]].Severity)
		}
		cell, _ := excelize.CoordinatesToCellName(1, n+2)
		if err := sw.SetRow(cell, []any{r.rule, ruleLabel(r.rule), sev, len(r.idx)}); err != nil {
			return err
		}
		total += len(r.idx)
	}
	cell, _ := excelize.CoordinatesToCellName(1, len(runs)+2)
	if err := sw.SetRow(cell, []any{excelize.Cell{StyleID: bold, Value: "Tổng cộng"}, c.Name, "",
		excelize.Cell{StyleID: bold, Value: total}}); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}

	row := make([]string, 0, len(fixlistHeader))
	vals := make([]any, len(fixlistHeader))
	for _, r := range runs {
		sheet := sheetName(r.rule)
		if _, err := x.NewSheet(sheet); err != nil {
			return fmt.Errorf("sheet %s: %w", sheet, err)
		}
		// The filter is set before streaming: the stream writer keeps it.
		last, _ := excelize.CoordinatesToCellName(len(fixlistHeader), len(r.idx)+1)
		if err := x.AutoFilter(sheet, "A1:"+last, nil); err != nil {
			return fmt.Errorf("sheet %s: filter: %w", sheet, err)
		}
		sw, err := x.NewStreamWriter(sheet)
		if err != nil {
			return err
		}
		if err := startSheet(sw, fixlistHeader, fixlistWidths, bold); err != nil {
			return err
		}
		for n, i := range r.idx {
			row = fixlistRow(row, n+1, &fs[i])
			vals[0] = n + 1
			for j := 1; j < len(row); j++ {
				vals[j] = row[j] // text, so IDs keep their leading zeros
			}
			cell, _ := excelize.CoordinatesToCellName(1, n+2)
			if err := sw.SetRow(cell, vals); err != nil {
				return fmt.Errorf("sheet %s row %d: %w", sheet, n+2, err)
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	_, err = x.WriteTo(w)
	return err
}

// startSheet sets column widths, freezes the first row and writes the bold
// header.
func startSheet(sw *excelize.StreamWriter, header []string, widths []float64, style int) error {
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = excelize.Cell{StyleID: style, Value: h}
	}
	return sw.SetRow("A1", cells, excelize.RowOpts{Height: 30})
}

// sheetName returns a valid sheet name for a rule code: at most 31
// characters, none of []:*?/\.
func sheetName(code string) string {
	s := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\'`, r) {
			return '_'
		}
		return r
	}, code)
	if s == "" {
		s = "_"
	}
	if len(s) > 31 {
		s = s[:31]
	}
	return s
}
