package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/doisanh/doisanh/output"
)

// fillLikeAnOfficer opens a returned XLSX fix list, writes outcomes in the
// "Kết quả xác minh" column of the first data rows of its first list sheet
// (outcomes[i] on row i; "" leaves it empty), adds a stray row at the
// bottom and saves it. It returns the finding ids of the filled rows.
func fillLikeAnOfficer(t *testing.T, path string, outcomes []string) []string {
	t.Helper()
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	var (
		sheet              string
		rows               [][]string
		hdr, idCol, outCol = -1, -1, -1
	)
	for _, sh := range x.GetSheetList()[1:] {
		rs, err := x.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range rs {
			if j := slices.Index(r, "Mã phát hiện"); j >= 0 && len(rs) >= i+1+len(outcomes) {
				sheet, rows, hdr, idCol, outCol = sh, rs, i, j, slices.Index(r, "Kết quả xác minh")
				break
			}
		}
		if sheet != "" {
			break
		}
	}
	if hdr < 0 || outCol < 0 || len(rows) < hdr+1+len(outcomes) {
		t.Fatalf("%s [%s]: header at %d, %d rows; cannot fill %d outcomes", path, sheet, hdr, len(rows), len(outcomes))
	}
	var ids []string
	for i, o := range outcomes {
		r := hdr + 1 + i
		cell, _ := excelize.CoordinatesToCellName(outCol+1, r+1)
		if err := x.SetCellStr(sheet, cell, o); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, rows[r][idCol])
	}
	stray, _ := excelize.CoordinatesToCellName(2, len(rows)+3)
	x.SetCellStr(sheet, stray, "Người ký: Trưởng Công an xã")
	if err := x.Save(); err != nil {
		t.Fatal(err)
	}
	return ids
}

// TestVerifyLoop: officers fill a returned list, verify reads it into a
// ledger, the next run does not raise the confirmed non-errors again, and
// diff counts them as "không phải lỗi", not as fixed.
func TestVerifyLoop(t *testing.T) {
	tmp := t.TempDir()
	data, outA, outB := filepath.Join(tmp, "data"), filepath.Join(tmp, "out-a"), filepath.Join(tmp, "out-b")
	recGenerate(t, data, 0)
	recReconcile(t, data, outA)

	// The largest commune list comes back filled in.
	sum, err := output.ReadSummary(outA)
	if err != nil {
		t.Fatal(err)
	}
	var list output.CommuneCount
	for _, c := range sum.ByCommune {
		if c.CommuneCode != "00000" && c.Count > list.Count {
			list = c
		}
	}
	xlsxPath := filepath.Join(outA, strings.TrimSuffix(list.Fixlist, ".csv")+".xlsx")
	returned := filepath.Join(tmp, "tra-ve")
	os.MkdirAll(returned, 0o755)
	back := filepath.Join(returned, filepath.Base(xlsxPath))
	b, err := os.ReadFile(xlsxPath)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(back, b, 0o644)
	ids := fillLikeAnOfficer(t, back, []string{"Không phải lỗi", "khong phai loj", "Đúng là lỗi – đã sửa", "", "chưa sửa"})
	notErrors := slices.Clone(ids[:2])

	// A second commune comes back as CSV with columns moved and a typo.
	var second output.CommuneCount
	for _, c := range sum.ByCommune {
		if c.CommuneCode != "00000" && c.CommuneCode != list.CommuneCode && c.Count > second.Count {
			second = c
		}
	}
	recs := readCSVFile(t, filepath.Join(outA, second.Fixlist))
	idCol, outCol := slices.Index(recs[0], "Mã phát hiện"), slices.Index(recs[0], "Kết quả xác minh")
	recs[1][outCol] = "KHÔNG PHẢI LỖI"
	notErrors = append(notErrors, recs[1][idCol])
	for i := range recs { // move the finding id to the front
		r := recs[i]
		recs[i] = append([]string{r[idCol]}, append(slices.Clone(r[:idCol]), r[idCol+1:]...)...)
	}
	f, _ := os.Create(filepath.Join(returned, "tra-ve-xa-2.csv"))
	w := csv.NewWriter(f)
	w.Comma = ';'
	w.WriteAll(recs)
	f.Close()

	ledger := filepath.Join(tmp, "xacminh.jsonl")
	code, stdout, stderr, err := recExec(context.Background(), "verify", "--ledger", ledger, returned)
	if code != exitOK {
		t.Fatalf("verify: exit %d, %v\n%s\n%s", code, err, stdout, stderr)
	}
	if !strings.Contains(stdout, "Đã ghi 5 kết quả") || !strings.Contains(stdout, "Độ chính xác theo xác minh") {
		t.Errorf("verify output:\n%s\n%s", stdout, stderr)
	}

	code, stdout, stderr, err = recExec(context.Background(), recArgs(data, outB, "--verified", ledger)...)
	if code != exitOK {
		t.Fatalf("reconcile --verified: exit %d, %v\n%s\n%s", code, err, stdout, stderr)
	}
	findA, _ := output.ReadFindings(outA)
	findB, err := output.ReadFindings(outB)
	if err != nil {
		t.Fatal(err)
	}
	has := func(id string, in []string) bool { return slices.Contains(in, id) }
	var a, bIDs []string
	for _, f := range findA {
		a = append(a, f.FindingID)
	}
	for _, f := range findB {
		bIDs = append(bIDs, f.FindingID)
	}
	for _, id := range notErrors {
		if !has(id, a) || has(id, bIDs) {
			t.Errorf("confirmed non-error %s: in run A %v, in run B %v (want only A)", id, has(id, a), has(id, bIDs))
		}
	}
	if len(bIDs) != len(a)-len(notErrors) {
		t.Errorf("run B has %d findings, want %d - %d", len(bIDs), len(a), len(notErrors))
	}
	sumB, err := output.ReadSummary(outB)
	if err != nil || sumB.Verification == nil || len(sumB.Verification.Dismissed) != 3 || sumB.Verification.ReRaised != 1 {
		t.Fatalf("summary B verification = %+v, %v", sumB.Verification, err)
	}
	// The finding reported fixed but found again carries a note.
	xb, err := excelize.OpenFile(filepath.Join(outB, strings.TrimSuffix(list.Fixlist, ".csv")+".xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer xb.Close()
	noted := false
	for _, sh := range xb.GetSheetList() {
		rows, _ := xb.GetRows(sh)
		for _, r := range rows {
			if slices.Contains(r, ids[2]) && slices.ContainsFunc(r, func(c string) bool { return strings.Contains(c, "báo đã sửa") }) {
				noted = true
			}
		}
	}
	if !noted {
		t.Errorf("finding %s reported fixed has no note in run B's list; ledger:\n%s", ids[2], must(os.ReadFile(ledger)))
	}

	// diff: nothing was fixed in the data; the three are "không phải lỗi".
	code, stdout, _, err = recExec(context.Background(), "diff", outA, outB, "--json")
	if code != exitOK {
		t.Fatalf("diff: exit %d, %v", code, err)
	}
	var res output.DiffResult
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("diff json: %v\n%s", err, stdout)
	}
	if res.Total.NotError != 3 || res.Total.Fixed != 0 || res.Total.New != 0 || res.Total.Open != int64(len(a))-3 {
		t.Errorf("diff total = %+v, want 3 not errors, nothing fixed or new", res.Total)
	}
}

func readCSVFile(t *testing.T, path string) [][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(data), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func must(b []byte, _ error) string { return string(b) }
