package ingest

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/doisanh/doisanh/record"
)

// DefaultBatchSize is the number of rows Next returns at most when
// Options.BatchSize is zero.
const DefaultBatchSize = 8192

// maxRaw bounds Reject.Raw, in bytes.
const maxRaw = 1000

// Options configure a Reader.
type Options struct {
	// Mapping renames input headers to canonical column names.
	Mapping Mapping
	// BatchSize is the largest number of rows one call to Next returns
	// (it also bounds the memory of a Parquet reader). Default 8192.
	BatchSize int
	// OnReject, if not nil, is called for each unusable row, synchronously
	// from Next.
	OnReject func(record.Reject)
	// LegacyText names canonical columns whose bytes may be legacy-encoded
	// Vietnamese (TCVN3, VNI-Windows, Windows-1258): they are passed on even
	// when they are not valid UTF-8, for package normalize to decode; the
	// caller rejects what cannot be decoded.
	LegacyText []string
}

// Stats counts the rows of a file read so far. Read = Used + Rejected, always.
type Stats struct {
	Read, Used, Rejected int64
}

// Reader streams the typed records of one file.
type Reader[T any] struct {
	path   string
	schema record.Schema[T]
	opts   Options
	cols   []column[T] // the schema's columns present in the file, in schema order
	src    source
	stats  Stats
	err    error // a read error, returned again by every later Next
	eof    bool
	closed bool
}

// column is a schema column bound to a column of the file.
type column[T any] struct {
	name  string
	key   bool
	field func(*T) *string
	index int // position in the file (CSV field or Parquet leaf column)
}

// source is a file format: it reads rows and hands their values to emit.
type source interface {
	// read calls row for at most limit rows, with the values of the bound
	// columns in Reader.cols order; it returns io.EOF at the end of the file.
	// Rows the format cannot read are rejected by the source itself.
	read(limit int, row func(vals []string)) error
	// raw returns the current row as text, for a reject.
	raw() string
	close() error
}

// Open opens a .parquet, .csv or .csv.gz file (by extension, in any case)
// and checks that it has every required column of schema.
func Open[T any](path string, schema record.Schema[T], opts Options) (*Reader[T], error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	r := &Reader[T]{path: path, schema: schema, opts: opts}
	lower := strings.ToLower(path)
	var err error
	switch {
	case strings.HasSuffix(lower, ".parquet"):
		r.src, err = openParquet(r)
	case strings.HasSuffix(lower, ".csv"):
		r.src, err = openCSV(r, false)
	case strings.HasSuffix(lower, ".csv.gz"):
		r.src, err = openCSV(r, true)
	default:
		return nil, fmt.Errorf("%s: unknown file type %q (want .parquet, .csv or .csv.gz)", path, filepath.Ext(path))
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// bind maps the file's headers to the schema's columns, filling r.cols. It
// returns an error naming the file for a duplicate column or a missing
// required one.
func (r *Reader[T]) bind(headers []string) error {
	mapped := make(map[string]string, len(r.opts.Mapping))
	for k, v := range r.opts.Mapping {
		mapped[foldHeader(k)] = strings.ToLower(strings.TrimSpace(v))
	}
	want := make(map[string]int, len(r.schema.Columns)) // canonical name -> schema index
	for i, c := range r.schema.Columns {
		want[c.Name] = i
	}
	at := make([]int, len(r.schema.Columns)) // schema index -> file index + 1
	for i, h := range headers {
		f := foldHeader(h)
		name, ok := mapped[f]
		if !ok {
			name = f
			if _, canonical := want[f]; !canonical {
				if b, ok := builtinColumn(r.schema.Source, f); ok {
					name = b // a common Vietnamese header (mapping.go)
				}
			}
		}
		si, ok := want[name]
		if !ok {
			continue // unknown extra column
		}
		if prev := at[si]; prev != 0 {
			return fmt.Errorf("%s: columns %q and %q both map to %s", r.path, headers[prev-1], h, name)
		}
		at[si] = i + 1
	}
	var missing []string
	for si, c := range r.schema.Columns {
		if at[si] == 0 {
			if c.Required {
				missing = append(missing, c.Name)
			}
			continue
		}
		r.cols = append(r.cols, column[T]{name: c.Name, key: c.Key, field: c.Field, index: at[si] - 1})
	}
	if len(missing) > 0 {
		s := ""
		if len(missing) > 1 {
			s = "s"
		}
		return fmt.Errorf("%s: missing required column%s %s (headers found: %s); name the columns with --mapping FILE, see \"doisanh columns\"",
			r.path, s, strings.Join(missing, ", "), strings.Join(headers, ", "))
	}
	return nil
}

func (r *Reader[T]) batchSize() int { return r.opts.BatchSize }

// indices returns the file position of each bound column.
func (r *Reader[T]) indices() []int {
	idx := make([]int, len(r.cols))
	for i, c := range r.cols {
		idx[i] = c.index
	}
	return idx
}

// Next fills batch[:n] with the next usable rows, at most
// min(len(batch), Options.BatchSize), and returns n. Unusable rows are passed
// to Options.OnReject and skipped. At the end of the file it returns the last
// rows with a nil error, then 0 and io.EOF. Other errors (I/O, a corrupt
// Parquet page) end the reading and name the file.
func (r *Reader[T]) Next(batch []T) (int, error) {
	if r.closed {
		return 0, fmt.Errorf("%s: read after close", r.path)
	}
	if r.err != nil {
		return 0, r.err
	}
	if r.eof {
		return 0, io.EOF
	}
	if len(batch) == 0 {
		return 0, fmt.Errorf("%s: Next called with an empty batch", r.path)
	}
	limit := min(len(batch), r.opts.BatchSize)
	n := 0
	for n < limit {
		err := r.src.read(limit-n, func(vals []string) {
			r.stats.Read++
			if col, reason := r.check(vals); reason != "" {
				r.reject(col, reason, r.src.raw())
				return
			}
			p := &batch[n]
			var zero T
			*p = zero
			for i, c := range r.cols {
				*c.field(p) = vals[i]
			}
			if r.schema.SetRow != nil {
				r.schema.SetRow(p, r.stats.Read)
			}
			r.stats.Used++
			n++
		})
		if errors.Is(err, io.EOF) {
			r.eof = true
			break
		}
		if err != nil {
			r.err = err
			return n, err
		}
	}
	if n == 0 && r.eof {
		return 0, io.EOF
	}
	return n, nil
}

// check returns the column and reason that make a row unusable, or "".
// Every bound column must be valid UTF-8, except the Options.LegacyText
// columns; a key column must not be blank.
func (r *Reader[T]) check(vals []string) (col, reason string) {
	for i, c := range r.cols {
		if !utf8.ValidString(vals[i]) && !slices.Contains(r.opts.LegacyText, c.name) {
			return c.name, "invalid UTF-8 in column " + c.name
		}
	}
	for i, c := range r.cols {
		if c.key && strings.TrimSpace(vals[i]) == "" {
			return c.name, "empty " + c.name
		}
	}
	return "", ""
}

// rejectRow counts a row that the format itself could not read (a CSV
// syntax error or a wrong number of fields) and reports it.
func (r *Reader[T]) rejectRow(column, reason, raw string) {
	r.stats.Read++
	r.reject(column, reason, raw)
}

func (r *Reader[T]) reject(column, reason, raw string) {
	r.stats.Rejected++
	if r.opts.OnReject == nil {
		return
	}
	r.opts.OnReject(record.Reject{
		Source:    r.schema.Source.String(),
		File:      r.path,
		RowNumber: r.stats.Read,
		Column:    column,
		Reason:    reason,
		Raw:       Printable(raw),
	})
}

// Printable makes s safe to write as text: invalid UTF-8 bytes become \xNN
// escapes, and the result is cut to 1000 bytes at a character boundary.
func Printable(s string) string {
	if !utf8.ValidString(s) {
		var b strings.Builder
		for i := 0; i < len(s) && b.Len() <= maxRaw; {
			c, size := utf8.DecodeRuneInString(s[i:])
			if c == utf8.RuneError && size == 1 {
				fmt.Fprintf(&b, `\x%02X`, s[i])
			} else {
				b.WriteString(s[i : i+size])
			}
			i += size
		}
		s = b.String()
	}
	if len(s) <= maxRaw {
		return s
	}
	cut := maxRaw
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// RowsHint returns the number of data rows the file declares in its
// metadata (Parquet), so that callers can size their buffers, or -1 when it
// is not known before reading (CSV).
func (r *Reader[T]) RowsHint() int64 {
	if h, ok := r.src.(interface{ rows() int64 }); ok {
		return h.rows()
	}
	return -1
}

// Stats returns the row counts so far.
func (r *Reader[T]) Stats() Stats { return r.stats }

// Header returns the canonical names of the schema's columns present in the
// file, in schema order.
func (r *Reader[T]) Header() []string {
	names := make([]string, len(r.cols))
	for i, c := range r.cols {
		names[i] = c.name
	}
	return names
}

// Close closes the file.
func (r *Reader[T]) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	if err := r.src.close(); err != nil {
		return fmt.Errorf("%s: %w", r.path, err)
	}
	return nil
}

// ReadAll reads every usable row of a file. It is meant for tests and small
// files: it holds all rows in memory.
func ReadAll[T any](path string, schema record.Schema[T], opts Options) ([]T, Stats, error) {
	r, err := Open(path, schema, opts)
	if err != nil {
		return nil, Stats{}, err
	}
	defer r.Close()
	var all []T
	batch := make([]T, r.opts.BatchSize)
	for {
		n, err := r.Next(batch)
		all = append(all, batch[:n]...)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return all, r.Stats(), err
		}
	}
	return all, r.Stats(), r.Close()
}
