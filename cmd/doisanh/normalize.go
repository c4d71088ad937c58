package main

import (
	"github.com/spf13/cobra"
)

func newNormalizeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "normalize name|date|id|gender|address VALUE...",
		Short: "Show how doisanh reads a name, date, ID number, gender or address",
	}
	cmd.PersistentFlags().Bool("json", false, "print JSON instead of text")
	cmd.AddCommand(newNormalizeAddressCmd())
	return cmd
}
