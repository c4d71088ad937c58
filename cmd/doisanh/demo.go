package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/doisanh/doisanh/output"
	"github.com/doisanh/doisanh/score"
	"github.com/doisanh/doisanh/synth"
)

func newDemoCmd() *cobra.Command {
	var (
		people int
		seed   uint64
		dir    string
		quiet  bool
		xlsx   bool
	)
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Generate a small synthetic province and reconcile it",
		Long: `demo generates a synthetic province (Nghệ An, 50,000 people by default, with
injected defects of every rule), reconciles it, prints the findings per rule and
scores them against the generator's ground truth.

Everything stays on this machine. Without --dir the files go to a new
temporary directory, whose path is printed at the end.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if people < 100 {
				return usagef("--people must be at least 100")
			}
			if dir == "" {
				d, err := os.MkdirTemp("", "doisanh-demo-")
				if err != nil {
					return err
				}
				dir = d
			}
			var progress io.Writer
			if !quiet {
				progress = cmd.ErrOrStderr()
			}
			data := filepath.Join(dir, "data")
			out := filepath.Join(dir, "out")
			ui := newProgressUI(progress, langOf(cmd))
			ui.say("generating a synthetic province of %s people into %s", count(ui.lang, people), data)
			opts := synth.DefaultOptions()
			opts.People, opts.Seed = people, seed
			if progress != nil {
				opts.Progress = ui.output
			}
			if err := synth.CheckDir(data); err != nil {
				return err
			}
			if _, err := synth.Generate(cmd.Context(), data, opts); err != nil {
				return err
			}
			ro := reconcileOptions{out: out, xlsx: xlsx, lang: langOf(cmd)}
			ro.cfg.Population = filepath.Join(data, "population.parquet")
			ro.cfg.Tax = filepath.Join(data, "tax.parquet")
			ro.cfg.Insurance = filepath.Join(data, "insurance.parquet")
			ro.cfg.Civil = filepath.Join(data, "civil.parquet")
			ro.cfg.Workers = runtime.GOMAXPROCS(0)
			res, err := reconcile(cmd.Context(), ro, progress)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			printSummary(w, out, res, ui.lang)

			findings, err := output.ReadFindings(out)
			if err != nil {
				return err
			}
			truth, err := score.ReadTruth(data)
			if err != nil {
				return err
			}
			accuracy, next := "\nĐộ chính xác so với lỗi đã cài sẵn (precision / recall against the injected defects):\n\n",
				"\nDữ liệu mẫu: %s\nTiếp theo: mở %s trong trình duyệt.\n"
			if ui.lang == langEN {
				accuracy, next = "\nPrecision and recall against the injected defects:\n\n",
					"\nDemo data: %s\nNext: open %s in a browser.\n"
			}
			fmt.Fprint(w, accuracy)
			if err := score.Compare(findings, truth).WriteTable(w); err != nil {
				return err
			}
			fmt.Fprintf(w, next, data, filepath.Join(out, "report.html"))
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&people, "people", 50_000, "people in the synthetic province")
	f.Uint64Var(&seed, "seed", 1, "random seed (same seed, same data)")
	f.StringVar(&dir, "dir", "", "directory for the data and the results (default: a new temporary directory)")
	f.BoolVar(&xlsx, "xlsx", true, "write the fix lists also as .xlsx (--xlsx=false: CSV only)")
	f.BoolVarP(&quiet, "quiet", "q", false, "no progress on stderr")
	return cmd
}
