package spill

import (
	"bytes"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"os"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// DefaultFlushRows is the rows of one record batch of an IPCWriter when
// its options give none.
const DefaultFlushRows = 4096

// IPCOptions are the options of CreateIPC.
type IPCOptions struct {
	// FlushRows is the rows buffered before they are written as one record
	// batch; 0 or less: DefaultFlushRows.
	FlushRows int
	// Buffer, when set, is where a batch is encoded before it is written
	// to the file in one call. Writers used from one goroutine may share
	// one, so that many writers hold one buffer. Nil: the writer's own.
	Buffer *bytes.Buffer
}

// IPCWriter writes rows of one schema to a file as an Arrow IPC stream:
// the rows are appended to the fields of Builder, EndRow counts each, and
// every FlushRows rows they are written as one record batch, so that
// memory holds at most FlushRows rows. Once closed, ReadBack reads the
// rows back, after checking that the file is what was written. Its errors
// name the file. An IPCWriter is not safe for concurrent use.
type IPCWriter struct {
	path      string
	schema    *arrow.Schema
	f         *os.File
	w         *ipc.Writer
	b         *array.RecordBuilder
	buf       *bytes.Buffer
	flushRows int
	pending   int         // rows in b
	rows      int64       // rows ended
	size      int64       // bytes written to the file
	sum       hash.Hash32 // CRC-32C of the bytes written
	err       error       // the first error; every later call returns it
}

// castagnoli is the CRC-32C table (hardware-assisted on amd64 and arm64).
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// CreateIPC creates (or truncates) the file at path and returns a writer
// of rows of schema to it.
func CreateIPC(path string, schema *arrow.Schema, opts IPCOptions) (*IPCWriter, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fileError(path, err)
	}
	w := &IPCWriter{path: path, schema: schema, f: f, buf: opts.Buffer, flushRows: opts.FlushRows,
		sum: crc32.New(castagnoli)}
	if w.buf == nil {
		w.buf = new(bytes.Buffer)
	}
	if w.flushRows <= 0 {
		w.flushRows = DefaultFlushRows
	}
	mem := memory.NewGoAllocator()
	w.b = array.NewRecordBuilder(mem, schema)
	w.w = ipc.NewWriter(w.buf, ipc.WithSchema(schema), ipc.WithAllocator(mem))
	return w, nil
}

// Path is the writer's file.
func (w *IPCWriter) Path() string { return w.path }

// Rows returns the rows ended so far.
func (w *IPCWriter) Rows() int64 { return w.rows }

// Builder is where a row's values are appended, one to every field,
// before EndRow.
func (w *IPCWriter) Builder() *array.RecordBuilder { return w.b }

// EndRow counts the row appended to Builder and writes a record batch
// when FlushRows rows are waiting.
func (w *IPCWriter) EndRow() error {
	if w.err != nil {
		return w.err
	}
	w.rows++
	if w.pending++; w.pending >= w.flushRows {
		return w.flush()
	}
	return nil
}

// flush writes the rows waiting in the builder as one record batch.
func (w *IPCWriter) flush() error {
	if w.pending == 0 {
		return nil
	}
	rec := w.b.NewRecordBatch()
	defer rec.Release()
	w.pending = 0
	if err := w.w.Write(rec); err != nil {
		return w.fail(err)
	}
	return w.writeOut()
}

// writeOut writes what the IPC writer encoded to the file.
func (w *IPCWriter) writeOut() error {
	n, err := w.f.Write(w.buf.Bytes())
	w.sum.Write(w.buf.Bytes()[:n])
	w.size += int64(n)
	w.buf.Reset()
	if err != nil {
		return w.fail(err)
	}
	return nil
}

func (w *IPCWriter) fail(err error) error {
	if w.err == nil {
		w.err = fileError(w.path, err)
	}
	return w.err
}

// Close writes the rows still waiting and the end of the stream, and
// closes the file. It returns the writer's first error, if any; the file
// is closed in every case.
func (w *IPCWriter) Close() error {
	if w.f == nil {
		return w.err
	}
	if w.err == nil {
		if err := w.flush(); err == nil {
			if err := w.w.Close(); err != nil {
				w.fail(err)
			} else {
				w.writeOut()
			}
		}
	} else {
		w.w.Close()
		w.buf.Reset()
	}
	w.b.Release()
	if err := w.f.Close(); err != nil {
		w.fail(err)
	}
	w.f = nil
	return w.err
}

// Remove closes the writer if need be and removes its file.
func (w *IPCWriter) Remove() error {
	w.Close()
	if err := os.Remove(w.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fileError(w.path, err)
	}
	return nil
}

// ReadBack reads the closed writer's file back and calls fn with each
// record batch (valid only during the call; its strings point into it).
// The file must be exactly what was written (its size and CRC-32C are
// checked before it is decoded) and hold the rows written: a file
// removed, cut short, overwritten or damaged is an error naming it,
// never a panic. fn's error is returned wrapped with the path too.
func (w *IPCWriter) ReadBack(fn func(arrow.RecordBatch) error) error {
	if w.f != nil {
		return fileError(w.path, errors.New("read before Close"))
	}
	if w.err != nil {
		return w.err
	}
	f, err := os.Open(w.path)
	if err != nil {
		return fileError(w.path, err)
	}
	defer f.Close()
	sum := crc32.New(castagnoli)
	n, err := io.Copy(sum, f)
	if err != nil {
		return fileError(w.path, err)
	}
	if n != w.size || sum.Sum32() != w.sum.Sum32() {
		return fileError(w.path, fmt.Errorf("changed since it was written (%d bytes, %d written, or their checksum differs)", n, w.size))
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fileError(w.path, err)
	}
	rows, err := readIPC(f, w.schema, fn)
	if err == nil && rows != w.rows {
		err = fmt.Errorf("%d rows read, %d written", rows, w.rows)
	}
	if err != nil {
		return fileError(w.path, err)
	}
	return nil
}

// readIPC decodes the Arrow IPC stream of r, whose schema must be schema,
// calls fn with each record batch and returns the rows read.
func readIPC(r io.Reader, schema *arrow.Schema, fn func(arrow.RecordBatch) error) (int64, error) {
	rd, err := ipc.NewReader(r, ipc.WithSchema(schema), ipc.WithAllocator(memory.NewGoAllocator()))
	if err != nil {
		return 0, err
	}
	defer rd.Release()
	var rows int64
	for rd.Next() {
		rec := rd.RecordBatch()
		if err := checkBatch(rec); err != nil {
			return rows, err
		}
		if err := fn(rec); err != nil {
			return rows, err
		}
		rows += rec.NumRows()
	}
	return rows, rd.Err()
}

// checkBatch verifies what reading a string would otherwise trust: every
// column has the batch's length and the offsets of string columns stay
// within their data, in order.
func checkBatch(rec arrow.RecordBatch) error {
	n := int(rec.NumRows())
	for i, col := range rec.Columns() {
		if col.Len() != n {
			return fmt.Errorf("column %s: %d values in a batch of %d rows", rec.ColumnName(i), col.Len(), n)
		}
		s, ok := col.(*array.String)
		if !ok || n == 0 {
			continue
		}
		if err := s.Validate(); err != nil {
			return fmt.Errorf("column %s: %w", rec.ColumnName(i), err)
		}
		offs := s.ValueOffsets()
		if len(offs) < n+1 || offs[0] < 0 {
			return fmt.Errorf("column %s: bad offsets", rec.ColumnName(i))
		}
		for j := 1; j <= n; j++ {
			if offs[j] < offs[j-1] {
				return fmt.Errorf("column %s: offsets out of order at row %d", rec.ColumnName(i), j-1)
			}
		}
	}
	return nil
}

// fileError wraps err with the spill file's path, once: the path an
// *fs.PathError names is not repeated.
func fileError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == path {
		return fmt.Errorf("spill file %s: %s: %w", path, pe.Op, pe.Err)
	}
	return fmt.Errorf("spill file %s: %w", path, err)
}
