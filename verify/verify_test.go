package verify

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/doisanh/doisanh/output"
	"github.com/doisanh/doisanh/record"
)

func TestParseOutcome(t *testing.T) {
	tests := []struct {
		in   string
		want Outcome
		ok   bool
	}{
		{"Đúng là lỗi – đã sửa", Fixed, true},
		{"Đúng là lỗi - chưa sửa", Open, true},
		{"Không phải lỗi", NotError, true},
		{"Không tìm thấy người", NotFound, true},
		{"khong phai loi", NotError, true},
		{"  KHÔNG PHẢI LỖI ", NotError, true},
		{"ko phải lỗi", NotError, true},
		{"Khong phai loj", NotError, true}, // typo
		{"Đúng là lôi đã sủa", Fixed, true},
		{"đã sửa", Fixed, true},
		{"chưa sửa", Open, true},
		{"Không tìm thây", NotFound, true},
		{"Dung la loi chua sua", Open, true},
		{"", "", false},
		{"???", "", false},
		{"gặp chủ hộ, hẹn tuần sau", "", false},
	}
	for _, tt := range tests {
		got, ok := ParseOutcome(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseOutcome(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	// Every drop-down value reads back as itself.
	for i, o := range output.Outcomes {
		if got, ok := ParseOutcome(o); !ok || got != outcomeOrder[i] {
			t.Errorf("ParseOutcome(%q) = %q", o, got)
		}
	}
}

func FuzzParseOutcome(f *testing.F) {
	for _, o := range output.Outcomes {
		f.Add(o)
	}
	f.Add("\xff")
	f.Fuzz(func(t *testing.T, s string) {
		if o, ok := ParseOutcome(s); ok && o.Label() == string(o) {
			t.Errorf("ParseOutcome(%q) = unknown outcome %q", s, o)
		}
	})
}

// TestReadCSVHandEdited reads a CSV edited by hand: semicolons, columns
// moved, a title line, an added row, an unreadable outcome.
func TestReadCSVHandEdited(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "list.csv")
	data := "\ufeffDanh sách trả về;;;\n" +
		"Ket qua xac minh;Họ và tên;ma phat hien;Mã lỗi;Ghi chú xác minh\n" +
		"không phải lỗi;A;id1;DUP_PERSON;hai người khác nhau\n" +
		";B;id2;DUP_PERSON;\n" +
		"đã sửa;C;id3;FIELD_MISMATCH;\n" +
		"đã sửa;dòng thêm;;;\n" +
		"hỏi lại;D;id4;FIELD_MISMATCH;\n"
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := ReadList(p, time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 4 || res.Blank != 1 || len(res.Entries) != 2 || len(res.Problems) != 2 {
		t.Fatalf("rows %d blank %d entries %+v problems %v", res.Rows, res.Blank, res.Entries, res.Problems)
	}
	if e := res.Entries[0]; e.FindingID != "id1" || e.Outcome != NotError || e.Rule != "DUP_PERSON" || e.Note != "hai người khác nhau" || e.Row != 3 {
		t.Errorf("entry = %+v", e)
	}
	if !strings.Contains(res.Problems[1].String(), "dòng 7") || !strings.Contains(res.Problems[1].String(), "hỏi lại") {
		t.Errorf("problem = %s", res.Problems[1])
	}

	// Into a ledger twice: the later entry wins.
	ledger := filepath.Join(dir, "ledger.jsonl")
	if err := AppendLedger(ledger, res.Entries); err != nil {
		t.Fatal(err)
	}
	later := res.Entries[0]
	later.Outcome = Open
	if err := AppendLedger(ledger, []Entry{later}); err != nil {
		t.Fatal(err)
	}
	l, err := ReadLedger(ledger)
	if err != nil {
		t.Fatal(err)
	}
	if len(l) != 2 || l["id1"].Outcome != Open || l["id3"].Outcome != Fixed {
		t.Errorf("ledger = %+v", l)
	}
	fs := []record.Finding{{FindingID: "id1", Rule: "DUP_PERSON"}, {FindingID: "id3", Rule: "FIELD_MISMATCH"}, {FindingID: "id9"}}
	l["id1"] = Entry{FindingID: "id1", Rule: "DUP_PERSON", Outcome: NotError}
	kept, v := Apply(fs, l, ledger)
	if len(kept) != 2 || kept[0].FindingID != "id3" || len(v.Dismissed) != 1 || v.Dismissed[0] != "id1" || v.ReRaised != 1 || v.Notes["id3"] == "" {
		t.Errorf("Apply: kept %v, verification %+v", kept, v)
	}
	if len(v.ByRule) != 2 {
		t.Fatalf("by rule = %+v", v.ByRule)
	}
	for _, r := range v.ByRule {
		p, ok := r.Precision()
		if want := map[string]float64{"DUP_PERSON": 0, "FIELD_MISMATCH": 1}[r.Rule]; !ok || p != want {
			t.Errorf("%s precision = %v %v, want %v", r.Rule, p, ok, want)
		}
	}
}

func TestReadLedgerErrors(t *testing.T) {
	p := filepath.Join(t.TempDir(), "l.jsonl")
	os.WriteFile(p, []byte(`{"finding_id":"a","outcome":"fixed"}`+"\n"+`{"finding_id":"b","outcome":"maybe"}`+"\n"), 0o644)
	if _, err := ReadLedger(p); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("err = %v, want line 2", err)
	}
}

// TestReadCSVGuardedCells: a fix list as doisanh writes it, with cells
// that would run as formulas guarded by an apostrophe, reads back with the
// values as they were: the guard is removed, and only it ("'abc" stays).
func TestReadCSVGuardedCells(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	ids := []string{`=HYPERLINK("http://example.invalid","x")`, "-2+3", "@SUM(A1)", "+1", "abc"}
	var fs []record.Finding
	for _, id := range ids {
		fs = append(fs, record.Finding{FindingID: id, Rule: "FIELD_MISMATCH", Subtype: "NAME", Severity: "low",
			ProvinceCode: "40", CommuneCode: "16681", CommuneName: "Xã Nghi Phong", FullName: "Lê Văn An"})
	}
	d, err := output.Create(out, output.Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteRejects(nil); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFindings(fs, output.Summary{RunID: "r", Started: time.Unix(1e9, 0)}); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	lists, _ := filepath.Glob(filepath.Join(out, "fixlists", "*", "*.csv"))
	if len(lists) != 1 {
		t.Fatalf("fix lists %v", lists)
	}
	data, err := os.ReadFile(lists[0])
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(data), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	outcome, note, id := slices.Index(rows[0], output.OutcomeHeader), slices.Index(rows[0], output.NoteHeader),
		slices.Index(rows[0], output.FindingIDHeader)
	notes := map[string]string{}
	for i, r := range rows[1:] {
		if strings.HasPrefix(r[id], "=") || strings.HasPrefix(r[id], "-") || strings.HasPrefix(r[id], "+") || strings.HasPrefix(r[id], "@") {
			t.Errorf("finding id cell %q is not guarded", r[id])
		}
		r[outcome] = "Không phải lỗi"
		// A note as doisanh would write it, guarded; one the officer typed
		// with an apostrophe of their own.
		switch i {
		case 0:
			r[note] = "'-2+3"
			notes[r[id]] = "-2+3"
		case 1:
			r[note] = "'abc"
			notes[r[id]] = "'abc"
		}
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.WriteAll(rows)
	if err := os.WriteFile(lists[0], []byte("\ufeff"+b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := ReadList(lists[0], time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range res.Entries {
		got = append(got, e.FindingID)
		if e.Outcome != NotError {
			t.Errorf("%s: outcome %v", e.FindingID, e.Outcome)
		}
	}
	slices.Sort(got)
	want := slices.Clone(ids)
	slices.Sort(want)
	if !slices.Equal(got, want) || len(res.Problems) != 0 {
		t.Errorf("finding ids read %q, want %q; problems %v", got, want, res.Problems)
	}
	for _, e := range res.Entries {
		for guarded, n := range notes {
			if strings.TrimPrefix(guarded, "'") == e.FindingID && e.Note != n {
				t.Errorf("%s: note %q, want %q", e.FindingID, e.Note, n)
			}
		}
	}
}
