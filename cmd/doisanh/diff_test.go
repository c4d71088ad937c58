package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/doisanh/doisanh/output"
	"github.com/doisanh/doisanh/record"
)

// writeDiffRun writes findings as a committed run directory.
func writeDiffRun(t *testing.T, dir string, fs []record.Finding) string {
	t.Helper()
	d, err := output.Create(dir, output.Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFindings(fs, output.Summary{RunID: filepath.Base(dir)}); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	return dir
}

func diffFinding(id, rule, commune, name string) record.Finding {
	return record.Finding{FindingID: id, Rule: rule, Subtype: "", Severity: "high", ProvinceCode: "40",
		CommuneCode: commune, CommuneName: name, PersonID: "0400800000" + id, FullName: "Nguyễn Văn " + id}
}

func TestDiffCommand(t *testing.T) {
	tmp := t.TempDir()
	old := []record.Finding{
		diffFinding("01", "DUP_ID", "16681", "Xã Nghi Phong"),
		diffFinding("02", "DUP_ID", "16681", "Xã Nghi Phong"),
		diffFinding("03", "DUP_ID", "16681", "Xã Nghi Phong"),
		diffFinding("04", "FIELD_MISMATCH", "17920", "Phường Vinh Phú"),
	}
	cur := []record.Finding{old[1], old[3], diffFinding("05", "FIELD_MISMATCH", "17920", "Phường Vinh Phú")}
	oldOut := writeDiffRun(t, filepath.Join(tmp, "old"), old)
	newOut := writeDiffRun(t, filepath.Join(tmp, "new"), cur)
	csvPath := filepath.Join(tmp, "diff.csv")

	var stdout bytes.Buffer
	root := newRootCmd()
	root.SetOut(&stdout)
	htmlPath := filepath.Join(tmp, "tien-do.html")
	root.SetArgs([]string{"diff", oldOut, newOut, "--csv", csvPath, "--html", htmlPath})
	if err := root.ExecuteContext(context.Background()); err != nil {
		t.Fatal(err)
	}
	squeezed := strings.Join(strings.Fields(stdout.String()), " ")
	for _, want := range []string{
		"so sánh kỳ trước",
		"1 Xã Nghi Phong 16681 3 2 0 1 0 66,7%",
		"2 Phường Vinh Phú 17920 1 0 0 1 1 0,0%",
		"Tổng cộng: đã rà soát, xử lý 2/4 trường hợp, đạt 50,0%",
	} {
		if !strings.Contains(squeezed, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
		}
	}
	data, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "\ufeff") || !strings.Contains(string(data), "1,40,16681,Xã Nghi Phong,,,3,2,0,1,0,66.7") {
		t.Errorf("diff.csv = %q", data)
	}
	if page, err := os.ReadFile(htmlPath); err != nil || !strings.Contains(string(page), "<td>Xã Nghi Phong</td>") {
		t.Errorf("progress page: %v\n%.500s", err, page)
	}

	stdout.Reset()
	root = newRootCmd()
	root.SetOut(&stdout)
	root.SetArgs([]string{"diff", oldOut, filepath.Join(newOut, "findings.parquet"), "--json"})
	if err := root.ExecuteContext(context.Background()); err != nil {
		t.Fatal(err)
	}
	var res output.DiffResult
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("--json: %v\n%s", err, stdout.String())
	}
	if res.Total.Old != 4 || res.Total.Fixed != 2 || res.Total.Open != 2 || res.Total.New != 1 || len(res.Communes) != 2 {
		t.Errorf("--json total = %+v", res.Total)
	}
}

func TestDiffCommandErrors(t *testing.T) {
	tmp := t.TempDir()
	if code := run(context.Background(), []string{"diff", tmp}); code != exitUsage {
		t.Errorf("diff with one argument: exit %d, want %d", code, exitUsage)
	}
	if code := run(context.Background(), []string{"diff", tmp, tmp}); code != exitFail {
		t.Errorf("diff of directories without findings: exit %d, want %d", code, exitFail)
	}
}

// TestDiffRefusesIncomparableRuns: each way two runs cannot be compared
// makes diff exit 1 with the reason; --force compares and flags them.
func TestDiffRefusesIncomparableRuns(t *testing.T) {
	tmp := t.TempDir()
	fs := []record.Finding{diffFinding("01", "DUP_ID", "16681", "Xã Nghi Phong")}
	inputs := func() []output.Input {
		return []output.Input{{Source: "population", Path: "p", Read: 10, Used: 10}, {Source: "tax", Path: "t", Read: 5, Used: 5}}
	}
	write := func(name string, s output.Summary) string {
		dir := filepath.Join(tmp, name)
		d, err := output.Create(dir, output.Options{Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		s.RunID = name
		if err := d.WriteFindings(fs, s); err != nil {
			t.Fatal(err)
		}
		if err := d.Commit(); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	old := write("old", output.Summary{Province: "40", Inputs: inputs()})
	tests := []struct {
		name string
		s    output.Summary
		want string
	}{
		{"province", output.Summary{Province: "01", Inputs: inputs()}, "khác tỉnh"},
		{"sources", output.Summary{Province: "40", Inputs: inputs()[:1]}, "khác bộ nguồn"},
		{"unusable", output.Summary{Province: "40", Inputs: func() []output.Input {
			in := inputs()
			in[0].Used, in[0].Rejected = 0, 10
			return in
		}()}, "không có dòng dùng được"},
	}
	for _, tt := range tests {
		cur := write(tt.name, tt.s)
		code, stdout, _, err := recExec(context.Background(), "diff", old, cur)
		if code != exitFail || err == nil || !strings.Contains(err.Error(), tt.want) || stdout != "" {
			t.Errorf("%s: exit %d, err %v, stdout %q; want exit 1 naming %q", tt.name, code, err, stdout, tt.want)
		}
		code, stdout, _, err = recExec(context.Background(), "diff", "--force", old, cur)
		if code != exitOK || !strings.Contains(stdout, "CẢNH BÁO") || !strings.Contains(stdout, tt.want) {
			t.Errorf("%s --force: exit %d, %v, stdout:\n%s", tt.name, code, err, stdout)
		}
	}
	// Comparable runs: a header naming both runs.
	same := write("same", output.Summary{Province: "40", Inputs: inputs()})
	code, stdout, _, err := recExec(context.Background(), "diff", old, same)
	if code != exitOK || !strings.Contains(stdout, "Tỉnh Nghệ An: so sánh kỳ trước") || !strings.Contains(stdout, "(old, ngày") ||
		!strings.Contains(stdout, "(same, ngày") || strings.Contains(stdout, "CẢNH BÁO") {
		t.Errorf("comparable: exit %d, %v, stdout:\n%s", code, err, stdout)
	}
}
