// Command gen turns the reference lists of Vietnamese administrative units
// (the GSO lists as collected by github.com/tranngocminhhieu/vietnamadminunits,
// see admin/data/README.md) into the compact CSV files embedded by package
// admin (admin/data). Run it from the module root, with -src naming the
// directory that holds the three reference CSV files:
//
//	go run ./admin/internal/gen -src DIR [-out admin/data]
//
// It keeps each commune's code, official name and level, the legacy
// districts and the provinces of both lists, and the legacy-to-2025
// conversion pairs. Levels are taken from the name's own prefix (Xã, Phường,
// Thị trấn, Đặc khu) where it has one, because the source's level column is
// wrong for a few units (e.g. "Phường 5" of Quận Phú Nhuận is listed as Xã).
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
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
)

func main() {
	src := flag.String("src", "", "directory holding the reference CSV files "+legacyFile+", "+currentFile+" and "+convFile+" (required)")
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
