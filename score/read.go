package score

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/parquet-go/parquet-go"

	"github.com/doisanh/doisanh/admin"
	"github.com/doisanh/doisanh/internal/csvcell"
	"github.com/doisanh/doisanh/record"
)

// NotTruthError is the error of ReadTruth for a file that is not a truth
// file (e.g. a population extract given as --truth): it lacks Missing.
type NotTruthError struct {
	Path    string
	Missing []string // truth columns the file lacks
	Found   []string // the file's columns
}

func (e *NotTruthError) Error() string {
	found := strings.Join(e.Found, ", ")
	if len(found) > 200 {
		found = found[:200] + "…"
	}
	return fmt.Sprintf("%s is not a truth file (truth.parquet or truth.csv of doisanh generate): missing columns %s (columns found: %s)",
		e.Path, strings.Join(e.Missing, ", "), found)
}

// ReadTruth reads the defects the generator injected from truth.parquet or
// truth.csv (by extension; a directory means its truth.parquet, else its
// truth.csv). A file without every required column of record.TruthColumns is
// refused with a *NotTruthError. In a CSV file, the apostrophes guarding
// cells against formula injection are removed (csvcell.Unguard).
func ReadTruth(path string) ([]record.Truth, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		p := filepath.Join(path, "truth.parquet")
		if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
			if _, err := os.Stat(filepath.Join(path, "truth.csv")); err == nil {
				p = filepath.Join(path, "truth.csv")
			}
		}
		path = p
	}
	if strings.EqualFold(filepath.Ext(path), ".csv") {
		return readTruthCSV(path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var found []string
	for _, fl := range pf.Schema().Fields() {
		found = append(found, fl.Name())
	}
	if err := truthColumns(path, found); err != nil {
		return nil, err
	}
	rows, err := parquet.Read[record.Truth](f, st.Size())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rows, nil
}

// truthColumns checks that found has every required truth column.
func truthColumns(path string, found []string) error {
	var missing []string
	for _, c := range record.TruthColumns {
		if c.Required && !slices.Contains(found, c.Name) {
			missing = append(missing, c.Name)
		}
	}
	if len(missing) > 0 {
		return &NotTruthError{Path: path, Missing: missing, Found: found}
	}
	return nil
}

func readTruthCSV(path string) ([]record.Truth, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := truthColumns(path, header); err != nil {
		return nil, err
	}
	at := make([]int, len(record.TruthColumns))
	for i, c := range record.TruthColumns {
		at[i] = slices.Index(header, c.Name)
	}
	var out []record.Truth
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		var t record.Truth
		for i, c := range record.TruthColumns {
			if at[i] >= 0 {
				*c.Field(&t) = csvcell.Unguard(row[at[i]])
			}
		}
		out = append(out, t)
	}
	return out, nil
}

// TruthProvince returns the 2025 province code of the generated province a
// truth file belongs to, read from the generate.json beside it
// (admin.AllProvinces for a national register); ok is false when there is
// none (a truth file copied on its own).
func TruthProvince(truthPath string) (code string, ok bool, err error) {
	dir := truthPath
	if fi, err := os.Stat(truthPath); err != nil || !fi.IsDir() {
		dir = filepath.Dir(truthPath)
	}
	b, err := os.ReadFile(filepath.Join(dir, "generate.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	var rep struct {
		Options struct {
			Province string `json:"province"`
		} `json:"options"`
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		return "", false, fmt.Errorf("%s: %w", filepath.Join(dir, "generate.json"), err)
	}
	p := rep.Options.Province
	if p == "" {
		p = "40" // the generator's default
	}
	if strings.EqualFold(p, admin.AllProvinces) {
		return admin.AllProvinces, true, nil
	}
	if c, _, ok := admin.Default().Province(admin.Current, p); ok {
		return c, true, nil
	}
	return p, true, nil
}

// FindingsProvince returns the province code most findings carry, "" when
// none carries one, admin.AllProvinces when they carry several and none
// is carried by half of them (a national register's findings).
func FindingsProvince(findings []record.Finding) string {
	count := map[string]int{}
	for i := range findings {
		if p := findings[i].ProvinceCode; p != "" {
			count[p]++
		}
	}
	return provinceOf(count)
}

// provinceOf is FindingsProvince from the findings' count by province.
func provinceOf(count map[string]int) string {
	best, n, all := "", 0, 0
	for p, c := range count {
		all += c
		if c > n || c == n && p < best {
			best, n = p, c
		}
	}
	if len(count) > 1 && 2*n < all {
		return admin.AllProvinces
	}
	return best
}

// ProvinceName returns the official name of a 2025 province code, or the
// code when it is unknown.
func ProvinceName(code string) string {
	if code == admin.AllProvinces {
		return admin.NationalName
	}
	if _, name, ok := admin.Default().Province(admin.Current, code); ok {
		return name
	}
	return code
}
