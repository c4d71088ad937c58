package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	pq "github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	simdutf8 "github.com/segmentio/asm/utf8"
)

// arrowSource reads a Parquet file through Apache Arrow (pqarrow): row
// group by row group, only the bound columns, BatchSize rows at a time.
// The columns of a batch are decoded side by side, one goroutine per
// column up to GOMAXPROCS, and each is turned into text on the goroutine
// that decoded it; the row loop then only hands the texts out.
//
// Arrow's buffers come from a poolAllocator and are recycled batch after
// batch, so nothing handed out points into them: the value bytes of a
// string or binary batch are copied into one allocation per column and
// batch (a dictionary's once per dictionary), which the strings share;
// numbers, dates and times are written into a per-column arena.
type arrowSource struct {
	path   string
	f      *os.File
	pf     *file.Reader
	fr     *pqarrow.FileReader
	cols   []*arrowColumn
	leaves []int // leaf index of each bound column
	group  int   // index of the current row group
	left   int64 // rows of the current row group not yet decoded
	fields []*pqarrow.ColumnReader
	texts  [][]string // the current batch's values, per bound column
	plains [][]bool   // per bound column: texts[j][i] is UTF-8 without control characters
	// rowsPlain[i]: plains[j][i] for every bound column j
	rowsPlain []bool
	pos, n    int      // next row of the batch, rows in the batch
	row       int      // the row of the batch being handed out
	vals      []string // the current row's values, parallel to cols
	batch     int
	procs     int
}

// arrowColumn is one bound leaf column.
type arrowColumn struct {
	name  string   // dotted path in the file
	path  []string // the same, split
	index int      // position among the bound columns
	field int      // index of the reader of its top-level field in arrowSource.fields
	arena arena
	dict  arrow.Array // the dictionary dictText was made from
	// dictText is the text of dict's values, dictPlain whether each is
	// UTF-8 without control characters
	dictText  []string
	dictPlain []bool
}

func openArrow[T any](r *Reader[T]) (source, error) {
	f, err := os.Open(r.path)
	if err != nil {
		return nil, err
	}
	s := &arrowSource{path: r.path, f: f, group: -1, batch: r.batchSize(), procs: runtime.GOMAXPROCS(0)}
	if err := s.init(r); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

// errArrowSchema marks a schema pqarrow cannot convert (a type it does not
// know in a column, mapped or not): the file is then read with parquet-go.
var errArrowSchema = errors.New("schema not readable through Arrow")

func (s *arrowSource) init(r interface {
	bind([]string) error
	indices() []int
}) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%s: truncated or corrupt Parquet file: %s", s.path, oneLine(fmt.Errorf("%v", p)))
		}
	}()
	if _, err := checkParquetFile(s.f, s.path); err != nil {
		return err
	}
	mem := new(poolAllocator)
	props := pq.NewReaderProperties(mem)
	// Read column chunks through a buffer rather than whole, so memory
	// stays bounded by the batch whatever the row group size.
	props.BufferedStreamEnabled = true
	props.BufferSize = 1 << 20
	s.pf, err = file.NewParquetReader(s.f, file.WithReadProps(props))
	if err != nil {
		return fmt.Errorf("%s: truncated or corrupt Parquet file: %s", s.path, oneLine(err))
	}
	schema := s.pf.MetaData().Schema
	headers := make([]string, schema.NumColumns())
	for i := range headers {
		headers[i] = strings.Join(schema.Column(i).ColumnPath(), ".")
	}
	if err := r.bind(headers); err != nil {
		return err
	}
	// Parallel stays false: decode runs the columns side by side itself,
	// each under a recover, so that a panic of the library on a corrupt
	// file is an error naming the file, row group and column. (Parallel
	// only makes pqarrow's ReadTable, RecordReader and GetFieldReaders
	// concurrent, on goroutines of its own that nothing could recover.)
	aprops := pqarrow.ArrowReadProperties{BatchSize: int64(s.batch), PreAllocBinaryData: true}
	for _, i := range r.indices() {
		c := schema.Column(i)
		if c.MaxRepetitionLevel() > 0 {
			return fmt.Errorf("%s: column %s is repeated (a list); only flat columns can be read", s.path, showHeader(headers[i]))
		}
		if c.PhysicalType() == pq.Types.ByteArray && dictionaryEncoded(s.pf, i) {
			aprops.SetReadDict(i, true)
		}
		s.leaves = append(s.leaves, i)
		s.cols = append(s.cols, &arrowColumn{name: headers[i], path: c.ColumnPath(), index: len(s.cols)})
	}
	s.fr, err = pqarrow.NewFileReader(s.pf, aprops, mem)
	if err != nil {
		return fmt.Errorf("%s: %w: %s", s.path, errArrowSchema, oneLine(err))
	}
	for j, c := range s.cols {
		f, ok := s.fr.Manifest.ColIndexToField[s.leaves[j]]
		if !ok {
			return fmt.Errorf("%s: column %s not found in the schema", s.path, showHeader(c.name))
		}
		if err := textable(f.Field.Type); err != nil {
			return fmt.Errorf("%s: column %s: %v", s.path, showHeader(c.name), err)
		}
	}
	s.texts = make([][]string, len(s.cols))
	s.plains = make([][]bool, len(s.cols))
	s.rowsPlain = make([]bool, s.batch)
	for j := range s.texts {
		s.texts[j] = make([]string, s.batch)
		s.plains[j] = make([]bool, s.batch)
	}
	s.vals = make([]string, len(s.cols))
	return nil
}

// dictionaryEncoded reports whether every row group of the file stores
// leaf column i with a dictionary page and only dictionary-encoded data
// pages: then it is read as an Arrow dictionary, and each distinct value
// is one string however many rows repeat it.
func dictionaryEncoded(pf *file.Reader, i int) bool {
	md := pf.MetaData()
	if md.NumRowGroups() == 0 {
		return false
	}
	for g := range md.NumRowGroups() {
		cc, err := md.RowGroup(g).ColumnChunk(i)
		if err != nil || !cc.HasDictionaryPage() {
			return false
		}
		stats := cc.EncodingStats()
		if len(stats) == 0 {
			return false
		}
		for _, st := range stats {
			if t := st.PageType.String(); t == "DATA_PAGE" || t == "DATA_PAGE_V2" {
				if st.Encoding != pq.Encodings.RLEDict && st.Encoding != pq.Encodings.PlainDict {
					return false
				}
			}
		}
	}
	return true
}

// textable returns an error for a type that cannot be read as text.
func textable(t arrow.DataType) error {
	switch t.ID() {
	case arrow.NULL, arrow.BOOL, arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64,
		arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64, arrow.FLOAT16, arrow.FLOAT32, arrow.FLOAT64,
		arrow.DATE32, arrow.DATE64, arrow.TIME32, arrow.TIME64, arrow.TIMESTAMP,
		arrow.DECIMAL32, arrow.DECIMAL64, arrow.DECIMAL128, arrow.DECIMAL256,
		arrow.STRING, arrow.LARGE_STRING, arrow.BINARY, arrow.LARGE_BINARY, arrow.FIXED_SIZE_BINARY:
		return nil
	case arrow.DICTIONARY:
		return textable(t.(*arrow.DictionaryType).ValueType)
	case arrow.EXTENSION:
		return textable(t.(arrow.ExtensionType).StorageType())
	}
	return fmt.Errorf("unsupported type %s", t)
}

func (s *arrowSource) rows() int64 { return s.pf.NumRows() }

func (s *arrowSource) read(limit int, row func([]string)) error {
	for done := 0; done < limit; {
		if s.pos == s.n {
			if s.left == 0 {
				if err := s.nextGroup(); err != nil {
					return err
				}
				continue
			}
			if err := s.decode(int(min(int64(s.batch), s.left))); err != nil {
				return err
			}
			continue
		}
		k := min(limit-done, s.n-s.pos)
		for i := s.pos; i < s.pos+k; i++ {
			s.row = i
			for j := range s.cols {
				s.vals[j] = s.texts[j][i]
			}
			row(s.vals)
		}
		s.pos += k
		done += k
	}
	return nil
}

// nextGroup opens the readers of the next row group's bound columns, or
// returns io.EOF after the last.
func (s *arrowSource) nextGroup() (err error) {
	s.releaseFields()
	s.group++
	if s.group >= s.pf.NumRowGroups() {
		return io.EOF
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%s: row group %d: %s", s.path, s.group, oneLine(fmt.Errorf("%v", p)))
		}
	}()
	fields, schema, err := s.fr.GetFieldReaders(context.Background(), s.leaves, []int{s.group})
	if err != nil {
		return fmt.Errorf("%s: row group %d: %s", s.path, s.group, oneLine(err))
	}
	s.fields = fields
	for _, c := range s.cols {
		c.field = -1
		for k, f := range schema.Fields() {
			if f.Name == c.path[0] {
				c.field = k
				break
			}
		}
		if c.field < 0 {
			return fmt.Errorf("%s: row group %d: column %s not found", s.path, s.group, c.name)
		}
	}
	s.left = s.pf.MetaData().RowGroup(s.group).NumRows()
	return nil
}

// decode reads the next k rows of the row group: every bound top-level
// field on its own goroutine (at most GOMAXPROCS at once), each turned
// into text in s.texts.
func (s *arrowSource) decode(k int) error {
	errs := make([]error, len(s.fields))
	work := make(chan int, len(s.fields))
	for i := range s.fields {
		work <- i
	}
	close(work)
	var wg sync.WaitGroup
	for range min(s.procs, len(s.fields)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				errs[i] = s.decodeField(i, k)
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	rp := s.rowsPlain[:k]
	for i := range rp {
		rp[i] = true
	}
	for _, pl := range s.plains {
		for i, ok := range pl[:k] {
			rp[i] = rp[i] && ok
		}
	}
	s.left -= int64(k)
	s.pos, s.n = 0, k
	return nil
}

// decodeField reads k values of field i and writes the text of its bound
// columns.
func (s *arrowSource) decodeField(i, k int) (err error) {
	name := ""
	for _, c := range s.cols {
		if c.field == i {
			name = c.name
			break
		}
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%v", p)
		}
		if err != nil {
			err = fmt.Errorf("%s: row group %d, column %s: %s", s.path, s.group, name, oneLine(err))
		}
	}()
	data, err := s.fields[i].NextBatch(int64(k))
	if err != nil {
		return err
	}
	defer data.Release()
	if data.Len() != k {
		return errors.New("column chunk has fewer values than the row group has rows")
	}
	for _, c := range s.cols {
		if c.field != i {
			continue
		}
		at := 0
		for _, chunk := range data.Chunks() {
			n := chunk.Len()
			if err := c.fill(chunk, c.path[1:], s.texts[c.index][at:at+n], s.plains[c.index][at:at+n]); err != nil {
				return err
			}
			at += n
		}
	}
	return nil
}

// plain reports whether the value of bound column j in the row being
// handed out is valid UTF-8 without control characters, so that
// Reader.check need not look at it again: the decoding goroutines found
// out, side by side.
func (s *arrowSource) plain(j int) bool { return s.plains[j][s.row] }

// rowPlain reports whether plain is true of every bound column of the row
// being handed out (worked out a batch at a time, after decoding).
func (s *arrowSource) rowPlain() bool { return s.rowsPlain[s.row] }

// isPlain reports whether v is valid UTF-8 without control characters
// (as Reader.check sees them: scanValue). Eight bytes at a time, it looks
// for a byte below 0x20 or DEL, for 0xC2 (the lead byte of C1 controls,
// but also of ¨, ° and the no-break space, frequent in Windows-1252
// mis-readings of legacy names) and for non-ASCII bytes. Only a value
// holding one of the first two is scanned byte by byte; one holding 0xC2
// has the byte after each 0xC2 checked; only a non-ASCII one is validated
// as UTF-8.
func isPlain(v string) bool {
	const ones, high = 0x0101010101010101, 0x8080808080808080
	var seen, ctrl, c2 uint64
	i := 0
	for ; i+8 <= len(v); i += 8 {
		x := uint64(v[i]) | uint64(v[i+1])<<8 | uint64(v[i+2])<<16 | uint64(v[i+3])<<24 |
			uint64(v[i+4])<<32 | uint64(v[i+5])<<40 | uint64(v[i+6])<<48 | uint64(v[i+7])<<56
		seen |= x
		ctrl |= (x - 0x20*ones) &^ x // a byte below 0x20
		y := x ^ 0x7F*ones
		ctrl |= (y - ones) &^ y // DEL
		y = x ^ 0xC2*ones
		c2 |= (y - ones) &^ y
	}
	for ; i < len(v); i++ {
		c := v[i]
		if c < 0x20 || c == 0x7F {
			ctrl |= high
		}
		if c == 0xC2 {
			c2 |= high
		}
		seen |= uint64(c)
	}
	if ctrl&high != 0 {
		ctrl, ascii := scanValue(v)
		return ctrl < 0 && (ascii || validText(v))
	}
	if c2&high != 0 {
		for rest := v; ; {
			k := strings.IndexByte(rest, 0xC2)
			if k < 0 {
				break
			}
			if k+1 < len(rest) && rest[k+1] >= 0x80 && rest[k+1] < 0xA0 {
				return false // a C1 control (U+0080-U+009F)
			}
			rest = rest[k+1:]
		}
	}
	return seen&high == 0 || validText(v)
}

// validText is utf8.ValidString, with AVX2 for a long text (a whole batch's
// values: 12 times as fast; below a few hundred bytes the standard
// library's is faster).
func validText(v string) bool {
	if len(v) < 512 {
		return utf8.ValidString(v)
	}
	return simdutf8.Valid(unsafe.Slice(unsafe.StringData(v), len(v)))
}

// plainValues reports whether every value of a string or binary batch,
// given by its offsets and the value bytes they index (from offsets[0]),
// is valid UTF-8 without control characters, looking at the bytes in one
// pass: they are, and every value starts on a character boundary, so no
// character straddles two values. When it returns false, some value may
// still be plain: each is then checked on its own.
func plainValues(offsets []int32, data []byte) bool {
	if len(offsets) < 2 || !isPlain(bytesText(data)) {
		return false
	}
	base := offsets[0]
	for _, o := range offsets[1 : len(offsets)-1] {
		if k := int(o - base); k < len(data) && !utf8.RuneStart(data[k]) {
			return false
		}
	}
	return true
}

// fill writes the text of arr's values to dst, and to plain whether each
// is valid UTF-8 without control characters; rest is the path of the leaf
// below arr when arr is a struct.
func (c *arrowColumn) fill(arr arrow.Array, rest []string, dst []string, plain []bool) error {
	if len(rest) > 0 {
		st, ok := arr.(*array.Struct)
		if !ok {
			return fmt.Errorf("column %s: %s is not a group", c.name, rest[0])
		}
		idx, ok := st.DataType().(*arrow.StructType).FieldIdx(rest[0])
		if !ok {
			return fmt.Errorf("column %s: no field %s", c.name, rest[0])
		}
		if err := c.fill(st.Field(idx), rest[1:], dst, plain); err != nil {
			return err
		}
		if st.NullN() > 0 {
			for i := range dst {
				if st.IsNull(i) {
					dst[i], plain[i] = "", true
				}
			}
		}
		return nil
	}
	if d, ok := arr.(*array.Dictionary); ok {
		if c.dict != d.Dictionary() {
			c.dictText = make([]string, d.Dictionary().Len())
			c.dictPlain = make([]bool, d.Dictionary().Len())
			if err := c.fill(d.Dictionary(), nil, c.dictText, c.dictPlain); err != nil {
				return err
			}
			c.dict = d.Dictionary()
		}
		nulls := d.NullN() > 0
		for i := range dst {
			if nulls && d.IsNull(i) {
				dst[i], plain[i] = "", true
				continue
			}
			k := d.GetValueIndex(i)
			dst[i], plain[i] = c.dictText[k], c.dictPlain[k]
		}
		return nil
	}
	a := &c.arena
	var text func(i int) string
	switch v := arr.(type) {
	case *array.String:
		text = ownValues(v.ValueOffsets(), v.ValueBytes())
	case *array.Binary:
		text = ownValues(v.ValueOffsets(), v.ValueBytes())
	case *array.LargeString:
		text = func(i int) string { return a.copy(unsafe.Slice(unsafe.StringData(v.Value(i)), len(v.Value(i)))) }
	case *array.LargeBinary:
		text = func(i int) string { return a.copy(v.Value(i)) }
	case array.ExtensionArray:
		if v.ExtensionType().ExtensionName() == "arrow.uuid" {
			if b, ok := v.Storage().(*array.FixedSizeBinary); ok {
				text = func(i int) string { return a.add(appendUUID(a.scratch(), b.Value(i))) }
				break
			}
		}
		return c.fill(v.Storage(), nil, dst, plain)
	case *array.FixedSizeBinary:
		text = func(i int) string { return a.copy(v.Value(i)) }
	case *array.Null:
		clear(dst)
		for i := range plain {
			plain[i] = true
		}
		return nil
	case *array.Boolean:
		text = func(i int) string {
			if v.Value(i) {
				return "true"
			}
			return "false"
		}
	case *array.Int8:
		text = func(i int) string { return a.add(strconv.AppendInt(a.scratch(), int64(v.Value(i)), 10)) }
	case *array.Int16:
		text = func(i int) string { return a.add(strconv.AppendInt(a.scratch(), int64(v.Value(i)), 10)) }
	case *array.Int32:
		text = func(i int) string { return a.add(strconv.AppendInt(a.scratch(), int64(v.Value(i)), 10)) }
	case *array.Int64:
		text = func(i int) string { return a.add(strconv.AppendInt(a.scratch(), v.Value(i), 10)) }
	case *array.Uint8:
		text = func(i int) string { return a.add(strconv.AppendUint(a.scratch(), uint64(v.Value(i)), 10)) }
	case *array.Uint16:
		text = func(i int) string { return a.add(strconv.AppendUint(a.scratch(), uint64(v.Value(i)), 10)) }
	case *array.Uint32:
		text = func(i int) string { return a.add(strconv.AppendUint(a.scratch(), uint64(v.Value(i)), 10)) }
	case *array.Uint64:
		text = func(i int) string { return a.add(strconv.AppendUint(a.scratch(), v.Value(i), 10)) }
	case *array.Float16:
		text = func(i int) string {
			return a.add(strconv.AppendFloat(a.scratch(), float64(v.Value(i).Float32()), 'f', -1, 32))
		}
	case *array.Float32:
		text = func(i int) string { return a.add(strconv.AppendFloat(a.scratch(), float64(v.Value(i)), 'f', -1, 32)) }
	case *array.Float64:
		text = func(i int) string { return a.add(strconv.AppendFloat(a.scratch(), v.Value(i), 'f', -1, 64)) }
	case *array.Date32:
		text = func(i int) string {
			t := time.Unix(int64(v.Value(i))*86400, 0).UTC()
			return a.add(t.AppendFormat(a.scratch(), time.DateOnly))
		}
	case *array.Date64:
		text = func(i int) string {
			return a.add(time.UnixMilli(int64(v.Value(i))).UTC().AppendFormat(a.scratch(), time.DateOnly))
		}
	case *array.Time32:
		unit := v.DataType().(*arrow.Time32Type).Unit.Multiplier()
		text = func(i int) string { return formatTime(a, time.Duration(v.Value(i))*unit) }
	case *array.Time64:
		unit := v.DataType().(*arrow.Time64Type).Unit.Multiplier()
		text = func(i int) string { return formatTime(a, time.Duration(v.Value(i))*unit) }
	case *array.Timestamp:
		tt := v.DataType().(*arrow.TimestampType)
		unit, utc := tt.Unit, tt.TimeZone != ""
		text = func(i int) string {
			n := int64(v.Value(i))
			var t time.Time
			switch unit {
			case arrow.Second:
				t = time.Unix(n, 0)
			case arrow.Millisecond:
				t = time.UnixMilli(n)
			case arrow.Microsecond:
				t = time.UnixMicro(n)
			default:
				t = time.Unix(0, n)
			}
			return formatTimestamp(a, t, utc)
		}
	case *array.Decimal32:
		scale := v.DataType().(arrow.DecimalType).GetScale()
		text = func(i int) string { return a.add(appendScaledInt(a.scratch(), int64(v.Value(i)), scale)) }
	case *array.Decimal64:
		scale := v.DataType().(arrow.DecimalType).GetScale()
		text = func(i int) string { return a.add(appendScaledInt(a.scratch(), int64(v.Value(i)), scale)) }
	case *array.Decimal128:
		scale := v.DataType().(arrow.DecimalType).GetScale()
		text = func(i int) string { return a.add(appendScaledBig(a.scratch(), v.Value(i).BigInt(), scale)) }
	case *array.Decimal256:
		scale := v.DataType().(arrow.DecimalType).GetScale()
		text = func(i int) string { return a.add(appendScaledBig(a.scratch(), v.Value(i).BigInt(), scale)) }
	default:
		return fmt.Errorf("column %s: unsupported type %s", c.name, arr.DataType())
	}
	allPlain := false
	switch v := arr.(type) {
	case *array.String:
		allPlain = plainValues(v.ValueOffsets(), v.ValueBytes())
	case *array.Binary:
		allPlain = plainValues(v.ValueOffsets(), v.ValueBytes())
	}
	nulls := arr.NullN() > 0
	for i := range dst {
		if nulls && arr.IsNull(i) {
			dst[i], plain[i] = "", true
			continue
		}
		v := text(i)
		dst[i], plain[i] = v, allPlain || isPlain(v)
	}
	return nil
}

// bytesText returns b as a string sharing its bytes.
func bytesText(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// ownValues copies the value bytes of a string or binary batch (indexed by
// offsets from offsets[0]) into one allocation of their own, since the
// Arrow buffer is recycled once the batch is released, and returns the
// text of value i.
func ownValues(offsets []int32, data []byte) func(i int) string {
	own := bytesText(append([]byte(nil), data...))
	base := offsets[0]
	return func(i int) string { return own[offsets[i]-base : offsets[i+1]-base] }
}

func formatTime(a *arena, d time.Duration) string {
	t := time.Unix(0, 0).UTC().Add(d)
	return a.add(t.AppendFormat(a.scratch(), "15:04:05.999999999"))
}

// appendScaledInt appends n with scale decimal places.
func appendScaledInt(dst []byte, n int64, scale int32) []byte {
	return appendScaled(dst, n < 0, strconv.AppendUint(nil, absInt64(n), 10), scale)
}

// appendScaledBig appends x with scale decimal places.
func appendScaledBig(dst []byte, x *big.Int, scale int32) []byte {
	neg := x.Sign() < 0
	return appendScaled(dst, neg, x.Abs(x).Append(nil, 10), scale)
}

func (s *arrowSource) raw() string {
	return strings.Join(s.vals, ",")
}

func (s *arrowSource) releaseFields() {
	for _, f := range s.fields {
		if f != nil {
			f.Release()
		}
	}
	s.fields = nil
}

func (s *arrowSource) close() error {
	s.releaseFields()
	var err error
	if s.pf != nil {
		err = s.pf.Close() // closes s.f too
	} else {
		err = s.f.Close()
	}
	if errors.Is(err, os.ErrClosed) {
		err = nil
	}
	return err
}
