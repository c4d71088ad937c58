package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/doisanh/doisanh/verify"
)

func newVerifyCmd() *cobra.Command {
	var ledger string
	cmd := &cobra.Command{
		Use:   "verify --ledger LEDGER LIST|DIR...",
		Short: "Read fix lists returned from the field into the verification ledger",
		Long: `verify reads fix lists that officers returned with "Kết quả xác minh" filled in
(.xlsx or .csv, edited by hand: rows added, columns moved, outcomes typed with
or without accents or with typos) and appends one line per verified finding to
LEDGER, a JSON Lines file kept from month to month (the latest line of a finding
wins). A directory is searched for .xlsx and .csv lists; when both X.xlsx and
X.csv are there, X.xlsx is read.

Outcomes: "Đúng là lỗi – đã sửa", "Đúng là lỗi – chưa sửa", "Không phải lỗi",
"Không tìm thấy người". The next "reconcile --verified LEDGER" does not raise
again the findings confirmed "Không phải lỗi", marks those reported fixed that
are still found, and the report shows each rule's precision measured by the
officers. Rows that cannot be read are listed with file, sheet and row.`,
		Example: `  doisanh verify --ledger xacminh.jsonl tra-ve/2026-11/
  doisanh reconcile --population dan_cu.parquet --tax thue.parquet --verified xacminh.jsonl --out out-2026-12`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("verify needs at least one returned list or directory")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if ledger == "" {
				return usagef("verify needs --ledger FILE (created if missing)")
			}
			files, err := listFiles(args)
			if err != nil {
				return err
			}
			if len(files) == 0 {
				return fmt.Errorf("no .xlsx or .csv list in %s", strings.Join(args, ", "))
			}
			now := time.Now()
			var all []verify.Entry
			problems := 0
			for _, f := range files {
				res, err := verify.ReadList(f, now)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s: %s\n", f, res.Summary())
				for _, p := range res.Problems {
					fmt.Fprintln(cmd.ErrOrStderr(), "  "+p.String())
				}
				problems += len(res.Problems)
				all = append(all, res.Entries...)
			}
			if err := verify.AppendLedger(ledger, all); err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "Đã ghi %s kết quả xác minh vào %s\n", count(langVI, len(all)), ledger)
			if l, err := verify.ReadLedger(ledger); err == nil {
				fmt.Fprintf(w, "\nĐộ chính xác theo xác minh (toàn bộ sổ, %s trường hợp):\n", count(langVI, len(l)))
				fmt.Fprintf(w, "  %-34s %12s %15s %14s %13s\n", "Loại lỗi", "Đúng là lỗi", "Không phải lỗi", "Không tìm thấy", "Độ chính xác")
				for _, p := range l.Precision() {
					prec := "–"
					if x, ok := p.Precision(); ok {
						prec = strings.Replace(fmt.Sprintf("%.1f%%", x*100), ".", ",", 1)
					}
					fmt.Fprintf(w, "  %-34s %12s %15s %14s %13s\n", p.Label, count(langVI, p.Fixed+p.Open), count(langVI, p.NotError), count(langVI, p.NotFound), prec)
				}
			}
			if problems > 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "%d dòng không đọc được (xem trên); sửa và chạy lại cho các tệp đó\n", problems)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&ledger, "ledger", "", "verification ledger (JSON Lines), appended to")
	return cmd
}

// listFiles expands directories into the fix lists they hold.
func listFiles(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		fi, err := os.Stat(a)
		if err != nil {
			return nil, usagef("%v", err)
		}
		if !fi.IsDir() {
			out = append(out, a)
			continue
		}
		err = filepath.WalkDir(a, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return err
			}
			switch strings.ToLower(filepath.Ext(p)) {
			case ".xlsx":
				out = append(out, p)
			case ".csv":
				if _, err := os.Stat(strings.TrimSuffix(p, filepath.Ext(p)) + ".xlsx"); err != nil {
					out = append(out, p)
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	slices.Sort(out)
	return out, nil
}
