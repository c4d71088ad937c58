package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/doisanh/doisanh/normalize"
	"github.com/doisanh/doisanh/pipeline"
)

// uselessPopulation writes a population CSV of n rows; edit may change
// row i (person_id, full_name, birth_date, gender, commune_code).
func uselessPopulation(t *testing.T, path string, n int, edit func(i int, row []string)) {
	t.Helper()
	var b strings.Builder
	b.WriteString("person_id,full_name,birth_date,gender,commune_code\n")
	given := []string{"An", "Bình", "Cường", "Dung", "Giang", "Hà", "Khánh", "Lan"}
	for i := 1; i <= n; i++ {
		row := []string{fmt.Sprintf("040085%06d", i), "Nguyễn Văn " + given[i%len(given)],
			fmt.Sprintf("%02d/03/1985", 1+i%28), "Nam", "16279"}
		if edit != nil {
			edit(i, row)
		}
		b.WriteString(strings.Join(row, ",") + "\n")
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestUselessRunKeepsPreviousResult: a run whose population is of no use
// (header only, every person_id empty, every date invalid, columns swapped
// by --mapping, a whole file in another legacy encoding than named, too
// many rejected rows) fails with exit code 1, a message naming the file,
// the column and the reasons (Vietnamese, or English with --lang en), and
// leaves the previous result byte-identical with no temporary directory.
func TestUselessRunKeepsPreviousResult(t *testing.T) {
	tmp := t.TempDir()
	data := filepath.Join(tmp, "data")
	recGenerate(t, data, 0)
	out := filepath.Join(tmp, "out")
	recReconcile(t, data, out)
	before := recSnapshot(t, out)

	file := func(name string) string { return filepath.Join(tmp, name) }
	if err := os.WriteFile(file("header.csv"), []byte("person_id,full_name,birth_date,gender\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	uselessPopulation(t, file("noid.csv"), 300, func(_ int, row []string) { row[0] = "" })
	uselessPopulation(t, file("dates.csv"), 300, func(i int, row []string) { row[2] = fmt.Sprintf("%d/13/1985", 1+i%28) })
	uselessPopulation(t, file("rate.csv"), 100, func(i int, row []string) {
		if i%16 == 0 { // 6 of 100 rows
			row[3] = "không rõ"
		}
	})
	uselessPopulation(t, file("legacy.csv"), 300, nil)
	legacy, err := os.ReadFile(file("legacy.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file("legacy.csv"), []byte(normalize.EncodeLegacy(string(legacy), normalize.EncodingTCVN3)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file("swap.yaml"), []byte("full_name: birth_date\nbirth_date: full_name\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	withPopulation := func(pop string, extra ...string) []string {
		args := recArgs(data, out, extra...)
		args[slices.Index(args, "--population")+1] = pop
		return args
	}

	tests := []struct {
		name string
		args []string
		want []string // in the message
	}{
		{"header only", withPopulation(file("header.csv")),
			[]string{"tệp dân cư " + file("header.csv"), "không có dòng dữ liệu nào", "person_id, full_name, birth_date, gender"}},
		{"header only, English", withPopulation(file("header.csv"), "--lang", "en"),
			[]string{"population file " + file("header.csv") + ": no data rows, only a header"}},
		{"empty person_ids", withPopulation(file("noid.csv")),
			[]string{"không dòng nào dùng được: cả 300 dòng bị loại", "cột person_id: empty person_id: 300 dòng"}},
		{"invalid dates", withPopulation(file("dates.csv")),
			[]string{"cột birth_date: unreadable birth date: 300 dòng (đầu tiên: dòng 1, "}},
		{"invalid dates, English", withPopulation(file("dates.csv"), "--lang", "en"),
			[]string{"no usable row: all 300 rows rejected", "column birth_date: unreadable birth date: 300 rows (first: row 1, "}},
		{"columns swapped by the mapping", append(recArgs(data, out), "--mapping", file("swap.yaml")),
			[]string{"tệp dân cư " + filepath.Join(data, "population.parquet"), "cột birth_date: unreadable birth date: 3."}},
		{"TCVN3 file read as VNI", withPopulation(file("legacy.csv"), "--encoding", "vni"),
			[]string{"cột full_name: not valid vni text in column full_name: 300 dòng"}},
		{"6 % rejected", withPopulation(file("rate.csv")),
			[]string{"bị loại 6/100 dòng (6,0 %), vượt ngưỡng --max-reject-rate (5,0 %)", "cột gender: unknown gender: 6 dòng",
				"chạy lại với --max-reject-rate 1 và một --out khác"}},
		{"6 % rejected, limit 5.9 %", withPopulation(file("rate.csv"), "--max-reject-rate", "0.059"),
			[]string{"(6,0 %), vượt ngưỡng --max-reject-rate (5,9 %)"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr, err := recExec(context.Background(), tc.args...)
			if code != exitFail || err == nil {
				t.Fatalf("exit %d, err %v; want exit %d\nstdout:\n%s\nstderr:\n%s", code, err, exitFail, stdout, stderr)
			}
			var ue *pipeline.UnusableSourceError
			if !errors.As(err, &ue) || ue.Source != "population" {
				t.Errorf("err %v does not unwrap to the population's *pipeline.UnusableSourceError", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("message lacks %q:\n%v", w, err)
				}
			}
			after := recSnapshot(t, out)
			for name, b := range before {
				if !bytes.Equal(after[name], b) {
					t.Errorf("%s changed", name)
				}
			}
			for name := range after {
				if _, ok := before[name]; !ok {
					t.Errorf("%s appeared in %s", name, out)
				}
			}
			if left := recLeftovers(t, out); len(left) > 0 {
				t.Errorf("left beside %s: %v", out, left)
			}
		})
	}

	// Within the limit the run succeeds and the rejects are written.
	out2 := filepath.Join(tmp, "out2")
	code, _, stderr, err := recExec(context.Background(), "reconcile", "--population", file("rate.csv"), "--out", out2,
		"--quiet", "--max-reject-rate", "0.06")
	if code != exitOK || err != nil {
		t.Fatalf("--max-reject-rate 0.06: exit %d, %v\n%s", code, err, stderr)
	}
	rejects, err := os.ReadFile(filepath.Join(out2, "rejects.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(rejects), "unknown gender"); n != 6 {
		t.Errorf("rejects.csv holds %d unknown genders, want 6:\n%s", n, rejects)
	}
	for _, bad := range []string{"-0.1", "1.5", "NaN"} {
		code, _, _, err := recExec(context.Background(), "reconcile", "--population", file("rate.csv"), "--out", out2,
			"--quiet", "--max-reject-rate", bad)
		if code != exitUsage || err == nil || !strings.Contains(err.Error(), "--max-reject-rate") {
			t.Errorf("--max-reject-rate %s: exit %d, %v", bad, code, err)
		}
	}
}

// TestReconcileWarnsOfBlankColumn: a tax extract whose id_number column
// is blank in every row warns, on stderr and in summary.json.
func TestReconcileWarnsOfBlankColumn(t *testing.T) {
	tmp := t.TempDir()
	pop, tax, out := filepath.Join(tmp, "population.csv"), filepath.Join(tmp, "tax.csv"), filepath.Join(tmp, "out")
	uselessPopulation(t, pop, 200, nil)
	var b strings.Builder
	b.WriteString("tax_code,full_name,birth_date,id_number\n")
	for i := 1; i <= 120; i++ {
		fmt.Fprintf(&b, "%010d,Nguyễn Văn An,01/03/1985,\n", 8000000000+i)
	}
	if err := os.WriteFile(tax, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr, err := recExec(context.Background(), "reconcile", "--population", pop, "--tax", tax, "--out", out, "--quiet")
	if code != exitOK || err != nil {
		t.Fatalf("exit %d, %v\n%s", code, err, stderr)
	}
	want := "tệp thuế " + tax + ": cột id_number trống ở cả 120 dòng"
	if !strings.Contains(stderr, "doisanh: cảnh báo: "+want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
	summary, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	// summary.json keeps the warning in English, as pipeline writes it.
	if wantEN := "tax file " + tax + ": column id_number is blank in all 120 rows"; !strings.Contains(string(summary), wantEN) {
		t.Errorf("summary.json lacks %q", wantEN)
	}
}
