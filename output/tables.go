package output

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/doisanh/doisanh/internal/csvcell"
	"github.com/doisanh/doisanh/record"
)

// bom is the UTF-8 byte order mark written at the start of every CSV file,
// so spreadsheet programs show Vietnamese text correctly.
const bom = "\ufeff"

// findingColumns are the columns of findings.csv, as in findings.parquet.
var findingColumns = []string{
	"finding_id", "rule", "subtype", "severity", "province_code", "commune_code", "commune_name",
	"person_id", "full_name", "birth_date", "source", "source_key", "related_person_id", "field",
	"population_value", "source_value", "score", "suggestion", "address", "household_id",
}

func findingRow(row []string, f *record.Finding) []string {
	return append(row[:0], f.FindingID, f.Rule, f.Subtype, f.Severity, f.ProvinceCode, f.CommuneCode,
		f.CommuneName, f.PersonID, f.FullName, f.BirthDate, f.Source, f.SourceKey, f.RelatedPersonID,
		f.Field, f.PopulationValue, f.SourceValue, strconv.FormatFloat(f.Score, 'f', -1, 64), f.Suggestion,
		f.Address, f.HouseholdID)
}

// rejectColumns are the columns of rejects.csv, as in rejects.parquet.
var rejectColumns = []string{"source", "file", "row_number", "column", "reason", "raw"}

func rejectRow(row []string, r *record.Reject) []string {
	return append(row[:0], r.Source, r.File, strconv.FormatInt(r.RowNumber, 10), r.Column, r.Reason, r.Raw)
}

// writeCSV writes a BOM, the header and one record per row to w, every
// cell guarded against formula injection (csvcell.Guard).
func writeCSV[T any](w io.Writer, header []string, rows []T, format func([]string, *T) []string) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	if _, err := bw.WriteString(bom); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	if err := cw.Write(header); err != nil {
		return err
	}
	rec := make([]string, 0, len(header))
	for i := range rows {
		rec = csvcell.GuardRow(format(rec, &rows[i]))
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("row %d: %w", i+1, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// writeParquet writes rows as a zstd-compressed Parquet file to w.
func writeParquet[T any](w io.Writer, rows []T) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	pw := parquet.NewGenericWriter[T](bw, parquet.Compression(&parquet.Zstd))
	const batch = 8192
	for len(rows) > 0 {
		n := min(batch, len(rows))
		if _, err := pw.Write(rows[:n]); err != nil {
			return err
		}
		rows = rows[n:]
	}
	if err := pw.Close(); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteRejects writes rejects.parquet and rejects.csv (UTF-8 with BOM).
func (d *Dir) WriteRejects(rs []record.Reject) error {
	if d.writeStart.IsZero() {
		d.writeStart = time.Now()
	}
	if err := d.writeFile("rejects.parquet", func(f *os.File) error { return writeParquet(f, rs) }); err != nil {
		return err
	}
	if err := d.writeFile("rejects.csv", func(f *os.File) error {
		return writeCSV(f, rejectColumns, rs, rejectRow)
	}); err != nil {
		return err
	}
	d.rejects = int64(len(rs))
	d.wroteRejects = true
	d.progress("wrote %d rejects", len(rs))
	return nil
}

// ReadFindings reads a findings.parquet file, or a findings.csv (its
// formula guards removed, csvcell.Unguard, so that it reads as the
// Parquet file). path may also name a run directory holding
// findings.parquet.
func ReadFindings(path string) ([]record.Finding, error) {
	var rows []record.Finding
	err := EachFinding(path, func(f *record.Finding) error {
		rows = append(rows, *f)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// EachFinding reads the findings of path as ReadFindings does, calling fn
// for each in file order: from Parquet a batch at a time, without holding
// them all, and from a findings.csv a row at a time (fn's finding is
// reused after it returns). An error of fn stops the reading and is
// returned.
func EachFinding(path string, fn func(*record.Finding) error) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		path += string(os.PathSeparator) + "findings.parquet"
	}
	if strings.EqualFold(filepath.Ext(path), ".csv") {
		return eachFindingCSV(path, fn)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("reading findings %s: %w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("reading findings %s: %w", path, err)
	}
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		return fmt.Errorf("reading findings %s: %w", path, err)
	}
	rd := parquet.NewGenericReader[record.Finding](pf)
	defer rd.Close()
	batch := make([]record.Finding, 4096)
	for {
		clear(batch)
		n, err := rd.Read(batch)
		for i := range n {
			if err := fn(&batch[i]); err != nil {
				return err
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading findings %s: %w", path, err)
		}
	}
}

// findingText returns the text fields of f in the order of findingColumns,
// nil for score.
func findingText(f *record.Finding) []*string {
	return []*string{&f.FindingID, &f.Rule, &f.Subtype, &f.Severity, &f.ProvinceCode, &f.CommuneCode,
		&f.CommuneName, &f.PersonID, &f.FullName, &f.BirthDate, &f.Source, &f.SourceKey, &f.RelatedPersonID,
		&f.Field, &f.PopulationValue, &f.SourceValue, nil, &f.Suggestion, &f.Address, &f.HouseholdID}
}

// eachFindingCSV reads a findings.csv (UTF-8, with or without BOM) a row
// at a time, calling fn for each with a reused finding. Columns are found
// by name, so a file with extra columns (or reordered ones) reads.
func eachFindingCSV(path string, fn func(*record.Finding) error) error {
	file, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("reading findings %s: %w", path, err)
	}
	defer file.Close()
	br := bufio.NewReaderSize(file, 1<<16)
	if b, err := br.Peek(len(bom)); err == nil && string(b) == bom {
		br.Discard(len(bom))
	}
	r := csv.NewReader(br)
	r.ReuseRecord = true
	header, err := r.Read()
	if err == io.EOF {
		return fmt.Errorf("reading findings %s: empty file", path)
	}
	if err != nil {
		return fmt.Errorf("reading findings %s: %w", path, err)
	}
	at := make([]int, len(findingColumns))
	var missing []string
	for i, name := range findingColumns {
		at[i] = slices.Index(header, name)
		if at[i] < 0 {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("reading findings %s: not a findings.csv, missing columns %s", path, strings.Join(missing, ", "))
	}
	var f record.Finding
	for n := 1; ; n++ {
		row, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading findings %s: %w", path, err)
		}
		f = record.Finding{}
		for i, p := range findingText(&f) {
			v := csvcell.Unguard(row[at[i]])
			if p != nil {
				*p = v
				continue
			}
			if v == "" {
				continue
			}
			if f.Score, err = strconv.ParseFloat(v, 64); err != nil {
				return fmt.Errorf("reading findings %s: row %d, column %s: %q is not a number", path, n,
					findingColumns[i], v)
			}
		}
		if err := fn(&f); err != nil {
			return err
		}
	}
}
