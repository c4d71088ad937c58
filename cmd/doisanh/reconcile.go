package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newReconcileCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "reconcile",
		Short: "(reconcile: under construction)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("reconcile: not built yet")
		},
	}
}
