package pipeline

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/doisanh/doisanh/admin"
	"github.com/doisanh/doisanh/record"
)

func TestWorkers(t *testing.T) {
	cores := runtime.GOMAXPROCS(0)
	tests := []struct {
		in, want int
		capped   bool
	}{
		{0, cores, false},
		{-1, cores, false},
		{1, 1, false},
		{MaxWorkersPerCPU * cores, MaxWorkersPerCPU * cores, false},
		{MaxWorkersPerCPU*cores + 1, MaxWorkersPerCPU * cores, true},
		{99999999, MaxWorkersPerCPU * cores, true},
	}
	for _, tt := range tests {
		got, capped := Workers(tt.in)
		if got != tt.want || capped != tt.capped {
			t.Errorf("Workers(%d) = %d, %v; want %d, %v", tt.in, got, capped, tt.want, tt.capped)
		}
		if w := WorkersWarning(tt.in); (w != "") != tt.capped {
			t.Errorf("WorkersWarning(%d) = %q", tt.in, w)
		}
	}
}

// TestRunConfig: Run reports the workers it used (never 0, -1 or the
// absurd number asked, which it warns about), takes a legacy province
// code for its 2025 province and refuses an unknown one.
func TestRunConfig(t *testing.T) {
	dir := t.TempDir()
	pop := writeRows(t, dir, "population", "parquet", []record.Person{
		person("040085012345", "Nguyễn Văn An", "12/03/1985", "Nam", "17833"),
	})
	cores := runtime.GOMAXPROCS(0)
	tests := []struct {
		province     string
		workers      int
		wantProvince string
		wantWorkers  int
		warn         string // in the warnings, "" for none
		err          string
	}{
		{"", 0, "40", cores, "", ""},
		{"", -1, "40", cores, "", ""},
		{"", 99999999, "40", MaxWorkersPerCPU * cores, "--workers 99999999", ""},
		{"040", 1, "40", 1, "", ""},
		{"Nghệ An", 1, "40", 1, "", ""},
		{"02", 1, "08", 1, "", ""},   // legacy Hà Giang, now Tuyên Quang
		{"all", 1, "all", 1, "", ""}, // a national register: no province assumed
		{"ALL", 1, "all", 1, "", ""},
		{"99", 1, "", 0, "", `--province "99"`},
		{"Atlantis", 1, "", 0, "", `--province "Atlantis"`},
	}
	for _, tt := range tests {
		res, err := Run(context.Background(), Config{Population: pop, Province: tt.province, Workers: tt.workers})
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("province %q: err %v, want %q", tt.province, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("province %q, workers %d: %v", tt.province, tt.workers, err)
		}
		if res.Province != tt.wantProvince || res.Workers != tt.wantWorkers {
			t.Errorf("province %q, workers %d: got %q, %d; want %q, %d", tt.province, tt.workers,
				res.Province, res.Workers, tt.wantProvince, tt.wantWorkers)
		}
		warned := strings.Contains(strings.Join(res.Warnings, "\n"), "--workers")
		if warned != (tt.warn != "") || tt.warn != "" && !strings.Contains(strings.Join(res.Warnings, "\n"), tt.warn) {
			t.Errorf("workers %d: warnings %q, want %q", tt.workers, res.Warnings, tt.warn)
		}
	}
}

// TestNationalRegister: a register whose people live in many provinces,
// none holding half of them, is national (Result.Province "all") unless
// --province says otherwise; one province's, with people of others, is
// that province's.
func TestNationalRegister(t *testing.T) {
	units := admin.Default()
	commune := func(province string, i int) string { return units.Communes(admin.Current, province)[i].Code }
	tests := []struct {
		name      string
		provinces []string // the province of each person, in register order
		asked     string
		want      string
	}{
		{"one province", []string{"40", "40", "40"}, "", "40"},
		{"one province with a migrant", []string{"40", "40", "01"}, "", "40"},
		{"three provinces", []string{"40", "01", "79", "01", "40", "79"}, "", "all"},
		{"three provinces, asked for one", []string{"40", "01", "79"}, "40", "40"},
		{"half in one province", []string{"01", "01", "40", "79"}, "", "01"},
	}
	for _, tt := range tests {
		var rows []record.Person
		for i, p := range tt.provinces {
			rows = append(rows, person(fmt.Sprintf("0400850%05d", i), "Nguyễn Văn An", "12/03/1985", "Nam", commune(p, i)))
		}
		pop := writeRows(t, t.TempDir(), "population", "parquet", rows)
		res, err := Run(context.Background(), Config{Population: pop, Province: tt.asked, Workers: 1})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if res.Province != tt.want {
			t.Errorf("%s: province %q, want %q", tt.name, res.Province, tt.want)
		}
	}
}
