package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/doisanh/doisanh/output"
	"github.com/doisanh/doisanh/record"
	"github.com/doisanh/doisanh/score"
)

func newScoreCmd() *cobra.Command {
	var findingsPath, truthPath string
	var misses bool
	cmd := &cobra.Command{
		Use:   "score --findings OUT --truth DATA",
		Short: "Precision, recall and F1 per rule and subtype against a generated province's truth",
		Long: `score compares the findings of a reconciliation with the defects the generator
injected (truth.parquet or truth.csv) and prints precision, recall and F1 per rule
and subtype. --findings may name the output directory of "doisanh reconcile" (or
its findings.parquet or findings.csv); --truth the directory of "doisanh generate"
(or its truth.parquet or truth.csv).

A file that is not a truth file (a population extract given as --truth) is
refused, naming the columns it lacks; so is the truth of another province than
the findings' (from generate.json beside the truth). When no finding matches any
injected defect, score warns on stderr.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if findingsPath == "" || truthPath == "" {
				return usagef("score needs --findings and --truth")
			}
			en := langOf(cmd) == langEN
			// The truth first, then the findings one at a time: a national
			// run's findings are not held.
			truth, err := score.ReadTruth(truthPath)
			var notTruth *score.NotTruthError
			if errors.As(err, &notTruth) && !en {
				return fmt.Errorf("%s không phải tệp truth (truth.parquet hoặc truth.csv của doisanh generate): thiếu các cột %s",
					notTruth.Path, strings.Join(notTruth.Missing, ", "))
			}
			if err != nil {
				return err
			}
			sc := score.NewScorer(truth)
			if err := output.EachFinding(findingsPath, func(f *record.Finding) error {
				sc.Add(f)
				return nil
			}); err != nil {
				return err
			}
			if err := sameProvince(sc.Province(), truthPath, en); err != nil {
				return err
			}
			res := sc.Result()
			if sc.Findings() > 0 && len(truth) > 0 && res.Total.Correct == 0 {
				msg := "cảnh báo: không phát hiện nào khớp với lỗi cài sẵn nào (%s phát hiện, %s lỗi cài sẵn): " +
					"truth và kết quả có cùng một tỉnh, một lần generate không?"
				if en {
					msg = "warning: no finding matches any injected defect (%s findings, %s defects): " +
						"are the truth and the findings of the same generated province?"
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "doisanh: "+msg+"\n", count(langOf(cmd), sc.Findings()), count(langOf(cmd), len(truth)))
			}
			if asJSON, _ := cmd.Flags().GetBool("json"); asJSON {
				return writeScoreJSON(cmd, res)
			}
			if err := res.WriteTable(cmd.OutOrStdout()); err != nil {
				return err
			}
			if misses {
				res.WriteMisses(cmd.OutOrStdout())
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&findingsPath, "findings", "", "findings.parquet or findings.csv, or the output directory holding them")
	cmd.Flags().StringVar(&truthPath, "truth", "", "truth.parquet or truth.csv, or the generated directory holding them")
	cmd.Flags().BoolVar(&misses, "misses", false, "also list examples of false positives and missed defects")
	cmd.Flags().Bool("json", false, "print JSON")
	return cmd
}

// sameProvince refuses a truth file of another province than the
// findings: the province the generator was asked for (generate.json
// beside the truth) against the one the findings carry. A truth file
// without generate.json is not checked.
func sameProvince(fp, truthPath string, en bool) error {
	tp, ok, err := score.TruthProvince(truthPath)
	if err != nil || !ok {
		return err
	}
	if fp == "" || fp == tp {
		return nil
	}
	if en {
		return fmt.Errorf("the truth %s is of %s (%s, generate.json) but the findings are of %s (%s): score a run against the truth of its own province",
			truthPath, score.ProvinceName(tp), tp, score.ProvinceName(fp), fp)
	}
	return fmt.Errorf("truth %s thuộc %s (%s, theo generate.json) nhưng kết quả đối sánh thuộc %s (%s): hãy chấm kết quả với truth của chính tỉnh đó",
		truthPath, score.ProvinceName(tp), tp, score.ProvinceName(fp), fp)
}

func writeScoreJSON(cmd *cobra.Command, res score.Result) error {
	return writeJSON(cmd.OutOrStdout(), res.JSONRows())
}
