package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/doisanh/doisanh/output"
)

func newDiffCmd() *cobra.Command {
	var csvPath, htmlPath string
	var asJSON, force bool
	cmd := &cobra.Command{
		Use:   "diff OLD_OUT NEW_OUT [--csv FILE] [--json]",
		Short: "Campaign progress: fixed, new and still-open findings per commune",
		Long: `diff compares the findings of two runs (their findings.parquet) by finding_id:
a finding of OLD_OUT missing from NEW_OUT was fixed (đã xử lý), one in both is
still open (còn tồn), one only in NEW_OUT is new (phát sinh mới). It prints,
"đã rà soát, xử lý X/Y trường hợp, đạt Z%" for the province, one line per
commune ranked by that rate (the unknown commune apart) and one line per rule.
--csv writes the same figures as CSV, --json prints them, --html writes a
progress page for leaders. OLD_OUT and NEW_OUT may be run directories or
findings.parquet files.

diff refuses (exit 1) runs that cannot be compared, as read from their
summary.json: another province, another set of sources, or a source of which no
row was usable; their findings would look fixed or new when nothing changed.
--force compares them anyway, with the reasons printed first. Findings that
the new run left out because officers confirmed them not errors
(reconcile --verified) count as "không phải lỗi", not as fixed.`,
		Example: `  doisanh diff out-2026-11 out-2026-12
  doisanh diff out-2026-11 out-2026-12 --csv tien-do.csv`,
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
			var warnings []string
			header := ""
			so, errOld := output.ReadSummary(args[0])
			sc, errCur := output.ReadSummary(args[1])
			if errOld == nil && errCur == nil {
				if sc.Verification != nil {
					dismissed = sc.Verification.Dismissed
				}
				header = output.DiffHeader(so, sc)
				if why := output.Comparable(so, sc); len(why) > 0 {
					msg := "hai lần chạy không so sánh được:\n  " + strings.Join(why, "\n  ")
					if !force {
						return fmt.Errorf("%s\n(--force để vẫn so sánh)", msg)
					}
					warnings = why
				}
			} else if !force {
				return fmt.Errorf("cannot check that the runs are comparable (use --force to compare the findings anyway): %w", errors.Join(errOld, errCur))
			}
			res := output.Diff(old, cur, dismissed)
			res.Warnings = warnings
			if errOld == nil && errCur == nil {
				res.OldRun, res.NewRun, res.Province = output.RunLabel(so), output.RunLabel(sc), sc.ProvinceName
			}
			if htmlPath != "" {
				if err := writeFileWith(htmlPath, res.WriteHTML); err != nil {
					return err
				}
			}
			if csvPath != "" {
				if err := writeFileWith(csvPath, res.WriteCSV); err != nil {
					return err
				}
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(res)
			}
			fmt.Fprint(cmd.OutOrStdout(), header)
			return res.WriteTable(cmd.OutOrStdout())
		},
	}
	cmd.Flags().StringVar(&csvPath, "csv", "", "also write the figures to this CSV file")
	cmd.Flags().StringVar(&htmlPath, "html", "", "also write a progress page for leaders to this HTML file")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of the table")
	cmd.Flags().BoolVar(&force, "force", false, "compare runs that are not comparable (other province or sources), flagging them")
	return cmd
}

// writeFileWith creates path and fills it with write.
func writeFileWith(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
