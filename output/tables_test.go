package output

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/doisanh/doisanh/record"
)

// TestEachFindingCSV: a findings.csv is read a row at a time, with or
// without its BOM, its columns found by name; a bad file names itself,
// the row and the column.
func TestEachFindingCSV(t *testing.T) {
	header := strings.Join(findingColumns, ",")
	row := func(id, score string) string {
		cells := make([]string, len(findingColumns))
		for i, c := range findingColumns {
			switch c {
			case "finding_id":
				cells[i] = id
			case "score":
				cells[i] = score
			case "full_name":
				cells[i] = "Nguyễn Văn An"
			}
		}
		return strings.Join(cells, ",")
	}
	// The columns reversed, and one doisanh does not write.
	reversed := make([]string, 0, len(findingColumns)+1)
	reversed = append(reversed, "extra")
	for i := len(findingColumns) - 1; i >= 0; i-- {
		reversed = append(reversed, findingColumns[i])
	}
	reversedRow := func(id string) string {
		cells := []string{"x"}
		for i := len(findingColumns) - 1; i >= 0; i-- {
			v := ""
			if findingColumns[i] == "finding_id" {
				v = id
			}
			cells = append(cells, v)
		}
		return strings.Join(cells, ",")
	}
	for _, tt := range []struct {
		name, data string
		ids        []string
		err        string
	}{
		{"bom", bom + header + "\n" + row("a", "0.5") + "\n" + row("b", "") + "\n", []string{"a", "b"}, ""},
		{"no bom", header + "\n" + row("a", "1") + "\n", []string{"a"}, ""},
		{"header only", header + "\n", nil, ""},
		{"columns by name", strings.Join(reversed, ",") + "\n" + reversedRow("z") + "\n", []string{"z"}, ""},
		{"empty", "", nil, "empty file"},
		{"not findings", "a,b\n1,2\n", nil, "missing columns finding_id"},
		{"bad score", header + "\n" + row("a", "1") + "\n" + row("b", "high") + "\n", []string{"a"}, `row 2, column score: "high" is not a number`},
		{"short row", header + "\n" + row("a", "1") + "\nx,y\n", []string{"a"}, "line 3"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "findings.csv")
			if err := os.WriteFile(path, []byte(tt.data), 0o644); err != nil {
				t.Fatal(err)
			}
			var ids []string
			err := EachFinding(path, func(f *record.Finding) error {
				ids = append(ids, f.FindingID)
				if f.FindingID == "a" && (f.FullName != "Nguyễn Văn An" || f.Score == 0) {
					t.Errorf("finding a read as %+v", f)
				}
				return nil
			})
			switch {
			case tt.err == "" && err != nil:
				t.Fatalf("error %v", err)
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err) || !strings.Contains(err.Error(), path)):
				t.Fatalf("error %v, want one naming %s and %q", err, path, tt.err)
			}
			if strings.Join(ids, " ") != strings.Join(tt.ids, " ") {
				t.Errorf("read %q, want %q", ids, tt.ids)
			}
		})
	}
}

// TestEachFindingStops: an error of fn stops the reading and is returned.
func TestEachFindingStops(t *testing.T) {
	out := writeRun(t, t.TempDir(), testFindings(), false)
	stop := errors.New("stop")
	for _, path := range []string{out, filepath.Join(out, "findings.csv")} {
		n := 0
		err := EachFinding(path, func(*record.Finding) error { n++; return stop })
		if !errors.Is(err, stop) || n != 1 {
			t.Errorf("%s: %d calls, error %v; want 1 call and the callback's error", filepath.Base(path), n, err)
		}
	}
}
