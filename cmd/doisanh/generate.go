package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/doisanh/doisanh/synth"
)

func newGenerateCmd() *cobra.Command {
	opts := synth.DefaultOptions()
	var out, rates, cpuProfile string
	var quiet bool
	cmd := &cobra.Command{
		Use:   "generate --people N --province 40|all --seed S --out DIR",
		Short: "Generate a synthetic province with injected defects and their ground truth",
		Long: `generate makes a realistic synthetic province (Nghệ An by default, with its
real 2025 communes): households, spouses, parents, old CMND numbers, tax,
insurance and civil-status records, benign noise that must not become a
finding, and defects of every rule at configurable rates. It writes
population, tax, insurance, civil and truth files (Parquet, CSV or both) and
generate.json into --out. The same options give byte-identical files.
--out may be new, hold none of those files, or be an earlier generate's
output: files of those names that generate did not write are never
overwritten (exit 1).

A register of more than --shard-size people (default 1,000,000) is made
shard by shard, each a model of its own written before the next is done,
so memory stays bounded (about 2.5 GB with the default, plus 16 bytes a
person for the census of names: 4.7 GB measured at 100,000,000):
--people 14000000 --province 79 (Hồ Chí Minh City) makes 14 shards. One
province holds at most 50,000,000 people (its IDs' 6 random digits per
birth year and gender).

--province all makes a national register: the people spread over the 34
provinces of 2025 and their communes (in proportion to the communes'
weights), each person's ID of their province as in a one-province run,
every number unique across provinces, still shard by shard in bounded
memory: --people 100000000 --province all (at most 100,000,000, the tax
codes' 8 random digits). generate.json lists the people per province.

--fixed 0.3 leaves out a deterministic 30% of the defects ("fixed in the
field") and keeps everything else identical, to test "doisanh diff".`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return usagef("generate needs --out DIR")
			}
			if rates != "" {
				r, err := synth.ParseRates(rates)
				if err != nil {
					return usagef("--rates: %v", err)
				}
				opts.Rates = r
			}
			if err := opts.Validate(); err != nil {
				return usagef("generate: %v", err)
			}
			if !quiet {
				w := cmd.ErrOrStderr()
				opts.Progress = func(msg string) { fmt.Fprintln(w, "doisanh: generate: "+msg) }
			}
			if err := synth.CheckDir(out); err != nil {
				return err
			}
			stop, err := startCPUProfile(cpuProfile)
			if err != nil {
				return err
			}
			defer stop()
			_, err = synth.Generate(cmd.Context(), out, opts)
			return err
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.People, "people", opts.People, "people on the register")
	f.StringVar(&opts.Province, "province", opts.Province, "2025 province code or name, or all: a national register over every province")
	f.Uint64Var(&opts.Seed, "seed", opts.Seed, "random seed: the same seed gives the same files")
	f.StringVar(&out, "out", "", "output directory: new, without population/tax/insurance/civil/truth files, or an earlier generate's")
	f.Float64Var(&opts.Rate, "defect-rate", opts.Rate, "share of eligible people or records given each defect subtype")
	f.StringVar(&rates, "rates", "", `per-subtype rates, e.g. "FIELD_MISMATCH/NAME=0.01,DUP_ID/POPULATION=0.001"`)
	f.Float64Var(&opts.Noise, "noise", opts.Noise, "benign noise scale (0 none, 1 default)")
	f.BoolVar(&opts.BenignOnly, "benign-only", false, "inject no defect, only benign noise (empty truth)")
	f.Float64Var(&opts.Fixed, "fixed", 0, "share of defects fixed in the field: left out, all else identical")
	f.StringVar(&opts.Format, "format", opts.Format, "parquet, csv or both")
	f.StringSliceVar(&opts.Twice, "twice", nil, "files given twice, their rows written twice over: population, tax, insurance, civil")
	f.IntVar(&opts.ShardSize, "shard-size", 0, "people per shard, the most built in memory at once (0: 1,000,000); another size gives other files")
	f.BoolVar(&quiet, "quiet", false, "no progress on stderr")
	f.StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the run to this file")
	f.MarkHidden("cpuprofile")
	return cmd
}
