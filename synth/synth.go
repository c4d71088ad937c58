// Package synth generates a synthetic province: a residence register
// (population) with households, spouses, parents and old CMND numbers, tax,
// insurance and civil-status extracts, benign noise that must never become a
// finding, and injected defects of every rule, recorded in truth.parquet.
//
// Generation has three steps (SPEC.md): build a model of people, accounts
// and events in memory; plan and apply defects to the model, so that every
// reference to a changed value stays consistent; render rows with noise and
// write the files, one goroutine per file. A register larger than
// Options.ShardSize is made shard by shard, each shard a model of its own
// appended to the same files, so memory stays bounded (SPEC.md, Shards).
// The same Options give byte-identical files.
package synth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/doisanh/doisanh/record"
	"github.com/doisanh/doisanh/rules"
)

// Output formats.
const (
	FormatParquet = "parquet"
	FormatCSV     = "csv"
	FormatBoth    = "both"
)

// DefaultRate is the default share of eligible people or records that
// receive each defect subtype.
const DefaultRate = 0.003

// Options configure Generate.
type Options struct {
	People int `json:"people"` // people on the register (before injected duplicate rows)
	// Province is the 2025 province, by code ("40", Nghệ An) or name, or
	// National ("all"): people spread over every province.
	Province string `json:"province"`
	Seed     uint64 `json:"seed"`

	// Rate is the share of eligible people or records that receive each
	// defect subtype; at least one of each is injected when Rate > 0.
	Rate float64 `json:"rate"`
	// Rates overrides Rate per subtype, keyed "RULE/SUBTYPE" (or "RULE"
	// for a rule without subtypes), e.g. "FIELD_MISMATCH/NAME".
	Rates map[string]float64 `json:"rates,omitempty"`
	// Noise scales the benign noise rates: 1 is the default, 0 none.
	Noise float64 `json:"noise"`
	// BenignOnly injects no defect: only benign noise, an empty truth.
	BenignOnly bool `json:"benign_only"`
	// Fixed is the share of defects "fixed in the field": chosen and
	// drawn as usual but not applied, and absent from truth. Everything
	// else is identical to the run with Fixed 0.
	Fixed float64 `json:"fixed"`

	Format string `json:"format"` // FormatParquet (default), FormatCSV or FormatBoth

	// Twice lists the files given twice: their rows written twice over,
	// as an export run twice into one file ("population", "tax",
	// "insurance", "civil"). The truth does not change: a repeated row is
	// no defect, and repeating a file must add no finding.
	Twice []string `json:"twice,omitempty"`

	// ShardSize is the largest number of people built as one model (0:
	// DefaultShardSize). A larger register is generated shard by shard,
	// each shard a model of its own with its own seed, written before the
	// next is finished, so memory stays bounded. A run of at most
	// ShardSize people is one shard. Changing it changes the files.
	ShardSize int `json:"shard_size,omitempty"`

	// Progress, when set, receives one line per phase.
	Progress func(string) `json:"-"`
}

// DefaultOptions returns the options of "doisanh generate" without flags.
func DefaultOptions() Options {
	return Options{
		People:   10000,
		Province: "40",
		Seed:     1,
		Rate:     DefaultRate,
		Noise:    1,
		Format:   FormatParquet,
	}
}

// Report describes what Generate wrote; it is also saved as generate.json.
type Report struct {
	Options Options        `json:"options"`
	Files   []FileCount    `json:"files"`
	Truth   []SubtypeCount `json:"truth"`
	// Fixed is the number of defects planned but left unapplied (Options.Fixed).
	Fixed int `json:"fixed"`
	// NotFindings is the number of truth rows that are expected
	// non-findings (record.ExpectNone): consequences of a defect.
	NotFindings int `json:"not_findings"`
	// Provinces are the people per province of a national run
	// (Options.Province "all"), in code order; none for one province.
	Provinces []ProvinceCount `json:"provinces,omitempty"`
}

// FileCount is the number of rows written to one file.
type FileCount struct {
	File string `json:"file"`
	Rows int    `json:"rows"`
}

// SubtypeCount is the number of truth rows of one rule and subtype.
type SubtypeCount struct {
	Rule    string `json:"rule"`
	Subtype string `json:"subtype"`
	Count   int    `json:"count"`
}

// RateKey returns the key of Options.Rates for a rule and subtype.
func RateKey(rule, subtype string) string {
	if subtype == "" {
		return rule
	}
	return rule + "/" + subtype
}

// ParseRates reads per-subtype rates written as
// "FIELD_MISMATCH/NAME=0.01,DUP_ID/POPULATION=0.001".
func ParseRates(s string) (map[string]float64, error) {
	out := make(map[string]float64)
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		k, v, ok := strings.Cut(item, "=")
		if !ok {
			return nil, fmt.Errorf("rate %q: want RULE/SUBTYPE=FRACTION", item)
		}
		var f float64
		if _, err := fmt.Sscan(strings.TrimSpace(v), &f); err != nil || f < 0 || f > 1 {
			return nil, fmt.Errorf("rate %q: want a fraction between 0 and 1", item)
		}
		out[strings.ToUpper(strings.TrimSpace(k))] = f
	}
	return out, nil
}

// Validate reports the first option out of range.
func (o Options) Validate() error {
	switch {
	case o.People < 1:
		return fmt.Errorf("people %d: want at least 1", o.People)
	case IsNational(o.Province) && o.People > MaxNationalPeople:
		return fmt.Errorf("people %d: a national register holds at most %d: its tax codes have 8 random digits", o.People, MaxNationalPeople)
	case !IsNational(o.Province) && o.People > MaxPeople:
		return fmt.Errorf("people %d: one province holds at most %d (its 12-digit IDs have 6 random digits per birth year and gender); --province all spreads a register over every province", o.People, MaxPeople)
	case o.ShardSize != 0 && (o.ShardSize < 1000 || o.ShardSize > MaxShardSize):
		return fmt.Errorf("shard size %d: want 0 (default %d) or 1000 to %d", o.ShardSize, DefaultShardSize, MaxShardSize)
	case o.Rate < 0 || o.Rate > 1:
		return fmt.Errorf("defect rate %g: want a fraction between 0 and 1", o.Rate)
	case o.Fixed < 0 || o.Fixed > 1:
		return fmt.Errorf("fixed %g: want a fraction between 0 and 1", o.Fixed)
	case o.Noise < 0 || o.Noise > 10:
		return fmt.Errorf("noise %g: want a scale between 0 and 10", o.Noise)
	}
	for _, f := range o.Twice {
		switch f {
		case "population", "tax", "insurance", "civil":
		default:
			return fmt.Errorf("twice %q: want population, tax, insurance or civil", f)
		}
	}
	switch o.Format {
	case "", FormatParquet, FormatCSV, FormatBoth:
	default:
		return fmt.Errorf("format %q: want parquet, csv or both", o.Format)
	}
	for k, v := range o.Rates {
		rule, sub, _ := strings.Cut(k, "/")
		if _, ok := rules.SubtypeInfo(rule, sub); !ok {
			return fmt.Errorf("rate %s: no such rule/subtype in the catalogue", k)
		}
		if v < 0 || v > 1 {
			return fmt.Errorf("rate %s=%g: want a fraction between 0 and 1", k, v)
		}
	}
	return nil
}

// rate returns the injection rate of one subtype.
func (o Options) rate(rule, subtype string) float64 {
	if o.BenignOnly {
		return 0
	}
	if r, ok := o.Rates[RateKey(rule, subtype)]; ok {
		return r
	}
	return o.Rate
}

// Generate builds a synthetic province and writes population, tax,
// insurance, civil and truth files and generate.json into dir, which it
// creates if needed.
func Generate(ctx context.Context, dir string, opts Options) (Report, error) {
	if opts.Province == "" {
		opts.Province = "40"
	}
	if opts.Format == "" {
		opts.Format = FormatParquet
	}
	if err := opts.Validate(); err != nil {
		return Report{}, err
	}
	if IsNational(opts.Province) {
		opts.Province = National
		geos, err := loadNational()
		if err != nil {
			return Report{}, err
		}
		plan, counts, err := nationalShards(opts, geos)
		if err != nil {
			return Report{}, err
		}
		return generatePlan(ctx, dir, opts, plan, counts)
	}
	geo, err := loadGeography(opts.Province)
	if err != nil {
		return Report{}, err
	}
	return generate(ctx, dir, opts, geo)
}

// built is a shard's model with its defects applied.
type built struct {
	sh             shard
	m              *model
	truth          []truthRow
	fixed          int
	model, defects time.Duration
}

func buildShard(opts Options, sh shard) *built {
	b := &built{sh: sh}
	t := time.Now()
	b.m = newShardModel(opts, sh.geo, sh)
	b.m.build()
	b.model = time.Since(t)
	t = time.Now()
	b.truth, b.fixed = b.m.injectDefects()
	b.defects = time.Since(t)
	return b
}

// generate builds and writes a run of one province.
func generate(ctx context.Context, dir string, opts Options, geo *geography) (Report, error) {
	plan := shards(opts)
	for k := range plan {
		plan[k].geo = geo
	}
	return generatePlan(ctx, dir, opts, plan, nil)
}

// generatePlan builds and writes the run shard by shard: one goroutine
// builds shard k+1 while shard k is written, so at most two shards' models
// are in memory at once. provinces, for a national run, go to the report.
func generatePlan(ctx context.Context, dir string, opts Options, plan []shard, provinces []ProvinceCount) (Report, error) {
	progress := func(format string, args ...any) {
		if opts.Progress != nil {
			opts.Progress(fmt.Sprintf(format, args...))
		}
	}
	start := time.Now()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Report{}, fmt.Errorf("generate: %w", err)
	}
	// The mark goes first, so that an interrupted Generate's directory is
	// still known as its own (CheckDir).
	if err := os.WriteFile(filepath.Join(dir, markName), []byte(markText), 0o644); err != nil {
		return Report{}, fmt.Errorf("generate: %w", err)
	}
	out, err := openSinks(dir, opts.Format)
	if err != nil {
		return Report{}, fmt.Errorf("generate: %w", err)
	}
	defer out.close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if len(plan) > 1 {
		t := time.Now()
		// The census of a national run builds a hundred models before the
		// first row is written: say how far it is, every tenth of the way.
		step := max(1, len(plan)/10)
		names, err := census(ctx, opts, nil, plan, runtime.GOMAXPROCS(0), func(n int) {
			if n%step == 0 && n < len(plan) {
				progress("census: %d/%d shards (%s)", n, len(plan), since(t))
			}
		})
		if err != nil {
			return Report{}, err
		}
		for k := range plan {
			plan[k].names = names
		}
		progress("census: names and birth dates of %d people in %d shards (%s)", len(names), len(plan), since(t))
	}
	ready := make(chan *built)
	go func() {
		defer close(ready)
		for _, sh := range plan {
			if ctx.Err() != nil {
				return
			}
			select {
			case ready <- buildShard(opts, sh):
			case <-ctx.Done():
				return
			}
		}
	}()

	rep := Report{Options: opts, Provinces: provinces}
	var writing time.Time
	for b := range ready {
		m := b.m
		if len(plan) == 1 {
			progress("model: %d people, %d households, %d tax, %d insurance, %d civil events (%s)",
				len(m.people), m.households, len(m.tax), len(m.ins), len(m.events), b.model.Round(time.Millisecond))
			progress("defects: %d injected, %d fixed in the field (%s)", len(b.truth), b.fixed, b.defects.Round(time.Millisecond))
		}
		if err := ctx.Err(); err != nil {
			return Report{}, err
		}
		t := time.Now()
		if writing.IsZero() {
			writing = t
		}
		if err := out.writeShard(ctx, m, b.truth); err != nil {
			return Report{}, err
		}
		if len(plan) > 1 {
			where := ""
			if b.sh.national {
				where = fmt.Sprintf("province %s, ", b.sh.geo.provinceCode)
			}
			progress("shard %d/%d: %s%d people, %d households, %d defects (model %s, defects %s, write %s; %s in all)",
				b.sh.k+1, len(plan), where, b.sh.people, m.households, len(b.truth),
				b.model.Round(time.Millisecond), b.defects.Round(time.Millisecond), since(t), since(start))
		}
		rep.Truth = addCounts(rep.Truth, countTruth(b.truth))
		rep.Fixed += b.fixed
		for _, t := range b.truth {
			if t.Expect == record.ExpectNone {
				rep.NotFindings++
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return Report{}, err
	}
	rep.Files, err = out.finish()
	if err != nil {
		return Report{}, err
	}
	var parts []string
	for _, f := range rep.Files {
		parts = append(parts, fmt.Sprintf("%s %d", f.File, f.Rows))
	}
	progress("write: %s (%s)", strings.Join(parts, ", "), since(writing))

	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return Report{}, err
	}
	if err := os.WriteFile(filepath.Join(dir, "generate.json"), append(b, '\n'), 0o644); err != nil {
		return Report{}, fmt.Errorf("generate: %w", err)
	}
	progress("done in %s: %s", since(start), dir)
	return rep, nil
}

// addCounts adds the counts of b to those of a (the same subtypes in the
// same order; a may be empty).
func addCounts(a, b []SubtypeCount) []SubtypeCount {
	if a == nil {
		return b
	}
	for i := range a {
		a[i].Count += b[i].Count
	}
	return a
}

func since(t time.Time) time.Duration { return time.Since(t).Round(time.Millisecond) }

// countTruth counts the defects of truth (the rows that are no expected
// non-finding) per rule and subtype, in catalogue order, listing every
// subtype of the catalogue (with 0 when none).
func countTruth(truth []truthRow) []SubtypeCount {
	var out []SubtypeCount
	for _, r := range rules.Catalog {
		for _, s := range r.Subtypes {
			n := 0
			for _, t := range truth {
				if t.Rule == r.Code && t.Subtype == s.Code && t.Expect == "" {
					n++
				}
			}
			out = append(out, SubtypeCount{r.Code, s.Code, n})
		}
	}
	return out
}

var errNoCommunes = errors.New("no communes")
