package pipeline

import (
	"context"
	"os"
	"testing"

	"github.com/doisanh/doisanh/match"
	"github.com/doisanh/doisanh/record"
)

func TestDebugLink(t *testing.T) {
	if os.Getenv("DEBUGLINK") == "" {
		t.Skip()
	}
	dir := t.TempDir()
	ins := []record.InsuranceRecord{{InsuranceCode: "4004113829", IDNumber: "040172319893", FullName: "Võ Liên Hương", BirthDate: "04/09/1972", Gender: "Nữ", Address: "Thôn 18, Xã Chiêu Lưu, Tỉnh Nghệ An", Status: "active"}}
	cfg := Config{Population: "/tmp/d100k/population.parquet", Insurance: writeRows(t, dir, "insurance", "csv", ins), Workers: 2}
	r := &run{cfg: cfg, res: &Result{Links: map[string]int{}}}
	_ = r
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		if f.SourceKey == "4004113829" {
			t.Logf("%+v", f)
		}
	}
	_ = match.LinkFuzzy
}
