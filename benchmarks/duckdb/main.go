// Command duckdb is doisanh's peer benchmark: the exact-ID part of the
// reconciliation (DUP_ID, NOT_IN_POPULATION, FIELD_MISMATCH, DECEASED_ACTIVE)
// written by hand in SQL and run by DuckDB on the Parquet files of
// "doisanh generate". It writes OUT/findings.parquet with the columns of
// record.Finding, so "doisanh score" can grade it, and OUT/timings.json.
//
// Usage:
//
//	go run . --data DIR --out DIR [--threads N]
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
)

// Options configures a run.
type Options struct {
	Data     string // directory holding population.parquet, tax.parquet, insurance.parquet, civil.parquet
	Out      string // directory for findings.parquet and timings.json
	Threads  int    // DuckDB worker threads; 0 keeps DuckDB's default (all cores)
	Progress func(StepTiming)
}

// StepTiming is the wall time of one SQL statement.
type StepTiming struct {
	Name    string  `json:"name"`
	Seconds float64 `json:"seconds"`
	Rows    int64   `json:"rows"` // rows created, inserted or written; -1 when unknown
}

// Timings is what timings.json holds.
type Timings struct {
	DuckDBVersion string       `json:"duckdb_version"`
	Threads       int          `json:"threads"`
	Steps         []StepTiming `json:"steps"`
	TotalSeconds  float64      `json:"total_seconds"` // including opening the database
	Findings      int64        `json:"findings"`
}

// step is one named SQL statement; when table is set, the statement
// creates it and the step reports its row count.
type step struct {
	name, sql string
	table     string
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("duckdb", flag.ContinueOnError)
	fl.SetOutput(stderr)
	var opts Options
	fl.StringVar(&opts.Data, "data", "", "directory with the generated Parquet files")
	fl.StringVar(&opts.Out, "out", "", "output directory")
	fl.IntVar(&opts.Threads, "threads", 0, "DuckDB threads (0: all cores)")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if opts.Data == "" || opts.Out == "" || fl.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: duckdb --data DIR --out DIR [--threads N]")
		return 2
	}
	opts.Progress = func(s StepTiming) {
		fmt.Fprintf(stdout, "%-26s %9.3f s %10d rows\n", s.Name, s.Seconds, s.Rows)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	t, err := Run(ctx, opts)
	if err != nil {
		fmt.Fprintln(stderr, "duckdb:", err)
		return 1
	}
	fmt.Fprintf(stdout, "%-26s %9.3f s %10d findings (DuckDB %s, %d threads)\n",
		"total", t.TotalSeconds, t.Findings, t.DuckDBVersion, t.Threads)
	if err := writeJSON(filepath.Join(opts.Out, "timings.json"), t); err != nil {
		fmt.Fprintln(stderr, "duckdb:", err)
		return 1
	}
	return 0
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
