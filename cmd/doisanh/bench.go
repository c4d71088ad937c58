package main

import (
	"os"
	"path/filepath"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/doisanh/doisanh/bench"
)

func newBenchCmd() *cobra.Command {
	var (
		o      bench.Options
		sizes  string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "bench [--sizes 100k,1m,4m] [--dir DIR] [--seed S] [--workers N] [--json]",
		Short: "Measure throughput, memory and accuracy at several province sizes",
		Long: `bench generates a synthetic province of each size (or reuses the one generated
before into --dir with the same size and seed), reconciles it in a child process
of this executable, scores the findings against the injected defects and prints
one column per size: input rows, seconds per stage, wall time, rows per second,
peak resident memory of the reconciliation, precision and recall.

Sizes are people counts: 250000, 100k, 1m, 2.5m. The generated data is kept
in --dir for the next run; the reconciliation output is removed unless --keep.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if o.Sizes, err = bench.ParseSizes(sizes); err != nil {
				return usagef("--sizes: %v", err)
			}
			if o.Workers < 1 {
				return usagef("--workers must be at least 1")
			}
			if o.Dir == "" {
				o.Dir = filepath.Join(os.TempDir(), "doisanh-bench")
			}
			rep, err := bench.Run(cmd.Context(), o, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), rep)
			}
			return bench.WriteTable(cmd.OutOrStdout(), rep)
		},
	}
	f := cmd.Flags()
	f.StringVar(&sizes, "sizes", "100k,1m,4m", "comma-separated people counts (250000, 100k, 1m)")
	f.StringVar(&o.Dir, "dir", "", "directory for the generated data (default: $TMPDIR/doisanh-bench)")
	f.Uint64Var(&o.Seed, "seed", 1, "random seed of the generated provinces")
	f.IntVar(&o.Workers, "workers", runtime.GOMAXPROCS(0), "worker goroutines of the reconciliation")
	f.BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	f.BoolVar(&o.Keep, "keep", false, "keep the reconciliation output beside the data")
	f.BoolVar(&o.Reuse, "reuse", true, "reuse data generated before with the same size and seed (--reuse=false regenerates)")
	return cmd
}
