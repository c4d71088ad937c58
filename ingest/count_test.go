package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
)

func TestCountRows(t *testing.T) {
	dir := t.TempDir()
	type row struct {
		ID   string `parquet:"id"`
		Name string `parquet:"full_name"`
	}
	pq := filepath.Join(dir, "p.parquet")
	rows := make([]row, 12345)
	for i := range rows {
		rows[i] = row{fmt.Sprint(i), "Nguyễn Văn An"}
	}
	if err := parquet.WriteFile(pq, rows); err != nil {
		t.Fatal(err)
	}
	small := filepath.Join(dir, "small.csv")
	os.WriteFile(small, []byte("id,full_name\n1,An\n2,Bình\n3,Chi"), 0o644)
	big := filepath.Join(dir, "big.csv")
	var b strings.Builder
	b.WriteString("id,full_name\n")
	for i := range 200000 { // ~4 MB, past the 1 MB sample
		fmt.Fprintf(&b, "%09d,Nguyễn Văn An\n", i)
	}
	os.WriteFile(big, []byte(b.String()), 0o644)
	gz := filepath.Join(dir, "x.csv.gz")
	os.WriteFile(gz, []byte{0x1f, 0x8b}, 0o644)
	corrupt := filepath.Join(dir, "bad.parquet")
	os.WriteFile(corrupt, []byte("PAR1 not really"), 0o644)
	notPq := filepath.Join(dir, "text.parquet")
	os.WriteFile(notPq, []byte("id,name\n"), 0o644)

	tests := []struct {
		path   string
		lo, hi int64
		exact  bool
		err    string
	}{
		{pq, 12345, 12345, true, ""},
		{small, 3, 3, false, ""},
		{big, 199000, 201000, false, ""},
		{gz, -1, -1, false, ""},
		{corrupt, 0, 0, false, "corrupt Parquet"},
		{notPq, 0, 0, false, "not a Parquet file"},
		{filepath.Join(dir, "missing.parquet"), 0, 0, false, "no such file"},
	}
	for _, tt := range tests {
		n, exact, err := CountRows(tt.path)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("CountRows(%s) = %d, %v; want an error with %q", filepath.Base(tt.path), n, err, tt.err)
			}
			continue
		}
		if err != nil || n < tt.lo || n > tt.hi || exact != tt.exact {
			t.Errorf("CountRows(%s) = %d, %v, %v; want %d..%d, exact %v", filepath.Base(tt.path), n, exact, err, tt.lo, tt.hi, tt.exact)
		}
	}
}
