package main

import (
	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "doisanh",
		Short: "Reconcile the residence register with tax, insurance and civil-status extracts",
		Long: `doisanh (đối sánh) reconciles the residence register (CSDLQG về dân cư) against
tax (thuế), social-insurance (BHXH/BHYT) and civil-status (hộ tịch) extracts, and
writes per-commune fix lists (danh sách cần xác minh, làm sạch) for the
commune police, with a summary and a report.

Start with "doisanh demo": it generates a small synthetic province and
reconciles it.`,
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(
		newDemoCmd(),
		newGenerateCmd(),
		newReconcileCmd(),
		newScoreCmd(),
		newNormalizeCmd(),
		newDiffCmd(),
		newVerifyCmd(),
		newBenchCmd(),
	)
	return root
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
