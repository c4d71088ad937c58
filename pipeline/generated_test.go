package pipeline

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/doisanh/doisanh/record"
	"github.com/doisanh/doisanh/score"
	"github.com/doisanh/doisanh/synth"
)

// generated reconciles a generated province and returns its findings and truth.
func generated(t *testing.T, opts synth.Options) ([]record.Finding, []record.Truth) {
	t.Helper()
	dir := t.TempDir()
	if _, err := synth.Generate(context.Background(), dir, opts); err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), Config{
		Population: filepath.Join(dir, "population.parquet"),
		Tax:        filepath.Join(dir, "tax.parquet"),
		Insurance:  filepath.Join(dir, "insurance.parquet"),
		Civil:      filepath.Join(dir, "civil.parquet"),
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range res.Counts {
		if c.Read != c.Used+c.Rejected {
			t.Errorf("%s: read %d != used %d + rejected %d", c.Source, c.Read, c.Used, c.Rejected)
		}
		if c.Source == record.Population.String() {
			continue
		}
		// Every source row used has one link outcome.
		links := 0
		for k, n := range res.Links {
			if strings.HasPrefix(k, c.Source+"/") {
				links += n
			}
		}
		if int64(links) != c.Used {
			t.Errorf("%s: %d link outcomes (%v) for %d rows used", c.Source, links, res.Links, c.Used)
		}
	}
	truth, err := parquet.ReadFile[record.Truth](filepath.Join(dir, "truth.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	return res.Findings, truth
}

// TestBenignNoiseOnly: writing differences alone (NFD, tone placement, case,
// spaces, date formats, lost leading zeros, abbreviations, legacy encodings)
// must give no finding at all.
func TestBenignNoiseOnly(t *testing.T) {
	opts := synth.DefaultOptions()
	opts.People, opts.Seed, opts.BenignOnly = 8000, 21, true
	opts.Noise = 2 // twice the default share of noisy values
	findings, _ := generated(t, opts)
	for i, f := range findings {
		if i < 10 {
			t.Errorf("finding on benign data: %s/%s %s %s: %q vs %q (%s)", f.Rule, f.Subtype, f.Source, f.SourceKey,
				f.PopulationValue, f.SourceValue, f.Suggestion)
		}
	}
	if len(findings) > 0 {
		t.Errorf("%d findings on benign-only data, want 0", len(findings))
	}
}

// TestGeneratedAccuracy scores a small generated province, in one model
// and in 4 shards of 5,000 people (whose numbers never meet, and whose
// defects must be found as in a province of one shard). The full-size
// figures (100,000 people, several seeds) are in benchmarks/accuracy.md.
func TestGeneratedAccuracy(t *testing.T) {
	for _, shard := range []int{0, 5000} {
		t.Run(fmt.Sprintf("shard size %d", shard), func(t *testing.T) {
			opts := synth.DefaultOptions()
			opts.People, opts.ShardSize, opts.Seed = 20000, shard, 22
			findings, truth := generated(t, opts)
			res := score.Compare(findings, truth)
			for _, r := range res.Rows {
				if r.Truth < 20 {
					continue // too few injected to measure a rate on
				}
				if r.Precision() < 0.97 || r.Recall() < 0.9 {
					t.Errorf("%s/%s: precision %.3f recall %.3f (truth %d, found %d)", r.Rule, r.Subtype,
						r.Precision(), r.Recall(), r.Truth, r.Found)
				}
			}
			if res.Total.Precision() < 0.99 || res.Total.Recall() < 0.99 {
				t.Errorf("total precision %.4f recall %.4f, want >= 0.99", res.Total.Precision(), res.Total.Recall())
			}
		})
	}
}

// TestFileGivenTwice: the register and the tax extract each given twice
// (an export run twice into one file) give exactly the findings of the
// files given once: a repeated row is no defect, and its consequences
// (a number on two rows, a tax code used twice, two candidates for every
// link) must not become findings.
func TestFileGivenTwice(t *testing.T) {
	opts := synth.DefaultOptions()
	opts.People, opts.Seed = 8000, 23
	once, truth := generated(t, opts)
	opts.Twice = []string{"population", "tax"}
	twice, _ := generated(t, opts)
	ids := func(fs []record.Finding) map[string]bool {
		m := map[string]bool{}
		for _, f := range fs {
			m[f.FindingID] = true
		}
		return m
	}
	a, b := ids(once), ids(twice)
	for _, f := range twice {
		if !a[f.FindingID] {
			t.Errorf("given twice, a finding more: %s/%s %s %s (%s)", f.Rule, f.Subtype, f.Source, f.SourceKey, f.Suggestion)
		}
	}
	for _, f := range once {
		if !b[f.FindingID] {
			t.Errorf("given twice, a finding lost: %s/%s %s %s", f.Rule, f.Subtype, f.Source, f.SourceKey)
		}
	}
	if res := score.Compare(twice, truth); res.Total.Precision() < 0.99 || res.Total.Recall() < 0.99 {
		t.Errorf("given twice: precision %.4f recall %.4f, want >= 0.99", res.Total.Precision(), res.Total.Recall())
	}
}
