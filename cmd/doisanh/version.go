package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/spf13/cobra"
)

// buildInfo is what "doisanh version" prints: the version, and the commit
// and its date as the Go toolchain recorded them when built from a git
// checkout.
type buildInfo struct {
	Version  string `json:"version"`
	Commit   string `json:"commit,omitempty"`
	Date     string `json:"date,omitempty"` // commit time, RFC 3339
	Modified bool   `json:"modified,omitempty"`
	Go       string `json:"go"`
}

// commit and buildDate may be set with -ldflags "-X main.commit=... -X
// main.buildDate=..." where the toolchain cannot stamp the build (GOFLAGS
// -buildvcs=false, a source tarball).
var commit, buildDate string

func readBuildInfo() buildInfo {
	b := buildInfo{Version: version, Go: runtime.Version(), Commit: commit, Date: buildDate}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Commit = s.Value
		case "vcs.time":
			b.Date = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		}
	}
	if b.Version == devVersion && info.Main.Version != "" && info.Main.Version != "(devel)" {
		b.Version = info.Main.Version // go install github.com/doisanh/doisanh/cmd/doisanh@vX
	}
	return b
}

func (b buildInfo) write(w io.Writer) {
	fmt.Fprintf(w, "doisanh %s\n", b.Version)
	if b.Commit != "" {
		c := b.Commit
		if len(c) > 12 {
			c = c[:12]
		}
		if b.Modified {
			c += " (có sửa đổi chưa commit)"
		}
		fmt.Fprintf(w, "commit %s\n", c)
	}
	if t, err := time.Parse(time.RFC3339, b.Date); err == nil {
		fmt.Fprintf(w, "ngày   %s\n", t.UTC().Format("02/01/2006 15:04 UTC"))
	}
	fmt.Fprintf(w, "go     %s\n", b.Go)
}

func newVersionCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and build date",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			b := readBuildInfo()
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), b)
			}
			b.write(cmd.OutOrStdout())
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
