// Command gen turns the reference lists of Vietnamese administrative units
// (the GSO lists and alias tables of tranngocminhhieu/vietnamadminunits, in a
// directory given with -src) into the compact CSV files embedded by package
// admin (admin/data). Run it from the module root:
//
//	go run ./admin/internal/gen -src REFERENCE_DIR -out admin/data
//
// It keeps each commune's code, official name and level, the legacy
// districts and the provinces of both lists, the legacy-to-2025 conversion
// pairs, and the old names of units changed between 2017 and June 2025
// (history.csv, from the alias tables). Levels are taken from the name's own
// prefix (Xã, Phường, Thị trấn, Đặc khu) where it has one, because the
// source's level column is wrong for a few units (e.g. "Phường 5" of Quận
// Phú Nhuận is listed as Xã).
package main

import (
	"encoding/csv"
	"regexp"
	"unicode"

	"flag"
	"fmt"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

const (
	legacyFile  = "units_legacy_63_communes_gso_2025-07-18.csv"
	currentFile = "units_2025_34_provinces_3321_communes.csv"
	convFile    = "units_legacy_to_2025_conversion.csv"
	wardAlias   = "alias_legacy_ward.csv"
	distAlias   = "alias_legacy_district.csv"
)

func main() {
	src := flag.String("src", "", "directory holding the reference CSV files (units_*.csv and alias_legacy_*.csv; required)")
	out := flag.String("out", "admin/data", "directory to write the embedded CSV files to, relative to the module root")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: go run ./admin/internal/gen -src DIR [-out admin/data]")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *src == "" || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*src, *out); err != nil {
		log.Fatal(err)
	}
}

// table is a CSV file read into memory with its columns found by name.
type table struct {
	name string
	cols map[string]int
	rows [][]string
}

func readTable(path string) (*table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", path, err)
	}
	t := &table{name: filepath.Base(path), cols: map[string]int{}}
	for i, h := range head {
		t.cols[strings.TrimPrefix(h, "\uFEFF")] = i
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		t.rows = append(t.rows, rec)
	}
	return t, nil
}

func (t *table) get(row int, col string) string {
	i, ok := t.cols[col]
	if !ok {
		log.Fatalf("%s: no column %q", t.name, col)
	}
	return strings.TrimSpace(t.rows[row][i])
}

// pad writes a code that may have lost its leading zeros (or gained ".0")
// with n digits.
func pad(s string, n int) (string, error) {
	s = strings.TrimSuffix(s, ".0")
	v, err := strconv.Atoi(s)
	if err != nil || v < 0 {
		return "", fmt.Errorf("bad code %q", s)
	}
	return fmt.Sprintf("%0*d", n, v), nil
}

var levels = []string{"Thị trấn", "Đặc khu", "Phường", "Xã"}

// level returns the level word the name starts with, else fallback; the
// name is returned with the level word in its canonical case.
func level(name, fallback string) (lvl, canon string) {
	for _, l := range levels {
		if len(name) > len(l) && strings.EqualFold(name[:len(l)], l) && name[len(l)] == ' ' {
			return l, l + name[len(l):]
		}
	}
	return fallback, name
}

func run(src, out string) error {
	leg, err := readTable(filepath.Join(src, legacyFile))
	if err != nil {
		return err
	}
	cur, err := readTable(filepath.Join(src, currentFile))
	if err != nil {
		return err
	}
	conv, err := readTable(filepath.Join(src, convFile))
	if err != nil {
		return err
	}

	var provinces, districts, legacy, current, pairs [][]string
	seenProv := map[string]bool{}
	seenDist := map[string]bool{}
	for i := range leg.rows {
		code, err := pad(leg.get(i, "Mã"), 5)
		if err != nil {
			return fmt.Errorf("%s row %d: %w", leg.name, i+2, err)
		}
		dist, err := pad(leg.get(i, "Mã QH"), 3)
		if err != nil {
			return fmt.Errorf("%s row %d: %w", leg.name, i+2, err)
		}
		prov, err := pad(leg.get(i, "Mã TP"), 2)
		if err != nil {
			return fmt.Errorf("%s row %d: %w", leg.name, i+2, err)
		}
		lvl, name := level(leg.get(i, "Tên"), leg.get(i, "Cấp"))
		legacy = append(legacy, []string{code, name, lvl, dist})
		if !seenDist[dist] {
			seenDist[dist] = true
			districts = append(districts, []string{dist, leg.get(i, "Quận Huyện"), prov})
		}
		if !seenProv["L"+prov] {
			seenProv["L"+prov] = true
			provinces = append(provinces, []string{"L", prov, leg.get(i, "Tỉnh / Thành Phố")})
		}
	}
	for i := range cur.rows {
		code, err := pad(cur.get(i, "wardCode"), 5)
		if err != nil {
			return fmt.Errorf("%s row %d: %w", cur.name, i+2, err)
		}
		prov, err := pad(cur.get(i, "provinceCode"), 2)
		if err != nil {
			return fmt.Errorf("%s row %d: %w", cur.name, i+2, err)
		}
		lvl, name := level(cur.get(i, "ward"), cur.get(i, "wardType"))
		current = append(current, []string{code, name, lvl, prov})
		if !seenProv["C"+prov] {
			seenProv["C"+prov] = true
			provinces = append(provinces, []string{"C", prov, cur.get(i, "province")})
		}
	}
	seenPair := map[[2]string]bool{}
	for i := range conv.rows {
		if conv.get(i, "wardCode") == "" {
			continue // island district with no commune (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, ...)
		}
		from, err := pad(conv.get(i, "wardCode"), 5)
		if err != nil {
			return fmt.Errorf("%s row %d: %w", conv.name, i+2, err)
		}
		to, err := pad(conv.get(i, "newWardCode"), 5)
		if err != nil {
			return fmt.Errorf("%s row %d: %w", conv.name, i+2, err)
		}
		k := [2]string{from, to}
		if !seenPair[k] {
			seenPair[k] = true
			pairs = append(pairs, []string{from, to})
		}
	}
	byCode := func(rows [][]string, col int) {
		sort.SliceStable(rows, func(i, j int) bool { return rows[i][col] < rows[j][col] })
	}
	byCode(legacy, 0)
	byCode(current, 0)
	byCode(districts, 0)
	sort.SliceStable(provinces, func(i, j int) bool {
		if provinces[i][0] != provinces[j][0] {
			return provinces[i][0] > provinces[j][0] // L before C
		}
		return provinces[i][1] < provinces[j][1]
	})
	sort.SliceStable(pairs, func(i, j int) bool {
		if pairs[i][0] != pairs[j][0] {
			return pairs[i][0] < pairs[j][0]
		}
		return pairs[i][1] < pairs[j][1]
	})

	history, err := historyRows(src, leg)
	if err != nil {
		return err
	}

	files := []struct {
		name   string
		header []string
		rows   [][]string
	}{
		{"provinces.csv", []string{"list", "code", "name"}, provinces},
		{"districts.csv", []string{"code", "name", "province"}, districts},
		{"legacy.csv", []string{"code", "name", "level", "district"}, legacy},
		{"current.csv", []string{"code", "name", "level", "province"}, current},
		{"conversion.csv", []string{"legacy", "current"}, pairs},
		{"history.csv", []string{"kind", "code", "old", "year", "source"}, history},
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		if err := writeCSV(filepath.Join(out, f.name), f.header, f.rows); err != nil {
			return err
		}
		fmt.Printf("%s: %d rows\n", f.name, len(f.rows))
	}
	return nil
}

func writeCSV(path string, header []string, rows [][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write(header)
	w.WriteAll(rows)
	if err := w.Error(); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}

var foldChain = transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)

// squash is the key of the alias tables: the name folded to lower-case ASCII
// letters and digits with nothing between them ("Thành phố Hồ Chí Minh" ->
// "thanhphohochiminh").
func squash(s string) string {
	t, _, err := transform.String(foldChain, s)
	if err != nil {
		t = s
	}
	var b strings.Builder
	for _, r := range strings.ToLower(t) {
		switch {
		case r == 'đ' || r == 'ð':
			b.WriteByte('d')
		case 'a' <= r && r <= 'z' || '0' <= r && r <= '9':
			b.WriteRune(r)
		}
	}
	return b.String()
}

var (
	urlYear  = regexp.MustCompile(`(?:baochinhphu\.vn/.*-102|chinhphu\.vn/.*-119)(\d\d)[01]\d[0-3]\d`)
	textYear = regexp.MustCompile(`(?:^|[^0-9])(20(?:1[7-9]|2[0-5]))(?:[^0-9]|$)`)
)

// changeYear is the year of an administrative change: the table's own year,
// else the year in the address of its source (dated article identifiers of
// baochinhphu.vn and xaydungchinhsach.chinhphu.vn, or a year in the title).
func changeYear(year, source string) string {
	if year != "" {
		return year
	}
	if m := urlYear.FindStringSubmatch(source); m != nil {
		return "20" + m[1]
	}
	if m := textYear.FindStringSubmatch(source); m != nil {
		return m[1]
	}
	return ""
}

// historyRows turns the alias tables into history.csv rows: the old name
// (squashed key) of a commune or district and the legacy unit that
// succeeded it, with the year and source of the change. Spelling variants
// (source "typing") are kept with the source "typing" and no year.
func historyRows(src string, leg *table) ([][]string, error) {
	wards, err := readTable(filepath.Join(src, wardAlias))
	if err != nil {
		return nil, err
	}
	dists, err := readTable(filepath.Join(src, distAlias))
	if err != nil {
		return nil, err
	}
	commune := map[[3]string]string{}
	district := map[[2]string]string{}
	for i := range leg.rows {
		p, d, w := squash(leg.get(i, "Tỉnh / Thành Phố")), squash(leg.get(i, "Quận Huyện")), squash(leg.get(i, "Tên"))
		code, err := pad(leg.get(i, "Mã"), 5)
		if err != nil {
			return nil, err
		}
		dc, err := pad(leg.get(i, "Mã QH"), 3)
		if err != nil {
			return nil, err
		}
		commune[[3]string{p, d, w}] = code
		district[[2]string{p, d}] = dc
	}
	var rows [][]string
	seen := map[[3]string]bool{}
	add := func(r []string) {
		k := [3]string{r[0], r[1], r[2]}
		if !seen[k] {
			seen[k] = true
			rows = append(rows, r)
		}
	}
	missing := 0
	for i := range wards.rows {
		k := [3]string{wards.get(i, "province_key"), wards.get(i, "district_key"), wards.get(i, "ward_key")}
		code, ok := commune[k]
		if !ok {
			missing++
			continue
		}
		source := wards.get(i, "source")
		add([]string{"commune", code, wards.get(i, "alias_keyword"), changeYear(wards.get(i, "year"), source), source})
	}
	for i := range dists.rows {
		k := [2]string{dists.get(i, "province_key"), dists.get(i, "district_key")}
		code, ok := district[k]
		if !ok {
			missing++
			continue
		}
		source := dists.get(i, "source")
		add([]string{"district", code, dists.get(i, "alias_keyword"), changeYear("", source), source})
	}
	if missing > 0 {
		fmt.Printf("history: %d alias rows name a unit not in the legacy list, skipped\n", missing)
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i][0] != rows[j][0] {
			return rows[i][0] < rows[j][0]
		}
		if rows[i][1] != rows[j][1] {
			return rows[i][1] < rows[j][1]
		}
		return rows[i][2] < rows[j][2]
	})
	return rows, nil
}
