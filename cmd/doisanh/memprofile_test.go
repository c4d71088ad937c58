package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestReconcileMemProfile(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	recGenerate(t, data, 0)
	prefix := filepath.Join(dir, "heap")
	code, _, stderr, err := recExec(context.Background(), recArgs(data, filepath.Join(dir, "out"), "--memprofile", prefix)...)
	if code != 0 || err != nil {
		t.Fatalf("reconcile --memprofile: exit %d, %v\n%s", code, err, stderr)
	}
	for _, name := range []string{"1-read-population", "2-index", "3-train", "4-link-sources", "5-rules",
		"6-addresses", "7-written"} {
		b, err := os.ReadFile(prefix + "." + name + ".pprof")
		if err != nil {
			t.Fatalf("profile %s: %v", name, err)
		}
		// A pprof profile is a gzipped protocol buffer.
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("profile %s is not gzip: %v", name, err)
		}
		if n, err := io.Copy(io.Discard, zr); err != nil || n == 0 {
			t.Errorf("profile %s: %d bytes, %v", name, n, err)
		}
	}
	matches, _ := filepath.Glob(prefix + ".*")
	if len(matches) != 7 {
		t.Errorf("profiles written: %v, want 7", matches)
	}
}

func TestReconcileMemProfileBadPath(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	recGenerate(t, data, 0)
	prefix := filepath.Join(dir, "no-such-dir", "heap")
	code, _, _, err := recExec(context.Background(), recArgs(data, filepath.Join(dir, "out"), "--memprofile", prefix)...)
	if code == 0 || err == nil {
		t.Fatalf("reconcile --memprofile into a missing directory: exit %d, %v; want an error", code, err)
	}
}
