package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/parquet-go/parquet-go"
	"github.com/spf13/cobra"

	"github.com/doisanh/doisanh/record"
	"github.com/doisanh/doisanh/score"
)

func newScoreCmd() *cobra.Command {
	var findingsPath, truthPath string
	var misses bool
	cmd := &cobra.Command{
		Use:   "score --findings OUT/findings.parquet --truth DATA/truth.parquet",
		Short: "Precision, recall and F1 per rule and subtype against a generated province's truth",
		Long: `score compares the findings of a reconciliation with the defects the generator
injected (truth.parquet) and prints precision, recall and F1 per rule and subtype.
--findings may name the output directory of "doisanh reconcile"; --truth the
directory of "doisanh generate".`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if findingsPath == "" || truthPath == "" {
				return usagef("score needs --findings and --truth")
			}
			findings, err := readParquet[record.Finding](inDir(findingsPath, "findings.parquet"))
			if err != nil {
				return err
			}
			truth, err := readParquet[record.Truth](inDir(truthPath, "truth.parquet"))
			if err != nil {
				return err
			}
			res := score.Compare(findings, truth)
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
	cmd.Flags().StringVar(&findingsPath, "findings", "", "findings.parquet, or the output directory holding it")
	cmd.Flags().StringVar(&truthPath, "truth", "", "truth.parquet, or the generated directory holding it")
	cmd.Flags().BoolVar(&misses, "misses", false, "also list examples of false positives and missed defects")
	cmd.Flags().Bool("json", false, "print JSON")
	return cmd
}

// inDir returns path/name when path is a directory, else path.
func inDir(path, name string) string {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return filepath.Join(path, name)
	}
	return path
}

func readParquet[T any](path string) ([]T, error) {
	rows, err := parquet.ReadFile[T](path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rows, nil
}

func writeScoreJSON(cmd *cobra.Command, res score.Result) error {
	return writeJSON(cmd.OutOrStdout(), res.JSONRows())
}
