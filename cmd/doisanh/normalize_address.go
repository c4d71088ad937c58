package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newNormalizeAddressCmd() *cobra.Command {
	return &cobra.Command{
		Use:  "address VALUE...",
		RunE: func(cmd *cobra.Command, args []string) error { return errors.New("address: not built yet") },
	}
}
