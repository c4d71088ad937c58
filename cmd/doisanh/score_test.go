package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/doisanh/doisanh/record"
	"github.com/doisanh/doisanh/score"
	"github.com/doisanh/doisanh/synth"
)

// TestScoreCommand: score reads truth as Parquet or CSV and findings as
// Parquet or CSV, with the same figures; refuses a population file given
// as truth, naming the missing columns, and the truth of another
// province; and warns when no finding matches any injected defect.
func TestScoreCommand(t *testing.T) {
	tmp := t.TempDir()
	data, out, hanoi := filepath.Join(tmp, "data"), filepath.Join(tmp, "out"), filepath.Join(tmp, "hanoi")
	opts := synth.DefaultOptions()
	opts.People, opts.Seed, opts.Format = 2000, 5, synth.FormatBoth
	if _, err := synth.Generate(context.Background(), data, opts); err != nil {
		t.Fatal(err)
	}
	opts.Province, opts.Format = "01", synth.FormatParquet
	if _, err := synth.Generate(context.Background(), hanoi, opts); err != nil {
		t.Fatal(err)
	}
	recReconcile(t, data, out)
	scoreOf := func(args ...string) (int, string, string, error) {
		return recExec(context.Background(), append([]string{"score"}, args...)...)
	}

	code, want, stderr, err := scoreOf("--findings", out, "--truth", data)
	if code != exitOK || err != nil || !strings.Contains(want, "DUP_ID") {
		t.Fatalf("score (Parquet): exit %d, %v\n%s%s", code, err, want, stderr)
	}
	if stderr != "" {
		t.Errorf("score warns:\n%s", stderr)
	}
	for _, args := range [][]string{
		{"--findings", out, "--truth", filepath.Join(data, "truth.csv")},
		{"--findings", filepath.Join(out, "findings.csv"), "--truth", filepath.Join(data, "truth.parquet")},
	} {
		code, got, stderr, err := scoreOf(args...)
		if code != exitOK || err != nil {
			t.Errorf("score %q: exit %d, %v\n%s", args, code, err, stderr)
		} else if got != want {
			t.Errorf("score %q differs from the Parquet files:\n%s\nwant\n%s", args, got, want)
		}
	}

	tests := []struct {
		name  string
		args  []string
		code  int
		err   string // in the error, or ""
		warns string // on stderr, or ""
	}{
		{"population as truth", []string{"--findings", out, "--truth", filepath.Join(data, "population.parquet")}, exitFail,
			"population.parquet không phải tệp truth (truth.parquet hoặc truth.csv của doisanh generate): thiếu các cột rule, subtype, source, source_key, related_person_id, field", ""},
		{"population CSV as truth, English", []string{"--findings", out, "--truth", filepath.Join(data, "population.csv"), "--lang", "en"}, exitFail,
			"population.csv is not a truth file (truth.parquet or truth.csv of doisanh generate): missing columns rule, subtype, source, source_key, related_person_id, field (columns found: person_id, old_id,", ""},
		{"another province", []string{"--findings", out, "--truth", hanoi}, exitFail,
			"truth " + hanoi + " thuộc Thành phố Hà Nội (01, theo generate.json) nhưng kết quả đối sánh thuộc Tỉnh Nghệ An (40)", ""},
		{"another province, English", []string{"--findings", out, "--truth", filepath.Join(hanoi, "truth.parquet"), "--lang", "en"}, exitFail,
			"is of Thành phố Hà Nội (01, generate.json) but the findings are of Tỉnh Nghệ An (40)", ""},
		{"no overlap", []string{"--findings", out, "--truth", filepath.Join(tmp, "alone", "truth.csv")}, exitOK,
			"", "doisanh: cảnh báo: không phát hiện nào khớp với lỗi cài sẵn nào ("},
		{"no overlap, English", []string{"--findings", out, "--truth", filepath.Join(tmp, "alone", "truth.csv"), "--lang", "en"}, exitOK,
			"", "doisanh: warning: no finding matches any injected defect ("},
	}
	// A truth file copied on its own (no generate.json), of other defects.
	if err := os.MkdirAll(filepath.Join(tmp, "alone"), 0o755); err != nil {
		t.Fatal(err)
	}
	alone := "rule,subtype,source,source_key,person_id,related_person_id,field\nDUP_ID,TAX,tax,9999999999,,,\n"
	if err := os.WriteFile(filepath.Join(tmp, "alone", "truth.csv"), []byte(alone), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr, err := scoreOf(tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d (%v)\n%s%s", code, tc.code, err, stdout, stderr)
			}
			if tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
				t.Errorf("err = %v\nwant it to contain %q", err, tc.err)
			}
			if tc.warns != "" && !strings.Contains(stderr, tc.warns) {
				t.Errorf("stderr = %q, want %q", stderr, tc.warns)
			}
		})
	}
}

// TestSameProvince: score refuses the truth of another province than the
// findings', and takes a national truth (generate --province all) for a
// national register's findings, but not for one province's.
func TestSameProvince(t *testing.T) {
	findings := func(codes ...string) []record.Finding {
		var fs []record.Finding
		for _, c := range codes {
			fs = append(fs, record.Finding{ProvinceCode: c})
		}
		return fs
	}
	tests := []struct {
		truth    string // generate.json's province
		findings []record.Finding
		err      string // in the error, "" for none
	}{
		{"40", findings("40", "40", ""), ""},
		{"40", findings("01", "01"), "Thành phố Hà Nội (01)"},
		{"all", findings("40", "01", "79", "91"), ""},
		{"all", findings("40", "40", "40"), "Toàn quốc (all, generate.json) but the findings are of Tỉnh Nghệ An (40)"},
		{"40", findings("40", "01", "79", "91"), "the findings are of Toàn quốc (all)"},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		js := `{"options": {"province": "` + tt.truth + `"}}`
		if err := os.WriteFile(filepath.Join(dir, "generate.json"), []byte(js), 0o644); err != nil {
			t.Fatal(err)
		}
		sc := score.NewScorer(nil)
		for i := range tt.findings {
			sc.Add(&tt.findings[i])
		}
		err := sameProvince(sc.Province(), filepath.Join(dir, "truth.parquet"), true)
		if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("truth %s, %d findings: %v, want %q", tt.truth, len(tt.findings), err, tt.err)
		}
	}
}
