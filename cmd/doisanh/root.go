package main

import (
	"os"

	"github.com/spf13/cobra"
)

// devVersion is the version of a build without -ldflags.
const devVersion = "0.1.0-dev"

// version is set at build time with -ldflags "-X main.version=...".
var version = devVersion

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "doisanh",
		Short: "Reconcile the residence register with tax, insurance and civil-status extracts",
		Long: `doisanh (đối sánh) reconciles the residence register (CSDLQG về dân cư) against
tax (thuế), social-insurance (BHXH/BHYT) and civil-status (hộ tịch) extracts, and
writes per-commune fix lists (danh sách cần xác minh, làm sạch) for the
commune police, with a summary and a report.

Start with "doisanh demo": it generates a small synthetic province and
reconciles it.

Exit codes: 0 done, 1 failed, 2 wrong command line, 130 stopped by Ctrl-C.`,
		Example: `  doisanh demo
  doisanh columns population
  doisanh reconcile --population dan_cu.parquet --tax thue.parquet --insurance bhxh.parquet --out ket-qua-2026-11
  doisanh verify --ledger xacminh.jsonl tra-ve/2026-11/
  doisanh reconcile --population dan_cu.parquet --tax thue.parquet --verified xacminh.jsonl --out ket-qua-2026-12
  doisanh diff ket-qua-2026-11 ket-qua-2026-12 --html tien-do.html`,
		Version:                    readBuildInfo().Version,
		SilenceUsage:               true,
		SilenceErrors:              true,
		SuggestionsMinimumDistance: 2,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	defLang := langVI
	if l := os.Getenv("DOISANH_LANG"); l == langEN {
		defLang = langEN
	}
	root.PersistentFlags().String("lang", defLang, "language of messages on the terminal: vi or en (env DOISANH_LANG)")
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		if l := langOf(cmd); l != langVI && l != langEN {
			return usagef("--lang %q: want vi or en", l)
		}
		return nil
	}
	root.AddCommand(
		newDemoCmd(),
		newGenerateCmd(),
		newReconcileCmd(),
		newVerifyCmd(),
		newDiffCmd(),
		newColumnsCmd(),
		newScoreCmd(),
		newNormalizeCmd(),
		newBenchCmd(),
		newVersionCmd(),
	)
	return root
}

// langOf is the --lang of the command line.
func langOf(cmd *cobra.Command) string {
	if f := cmd.Flag("lang"); f != nil {
		return f.Value.String()
	}
	return langVI
}

// exactArgs is cobra.ExactArgs returning a usage error.
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := cobra.ExactArgs(n)(cmd, args); err != nil {
			return usageError{err}
		}
		return nil
	}
}
