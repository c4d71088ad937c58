package verify

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/agnivade/levenshtein"
	"github.com/xuri/excelize/v2"

	"github.com/doisanh/doisanh/internal/csvcell"
	"github.com/doisanh/doisanh/output"
)

// Problem is a row of a returned list that could not be read: it names the
// file, sheet, row and what was wrong.
type Problem struct {
	File, Sheet string
	Row         int
	Reason      string
}

func (p Problem) String() string {
	where := p.File
	if p.Sheet != "" {
		where += " [" + p.Sheet + "]"
	}
	return fmt.Sprintf("%s dòng %d: %s", where, p.Row, p.Reason)
}

// Result is what was read from returned lists.
type Result struct {
	Entries  []Entry   // rows with a finding id and a recognised outcome
	Rows     int       // data rows with a finding id
	Blank    int       // of which the outcome was left empty
	Problems []Problem // rows that could not be used
}

// columns are the positions of the columns verify reads in one sheet.
type columns struct{ id, outcome, note, rule int }

// findColumn returns the index of the header cell that names h, tolerating
// accents, case, spacing and a typo or two; -1 when none does.
func findColumn(row []string, h string) int {
	want := foldText(h)
	best, bestD := -1, 3
	for i, c := range row {
		f := foldText(c)
		if f == want {
			return i
		}
		if f == "" {
			continue
		}
		if d := levenshtein.ComputeDistance(f, want); d < bestD {
			best, bestD = i, d
		}
	}
	return best
}

// header finds the header row of a sheet: the first row naming both the
// finding id and the outcome columns (a fix list has a title block above it).
func header(rows [][]string) (int, columns, bool) {
	for i, row := range rows {
		if i > 30 {
			break
		}
		c := columns{findColumn(row, output.FindingIDHeader), findColumn(row, output.OutcomeHeader),
			findColumn(row, output.NoteHeader), findColumn(row, output.RuleHeader)}
		if c.id >= 0 && c.outcome >= 0 {
			return i, c, true
		}
	}
	return 0, columns{}, false
}

func cell(row []string, i int) string {
	if i < 0 || i >= len(row) {
		return ""
	}
	return strings.TrimSpace(row[i])
}

// readRows reads the rows of one sheet or CSV file into res.
func readRows(res *Result, file, sheet string, rows [][]string, now time.Time) bool {
	h, c, ok := header(rows)
	if !ok {
		return false
	}
	for i := h + 1; i < len(rows); i++ {
		row := rows[i]
		id := strings.Trim(cell(row, c.id), "'")
		text := cell(row, c.outcome)
		if id == "" {
			if text != "" {
				res.Problems = append(res.Problems, Problem{file, sheet, i + 1, fmt.Sprintf("có kết quả %q nhưng thiếu %s", text, output.FindingIDHeader)})
			}
			continue // an added or empty row
		}
		res.Rows++
		if text == "" {
			res.Blank++
			continue
		}
		o, ok := ParseOutcome(text)
		if !ok {
			res.Problems = append(res.Problems, Problem{file, sheet, i + 1, fmt.Sprintf("không hiểu kết quả %q (dùng: %s)", text, strings.Join(output.Outcomes, "; "))})
			continue
		}
		res.Entries = append(res.Entries, Entry{FindingID: id, Rule: cell(row, c.rule), Outcome: o, Written: text,
			Note: cell(row, c.note), File: filepath.Base(file), Sheet: sheet, Row: i + 1, Imported: now})
	}
	return true
}

// ReadList reads one returned fix list, .xlsx or .csv (comma, semicolon or
// tab separated, with or without BOM), edited by hand: rows added, columns
// moved, outcomes typed freely. Columns are found by their headers. In a
// CSV list, the apostrophe guarding a cell against formula injection
// (csvcell.Guard, as doisanh writes it) is removed.
func ReadList(path string, now time.Time) (*Result, error) {
	res := &Result{}
	found := false
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".xlsm":
		x, err := excelize.OpenFile(path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		defer x.Close()
		for _, sheet := range x.GetSheetList() {
			rows, err := x.GetRows(sheet)
			if err != nil {
				return nil, fmt.Errorf("%s [%s]: %w", path, sheet, err)
			}
			if readRows(res, path, sheet, rows, now) {
				found = true
			}
		}
	case ".csv", ".txt":
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		data = bytes.TrimPrefix(data, []byte("\ufeff"))
		r := csv.NewReader(bytes.NewReader(data))
		r.Comma = sniffComma(data)
		r.FieldsPerRecord = -1
		r.LazyQuotes = true
		rows, err := r.ReadAll()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		csvcell.UnguardRows(rows) // the apostrophes guarding cells against formula injection
		found = readRows(res, path, "", rows, now)
	default:
		return nil, fmt.Errorf("%s: not a fix list (.xlsx or .csv)", path)
	}
	if !found {
		return nil, fmt.Errorf("%s: no sheet has the columns %q and %q", path, output.FindingIDHeader, output.OutcomeHeader)
	}
	return res, nil
}

// sniffComma picks the separator of the first line: ',', ';' or tab.
func sniffComma(data []byte) rune {
	line, _, _ := bytes.Cut(data, []byte("\n"))
	best, n := ',', bytes.Count(line, []byte(","))
	for _, c := range []rune{';', '\t'} {
		if k := bytes.Count(line, []byte(string(c))); k > n {
			best, n = c, k
		}
	}
	return best
}

// Summary is a one-line account of a Result, in Vietnamese.
func (r *Result) Summary() string {
	by := map[Outcome]int{}
	for _, e := range r.Entries {
		by[e.Outcome]++
	}
	var parts []string
	for _, o := range outcomeOrder {
		parts = append(parts, o.Label()+": "+output.FormatInt(int64(by[o])))
	}
	return "đọc " + output.FormatInt(int64(r.Rows)) + " dòng, " + output.FormatInt(int64(len(r.Entries))) +
		" có kết quả (" + strings.Join(parts, ", ") + "), " + output.FormatInt(int64(r.Blank)) + " chưa điền, " +
		strconv.Itoa(len(r.Problems)) + " không đọc được"
}
