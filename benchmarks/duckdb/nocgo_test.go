//go:build !cgo

package main

import (
	"context"
	"testing"
)

func TestNeedsCgo(t *testing.T) {
	if _, err := Run(context.Background(), Options{Data: t.TempDir(), Out: t.TempDir()}); err == nil {
		t.Fatal("Run without cgo succeeded")
	}
	t.Skip("DuckDB needs cgo: build with CGO_ENABLED=1 and a C compiler to run the SQL tests")
}
