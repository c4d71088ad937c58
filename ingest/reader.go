package ingest

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/doisanh/doisanh/normalize"
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
	// Encoding is how the text of the file is encoded: "" or "auto"
	// (UTF-8, UTF-16 or UTF-32 by byte order mark or zero bytes; a CSV
	// file whose first 64 KiB are legacy TCVN3, VNI or Windows-1258 text
	// and not UTF-8 is decoded whole from that encoding), "utf-8" (only the
	// LegacyText columns may hold legacy text), or "tcvn3", "vni",
	// "cp1258" (every value is decoded from that encoding). See Encodings.
	Encoding string

	// parquetGo reads Parquet with parquet-go rather than Arrow (for the
	// tests and benchmarks that compare the two readers).
	parquetGo bool
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
	plain  plainer            // src, when it checks values as it decodes them
	enc    normalize.Encoding // the legacy encoding every value is decoded from; Unicode for none
	legacy []bool             // per bound column: listed in Options.LegacyText
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
	// at is the offset of the field in T when field returns a pointer into
	// the record it is given (every schema's do): Next then stores values
	// there without a call per value. -1: call field.
	at    int
	index int // position in the file (CSV field or Parquet leaf column)
}

// fieldOffset returns the offset in T of the string field returns, or -1
// when field points outside the record it is given.
func fieldOffset[T any](field func(*T) *string) int {
	var probe T
	base := uintptr(unsafe.Pointer(&probe))
	p := uintptr(unsafe.Pointer(field(&probe)))
	if p < base || p+unsafe.Sizeof("") > base+unsafe.Sizeof(probe) || (p-base)%unsafe.Alignof("") != 0 {
		return -1
	}
	return int(p - base)
}

// set stores v in c's field of p.
func (c *column[T]) set(p *T, v string) {
	if c.at >= 0 {
		*(*string)(unsafe.Add(unsafe.Pointer(p), c.at)) = v
		return
	}
	*c.field(p) = v
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

// plainer is a source that checks values as it decodes them: plain(j)
// reports whether the current row's value of bound column j is valid
// UTF-8 without control characters, rowPlain whether every one of the
// current row's values is.
type plainer interface {
	plain(j int) bool
	rowPlain() bool
}

// Open opens a .parquet, .csv or .csv.gz file (by extension, in any case)
// and checks that it has every required column of schema.
func Open[T any](path string, schema record.Schema[T], opts Options) (*Reader[T], error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	enc, err := ParseEncoding(opts.Encoding)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	r := &Reader[T]{path: path, schema: schema, opts: opts, enc: enc}
	lower := strings.ToLower(path)
	switch {
	case strings.HasSuffix(lower, ".parquet"):
		if err = checkContent(path, contentParquet); err == nil {
			r.src, err = openParquetSource(r)
		}
	case strings.HasSuffix(lower, ".csv"):
		if err = checkContent(path, contentText); err == nil {
			r.src, err = openCSV(r, false)
		}
	case strings.HasSuffix(lower, ".csv.gz"):
		if err = checkContent(path, contentGzip); err == nil {
			r.src, err = openCSV(r, true)
		}
	case strings.HasSuffix(lower, ".xlsx"), strings.HasSuffix(lower, ".xls"):
		return nil, fmt.Errorf("%s: Excel workbooks are not read; save the sheet as \"CSV UTF-8\" or export it to Parquet", path)
	default:
		return nil, fmt.Errorf("%s: unknown file type %q (want .parquet, .csv or .csv.gz)", path, filepath.Ext(path))
	}
	if err != nil {
		return nil, err
	}
	r.plain, _ = r.src.(plainer)
	return r, nil
}

// openParquetSource reads a Parquet file through Arrow, or with
// parquet-go when Options.parquetGo says so or when Arrow cannot convert
// the file's schema (a column type pqarrow does not know, even one that is
// not mapped).
func openParquetSource[T any](r *Reader[T]) (source, error) {
	if !r.opts.parquetGo {
		src, err := openArrow(r)
		if !errors.Is(err, errArrowSchema) {
			return src, err
		}
		r.cols, r.legacy = nil, nil // bound again by the parquet-go reader
	}
	return openParquet(r)
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
		r.cols = append(r.cols, column[T]{name: c.Name, key: c.Key, field: c.Field, at: fieldOffset(c.Field), index: at[si] - 1})
		r.legacy = append(r.legacy, slices.Contains(r.opts.LegacyText, c.Name))
	}
	if len(missing) > 0 {
		s := ""
		if len(missing) > 1 {
			s = "s"
		}
		return fmt.Errorf("%s: missing required column%s %s (headers found: %s); name the columns with --mapping FILE, see \"doisanh columns\"",
			r.path, s, strings.Join(missing, ", "), quoteHeaders(headers))
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
			col, reason, valid := r.check(vals)
			if reason != "" {
				r.reject(col, reason, r.src.raw())
				return
			}
			p := &batch[n]
			var zero T
			*p = zero
			for i := range r.cols {
				r.cols[i].set(p, vals[i])
			}
			if r.schema.SetRow != nil {
				r.schema.SetRow(p, r.stats.Read)
			}
			if valid && r.schema.SetUTF8 != nil {
				r.schema.SetUTF8(p)
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

// check returns the column and reason that make a row unusable, or "",
// and whether every value is valid UTF-8 (a usable row's values are,
// except legacy text left for normalize to decode). When the file is in a
// legacy encoding, it first decodes every value in place. Every bound
// column must then be valid UTF-8 without control characters (other than
// tab and line ends), except that the Options.LegacyText columns may hold
// legacy text (whose capitals TCVN3 puts on control bytes); a key column
// must not be blank.
func (r *Reader[T]) check(vals []string) (col, reason string, valid bool) {
	if r.enc == normalize.EncodingUnicode && r.plain != nil && r.plain.rowPlain() {
		// Every value is UTF-8 without control characters: only the key
		// columns are left to look at.
		for i := range r.cols {
			if c := &r.cols[i]; c.key && strings.TrimSpace(vals[i]) == "" {
				return c.name, "empty " + c.name, false
			}
		}
		return "", "", true
	}
	allValid := true
	for i, c := range r.cols {
		v := vals[i]
		if r.enc != normalize.EncodingUnicode {
			d, ok := normalize.DecodeAs(v, r.enc)
			if !ok {
				return c.name, fmt.Sprintf("not valid %s text in column %s: %s", r.enc, c.name, quoteValue(v, 60)), false
			}
			vals[i], v = d, d
		} else if r.plain != nil && r.plain.plain(i) {
			continue
		}
		ctrl, ascii := scanValue(v)
		if ascii && ctrl < 0 {
			continue
		}
		valid := ascii || utf8.ValidString(v)
		if valid && ctrl < 0 {
			continue
		}
		if r.legacy[i] && r.enc == normalize.EncodingUnicode {
			if ctrl < 0 {
				allValid = allValid && valid
				continue // legacy text or not, normalize decides
			}
			if _, e := normalize.DecodeLegacyText(v); e != normalize.EncodingUnicode {
				allValid = allValid && valid
				continue
			}
		}
		if ctrl >= 0 {
			ch := v[ctrl : ctrl+1]
			if r, size := utf8.DecodeRuneInString(v[ctrl:]); size > 1 {
				ch = string(r) // a C1 control
			}
			return c.name, fmt.Sprintf("control character %q in column %s", ch, c.name), false
		}
		return c.name, "invalid UTF-8 in column " + c.name, false
	}
	for i, c := range r.cols {
		if c.key && strings.TrimSpace(vals[i]) == "" {
			return c.name, "empty " + c.name, false
		}
	}
	return "", "", allValid
}

// scanValue returns the index of the first control byte of v (C0 other
// than tab, CR and LF, or DEL), or -1, and whether v is all ASCII. C1
// controls, written U+0080-U+009F in UTF-8, count as control bytes too.
func scanValue(v string) (ctrl int, ascii bool) {
	ascii = true
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= utf8.RuneSelf:
			ascii = false
			if c == 0xC2 && i+1 < len(v) && v[i+1] >= 0x80 && v[i+1] < 0xA0 {
				return i, false
			}
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r', c == 0x7F:
			return i, ascii
		}
	}
	return -1, ascii
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

// Printable makes s safe to write as text: invalid UTF-8 bytes and
// control characters other than tab become \xNN escapes (C1 controls
// \u00NN), and the result is cut to 1000 bytes at a character boundary.
func Printable(s string) string {
	if needsEscape(s) {
		var b strings.Builder
		for i := 0; i < len(s) && b.Len() <= maxRaw; {
			c, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case c == utf8.RuneError && size == 1, c < 0x20 && c != '\t', c == 0x7F:
				fmt.Fprintf(&b, `\x%02X`, s[i])
			case c >= 0x80 && c < 0xA0:
				fmt.Fprintf(&b, `\u%04X`, c)
			default:
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

// needsEscape reports whether Printable must escape part of s.
func needsEscape(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' || c == 0x7F || c == 0xC2 && i+1 < len(s) && s[i+1] < 0xA0 {
			return true
		}
	}
	return !utf8.ValidString(s)
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

// TextEncoding names how the file's text is read: "UTF-8", "UTF-16LE",
// "UTF-16BE", "UTF-32LE" or "UTF-32BE" for CSV, "UTF-8" for Parquet, or
// the legacy encoding every value is decoded from ("tcvn3", "vni",
// "cp1258"), found by Options.Encoding auto or named by it.
func (r *Reader[T]) TextEncoding() string {
	if r.enc != normalize.EncodingUnicode {
		return r.enc.String()
	}
	if c, ok := r.src.(*csvSource); ok && c.text != "" {
		return c.text
	}
	return "UTF-8"
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
