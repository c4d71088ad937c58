package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newDiffCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "diff",
		Short: "(diff: under construction)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("diff: not built yet")
		},
	}
}
