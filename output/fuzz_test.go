package output

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/doisanh/doisanh/internal/csvcell"
	"github.com/doisanh/doisanh/record"
)

// FuzzFindingsCSV checks that any text survives findings.csv and that a fix
// list row never fails on it.
func FuzzFindingsCSV(f *testing.F) {
	f.Add("Nguyễn Văn Ánh", "Xã Nghi Phong", "a,b\"c\nd", 0.5)
	f.Add(nfd, "", "\r\n", 1.0)
	f.Add("\xff\xfe", "Phường 1", "=cmd|' /C calc'!A0", -1.0)
	f.Fuzz(func(t *testing.T, name, commune, value string, score float64) {
		fs := []record.Finding{{FindingID: "x", Rule: "DUP_ID", FullName: name, CommuneName: commune,
			SourceValue: value, Score: score}}
		var buf bytes.Buffer
		if err := writeCSV(&buf, findingColumns, fs, findingRow); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(bytes.NewReader(buf.Bytes()[len(bom):])).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		// encoding/csv turns \r\n inside quoted fields into \n.
		clean := func(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }
		if len(recs) != 2 {
			t.Fatalf("%d records", len(recs))
		}
		for _, c := range recs[1] {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Errorf("cell %q of findings.csv starts a formula", c)
			}
		}
		csvcell.UnguardRows(recs)
		if r := recs[1]; r[8] != clean(name) || r[6] != clean(commune) || r[15] != clean(value) {
			t.Errorf("round trip changed text: %q", r)
		}
		row := fixlistRow(nil, 1, &fs[0], nil)
		if len(row) != len(fixlistHeader) {
			t.Fatalf("fix list row has %d columns", len(row))
		}
		if want := strings.Join(strings.Fields(norm.NFC.String(name)), " "); utf8.ValidString(name) && !strings.Contains(row[colName], want) {
			t.Errorf("fix list name %q does not show %q", row[colName], want)
		}
		if s := formatScore(&fs[0]); s != "" && !strings.HasSuffix(s, "%") {
			t.Errorf("formatScore(%v) = %q", score, s)
		}
		_ = vietnamese(value)
	})
}

// FuzzOneLine: oneLine's shortcut gives what strings.Fields and Join give.
func FuzzOneLine(f *testing.F) {
	for _, s := range []string{"", " ", "Nguyễn Văn A", " a", "a ", "a  b", "a\tb", "a\u00a0b", "a\u3000b", "\xff b", "Nguye\u0302\u0303n",
		"Xóm 13, Xã Hữu Kiệm, Tỉnh Nghệ An", "Ơ Ư ơ ư Đ đ", "Ạ\u0323", "a\u0085b", "a\x7fb", "a\x01b", "ǅ ḍ\u0307", "a\u00adb", "Ỳ\u0300"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := strings.Join(strings.Fields(norm.NFC.String(s)), " ")
		if got := oneLine(s); got != want {
			t.Errorf("oneLine(%q) = %q, want %q", s, got, want)
		}
	})
}
