package output

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// TestXLSXMatchesExcelize writes every commune's workbook with writeXLSX
// and with the excelize writer it replaced, and reads both back with
// excelize: the same sheets, cell values, cell types, styles, merged
// cells, drop-downs, print setup, frozen panes, column widths, row heights,
// defined names and document properties.
func TestXLSXMatchesExcelize(t *testing.T) {
	fs := testFindings()
	// Values that exercise the cell encoding.
	fs[1].Suggestion = `a < b & c > d "q" 'a' _x0041_ _x005F_x0041_ _X0041_ _x00zz_ ` + "\x01\x7f\uFFFE ok"
	fs[2].SourceValue = strings.Repeat("Đường ", 6000) + "😀" // cut at Excel's 32,767 UTF-16 units
	fs[3].HouseholdID = "  leading and trailing  "
	fs[4].SourceKey = "=1+1"
	info := listInfo{Province: "Tỉnh Nghệ An", Period: "Tháng 07/2025", RunID: "run-1 <&>",
		RunDate: time.Date(2025, 7, 1, 8, 0, 0, 0, time.UTC), Version: "0.3.1", Now: time.Unix(1e9, 0),
		Notes: map[string]string{"a1": "đã gặp & xác nhận"}}
	s := newSorter()
	var rows listRows
	for _, c := range groupCommunes(fs) {
		s.sort(fs, c.idx)
		rows.fill(fs, c.idx, info)
		var got, want bytes.Buffer
		if err := writeXLSX(&got, fs, c, info, &rows); err != nil {
			t.Fatal(err)
		}
		if err := excelizeXLSX(&want, fs, c, info, &rows); err != nil {
			t.Fatal(err)
		}
		t.Run(c.Code, func(t *testing.T) { compareBooks(t, got.Bytes(), want.Bytes()) })
	}
}

// compareBooks fails t where the workbook got differs from want as
// excelize reads them.
func compareBooks(t *testing.T, got, want []byte) {
	t.Helper()
	g, err := excelize.OpenReader(bytes.NewReader(got))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	w, err := excelize.OpenReader(bytes.NewReader(want))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	same := func(what string, a, b any) {
		t.Helper()
		if as, bs := fmt.Sprintf("%+v", a), fmt.Sprintf("%+v", b); as != bs {
			t.Errorf("%s:\n got %.300s\nwant %.300s", what, as, bs)
		}
	}
	same("sheets", g.GetSheetList(), w.GetSheetList())
	gdp, err1 := g.GetDocProps()
	wdp, err2 := w.GetDocProps()
	same("doc props", []any{*gdp, err1}, []any{*wdp, err2})
	gap, err1 := g.GetAppProps()
	wap, err2 := w.GetAppProps()
	same("app props", []any{gap.Application, gap.AppVersion, err1}, []any{wap.Application, wap.AppVersion, err2})
	names := func(x *excelize.File) []string {
		var s []string
		for _, dn := range x.GetDefinedName() {
			s = append(s, dn.Scope+" "+dn.Name+" "+dn.RefersTo)
		}
		slices.Sort(s)
		return s
	}
	same("defined names", names(g), names(w))

	for _, sheet := range w.GetSheetList() {
		gr, err1 := g.GetRows(sheet)
		wr, err2 := w.GetRows(sheet)
		same(sheet+" rows", []any{gr, err1}, []any{wr, err2})
		for r := range wr {
			for c := range max(len(wr[r]), 21) {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				gv, _ := g.GetCellValue(sheet, cell)
				if gv != "" {
					gt, _ := g.GetCellType(sheet, cell)
					wt, _ := w.GetCellType(sheet, cell)
					same(sheet+" "+cell+" type", gt, wt)
				}
				same(sheet+" "+cell+" style", cellStyle(t, g, sheet, cell), cellStyle(t, w, sheet, cell))
			}
		}
		gm, err1 := g.GetMergeCells(sheet)
		wm, err2 := w.GetMergeCells(sheet)
		same(sheet+" merges", []any{mergeRefs(gm), err1}, []any{mergeRefs(wm), err2})
		gv, err1 := g.GetDataValidations(sheet)
		wv, err2 := w.GetDataValidations(sheet)
		same(sheet+" validations", []any{validations(gv), err1}, []any{validations(wv), err2})
		gl, err1 := g.GetPageLayout(sheet)
		wl, err2 := w.GetPageLayout(sheet)
		same(sheet+" page layout", []any{*gl.Size, *gl.Orientation, *gl.FitToWidth, *gl.FitToHeight, err1},
			[]any{*wl.Size, *wl.Orientation, *wl.FitToWidth, *wl.FitToHeight, err2})
		gpm, err1 := g.GetPageMargins(sheet)
		wpm, err2 := w.GetPageMargins(sheet)
		same(sheet+" margins", []any{*gpm.Left, *gpm.Right, *gpm.Top, *gpm.Bottom, err1},
			[]any{*wpm.Left, *wpm.Right, *wpm.Top, *wpm.Bottom, err2})
		gsp, err1 := g.GetSheetProps(sheet)
		wsp, err2 := w.GetSheetProps(sheet)
		same(sheet+" fit to page", []any{*gsp.FitToPage, err1}, []any{*wsp.FitToPage, err2})
		ghf, err1 := g.GetHeaderFooter(sheet)
		whf, err2 := w.GetHeaderFooter(sheet)
		same(sheet+" header/footer", []any{ghf.OddHeader, ghf.OddFooter, err1}, []any{whf.OddHeader, whf.OddFooter, err2})
		gp, err1 := g.GetPanes(sheet)
		wp, err2 := w.GetPanes(sheet)
		same(sheet+" panes", []any{gp.Freeze, gp.YSplit, gp.TopLeftCell, gp.ActivePane, err1},
			[]any{wp.Freeze, wp.YSplit, wp.TopLeftCell, wp.ActivePane, err2})
		for c := 1; c <= 21; c++ {
			col, _ := excelize.ColumnNumberToName(c)
			gw, err1 := g.GetColWidth(sheet, col)
			ww, err2 := w.GetColWidth(sheet, col)
			same(sheet+" width "+col, []any{gw, err1}, []any{ww, err2})
		}
		for r := 1; r <= titleRows+2; r++ {
			gh, err1 := g.GetRowHeight(sheet, r)
			wh, err2 := w.GetRowHeight(sheet, r)
			same(fmt.Sprintf("%s height %d", sheet, r), []any{gh, err1}, []any{wh, err2})
		}
	}
}

// cellStyle is what an officer sees of a cell's style.
func cellStyle(t *testing.T, x *excelize.File, sheet, cell string) string {
	t.Helper()
	id, err := x.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := x.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	s := fmt.Sprintf("numfmt %d %v fill %+v border %+v", st.NumFmt, deref(st.CustomNumFmt), st.Fill, st.Border)
	if f := st.Font; f != nil {
		s += fmt.Sprintf(" font %s %v b%v i%v %s", f.Family, f.Size, f.Bold, f.Italic, f.Color)
	}
	if a := st.Alignment; a != nil {
		s += fmt.Sprintf(" align %q %q wrap %v", a.Horizontal, a.Vertical, a.WrapText)
	}
	return s
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func validations(dvs []*excelize.DataValidation) []string {
	var s []string
	for _, dv := range dvs {
		s = append(s, fmt.Sprintf("%s %s %q %v/%v/%v %s %s %s %s %s", dv.Sqref, dv.Type, dv.Formula1, dv.AllowBlank,
			dv.ShowErrorMessage, dv.ShowInputMessage, deref(dv.ErrorStyle), deref(dv.ErrorTitle), deref(dv.Error),
			deref(dv.PromptTitle), deref(dv.Prompt)))
	}
	return s
}

func mergeRefs(ms []excelize.MergeCell) []string {
	var s []string
	for _, m := range ms {
		s = append(s, m.GetStartAxis()+":"+m.GetEndAxis()+" "+m.GetCellValue())
	}
	slices.Sort(s)
	return s
}

// FuzzXLSXText holds the cell encoding to its contract: any text written
// as a cell reads back, with excelize, as itself, but for what XML 1.0
// cannot hold (control characters other than tab, line feed and carriage
// return, invalid UTF-8, U+FFFE, U+FFFF: each read as U+FFFD) and for text
// past Excel's 32,767 UTF-16 units, which is cut there.
func FuzzXLSXText(f *testing.F) {
	for _, s := range []string{"", "Nguyễn Văn A", " x ", "a\nb", "a\r\nb\tc", "<&>\"'", "_x0041_", "_x005F_x0041_",
		"_x0041_x0042_", "\x00\x1f\x7f", "\xff\xfe", "\uFFFE\uFFFF", "😀", "_x00e9_", "_X0041_", "_x00E9_",
		strings.Repeat("ư", 32766) + "😀x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var got bytes.Buffer
		b := newBook(&got, []bookSheet{{Name: "S"}}, bookProps{Creator: "doisanh", Created: time.Unix(0, 0)})
		b.beginSheet(&sheetSetup{Cols: 1, Rows: 1})
		b.startRow(1, 0)
		b.text(0, styleCell, s)
		b.endSheet()
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(&got)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		defer x.Close()
		v, err := x.GetCellValue("S", "A1")
		if err != nil {
			t.Fatal(err)
		}
		if want := xmlText(s); v != want {
			t.Errorf("text %.200q reads back %.200q, want %.200q", s, v, want)
		}
	})
}

// xmlText is s as a cell can hold it (FuzzXLSXText).
func xmlText(s string) string {
	var b strings.Builder
	units := 0
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF {
			r = utf8.RuneError
		}
		u := 1
		if r >= 0x10000 {
			u = 2
		}
		if units+u > maxCellChars {
			break
		}
		units += u
		b.WriteRune(r)
	}
	return b.String()
}

// TestXLSXOpensInLibreOffice has LibreOffice, when installed, read a
// fix-list workbook: every sheet it exports as CSV holds the cells excelize
// reads. (Debian: apt-get install libreoffice-calc-nogui.)
func TestXLSXOpensInLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("soffice not installed")
	}
	out := writeRun(t, t.TempDir(), testFindings(), true)
	book := filepath.Join(out, "fixlists/40/16681-xa-nghi-phong.xlsx")
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// The filter's last option, -1, exports every sheet to a file of its own.
	cmd := exec.CommandContext(ctx, soffice, "-env:UserInstallation=file://"+t.TempDir(), "--headless",
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", "--outdir", dir, book)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, msg)
	}
	x, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	for _, sheet := range x.GetSheetList() {
		data, err := os.ReadFile(filepath.Join(dir, "16681-xa-nghi-phong-"+sheet+".csv"))
		if err != nil {
			t.Fatalf("LibreOffice did not export sheet %q: %v", sheet, err)
		}
		got, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		want, err := x.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for len(got) > len(want) && slices.IndexFunc(got[len(got)-1], func(s string) bool { return s != "" }) < 0 {
			got = got[:len(got)-1]
		}
		if len(got) != len(want) {
			t.Fatalf("%s: LibreOffice reads %d rows, excelize %d", sheet, len(got), len(want))
		}
		for i := range want {
			row := got[i]
			for len(row) > len(want[i]) && row[len(row)-1] == "" {
				row = row[:len(row)-1]
			}
			if !slices.Equal(row, want[i]) {
				t.Errorf("%s row %d: LibreOffice reads %q, excelize %q", sheet, i+1, row, want[i])
			}
		}
	}
}

// TestXLSXLongRuleContinues: a rule with more findings than a sheet holds
// continues on a sheet named " (2)", numbered on, and the summary counts
// each sheet.
func TestXLSXLongRuleContinues(t *testing.T) {
	fs := testFindings()
	info := listInfo{Province: "Tỉnh Nghệ An", Period: "Tháng 07/2025", RunID: "run-1", Now: time.Unix(1e9, 0)}
	var c *commune
	for _, cm := range groupCommunes(fs) {
		if cm.Code == "16681" {
			c = cm
		}
	}
	newSorter().sort(fs, c.idx)
	var rows listRows
	rows.fill(fs, c.idx, info)
	var buf bytes.Buffer
	if err := writeBook(&buf, fs, c, info, &rows, 2); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	want := []string{"Tổng hợp", "Trùng số định danh", "Sai lệch thông tin", "Sai lệch thông tin (2)"}
	if got := x.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets = %q, want %q", got, want)
	}
	for _, tt := range []struct {
		sheet string
		stt   []string
	}{{"Trùng số định danh", []string{"1", "2"}}, {"Sai lệch thông tin", []string{"1", "2"}}, {"Sai lệch thông tin (2)", []string{"3"}}} {
		rs, err := x.GetRows(tt.sheet)
		if err != nil {
			t.Fatal(err)
		}
		var stt []string
		for _, r := range rs[titleRows+1:] {
			stt = append(stt, r[0])
		}
		if !slices.Equal(stt, tt.stt) {
			t.Errorf("%s: STT %q, want %q", tt.sheet, stt, tt.stt)
		}
	}
	sum, err := x.GetRows("Tổng hợp")
	if err != nil {
		t.Fatal(err)
	}
	var counts []string
	for _, r := range sum[titleRows+1:] {
		counts = append(counts, strings.TrimSpace(strings.Join(r[2:], " ")))
	}
	if want := []string{"2 Trùng số định danh DUP_ID", "2 Sai lệch thông tin FIELD_MISMATCH",
		"1 Sai lệch thông tin (2) FIELD_MISMATCH", "5"}; !slices.Equal(counts, want) {
		t.Errorf("summary = %q, want %q", counts, want)
	}
}
