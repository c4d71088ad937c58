package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/doisanh/doisanh/output"
	"github.com/doisanh/doisanh/record"
	"github.com/doisanh/doisanh/synth"
)

// TestReconcileWarnsOfAnotherProvince: a Hà Nội tax extract given with a
// Nghệ An register is one warning — on stderr even with --quiet, and in
// summary.json — and not a finding per record.
func TestReconcileWarnsOfAnotherProvince(t *testing.T) {
	dir := t.TempDir()
	nghean, hanoi, out := filepath.Join(dir, "nghean"), filepath.Join(dir, "hanoi"), filepath.Join(dir, "out")
	recGenerate(t, nghean, 0)
	opts := synth.DefaultOptions()
	opts.People, opts.Seed, opts.Province = 2000, 9, "01"
	if _, err := synth.Generate(context.Background(), hanoi, opts); err != nil {
		t.Fatal(err)
	}
	args := recArgs(nghean, out)
	for i, a := range args {
		if a == "--tax" {
			args[i+1] = filepath.Join(hanoi, "tax.parquet")
		}
	}
	code, stdout, stderr, err := recExec(context.Background(), args...)
	if code != exitOK || err != nil {
		t.Fatalf("reconcile: exit %d, err %v\nstdout:\n%s\nstderr:\n%s", code, err, stdout, stderr)
	}
	if !strings.Contains(stderr, "doisanh: warning: tax file") || !strings.Contains(stderr, "does not look like this province's extract") {
		t.Errorf("stderr does not warn of the Hà Nội extract:\n%s", stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s output.Summary
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("summary.json: %v", err)
	}
	if len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], "Thành phố Hà Nội") {
		t.Errorf("summary.json warnings = %q, want one naming Thành phố Hà Nội", s.Warnings)
	}
	findings, err := parquet.ReadFile[record.Finding](filepath.Join(out, "findings.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		if f.Source == "tax" {
			t.Errorf("finding from the Hà Nội extract: %s/%s %s", f.Rule, f.Subtype, f.SourceKey)
			break
		}
	}
}
