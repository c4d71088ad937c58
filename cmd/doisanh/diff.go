package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/doisanh/doisanh/output"
)

func newDiffCmd() *cobra.Command {
	var csvPath string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "diff OLD_OUT NEW_OUT [--csv FILE] [--json]",
		Short: "Campaign progress: fixed, new and still-open findings per commune",
		Long: `diff compares the findings of two runs (their findings.parquet) by finding_id:
a finding of OLD_OUT missing from NEW_OUT was fixed (đã xử lý), one in both is
still open (còn tồn), one only in NEW_OUT is new (phát sinh mới). It prints,
per commune, "Xã ...: đã rà soát, xử lý X/Y trường hợp, đạt Z%" and a table per
rule, then the totals. OLD_OUT and NEW_OUT may be run directories or
findings.parquet files. --csv also writes the table as CSV (UTF-8 with BOM).`,
		Args: exactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			old, err := output.ReadFindings(args[0])
			if err != nil {
				return err
			}
			cur, err := output.ReadFindings(args[1])
			if err != nil {
				return err
			}
			var dismissed []string
			if s, err := output.ReadSummary(args[1]); err == nil && s.Verification != nil {
				dismissed = s.Verification.Dismissed
			}
			res := output.Diff(old, cur, dismissed)
			if csvPath != "" {
				if err := writeDiffCSV(csvPath, res); err != nil {
					return err
				}
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(res)
			}
			return res.WriteTable(cmd.OutOrStdout())
		},
	}
	cmd.Flags().StringVar(&csvPath, "csv", "", "also write the table to this CSV file")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of the table")
	return cmd
}

func writeDiffCSV(path string, res *output.DiffResult) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	err = res.WriteCSV(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
