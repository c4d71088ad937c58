//go:build cgo

package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" driver
)

// Run executes the reconciliation in an in-memory DuckDB database and writes
// opts.Out/findings.parquet. It reports each statement's wall time to
// opts.Progress as it finishes.
func Run(ctx context.Context, opts Options) (*Timings, error) {
	start := time.Now()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, fmt.Errorf("open duckdb: %w", err)
	}
	defer db.Close()
	// One connection: temp macros and settings are per connection.
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("open duckdb: %w", err)
	}
	defer conn.Close()

	t := &Timings{Threads: opts.Threads}
	if err := conn.QueryRowContext(ctx, "SELECT version()").Scan(&t.DuckDBVersion); err != nil {
		return nil, fmt.Errorf("duckdb version: %w", err)
	}
	setup := []string{}
	if opts.Threads > 0 {
		setup = append(setup, fmt.Sprintf("SET threads = %d", opts.Threads))
	}
	setup = append(setup, macros...)
	for _, q := range setup {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return nil, fmt.Errorf("setup: %w\n%s", err, q)
		}
	}
	if err := conn.QueryRowContext(ctx, "SELECT current_setting('threads')").Scan(&t.Threads); err != nil {
		return nil, fmt.Errorf("duckdb threads: %w", err)
	}

	var steps []step
	for _, s := range sources {
		path := filepath.Join(opts.Data, s.name+".parquet")
		has, err := columnsOf(ctx, conn, path)
		switch {
		case errors.Is(err, fs.ErrNotExist) && !s.required:
			path = ""
		case err != nil:
			return nil, err
		}
		for _, c := range s.mustHave {
			if path != "" && !has[c] {
				return nil, fmt.Errorf("%s: missing column %q", path, c)
			}
		}
		steps = append(steps, step{name: "load_" + s.name, sql: loadSQL(s, rawSelect(s, path, has)), table: stagingTable(s)})
	}
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return nil, err
	}
	out := filepath.Join(opts.Out, "findings.parquet")
	tmp := out + ".tmp"
	steps = append(steps, step{name: "catalog", sql: catalogSQL(), table: "catalog"}, step{name: "hits_table", sql: hitsTable})
	steps = append(steps, ruleSteps...)
	steps = append(steps, step{name: "write_findings", sql: copySQL(tmp)})

	for _, s := range steps {
		began := time.Now()
		res, err := conn.ExecContext(ctx, s.sql)
		if err != nil {
			os.Remove(tmp)
			return nil, fmt.Errorf("query %s: %w", s.name, err)
		}
		rows, err := res.RowsAffected()
		if err != nil {
			rows = -1
		}
		if s.table != "" {
			err := conn.QueryRowContext(ctx, "SELECT count(*) FROM "+s.table).Scan(&rows)
			if err != nil {
				return nil, fmt.Errorf("query %s: count %s: %w", s.name, s.table, err)
			}
		}
		st := StepTiming{Name: s.name, Seconds: time.Since(began).Seconds(), Rows: rows}
		t.Steps = append(t.Steps, st)
		if opts.Progress != nil {
			opts.Progress(st)
		}
		if s.name == "write_findings" {
			t.Findings = rows
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		return nil, err
	}
	t.TotalSeconds = time.Since(start).Seconds()
	return t, nil
}

// columnsOf returns the column names of a Parquet file.
func columnsOf(ctx context.Context, conn *sql.Conn, path string) (map[string]bool, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	rows, err := conn.QueryContext(ctx, "SELECT name FROM parquet_schema("+quote(path)+")")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer rows.Close()
	has := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		has[name] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return has, nil
}
