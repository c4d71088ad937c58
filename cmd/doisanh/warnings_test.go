package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/doisanh/doisanh/output"
	"github.com/doisanh/doisanh/pipeline"
	"github.com/doisanh/doisanh/record"
	"github.com/doisanh/doisanh/synth"
)

// TestReconcileWarnsOfAnotherProvince: a Hà Nội tax extract given with a
// Nghệ An register is one warning — on stderr even with --quiet, and in
// summary.json — and not a finding per record.
func TestReconcileWarnsOfAnotherProvince(t *testing.T) {
	dir := t.TempDir()
	nghean, hanoi, out := filepath.Join(dir, "nghean"), filepath.Join(dir, "hanoi"), filepath.Join(dir, "out")
	recGenerate(t, nghean, 0)
	opts := synth.DefaultOptions()
	opts.People, opts.Seed, opts.Province = 2000, 9, "01"
	if _, err := synth.Generate(context.Background(), hanoi, opts); err != nil {
		t.Fatal(err)
	}
	args := recArgs(nghean, out)
	for i, a := range args {
		if a == "--tax" {
			args[i+1] = filepath.Join(hanoi, "tax.parquet")
		}
	}
	code, stdout, stderr, err := recExec(context.Background(), args...)
	if code != exitOK || err != nil {
		t.Fatalf("reconcile: exit %d, err %v\nstdout:\n%s\nstderr:\n%s", code, err, stdout, stderr)
	}
	if !strings.Contains(stderr, "doisanh: cảnh báo: tệp thuế ") || !strings.Contains(stderr, "có vẻ không phải của tỉnh này") ||
		!strings.Contains(stderr, "của tỉnh 01 (Thành phố Hà Nội)") {
		t.Errorf("stderr does not warn of the Hà Nội extract in Vietnamese:\n%s", stderr)
	}
	_, _, stderrEN, _ := recExec(context.Background(), append(args, "--lang", "en")...)
	if !strings.Contains(stderrEN, "doisanh: warning: tax file") || !strings.Contains(stderrEN, "does not look like this province's extract") {
		t.Errorf("stderr with --lang en does not warn of the Hà Nội extract:\n%s", stderrEN)
	}
	b, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s output.Summary
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("summary.json: %v", err)
	}
	if len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], "Thành phố Hà Nội") {
		t.Errorf("summary.json warnings = %q, want one naming Thành phố Hà Nội", s.Warnings)
	}
	findings, err := parquet.ReadFile[record.Finding](filepath.Join(out, "findings.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		if f.Source == "tax" {
			t.Errorf("finding from the Hà Nội extract: %s/%s %s", f.Rule, f.Subtype, f.SourceKey)
			break
		}
	}
}

// TestWarningVI: the warnings pipeline writes read in Vietnamese on the
// terminal; one no pattern knows stays as it is.
func TestWarningVI(t *testing.T) {
	tests := []struct{ en, vi string }{
		{pipeline.WorkersWarning(1000 * runtime.GOMAXPROCS(0)),
			fmt.Sprintf("--workers %d nhiều hơn 4 mỗi lõi trên %d lõi: dùng %d", 1000*runtime.GOMAXPROCS(0), runtime.GOMAXPROCS(0), 4*runtime.GOMAXPROCS(0))},
		{"population.csv: 3 of 200 rows repeat an earlier row (same person_id, name and birth date; first at data rows 4, 9, 10): " +
			"a person entered twice under one number? Each person is checked once.",
			"population.csv: 3 trong 200 dòng lặp lại một dòng trước (cùng person_id, họ tên và ngày sinh; lần đầu ở các dòng 4, 9, 10): " +
				"một người được nhập hai lần với cùng một số? Mỗi người chỉ được kiểm tra một lần."},
		{"civil file c.csv: only 3 of 900 usable records (0.3%) link to the register of province 40; it does not look like this province's extract. " +
			"Its record findings (NOT_IN_POPULATION/BIRTH) are left out.",
			"tệp hộ tịch c.csv: chỉ 3 trong 900 bản ghi dùng được (0.3%) liên kết được với dữ liệu dân cư của tỉnh 40; tệp có vẻ không phải của tỉnh này. " +
				"Các phát hiện theo bản ghi của tệp (NOT_IN_POPULATION/BIRTH) không được đưa ra."},
		{"population.csv: 900 of 1800 rows repeat an earlier row (same person_id, name and birth date; first at data rows 1, 2, 3): " +
			"was the file, or part of it, given twice? Each person is checked once.",
			"population.csv: 900 trong 1800 dòng lặp lại một dòng trước (cùng person_id, họ tên và ngày sinh; lần đầu ở các dòng 1, 2, 3): " +
				"tệp, hoặc một phần của tệp, bị đưa vào hai lần? Mỗi người chỉ được kiểm tra một lần."},
		{"population.csv: the register has more rows than counted, and its people could not be given a larger mapped file " +
			"(mapping register-people-2.bin: no space left on device): the rest of the run keeps them in memory",
			"population.csv: dữ liệu dân cư có nhiều dòng hơn số đã đếm, và không tạo được tệp ánh xạ lớn hơn cho danh sách công dân " +
				"(mapping register-people-2.bin: no space left on device): phần còn lại của lần chạy giữ chúng trong bộ nhớ"},
		{"something new", "something new"},
	}
	for _, tt := range tests {
		if got := warningVI(tt.en); got != tt.vi {
			t.Errorf("warningVI(%q)\n = %q\nwant %q", tt.en, got, tt.vi)
		}
	}
}
