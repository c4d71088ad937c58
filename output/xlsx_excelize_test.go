package output

// The fix-list workbook as excelize wrote it up to December 2026, kept as
// the oracle of writeXLSX: TestXLSXMatchesExcelize reads both workbooks
// back with excelize and compares what an officer sees.

import (
	"archive/zip"
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/doisanh/doisanh/record"
)

// xlsxStyles are the cell styles of a fix-list workbook.
type xlsxStyles struct {
	title, meta, secret, header, cell, number int
}

func excelizeStyles(x *excelize.File) (xlsxStyles, error) {
	var st xlsxStyles
	border := []excelize.Border{
		{Type: "left", Color: "808080", Style: 1}, {Type: "right", Color: "808080", Style: 1},
		{Type: "top", Color: "808080", Style: 1}, {Type: "bottom", Color: "808080", Style: 1},
	}
	text := "@"
	defs := []struct {
		id *int
		s  *excelize.Style
	}{
		{&st.title, &excelize.Style{Font: &excelize.Font{Family: listFont, Size: 14, Bold: true}}},
		{&st.meta, &excelize.Style{Font: &excelize.Font{Family: listFont, Size: 11}}},
		{&st.secret, &excelize.Style{Font: &excelize.Font{Family: listFont, Size: 11, Bold: true, Italic: true, Color: "C00000"},
			Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&st.header, &excelize.Style{Font: &excelize.Font{Family: listFont, Size: 11, Bold: true},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}, Border: border}},
		{&st.cell, &excelize.Style{Font: &excelize.Font{Family: listFont, Size: 11}, CustomNumFmt: &text,
			Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}, Border: border}},
		{&st.number, &excelize.Style{Font: &excelize.Font{Family: listFont, Size: 11},
			Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "right"}, Border: border}},
	}
	for _, d := range defs {
		id, err := x.NewStyle(d.s)
		if err != nil {
			return st, err
		}
		*d.id = id
	}
	return st, nil
}

// excelizeZipWriter is excelize's zip writer with the entries at BestSpeed.
func excelizeZipWriter(w io.Writer) excelize.ZipWriter {
	zw := zip.NewWriter(w)
	fastDeflate(zw)
	return zw
}

// has them (listRows.fill).
func excelizeXLSX(w io.Writer, fs []record.Finding, c *commune, info listInfo, rows *listRows) (err error) {
	x := excelize.NewFile()
	x.SetZipWriter(excelizeZipWriter)
	defer func() {
		if cerr := x.Close(); err == nil {
			err = cerr
		}
	}()
	if err := x.SetDefaultFont(listFont); err != nil {
		return err
	}
	st, err := excelizeStyles(x)
	if err != nil {
		return err
	}
	props := listProps(c, info)
	created := props.Created.UTC().Format(time.RFC3339)
	if err := x.SetDocProps(&excelize.DocProperties{
		Creator: props.Creator, LastModifiedBy: props.Creator, Created: created, Modified: created,
		Title: props.Title, Subject: props.Subject, Description: props.Description,
		Keywords: props.Keywords, Category: props.Category, Language: props.Language,
	}); err != nil {
		return err
	}
	if err := x.SetAppProps(&excelize.AppProperties{Application: props.Creator, AppVersion: props.AppVersion}); err != nil {
		return err
	}
	if err := x.SetSheetName("Sheet1", summarySheet); err != nil {
		return err
	}

	// c.idx is sorted by rule first: split it into runs of one rule.
	type run struct {
		rule, sheet string
		idx         []int32
		first       int // rows.row(first) is the row of idx[0]
	}
	var runs []run
	used := map[string]bool{summarySheet: true}
	for n, i := range c.idx {
		r := fs[i].Rule
		if len(runs) == 0 || runs[len(runs)-1].rule != r {
			runs = append(runs, run{rule: r, sheet: uniqueSheetName(ruleLabel(r), used), first: n})
		}
		runs[len(runs)-1].idx = append(runs[len(runs)-1].idx, i)
	}

	// Summary sheet.
	if err := excelizeSetupPrint(x, summarySheet, 0, false); err != nil {
		return err
	}
	sw, err := x.NewStreamWriter(summarySheet)
	if err != nil {
		return err
	}
	if err := excelizeTitle(sw, c, info, st, len(summaryHeader), []float64{34, 12, 14, 30, 20}); err != nil {
		return err
	}
	if err := excelizeHeader(sw, summaryHeader, st.header); err != nil {
		return err
	}
	total := 0
	rowN := titleRows + 2
	for _, r := range runs {
		sev := label(severityLabels, fs[r.idx[0]].Severity)
		cell, _ := excelize.CoordinatesToCellName(1, rowN)
		if err := sw.SetRow(cell, []any{
			excelize.Cell{StyleID: st.cell, Value: ruleLabel(r.rule)}, excelize.Cell{StyleID: st.cell, Value: sev},
			excelize.Cell{StyleID: st.number, Value: len(r.idx)}, excelize.Cell{StyleID: st.cell, Value: r.sheet},
			excelize.Cell{StyleID: st.cell, Value: r.rule},
		}); err != nil {
			return err
		}
		total += len(r.idx)
		rowN++
	}
	cell, _ := excelize.CoordinatesToCellName(1, rowN)
	if err := sw.SetRow(cell, []any{excelize.Cell{StyleID: st.header, Value: "Tổng cộng"},
		excelize.Cell{StyleID: st.header, Value: ""}, excelize.Cell{StyleID: st.header, Value: total}}); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}

	vals := make([]any, numCols)
	outcomeCol, _ := excelize.ColumnNumberToName(colOutcome + 1)
	for _, r := range runs {
		sheet := r.sheet
		if _, err := x.NewSheet(sheet); err != nil {
			return fmt.Errorf("sheet %s: %w", sheet, err)
		}
		// Sheet settings are made before streaming: the stream writer keeps them.
		first := titleRows + 1
		lastRow := first + len(r.idx)
		last, _ := excelize.CoordinatesToCellName(numCols, lastRow)
		if err := x.AutoFilter(sheet, fmt.Sprintf("A%d:%s", first, last), nil); err != nil {
			return fmt.Errorf("sheet %s: filter: %w", sheet, err)
		}
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(fmt.Sprintf("%s%d:%s%d", outcomeCol, first+1, outcomeCol, max(lastRow, first+1)))
		if err := dv.SetDropList(Outcomes); err != nil {
			return err
		}
		dv.SetError(excelize.DataValidationErrorStyleWarning, "Kết quả xác minh", "Chọn một kết quả trong danh sách.")
		dv.SetInput("Kết quả xác minh", "Chọn kết quả sau khi xác minh tại địa bàn.")
		if err := x.AddDataValidation(sheet, dv); err != nil {
			return fmt.Errorf("sheet %s: validation: %w", sheet, err)
		}
		if err := excelizeSetupPrint(x, sheet, first, true); err != nil {
			return fmt.Errorf("sheet %s: %w", sheet, err)
		}
		sw, err := x.NewStreamWriter(sheet)
		if err != nil {
			return err
		}
		if err := excelizeTitle(sw, c, info, st, numCols, fixlistWidths); err != nil {
			return err
		}
		if err := excelizeHeader(sw, fixlistHeader, st.header); err != nil {
			return err
		}
		for n := range r.idx {
			row := rows.row(r.first + n) // the CSV's row: its number (column 0) is the commune's, not the sheet's
			vals[0] = excelize.Cell{StyleID: st.number, Value: n + 1}
			for j := 1; j < len(row); j++ {
				vals[j] = excelize.Cell{StyleID: st.cell, Value: row[j]} // text, so IDs keep their leading zeros
			}
			cell, _ := excelize.CoordinatesToCellName(1, first+1+n)
			if err := sw.SetRow(cell, vals); err != nil {
				return fmt.Errorf("sheet %s row %d: %w", sheet, first+1+n, err)
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	_, err = x.WriteTo(w)
	return err
}

// and footer with the confidentiality line and page numbers, and, when
// headerRow > 0, that row repeated at the top of every printed page.
func excelizeSetupPrint(x *excelize.File, sheet string, headerRow int, list bool) error {
	a4, landscape, one, any := 9, "landscape", 1, 0
	if !list {
		landscape = "portrait"
	}
	if err := x.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &a4, Orientation: &landscape,
		FitToWidth: &one, FitToHeight: &any}); err != nil {
		return err
	}
	fit := true
	if err := x.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	m := 0.4
	if err := x.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{Left: &m, Right: &m, Top: &m, Bottom: &m}); err != nil {
		return err
	}
	if err := x.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{
		OddHeader: "&L&\"" + listFont + ",Bold\"&8DỮ LIỆU CÁ NHÂN – HẠN CHẾ TIẾP CẬN&R&8&A",
		OddFooter: "&L&8Chỉ dùng cho công tác xác minh&RTrang &P/&N",
	}); err != nil {
		return err
	}
	if headerRow > 0 {
		if err := x.SetDefinedName(&excelize.DefinedName{
			Name: "_xlnm.Print_Titles", Scope: sheet,
			RefersTo: fmt.Sprintf("'%s'!$%d:$%d", sheet, headerRow, headerRow),
		}); err != nil {
			return err
		}
	}
	return nil
}

// writeTitle sets the column widths and writes the title block: title,
// place, period and run, confidentiality line, blank row.
func excelizeTitle(sw *excelize.StreamWriter, c *commune, info listInfo, st xlsxStyles, cols int, widths []float64) error {
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: titleRows + 1,
		TopLeftCell: fmt.Sprintf("A%d", titleRows+2), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	text := titleLines(c, info)
	lines := []struct {
		text  string
		style int
	}{
		{text[0], st.title},
		{text[1], st.meta},
		{text[2], st.meta},
		{text[3], st.secret},
	}
	last, _ := excelize.ColumnNumberToName(cols)
	for i, l := range lines {
		cell := fmt.Sprintf("A%d", i+1)
		opts := []excelize.RowOpts{}
		if l.style == st.secret {
			opts = append(opts, excelize.RowOpts{Height: 30})
		}
		if err := sw.SetRow(cell, []any{excelize.Cell{StyleID: l.style, Value: l.text}}, opts...); err != nil {
			return err
		}
		if err := sw.MergeCell(cell, fmt.Sprintf("%s%d", last, i+1)); err != nil {
			return err
		}
	}
	return nil
}

// writeHeader writes the column headers on the row after the title block.
func excelizeHeader(sw *excelize.StreamWriter, header []string, style int) error {
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = excelize.Cell{StyleID: style, Value: h}
	}
	return sw.SetRow(fmt.Sprintf("A%d", titleRows+1), cells, excelize.RowOpts{Height: 32})
}
