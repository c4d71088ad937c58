//go:build !cgo

package main

import (
	"context"
	"errors"
)

// Run needs DuckDB, which is a C++ library: build with CGO_ENABLED=1 and a C compiler.
func Run(ctx context.Context, opts Options) (*Timings, error) {
	return nil, errors.New("built without cgo: DuckDB needs CGO_ENABLED=1 and a C compiler")
}
