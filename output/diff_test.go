package output

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/doisanh/doisanh/record"
	"github.com/doisanh/doisanh/rules"
)

func TestDiff(t *testing.T) {
	old := testFindings()
	// The new run: a2, a3, b1 and u1 were fixed; two new findings appeared,
	// one in a commune the old run did not have.
	fixed := []string{"a2", "a3", "b1", "u1"}
	var cur []record.Finding
	for _, f := range old {
		if !slices.Contains(fixed, f.FindingID) {
			cur = append(cur, f)
		}
	}
	n1 := old[0]
	n1.FindingID, n1.Rule, n1.Subtype = "n1", rules.DupPerson, ""
	n2 := old[8]
	n2.FindingID, n2.CommuneCode, n2.CommuneName = "n2", "18100", "Xã Quỳnh Thọ"
	cur = append(cur, n1, n2, n2) // a repeated finding counts once

	res := Diff(old, cur, nil)
	if !slices.Equal(res.FixedIDs, fixed) {
		t.Errorf("fixed = %v, want %v", res.FixedIDs, fixed)
	}
	if want := []string{"n1", "n2"}; !slices.Equal(res.NewIDs, want) {
		t.Errorf("new = %v, want %v", res.NewIDs, want)
	}
	want := DiffRow{Old: 11, Fixed: 4, Open: 7, New: 2}
	if got := res.Total; got.Old != want.Old || got.Fixed != want.Fixed || got.Open != want.Open || got.New != want.New {
		t.Errorf("total = %+v, want %+v", got, want)
	}
	type row struct {
		commune, rule          string
		old, fixed, open, news int64
	}
	var got []row
	for _, c := range res.Communes {
		var sum DiffRow
		for _, r := range c.Rules {
			got = append(got, row{r.CommuneCode, r.Rule, r.Old, r.Fixed, r.Open, r.New})
			sum.add(r)
			if r.Old != r.Fixed+r.Open {
				t.Errorf("%+v: old != fixed + open", r)
			}
		}
		if sum.Old != c.Total.Old || sum.Fixed != c.Total.Fixed || sum.New != c.Total.New {
			t.Errorf("commune %s total %+v, rules sum to %+v", c.Total.CommuneCode, c.Total, sum)
		}
	}
	wantRows := []row{
		{"", rules.UnknownResidence, 1, 0, 1, 0}, // catalogue order
		{"", rules.NotInPopulation, 1, 1, 0, 0},
		{"16681", rules.DupID, 2, 1, 1, 0},
		{"16681", rules.DupPerson, 0, 0, 0, 1},
		{"16681", rules.FieldMismatch, 3, 1, 2, 0},
		{"17920", rules.SpouseConflict, 2, 1, 1, 0},
		{"17920", rules.DeceasedActive, 1, 0, 1, 0},
		{"18001", rules.IDMismatch, 1, 0, 1, 0},
		{"18100", rules.IDMismatch, 0, 0, 0, 1},
	}
	slices.SortStableFunc(got, func(a, b row) int { return strings.Compare(a.commune, b.commune) })
	if !slices.Equal(got, wantRows) {
		t.Errorf("rows:\n got %v\nwant %v", got, wantRows)
	}

	// Communes ranked by rate: Chưa xác định (50 %) is kept apart, last.
	var order []string
	for _, c := range res.Communes {
		order = append(order, fmt.Sprintf("%d:%s", c.Rank, c.Total.CommuneCode))
	}
	if want := []string{"1:16681", "2:17920", "3:18001", "0:18100", "0:"}; !slices.Equal(order, want) {
		t.Errorf("ranking = %v, want %v", order, want)
	}
	if len(res.ByRule) != 8 || res.ByRule[0].Rule != rules.DupID && res.ByRule[0].Old == 0 {
		t.Errorf("by rule = %+v", res.ByRule)
	}

	var buf bytes.Buffer
	if err := res.WriteTable(&buf); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	var squeezed []string
	for _, l := range strings.Split(text, "\n") {
		squeezed = append(squeezed, strings.Join(strings.Fields(l), " "))
	}
	for _, line := range []string{
		"Tổng cộng: đã rà soát, xử lý 4/11 trường hợp, đạt 36,4%; phát sinh mới 2 trường hợp",
		"1 Xã Nghi Phong 16681 5 2 0 3 1 40,0%",
		"– Chưa xác định 2 1 0 1 0 50,0%",
		"Trùng số định danh 2 1 0 1 0 50,0%",
	} {
		if !slices.Contains(squeezed, line) {
			t.Errorf("table lacks %q:\n%s", line, text)
		}
	}
	// One line per commune and per rule, not per commune and rule.
	if n := strings.Count(text, "\n"); n != 2+1+1+len(res.Communes)+1+1+1+len(res.ByRule) {
		t.Errorf("table has %d lines:\n%s", n, text)
	}

	buf.Reset()
	if err := res.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte(bom)) {
		t.Fatal("diff CSV has no BOM")
	}
	recs, err := csv.NewReader(bytes.NewReader(buf.Bytes()[len(bom):])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+len(res.Communes)+1+len(res.ByRule) {
		t.Fatalf("diff CSV has %d rows", len(recs))
	}
	if r := recs[1]; r[0] != "1" || r[2] != "16681" || r[3] != "Xã Nghi Phong" || r[6] != "5" || r[7] != "2" || r[11] != "40.0" {
		t.Errorf("CSV row = %q", r)
	}
	if tot := recs[1+len(res.Communes)]; tot[3] != "Tổng cộng" || tot[6] != "11" || tot[7] != "4" || tot[10] != "2" {
		t.Errorf("CSV total = %q", tot)
	}

	buf.Reset()
	res.OldRun, res.NewRun, res.Province = "Tháng 06/2025 (run-a)", "Tháng 07/2025 (run-b)", "Tỉnh Nghệ An"
	if err := res.WriteHTML(&buf); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<title>Tiến độ xác minh, làm sạch dữ liệu dân cư – Tỉnh Nghệ An</title>", "Tháng 06/2025 (run-a)",
		"đạt <b>36,4%</b>", "<td>Xã Nghi Phong</td>", "@media print"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("progress page lacks %q", want)
		}
	}
}

// TestDiffThroughFiles writes two runs and diffs what ReadFindings reads.
func TestDiffThroughFiles(t *testing.T) {
	old := testFindings()
	cur := old[3:]
	oldOut := writeRun(t, t.TempDir(), old, false)
	newOut := writeRun(t, t.TempDir(), cur, false)
	a, err := ReadFindings(oldOut)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ReadFindings(newOut + "/findings.parquet")
	if err != nil {
		t.Fatal(err)
	}
	res := Diff(a, b, nil)
	if want := []string{"a1", "a2", "a3"}; !slices.Equal(res.FixedIDs, want) || len(res.NewIDs) != 0 {
		t.Errorf("fixed = %v, new = %v; want fixed %v", res.FixedIDs, res.NewIDs, want)
	}
	if _, err := ReadFindings(t.TempDir()); err == nil || !strings.Contains(err.Error(), "findings.parquet") {
		t.Errorf("reading a directory without findings: %v", err)
	}
}

func TestDiffEmpty(t *testing.T) {
	res := Diff(nil, nil, nil)
	var buf bytes.Buffer
	if err := res.WriteTable(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "xử lý 0/0") || len(res.Communes) != 0 {
		t.Errorf("empty diff = %q", buf.String())
	}
}

// TestDiffDismissed: findings officers confirmed not errors, gone from the
// new run, are not counted as fixed nor in the rate.
func TestDiffDismissed(t *testing.T) {
	old := testFindings()
	var cur []record.Finding
	for _, f := range old {
		if f.FindingID != "a2" && f.FindingID != "a3" {
			cur = append(cur, f)
		}
	}
	res := Diff(old, cur, []string{"a3", "zz"})
	if got := res.Total; got.Old != 11 || got.Fixed != 1 || got.NotError != 1 || got.Open != 9 {
		t.Errorf("total = %+v, want old 11, fixed 1, not_error 1, open 9", got)
	}
	if !slices.Equal(res.FixedIDs, []string{"a2"}) {
		t.Errorf("fixed = %v", res.FixedIDs)
	}
	if d := res.Total.Done(); d != 10 {
		t.Errorf("done = %v%%, want 10%% (1 of the 10 real errors)", d)
	}
}

func TestComparable(t *testing.T) {
	base := func() *Summary {
		return &Summary{RunID: "r", Province: "40", ProvinceName: "Tỉnh Nghệ An", Inputs: []Input{
			{Source: "population", Path: "p.parquet", Read: 100, Used: 99, Rejected: 1},
			{Source: "tax", Path: "t.parquet", Read: 10, Used: 10},
		}}
	}
	tests := []struct {
		name   string
		change func(cur *Summary)
		want   string // in the reason; "" for comparable
	}{
		{"same", func(*Summary) {}, ""},
		{"other province", func(s *Summary) { s.Province, s.ProvinceName = "01", "Thành phố Hà Nội" }, "khác tỉnh"},
		{"province from options", func(s *Summary) { s.Province = ""; s.Options = map[string]any{"province": "42"} }, "khác tỉnh"},
		{"fewer sources", func(s *Summary) { s.Inputs = s.Inputs[:1] }, "khác bộ nguồn"},
		{"other source", func(s *Summary) { s.Inputs[1].Source = "insurance" }, "khác bộ nguồn"},
		{"no usable row", func(s *Summary) { s.Inputs[0].Used, s.Inputs[0].Rejected = 0, 100 }, "không có dòng dùng được"},
	}
	for _, tt := range tests {
		cur := base()
		tt.change(cur)
		why := Comparable(base(), cur)
		switch {
		case tt.want == "" && len(why) > 0:
			t.Errorf("%s: not comparable: %v", tt.name, why)
		case tt.want != "" && (len(why) == 0 || !strings.Contains(strings.Join(why, "\n"), tt.want)):
			t.Errorf("%s: reasons %q, want one with %q", tt.name, why, tt.want)
		}
	}
}
