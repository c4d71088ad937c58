package spill

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

var testSchema = arrow.NewSchema([]arrow.Field{
	{Name: "s", Type: arrow.BinaryTypes.String},
	{Name: "n", Type: arrow.PrimitiveTypes.Int32},
}, nil)

// writeRows writes rows s0, s1, ... with n = i to a new IPC file and
// closes it.
func writeRows(t *testing.T, path string, rows int, opts IPCOptions) *IPCWriter {
	t.Helper()
	w, err := CreateIPC(path, testSchema, opts)
	if err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		w.Builder().Field(0).(*array.StringBuilder).Append(fmt.Sprint("s", i))
		w.Builder().Field(1).(*array.Int32Builder).Append(int32(i))
		if err := w.EndRow(); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return w
}

// readRows reads back what writeRows wrote, checking each row, and
// returns the batches read.
func readRows(w *IPCWriter) (int, error) {
	batches, next := 0, 0
	err := w.ReadBack(func(rec arrow.RecordBatch) error {
		batches++
		s, n := rec.Column(0).(*array.String), rec.Column(1).(*array.Int32)
		for i := range int(rec.NumRows()) {
			if s.Value(i) != fmt.Sprint("s", next) || n.Value(i) != int32(next) {
				return fmt.Errorf("row %d is %q %d", next, s.Value(i), n.Value(i))
			}
			next++
		}
		return nil
	})
	return batches, err
}

func TestIPCRoundTrip(t *testing.T) {
	dir := t.TempDir()
	var shared bytes.Buffer
	for _, tt := range []struct {
		rows, flush, batches int
	}{
		{0, 0, 0}, {1, 0, 1}, {4096, 0, 1}, {4097, 0, 2}, {1000, 100, 10}, {1001, 100, 11},
	} {
		t.Run(fmt.Sprint(tt.rows, " rows by ", tt.flush), func(t *testing.T) {
			path := filepath.Join(dir, "x.arrow")
			w := writeRows(t, path, tt.rows, IPCOptions{FlushRows: tt.flush, Buffer: &shared})
			if w.Rows() != int64(tt.rows) || w.Path() != path {
				t.Errorf("Rows %d Path %s", w.Rows(), w.Path())
			}
			if shared.Len() != 0 {
				t.Errorf("%d bytes left in the shared buffer", shared.Len())
			}
			batches, err := readRows(w)
			if err != nil || batches != tt.batches {
				t.Errorf("read %d batches (%v), want %d", batches, err, tt.batches)
			}
			if err := w.Remove(); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(path); !os.IsNotExist(err) {
				t.Errorf("file still there after Remove: %v", err)
			}
			if _, err := readRows(w); err == nil || !strings.Contains(err.Error(), path) || strings.Count(err.Error(), path) != 1 {
				t.Errorf("reading the removed file: %v, want an error naming it once", err)
			}
		})
	}
}

// TestReadBackDamaged: a file cut anywhere, with any byte changed, or
// replaced by another stream of the same schema is an error naming it,
// never a panic or wrong rows.
func TestReadBackDamaged(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.arrow")
	w := writeRows(t, path, 40, IPCOptions{FlushRows: 16})
	whole, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string) {
		t.Helper()
		if _, err := readRows(w); err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: %v, want an error naming the file", what, err)
		}
	}
	// Every third cut and fifth byte: each part of every message (~1,300
	// bytes in all) is reached.
	for cut := 0; cut < len(whole); cut += 3 {
		os.WriteFile(path, whole[:cut], 0o600)
		check(fmt.Sprintf("cut at %d of %d", cut, len(whole)))
	}
	for i := 0; i < len(whole); i += 5 {
		b := bytes.Clone(whole)
		b[i] ^= 0x01
		os.WriteFile(path, b, 0o600)
		check(fmt.Sprintf("byte %d changed", i))
	}
	writeRows(t, path, 39, IPCOptions{FlushRows: 16})
	check("another stream")
	os.WriteFile(path, whole, 0o600)
	if _, err := readRows(w); err != nil {
		t.Errorf("the file restored: %v", err)
	}
	// fn's error is the reader's, naming the file.
	if err := w.ReadBack(func(arrow.RecordBatch) error { return errors.New("no") }); err == nil ||
		!strings.Contains(err.Error(), path+": no") {
		t.Errorf("fn's error: %v", err)
	}
}

func TestIPCWriteErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := CreateIPC(filepath.Join(dir, "no", "x.arrow"), testSchema, IPCOptions{}); err == nil ||
		!strings.Contains(err.Error(), filepath.Join(dir, "no", "x.arrow")) {
		t.Errorf("CreateIPC in a missing directory: %v", err)
	}
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full to fill")
	}
	path := filepath.Join(dir, "full.arrow")
	if err := os.Symlink("/dev/full", path); err != nil {
		t.Fatal(err)
	}
	w, err := CreateIPC(path, testSchema, IPCOptions{FlushRows: 10})
	if err != nil {
		t.Fatal(err)
	}
	var first error
	for i := range 100 {
		w.Builder().Field(0).(*array.StringBuilder).Append("x")
		w.Builder().Field(1).(*array.Int32Builder).Append(int32(i))
		if err := w.EndRow(); err != nil && first == nil {
			first = err
		}
	}
	if first == nil || !strings.Contains(first.Error(), path) {
		t.Fatalf("writing to a full disk: %v, want an error naming %s", first, path)
	}
	if err := w.Close(); err != first {
		t.Errorf("Close = %v, want the first error %v", err, first)
	}
}
