//go:build cgo

package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// table is a small input file: a header and rows of text.
type table struct {
	cols []string
	rows [][]string
}

var (
	popCols = []string{"person_id", "full_name", "birth_date", "gender", "commune_code", "status"}
	taxCols = []string{"tax_code", "id_number", "full_name", "birth_date", "gender", "commune_code", "status"}
	insCols = []string{"insurance_code", "id_number", "full_name", "birth_date", "gender", "commune_code", "status"}
	civCols = []string{"event_id", "event_type", "reg_commune_code", "subject_id", "subject_name", "subject_birth_date"}
)

// basePopulation is the register every case starts from.
var basePopulation = [][]string{
	{"040090000001", "Nguyễn Văn An", "05/03/1990", "Nam", "16681", "còn sống"},
	{"001085000003", "Lê Văn Cường", "00/00/1985", "Nam", "16681", "đã chết"},
	{"040095000004", "Phạm Thị Dung", "12/07/1995", "Nữ", "16684", "còn sống"},
	{"040080000005", "Hoàng Văn Em", "20/11/1980", "Nam", "16684", "còn sống"},
	{"040070000006", "Đặng Thị Hoa", "02/02/1970", "nữ", "16687", "còn sống"},
	{"040060000007", "Võ Văn Giang", "00/03/1960", "Nam", "16687", "Còn sống"},
}

func testDB(t testing.TB) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// writeParquet writes tb to path with DuckDB, every column VARCHAR.
func writeParquet(t testing.TB, db *sql.DB, path string, tb table) {
	t.Helper()
	var sel string
	if len(tb.rows) == 0 {
		cols := make([]string, len(tb.cols))
		for i, c := range tb.cols {
			cols[i] = "NULL::VARCHAR AS " + c
		}
		sel = "SELECT " + strings.Join(cols, ", ") + " WHERE false"
	} else {
		vals := make([]string, len(tb.rows))
		for i, r := range tb.rows {
			q := make([]string, len(r))
			for j, v := range r {
				q[j] = quote(v) + "::VARCHAR"
			}
			vals[i] = "(" + strings.Join(q, ", ") + ")"
		}
		sel = "SELECT * FROM (VALUES " + strings.Join(vals, ", ") + ") AS t(" + strings.Join(tb.cols, ", ") + ")"
	}
	if _, err := db.Exec("COPY (" + sel + ") TO " + quote(path) + " (FORMAT PARQUET)"); err != nil {
		t.Fatalf("write %s: %v", path, err)
	}
}

// findingKeys reads findings.parquet and returns "RULE/SUBTYPE source key"
// per finding, sorted.
func findingKeys(t *testing.T, db *sql.DB, path string) []string {
	t.Helper()
	rows, err := db.Query("SELECT rule || '/' || subtype || ' ' || source || ' ' || source_key FROM read_parquet(" + quote(path) + ") ORDER BY 1")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	keys := []string{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	return keys
}

func TestRunFindings(t *testing.T) {
	tests := []struct {
		name      string
		extraPop  [][]string
		tax, ins  [][]string
		civil     [][]string
		want      []string
		wantField string // field of the single finding, when set
	}{
		{name: "clean register", want: []string{}},
		{name: "benign tax noise: NFD, upper case, ISO date, F, lost zero",
			tax:  [][]string{{"8000000001", "40095000004", "PHA\u0323M THI\u0323 DUNG", "1995-07-12", "F", "16684", "active"}},
			want: []string{}},
		{name: "benign insurance noise: spaces, d/m/yyyy, female, dotted id",
			ins:  [][]string{{"4000000001", "040.070.000.006", "  đặng  thị   hoa ", "2/2/1970", "female", "", "active"}},
			want: []string{}},
		{name: "compact date yyyymmdd and old tone placement",
			ins:  [][]string{{"4000000002", "040090000001", "Nguyễn Văn An", "19900305", "male", "", "active"}},
			want: []string{}},
		{name: "name typo",
			tax:       [][]string{{"8000000002", "040080000005", "Hoàng Văn Anh", "20/11/1980", "Nam", "", "active"}},
			want:      []string{"FIELD_MISMATCH/NAME tax 8000000002"},
			wantField: "full_name"},
		{name: "name differing only in diacritics is invisible to the folded comparison",
			tax:  [][]string{{"8000000003", "040080000005", "Hoàng Vàn Ém", "20/11/1980", "Nam", "", "active"}},
			want: []string{}},
		{name: "unknown id",
			tax:  [][]string{{"8000000004", "999999999999", "Trần Văn Không", "01/01/1980", "Nam", "", "active"}},
			want: []string{"NOT_IN_POPULATION/TAX tax 8000000004"}},
		{name: "empty id is not looked up",
			tax:  [][]string{{"8000000005", " ", "Hoàng Văn Em", "20/11/1980", "Nam", "", "active"}},
			want: []string{}},
		{name: "old 9-digit CMND is not an exact match",
			ins:  [][]string{{"4000000003", "186123456", "Hoàng Văn Em", "20/11/1980", "Nam", "", "active"}},
			want: []string{"NOT_IN_POPULATION/INSURANCE insurance 4000000003"}},
		{name: "active tax record of a dead person",
			tax:  [][]string{{"8000000006", "1085000003", "Lê Văn Cường", "15/06/1985", "Nam", "", "Active"}},
			want: []string{"DECEASED_ACTIVE/TAX tax 8000000006"}},
		{name: "ended insurance of a dead person",
			ins:  [][]string{{"4000000004", "001085000003", "Lê Văn Cường", "1985", "Nam", "", "ended"}},
			want: []string{}},
		{name: "year-only register date, other year in source",
			ins:       [][]string{{"4000000005", "001085000003", "Lê Văn Cường", "15/06/1986", "Nam", "", "ended"}},
			want:      []string{"FIELD_MISMATCH/BIRTH_DATE insurance 4000000005"},
			wantField: "birth_date"},
		{name: "month-only register date, same year",
			ins:  [][]string{{"4000000006", "040060000007", "Võ Văn Giang", "1960-03-14", "Nam", "", "active"}},
			want: []string{}},
		{name: "day and month swapped",
			ins:  [][]string{{"4000000007", "040090000001", "Nguyễn Văn An", "03/05/1990", "Nam", "", "active"}},
			want: []string{"FIELD_MISMATCH/BIRTH_DATE insurance 4000000007"}},
		{name: "gender flipped",
			ins:       [][]string{{"4000000008", "040095000004", "Phạm Thị Dung", "12/07/1995", "Nam", "", "active"}},
			want:      []string{"FIELD_MISMATCH/GENDER insurance 4000000008"},
			wantField: "gender"},
		{name: "gender not understood is not compared",
			ins:  [][]string{{"4000000009", "040095000004", "Phạm Thị Dung", "12/07/1995", "x", "", "active"}},
			want: []string{}},
		{name: "tax code on two people",
			tax: [][]string{
				{"8000000007", "040070000006", "Đặng Thị Hoa", "02/02/1970", "Nữ", "", "active"},
				{"8000000007", "040080000005", "Hoàng Văn Em", "20/11/1980", "Nam", "", "closed"},
			},
			want: []string{"DUP_ID/TAX tax 8000000007"}},
		{name: "insurance code twice for one person written two ways",
			ins: [][]string{
				{"4000000010", "040070000006", "Đặng Thị Hoa", "02/02/1970", "Nữ", "", "active"},
				{"4000000010", "40070000006", "Đặng Thị Hoa", "02/02/1970", "Nữ", "", "active"},
			},
			want: []string{}},
		{name: "death registered for a living person",
			civil: [][]string{{"E1", "death", "16684", "040080000005", "Hoàng Văn Em", "20/11/1980"}},
			want:  []string{"DECEASED_ACTIVE/CIVIL_DEATH civil E1"}},
		{name: "event type in capitals",
			civil: [][]string{{"E2", " Death ", "16687", "040070000006", "Đặng Thị Hoa", ""}},
			want:  []string{"DECEASED_ACTIVE/CIVIL_DEATH civil E2"}},
		{name: "death of a dead person",
			civil: [][]string{{"E3", "death", "16681", "001085000003", "Lê Văn Cường", ""}},
			want:  []string{}},
		{name: "birth and marriage events are not deaths",
			civil: [][]string{
				{"E4", "birth", "16684", "040095000004", "Phạm Thị Dung", ""},
				{"E5", "marriage", "16684", "040080000005", "Hoàng Văn Em", ""},
			},
			want: []string{}},
		{name: "duplicate person_id on the register",
			extraPop:  [][]string{{"040090000001", "Trần Thị Bình", "01/01/1991", "Nữ", "16684", "còn sống"}},
			want:      []string{"DUP_ID/POPULATION population 040090000001"},
			wantField: "person_id"},
		{name: "duplicate hidden by a lost leading zero",
			extraPop: [][]string{{"1085000003", "Lê Thị Cúc", "1985", "Nữ", "16681", "còn sống"}},
			want:     []string{"DUP_ID/POPULATION population 001085000003"}},
		{name: "three rows on one id give two findings",
			extraPop: [][]string{
				{"040060000007", "Võ Thị Hà", "1960", "Nữ", "16687", "còn sống"},
				{"040060000007", "Võ Văn Hải", "1961", "Nam", "16687", "còn sống"},
			},
			want: []string{"DUP_ID/POPULATION population 040060000007", "DUP_ID/POPULATION population 040060000007"}},
		{name: "status written in NFD",
			extraPop: [][]string{{"040050000008", "Bùi Văn Khoa", "01/01/1950", "Nam", "16681", "đa\u0303 chê\u0301t"}},
			tax:      [][]string{{"8000000008", "040050000008", "Bùi Văn Khoa", "01/01/1950", "Nam", "", "active"}},
			want:     []string{"DECEASED_ACTIVE/TAX tax 8000000008"}},
	}
	db := testDB(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data, out := t.TempDir(), t.TempDir()
			writeParquet(t, db, filepath.Join(data, "population.parquet"), table{popCols, append(slices.Clone(basePopulation), tc.extraPop...)})
			writeParquet(t, db, filepath.Join(data, "tax.parquet"), table{taxCols, tc.tax})
			writeParquet(t, db, filepath.Join(data, "insurance.parquet"), table{insCols, tc.ins})
			writeParquet(t, db, filepath.Join(data, "civil.parquet"), table{civCols, tc.civil})
			tm, err := Run(context.Background(), Options{Data: data, Out: out, Threads: 1})
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(out, "findings.parquet")
			got := findingKeys(t, db, path)
			if !slices.Equal(got, tc.want) {
				t.Errorf("findings:\n got %q\nwant %q", got, tc.want)
			}
			if tm.Findings != int64(len(got)) {
				t.Errorf("Timings.Findings = %d, file has %d", tm.Findings, len(got))
			}
			if tc.wantField != "" && len(got) == 1 {
				var field string
				if err := db.QueryRow("SELECT field FROM read_parquet(" + quote(path) + ")").Scan(&field); err != nil {
					t.Fatal(err)
				}
				if field != tc.wantField {
					t.Errorf("field = %q, want %q", field, tc.wantField)
				}
			}
		})
	}
}

// writeScenario writes a register with one finding of every subtype.
func writeScenario(t testing.TB, db *sql.DB, dir string) {
	writeParquet(t, db, filepath.Join(dir, "population.parquet"), table{popCols, append(slices.Clone(basePopulation),
		[]string{"040090000001", "Trần Thị Bình", "01/01/1991", "Nữ", "16684", "còn sống"})})
	writeParquet(t, db, filepath.Join(dir, "tax.parquet"), table{taxCols, [][]string{
		{"8000000002", "040080000005", "Hoàng Văn Anh", "20/11/1980", "Nam", "", "active"},
		{"8000000004", "999999999999", "Trần Văn Không", "01/01/1980", "Nam", "", "active"},
		{"8000000006", "001085000003", "Lê Văn Cường", "1985", "Nam", "", "active"},
		{"8000000007", "040070000006", "Đặng Thị Hoa", "02/02/1970", "Nữ", "", "active"},
		{"8000000007", "040095000004", "Phạm Thị Dung", "12/07/1995", "Nữ", "", "active"},
	}})
	writeParquet(t, db, filepath.Join(dir, "insurance.parquet"), table{insCols, [][]string{
		{"4000000003", "186123456", "Hoàng Văn Em", "20/11/1980", "Nam", "", "active"},
		{"4000000004", "001085000003", "Lê Văn Cường", "1985", "Nam", "", "active"},
		{"4000000007", "040080000005", "Hoàng Văn Em", "21/11/1980", "Nam", "", "active"},
		{"4000000008", "040095000004", "Phạm Thị Dung", "12/07/1995", "Nam", "", "active"},
		{"4000000011", "040060000007", "Võ Văn Giang", "1960", "Nam", "", "active"},
		{"4000000011", "040080000005", "Hoàng Văn Em", "20/11/1980", "Nam", "", "active"},
	}})
	writeParquet(t, db, filepath.Join(dir, "civil.parquet"), table{civCols, [][]string{
		{"E1", "death", "16684", "040080000005", "Hoàng Văn Em", "20/11/1980"},
	}})
}

func TestRunOutputContract(t *testing.T) {
	db := testDB(t)
	data := t.TempDir()
	writeScenario(t, db, data)
	out1, out2 := t.TempDir(), t.TempDir()
	for _, out := range []string{out1, out2} {
		if _, err := Run(context.Background(), Options{Data: data, Out: out, Threads: 2}); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(out1, "findings.parquet")

	// Columns and types of record.Finding (docs/OUTPUTS.md), in order.
	want := []string{"finding_id VARCHAR", "rule VARCHAR", "subtype VARCHAR", "severity VARCHAR",
		"province_code VARCHAR", "commune_code VARCHAR", "commune_name VARCHAR", "person_id VARCHAR",
		"full_name VARCHAR", "birth_date VARCHAR", "source VARCHAR", "source_key VARCHAR",
		"related_person_id VARCHAR", "field VARCHAR", "population_value VARCHAR", "source_value VARCHAR",
		"score DOUBLE", "suggestion VARCHAR"}
	rows, err := db.Query("SELECT column_name || ' ' || column_type FROM (DESCRIBE SELECT * FROM read_parquet(" + quote(path) + "))")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		got = append(got, c)
	}
	rows.Close()
	if !slices.Equal(got, want) {
		t.Errorf("columns:\n got %q\nwant %q", got, want)
	}

	// Every subtype the SQL knows appears exactly as the catalogue spells it.
	var subtypes []string
	rows, err = db.Query("SELECT DISTINCT rule || '/' || subtype FROM read_parquet(" + quote(path) + ") ORDER BY 1")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		rows.Scan(&s)
		subtypes = append(subtypes, s)
	}
	rows.Close()
	var all []string
	for _, c := range catalog {
		all = append(all, c.rule+"/"+c.subtype)
	}
	slices.Sort(all)
	if !slices.Equal(subtypes, all) {
		t.Errorf("subtypes found:\n got %q\nwant %q", subtypes, all)
	}

	// Ids are 16 hex digits, unique, and the same in a second run; no empty
	// severity or suggestion; no NULLs; score 1 for exact links.
	id := regexp.MustCompile(`^[0-9a-f]{16}$`)
	ids := func(path string) []string {
		rows, err := db.Query("SELECT finding_id, severity, suggestion, score, person_id IS NULL OR related_person_id IS NULL OR commune_name IS NULL FROM read_parquet(" + quote(path) + ") ORDER BY finding_id")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var fid, sev, sug string
			var score float64
			var null bool
			if err := rows.Scan(&fid, &sev, &sug, &score, &null); err != nil {
				t.Fatal(err)
			}
			if !id.MatchString(fid) || sev == "" || sug == "" || score != 1 || null {
				t.Errorf("bad finding %s: severity %q suggestion %q score %v nulls %v", fid, sev, sug, score, null)
			}
			out = append(out, fid)
		}
		return out
	}
	first := ids(path)
	if len(slices.Compact(slices.Clone(first))) != len(first) {
		t.Errorf("duplicate finding ids: %q", first)
	}
	if second := ids(filepath.Join(out2, "findings.parquet")); !slices.Equal(first, second) {
		t.Errorf("finding ids differ between runs:\n%q\n%q", first, second)
	}
	if _, err := os.Stat(path + ".tmp"); !os.IsNotExist(err) {
		t.Errorf("temporary file left behind: %v", err)
	}
}

func TestRunInputs(t *testing.T) {
	db := testDB(t)
	pop := table{popCols, basePopulation}
	tests := []struct {
		name    string
		files   map[string]table
		wantErr string // substring; empty for success
	}{
		{"population only", map[string]table{"population": pop}, ""},
		{"no population", map[string]table{"tax": {taxCols, nil}}, "population.parquet"},
		{"population without gender", map[string]table{"population": {popCols[:3], [][]string{{"040090000001", "An", "1990"}}}}, `missing column "gender"`},
		{"tax without tax_code", map[string]table{"population": pop, "tax": {taxCols[1:], [][]string{{"040090000001", "An", "1990", "Nam", "", "active"}}}}, `tax.parquet: missing column "tax_code"`},
		{"optional columns absent", map[string]table{"population": {popCols[:4], [][]string{{"040090000001", "An", "1990", "Nam"}}},
			"civil": {civCols[:2], [][]string{{"E1", "death"}}}}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data, out := t.TempDir(), t.TempDir()
			for name, tb := range tc.files {
				writeParquet(t, db, filepath.Join(data, name+".parquet"), tb)
			}
			_, err := Run(context.Background(), Options{Data: data, Out: out, Threads: 1})
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatal(err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("error %v, want it to mention %q", err, tc.wantErr)
			case tc.wantErr == "":
				if n := len(findingKeys(t, db, filepath.Join(out, "findings.parquet"))); n != 0 {
					t.Errorf("%d findings, want 0", n)
				}
			}
		})
	}
}

func TestCommandLine(t *testing.T) {
	db := testDB(t)
	data, out := t.TempDir(), filepath.Join(t.TempDir(), "new", "out")
	writeScenario(t, db, data)
	var stdout, stderr bytes.Buffer
	if code := run([]string{"--data", data, "--out", out, "--threads", "1"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var tm Timings
	b, err := os.ReadFile(filepath.Join(out, "timings.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &tm); err != nil {
		t.Fatal(err)
	}
	if tm.Threads != 1 || tm.DuckDBVersion == "" || tm.Findings != int64(len(catalog)) {
		t.Errorf("timings.json: threads %d, version %q, findings %d (want 1, set, %d)", tm.Threads, tm.DuckDBVersion, tm.Findings, len(catalog))
	}
	sum := 0.0
	for _, s := range tm.Steps {
		sum += s.Seconds
		if !strings.Contains(stdout.String(), s.Name) {
			t.Errorf("stdout does not show step %s", s.Name)
		}
	}
	if len(tm.Steps) != len(sources)+2+len(ruleSteps)+1 || sum > tm.TotalSeconds {
		t.Errorf("%d steps summing to %.3fs, total %.3fs", len(tm.Steps), sum, tm.TotalSeconds)
	}
	for _, args := range [][]string{{}, {"--data", data}, {"--out", out}, {"--bogus"}, {"--data", data, "--out", out, "extra"}} {
		if code := run(args, &stdout, &stderr); code != 2 {
			t.Errorf("run(%q) = %d, want 2", args, code)
		}
	}
}

func TestQuote(t *testing.T) {
	db := testDB(t)
	for _, s := range []string{"", "plain", "it's", "''", "/tmp/a b/c'd.parquet", "Nguyễn", `back\slash`, "a;DROP TABLE x;--"} {
		var got string
		if err := db.QueryRow("SELECT " + quote(s)).Scan(&got); err != nil {
			t.Fatalf("quote(%q): %v", s, err)
		}
		if got != s {
			t.Errorf("SELECT quote(%q) = %q", s, got)
		}
	}
}

// macroDB is a connection with the cleaning macros defined.
func macroDB(t testing.TB) *sql.DB {
	db := testDB(t)
	db.SetMaxOpenConns(1) // temp macros live on one connection
	for _, m := range macros {
		if _, err := db.Exec(m); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func TestMacros(t *testing.T) {
	db := macroDB(t)
	tests := []struct {
		expr string
		want string // "<nil>" for NULL
	}{
		{"norm_id('040090000001')", "040090000001"},
		{"norm_id(' 40090000001 ')", "040090000001"},
		{"norm_id('040 090 000 001')", "040090000001"},
		{"norm_id('040.090.000.001')", "040090000001"},
		{"norm_id('0400900000011')", "0400900000011"},
		{"norm_id('')", "<nil>"},
		{"norm_id('  ')", "<nil>"},
		{"norm_id(NULL)", "<nil>"},
		{"fold('  NGUYỄN   Văn  AN ')", "nguyen van an"},
		{"fold('Đặng Thị Hoà')", "dang thi hoa"},
		{"fold('Nguye' || chr(770) || chr(771) || 'n')", "nguyen"},
		{"fold(NULL)", ""},
		{"parse_date('5/3/1990')::VARCHAR", "1990-03-05"},
		{"parse_date('05/03/1990')::VARCHAR", "1990-03-05"},
		{"parse_date('1990-03-05')::VARCHAR", "1990-03-05"},
		{"parse_date('19900305')::VARCHAR", "1990-03-05"},
		{"parse_date('00/00/1990')::VARCHAR", "<nil>"},
		{"parse_date('31/02/1990')::VARCHAR", "<nil>"},
		{"parse_date('1990')::VARCHAR", "<nil>"},
		{"birth_year('00/03/1960')", "1960"},
		{"birth_year('19900305')", "1990"},
		{"birth_year('')", "<nil>"},
		{"sex('Nam')", "M"},
		{"sex('NỮ')", "F"},
		{"sex('nu')", "F"},
		{"sex(' female ')", "F"},
		{"sex('M')", "M"},
		{"sex('1')", "<nil>"},
		{"is_dead('Đã chết')::VARCHAR", "true"},
		{"is_dead('dead')::VARCHAR", "true"},
		{"is_dead('còn sống')::VARCHAR", "false"},
		{"is_dead('')::VARCHAR", "false"},
		{"is_active('ACTIVE')::VARCHAR", "true"},
		{"is_active('closed')::VARCHAR", "false"},
	}
	for _, tc := range tests {
		var got sql.NullString
		if err := db.QueryRow("SELECT " + tc.expr).Scan(&got); err != nil {
			t.Errorf("%s: %v", tc.expr, err)
			continue
		}
		s := "<nil>"
		if got.Valid {
			s = got.String
		}
		if s != tc.want {
			t.Errorf("%s = %q, want %q", tc.expr, s, tc.want)
		}
	}
}

func FuzzQuote(f *testing.F) {
	db := testDB(f)
	for _, s := range []string{"", "it's", "/tmp/x.parquet", "Nguyễn", "'; SELECT 1; --"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			t.Skip() // DuckDB strings are UTF-8 without NUL
		}
		var got string
		if err := db.QueryRow("SELECT " + quote(s)).Scan(&got); err != nil {
			t.Fatalf("quote(%q): %v", s, err)
		}
		if got != s {
			t.Fatalf("SELECT quote(%q) = %q", s, got)
		}
	})
}

func FuzzMacros(f *testing.F) {
	db := macroDB(f)
	for _, s := range []string{"", " 40090000001 ", "Đặng Thị Hoà", "00/00/1990", "19900305", "NỮ", "đa\u0303 chê\u0301t"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			t.Skip()
		}
		var id, id2 sql.NullString
		var name, name2 string
		var sex sql.NullString
		var dead bool
		err := db.QueryRow(`SELECT norm_id(?), norm_id(norm_id(?)), fold(?), fold(fold(?)), sex(?), is_dead(?),
			parse_date(?), birth_year(?)`, s, s, s, s, s, s, s, s).Scan(&id, &id2, &name, &name2, &sex, &dead, new(any), new(any))
		if err != nil {
			t.Fatalf("macros on %q: %v", s, err)
		}
		if id != id2 {
			t.Errorf("norm_id not idempotent on %q: %q then %q", s, id.String, id2.String)
		}
		if id.Valid && (len(id.String) < 12 || strings.ContainsAny(id.String, " .")) {
			t.Errorf("norm_id(%q) = %q", s, id.String)
		}
		if name != name2 {
			t.Errorf("fold not idempotent on %q: %q then %q", s, name, name2)
		}
		if sex.Valid && sex.String != "M" && sex.String != "F" {
			t.Errorf("sex(%q) = %q", s, sex.String)
		}
	})
}
