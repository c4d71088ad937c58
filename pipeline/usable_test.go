package pipeline

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"github.com/doisanh/doisanh/internal/numfmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/doisanh/doisanh/record"
)

// personCSV writes a population CSV of n well-formed rows (header
// person_id,full_name,birth_date,gender,commune_code) in which row i is
// written by edit when it is set, and returns its path.
func personCSV(t *testing.T, dir, name string, n int, edit func(i int, row []string)) string {
	t.Helper()
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "person_id,full_name,birth_date,gender,commune_code")
	family := []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"}
	given := []string{"An", "Bình", "Cường", "Dung", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nga", "Phúc"}
	for i := 1; i <= n; i++ {
		row := []string{
			fmt.Sprintf("0400%02d%06d", 80+i%20, i),
			family[i%len(family)] + " Văn " + given[(i/len(family))%len(given)],
			fmt.Sprintf("%02d/%02d/%d", 1+i%28, 1+(i/28)%12, 1980+(i/336)%20),
			"Nam",
			"",
		}
		if edit != nil {
			edit(i, row)
		}
		fmt.Fprintln(w, strings.Join(row, ","))
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestUselessSourceFailsTheRun: a source with no data row, no usable row
// or too many rejected rows fails the run with an *UnusableSourceError
// naming the file, the column and the commonest reasons with counts.
func TestUselessSourceFailsTheRun(t *testing.T) {
	dir := t.TempDir()
	good := personCSV(t, dir, "good.csv", 200, nil)
	headerOnly := filepath.Join(dir, "header.csv")
	if err := os.WriteFile(headerOnly, []byte("person_id,full_name,birth_date,gender\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	taxHeaderOnly := filepath.Join(dir, "tax.csv")
	if err := os.WriteFile(taxHeaderOnly, []byte("tax_code,full_name,id_number\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A mapping that swaps full_name and birth_date: names land in the date
	// column and dates in the name column.
	swapped := filepath.Join(dir, "swap.yaml")
	if err := os.WriteFile(swapped, []byte("full_name: birth_date\nbirth_date: full_name\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		cfg     Config
		kind    string // UnusableSourceError.Kind, "" for success
		source  string
		column  string // column of the commonest reason
		reason  string // its kind
		count   int64  // its count
		message string // in Error
	}{
		{name: "header only", cfg: Config{Population: headerOnly}, kind: "no rows", source: "population",
			message: "no data rows, only a header (columns person_id, full_name, birth_date, gender)"},
		{name: "empty person_ids", cfg: Config{Population: personCSV(t, dir, "noid.csv", 200,
			func(_ int, row []string) { row[0] = "  " })},
			kind: "no usable row", source: "population", column: "person_id", reason: "empty person_id", count: 200},
		{name: "invalid dates", cfg: Config{Population: personCSV(t, dir, "dates.csv", 200,
			func(i int, row []string) { row[2] = fmt.Sprintf("%d/13/1990", 1+i%28) })},
			kind: "no usable row", source: "population", column: "birth_date", reason: "unreadable birth date", count: 200},
		{name: "swapped columns", cfg: Config{Population: good, Mapping: swapped}, kind: "no usable row",
			source: "population", column: "birth_date", reason: "unreadable birth date", count: 200},
		{name: "tax header only", cfg: Config{Population: good, Tax: taxHeaderOnly}, kind: "no rows", source: "tax"},
		// 10 of 200 rows rejected is 5 %: at the limit, not above it.
		{name: "at the limit", cfg: Config{Population: personCSV(t, dir, "r10.csv", 200, badGenderEvery(20))}},
		{name: "just above the limit", cfg: Config{Population: personCSV(t, dir, "r11.csv", 200, badGender(11))},
			kind: "reject rate", source: "population", column: "gender", reason: "unknown gender", count: 11,
			message: "11 of 200 rows rejected (5.5 %), more than --max-reject-rate allows (5.0 %)"},
		{name: "limit raised", cfg: Config{Population: personCSV(t, dir, "r11b.csv", 200, badGender(11)), MaxRejectRate: 0.06}},
		{name: "limit off", cfg: Config{Population: personCSV(t, dir, "r150.csv", 200, badGender(150)), MaxRejectRate: 1}},
		{name: "limit off, no usable row", cfg: Config{Population: personCSV(t, dir, "r200.csv", 200, badGender(200)),
			MaxRejectRate: 1}, kind: "no usable row", source: "population", column: "gender", count: 200},
		{name: "no rejects allowed", cfg: Config{Population: personCSV(t, dir, "r1.csv", 200, badGender(1)),
			MaxRejectRate: NoRejectsAllowed}, kind: "reject rate", source: "population", column: "gender", count: 1,
			message: "1 of 200 rows rejected (0.5 %), more than --max-reject-rate allows (0.0 %)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.Workers = 2
			res, err := Run(context.Background(), tc.cfg)
			if tc.kind == "" {
				if err != nil {
					t.Fatalf("Run: %v", err)
				}
				if res.Counts[0].Used == 0 {
					t.Fatalf("counts %+v", res.Counts)
				}
				return
			}
			var ue *UnusableSourceError
			if !errors.As(err, &ue) {
				t.Fatalf("Run: err %v, want an *UnusableSourceError", err)
			}
			if res != nil {
				t.Errorf("a failed run returned a result")
			}
			if ue.Kind() != tc.kind || ue.Source != tc.source || !strings.Contains(err.Error(), ue.File) {
				t.Errorf("kind %q source %q, want %q %q: %v", ue.Kind(), ue.Source, tc.kind, tc.source, err)
			}
			if ue.Read != ue.Used+ue.Rejected {
				t.Errorf("read %d != used %d + rejected %d", ue.Read, ue.Used, ue.Rejected)
			}
			if tc.column != "" {
				if len(ue.Reasons) == 0 {
					t.Fatalf("no reasons: %v", err)
				}
				r := ue.Reasons[0]
				if r.Column != tc.column || r.Count != tc.count || tc.reason != "" && r.Reason != tc.reason {
					t.Errorf("commonest reason %+v, want column %s, %q, count %d", r, tc.column, tc.reason, tc.count)
				}
				want := fmt.Sprintf("column %s: %s: %d rows (first: row %d, ", r.Column, r.Reason, r.Count, r.FirstRow)
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error does not give the reason as %q:\n%v", want, err)
				}
				vi := fmt.Sprintf("cột %s: %s: %s dòng (đầu tiên: dòng %d, ", r.Column, r.Reason, numfmt.VI(r.Count), r.FirstRow)
				if !strings.Contains(ue.Vietnamese(), vi) {
					t.Errorf("Vietnamese does not give the reason as %q:\n%s", vi, ue.Vietnamese())
				}
			}
			if tc.message != "" && !strings.Contains(err.Error(), tc.message) {
				t.Errorf("error lacks %q:\n%v", tc.message, err)
			}
			if !strings.Contains(ue.Vietnamese(), "Không ghi gì vào --out") || !strings.Contains(ue.Vietnamese(), ue.File) {
				t.Errorf("Vietnamese message: %s", ue.Vietnamese())
			}
		})
	}
}

// badGender returns an edit that gives the first n rows an unknown gender.
func badGender(n int) func(int, []string) {
	return func(i int, row []string) {
		if i <= n {
			row[3] = fmt.Sprintf("X%d", i)
		}
	}
}

// badGenderEvery returns an edit that gives every k-th row an unknown gender.
func badGenderEvery(k int) func(int, []string) {
	return func(i int, row []string) {
		if i%k == 0 {
			row[3] = "?"
		}
	}
}

func TestRejectReasons(t *testing.T) {
	rj := func(row int64, col, reason string) record.Reject {
		return record.Reject{RowNumber: row, Column: col, Reason: reason}
	}
	got := rejectReasons([]record.Reject{
		rj(1, "gender", `unknown gender "X"`),
		rj(2, "birth_date", `unreadable birth date: date "99/99/1990": month 99 out of range`),
		rj(3, "gender", `unknown gender "Y"`),
		rj(4, "", "row has 5 fields, header has 4"),
		rj(5, "birth_date", `unreadable birth date: date "1/13/1990": month 13 out of range`),
		rj(6, "person_id", `control character "\x00" in column person_id`),
		rj(7, "gender", `unknown gender "Z"`),
		rj(8, "a", "a"), rj(9, "b", "b"),
	})
	want := []RejectReason{
		{Column: "gender", Reason: "unknown gender", Count: 3, FirstRow: 1, Example: `unknown gender "X"`},
		{Column: "birth_date", Reason: "unreadable birth date", Count: 2, FirstRow: 2,
			Example: `unreadable birth date: date "99/99/1990": month 99 out of range`},
		{Column: "", Reason: "row has 5 fields, header has 4", Count: 1, FirstRow: 4, Example: "row has 5 fields, header has 4"},
		{Column: "person_id", Reason: "control character in column person_id", Count: 1, FirstRow: 6,
			Example: `control character "\x00" in column person_id`},
		{Column: "a", Reason: "a", Count: 1, FirstRow: 8, Example: "a"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("rejectReasons:\n got %+v\nwant %+v", got, want)
	}
}

// TestBlankColumnWarning: a column present in the file but blank in every
// row is one warning per source and column; one value anywhere is enough
// to silence it, and small files do not warn.
func TestBlankColumnWarning(t *testing.T) {
	dir := t.TempDir()
	pop := personCSV(t, dir, "population.csv", 300, func(i int, row []string) {
		if i == 300 {
			row[4] = "16279" // one commune code, in the last row
		}
	})
	taxPath := filepath.Join(dir, "tax.csv")
	var b strings.Builder
	b.WriteString("tax_code,full_name,birth_date,id_number,address\n")
	for i := 1; i <= 150; i++ {
		fmt.Fprintf(&b, "%010d,Nguyễn Văn An,01/01/1980, ,\n", 8000000000+i)
	}
	if err := os.WriteFile(taxPath, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), Config{Population: pop, Tax: taxPath, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	var blank []string
	for _, w := range res.Warnings {
		if strings.Contains(w, " is blank in all ") {
			blank = append(blank, w)
		}
	}
	want := []string{
		"tax file " + taxPath + ": column id_number is blank in all 150 rows",
		"tax file " + taxPath + ": column address is blank in all 150 rows",
	}
	if len(blank) != len(want) {
		t.Fatalf("blank-column warnings %q, want %d", blank, len(want))
	}
	for i := range want {
		if !strings.HasPrefix(blank[i], want[i]) {
			t.Errorf("warning %d = %q, want %q...", i, blank[i], want[i])
		}
	}

	small := personCSV(t, dir, "small.csv", minBlankRows-1, nil)
	res, err = Run(context.Background(), Config{Population: small, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Warnings {
		if strings.Contains(w, " is blank in all ") {
			t.Errorf("a file of %d rows warns: %s", minBlankRows-1, w)
		}
	}
}
