package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/doisanh/doisanh/ingest"
	"github.com/doisanh/doisanh/record"
)

func newColumnsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "columns [population|tax|insurance|civil]",
		Short: "List each source's columns and the Vietnamese headers recognised for them",
		Long: `columns lists, for each source (or the one named), its canonical columns,
whether a file must have them, and the common Vietnamese headers read as that
column without a mapping file ("Họ và tên", "Số định danh", "Ngày sinh",
"Mã số thuế", ...). Headers are compared without accents, case or spacing.
Headers not listed can be named with --mapping FILE (ingest/MAPPING.md).`,
		Example: `  doisanh columns
  doisanh columns tax`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var only string
			if len(args) == 1 {
				only = strings.ToLower(args[0])
				found := false
				for _, s := range record.Sources {
					found = found || s.String() == only
				}
				if !found {
					return usagef("unknown source %q: want population, tax, insurance or civil", args[0])
				}
			}
			w := cmd.OutOrStdout()
			for _, s := range []struct {
				src  record.Source
				name string
				cols []column
			}{
				{record.Population, "Dân cư (population)", schemaColumns(record.PersonSchema)},
				{record.Tax, "Thuế (tax)", schemaColumns(record.TaxSchema)},
				{record.Insurance, "BHXH/BHYT (insurance)", schemaColumns(record.InsuranceSchema)},
				{record.Civil, "Hộ tịch (civil)", schemaColumns(record.CivilSchema)},
			} {
				if only != "" && s.src.String() != only {
					continue
				}
				printColumns(w, s.name, s.cols, ingest.BuiltinHeaders(s.src))
			}
			return nil
		},
	}
}

type column struct {
	name     string
	required bool
}

func schemaColumns[T any](s record.Schema[T]) []column {
	out := make([]column, len(s.Columns))
	for i, c := range s.Columns {
		out[i] = column{c.Name, c.Required}
	}
	return out
}

func printColumns(w io.Writer, title string, cols []column, aliases []ingest.HeaderAlias) {
	fmt.Fprintf(w, "%s\n", title)
	for _, c := range cols {
		req := "  "
		if c.required {
			req = "* "
		}
		var heads []string
		for _, a := range aliases {
			if a.Column == c.name {
				heads = a.Headers
			}
		}
		fmt.Fprintf(w, "  %s%-20s %s\n", req, c.name, strings.Join(heads, "; "))
	}
	fmt.Fprintln(w, "  (* bắt buộc)")
	fmt.Fprintln(w)
}
