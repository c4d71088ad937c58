package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/format"
)

// parquetSource reads a Parquet file row group by row group, and within a
// row group only the bound columns, page by page, BatchSize values at a time.
type parquetSource struct {
	path   string
	f      *os.File
	groups []parquet.RowGroup
	group  int   // index of the current row group
	left   int64 // rows of the current row group not yet read
	cols   []*pqColumn
	vals   []string // the current row's values, parallel to cols
	arena  arena
}

// rows returns the rows of all row groups.
func (s *parquetSource) rows() int64 {
	var n int64
	for _, g := range s.groups {
		n += g.NumRows()
	}
	return n
}

// pqColumn is one bound leaf column and its read state.
type pqColumn struct {
	name   string // dotted path in the file
	leaf   int    // leaf column index
	conv   conversion
	scale  int32         // decimal places, for decimals
	unit   time.Duration // tick of a time or timestamp
	utc    bool          // timestamp is adjusted to UTC
	buf    []parquet.Value
	pages  parquet.Pages
	values parquet.ValueReader // current page, nil when a new one is needed
	last   string              // last text value, reused when the next is equal
}

// conversion says how a column's values become text.
type conversion uint8

const (
	convBytes conversion = iota
	convBool
	convInt32
	convUint32
	convInt64
	convUint64
	convFloat
	convDouble
	convDate
	convTime
	convTimestamp
	convInt96
	convDecimal
	convUUID
)

func openParquet[T any](r *Reader[T]) (source, error) {
	f, err := os.Open(r.path)
	if err != nil {
		return nil, err
	}
	s := &parquetSource{path: r.path, f: f, group: -1}
	if err := s.init(r); err != nil {
		f.Close()
		return nil, err
	}
	return s, nil
}

func (s *parquetSource) init(r interface {
	bind([]string) error
	indices() []int
	batchSize() int
}) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%s: truncated or corrupt Parquet file: %s", s.path, oneLine(fmt.Errorf("%v", p)))
		}
	}()
	size, err := checkParquetFile(s.f, s.path)
	if err != nil {
		return err
	}
	pf, err := parquet.OpenFile(s.f, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return fmt.Errorf("%s: truncated or corrupt Parquet file: %s", s.path, oneLine(err))
	}
	schema := pf.Schema()
	paths := schema.Columns()
	headers := make([]string, len(paths))
	for i, p := range paths {
		headers[i] = strings.Join(p, ".")
	}
	if err := r.bind(headers); err != nil {
		return err
	}
	for _, i := range r.indices() {
		leaf, ok := schema.Lookup(paths[i]...)
		if !ok {
			return fmt.Errorf("%s: column %s not found in the schema", s.path, showHeader(headers[i]))
		}
		if leaf.MaxRepetitionLevel > 0 {
			return fmt.Errorf("%s: column %s is repeated (a list); only flat columns can be read", s.path, showHeader(headers[i]))
		}
		c := &pqColumn{name: headers[i], leaf: leaf.ColumnIndex, buf: make([]parquet.Value, r.batchSize())}
		if err := c.setType(leaf.Node.Type()); err != nil {
			return fmt.Errorf("%s: column %s: %v", s.path, showHeader(headers[i]), err)
		}
		s.cols = append(s.cols, c)
	}
	s.groups = pf.RowGroups()
	s.vals = make([]string, len(s.cols))
	return nil
}

// setType chooses the conversion for a column of type t.
func (c *pqColumn) setType(t parquet.Type) error {
	lt := t.LogicalType()
	var ltv format.LogicalTypeValue
	if lt != nil {
		ltv = lt.Value
	}
	ct := deprecated.ConvertedType(-1)
	if p := t.ConvertedType(); p != nil {
		ct = *p
	}
	switch t.Kind() {
	case parquet.Boolean:
		c.conv = convBool
	case parquet.Int32:
		c.conv = convInt32
		switch v := ltv.(type) {
		case *format.DateType:
			c.conv = convDate
		case *format.TimeType:
			c.conv, c.unit = convTime, timeUnit(&v.Unit)
		case *format.IntType:
			if !v.IsSigned {
				c.conv = convUint32
			}
		case *format.DecimalType:
			c.conv, c.scale = convDecimal, v.Scale
		case nil:
			switch ct {
			case deprecated.Date:
				c.conv = convDate
			case deprecated.TimeMillis:
				c.conv, c.unit = convTime, time.Millisecond
			case deprecated.Uint8, deprecated.Uint16, deprecated.Uint32:
				c.conv = convUint32
			}
		}
	case parquet.Int64:
		c.conv = convInt64
		switch v := ltv.(type) {
		case *format.TimestampType:
			c.conv, c.unit, c.utc = convTimestamp, timeUnit(&v.Unit), v.IsAdjustedToUTC
		case *format.TimeType:
			c.conv, c.unit = convTime, timeUnit(&v.Unit)
		case *format.IntType:
			if !v.IsSigned {
				c.conv = convUint64
			}
		case *format.DecimalType:
			c.conv, c.scale = convDecimal, v.Scale
		case nil:
			switch ct {
			case deprecated.TimestampMillis:
				c.conv, c.unit, c.utc = convTimestamp, time.Millisecond, true
			case deprecated.TimestampMicros:
				c.conv, c.unit, c.utc = convTimestamp, time.Microsecond, true
			case deprecated.TimeMicros:
				c.conv, c.unit = convTime, time.Microsecond
			case deprecated.Uint64:
				c.conv = convUint64
			}
		}
	case parquet.Int96:
		c.conv = convInt96
	case parquet.Float:
		c.conv = convFloat
	case parquet.Double:
		c.conv = convDouble
	case parquet.ByteArray, parquet.FixedLenByteArray:
		c.conv = convBytes
		switch v := ltv.(type) {
		case *format.DecimalType:
			c.conv, c.scale = convDecimal, v.Scale
		case *format.UUIDType:
			c.conv = convUUID
		}
	default:
		return fmt.Errorf("unsupported type %s", t)
	}
	return nil
}

func timeUnit(u *format.TimeUnit) time.Duration {
	switch u.Value.(type) {
	case *format.MilliSeconds:
		return time.Millisecond
	case *format.MicroSeconds:
		return time.Microsecond
	}
	return time.Nanosecond
}

func (s *parquetSource) read(limit int, row func([]string)) (err error) {
	defer func() {
		// parquet-go indexes out of range on some corrupt pages: an error
		// naming the file, never a crash.
		if p := recover(); p != nil {
			err = fmt.Errorf("%s: row group %d: corrupt Parquet data: %s", s.path, s.group, oneLine(fmt.Errorf("%v", p)))
		}
	}()
	for done := 0; done < limit; {
		if s.left == 0 {
			if err := s.nextGroup(); err != nil {
				return err
			}
			continue
		}
		k := int(min(int64(limit-done), s.left))
		for _, c := range s.cols {
			k = min(k, len(c.buf))
			if err := c.fill(k); err != nil {
				return fmt.Errorf("%s: row group %d, column %s: %s", s.path, s.group, c.name, oneLine(err))
			}
		}
		s.left -= int64(k)
		for i := range k {
			for j, c := range s.cols {
				s.vals[j] = c.text(c.buf[i], &s.arena)
			}
			row(s.vals)
		}
		done += k
	}
	return nil
}

// nextGroup moves to the next row group, or returns io.EOF after the last.
func (s *parquetSource) nextGroup() error {
	if err := s.closePages(); err != nil {
		return fmt.Errorf("%s: %w", s.path, err)
	}
	s.group++
	if s.group >= len(s.groups) {
		return io.EOF
	}
	g := s.groups[s.group]
	chunks := g.ColumnChunks()
	for _, c := range s.cols {
		c.pages = chunks[c.leaf].Pages()
		c.values = nil
	}
	s.left = g.NumRows()
	return nil
}

// fill reads the next k values of the column into c.buf[:k].
func (c *pqColumn) fill(k int) error {
	for got := 0; got < k; {
		if c.values == nil {
			p, err := c.pages.ReadPage()
			if errors.Is(err, io.EOF) {
				return errors.New("column chunk has fewer values than the row group has rows")
			}
			if err != nil {
				return err
			}
			c.values = p.Values()
		}
		n, err := c.values.ReadValues(c.buf[got:k])
		got += n
		if errors.Is(err, io.EOF) {
			c.values = nil
			continue
		}
		if err != nil {
			return err
		}
		if n == 0 {
			return errors.New("page returned no values")
		}
	}
	return nil
}

// text returns v as text; byte values are copied into a.
func (c *pqColumn) text(v parquet.Value, a *arena) string {
	if v.IsNull() {
		return ""
	}
	var s string
	switch c.conv {
	case convBytes:
		b := v.ByteArray()
		if string(b) == c.last {
			return c.last
		}
		s = a.copy(b)
	case convBool:
		if v.Boolean() {
			return "true"
		}
		return "false"
	case convInt32:
		s = a.add(strconv.AppendInt(a.scratch(), int64(v.Int32()), 10))
	case convUint32:
		s = a.add(strconv.AppendUint(a.scratch(), uint64(uint32(v.Int32())), 10))
	case convInt64:
		s = a.add(strconv.AppendInt(a.scratch(), v.Int64(), 10))
	case convUint64:
		s = a.add(strconv.AppendUint(a.scratch(), uint64(v.Int64()), 10))
	case convFloat:
		s = a.add(strconv.AppendFloat(a.scratch(), float64(v.Float()), 'f', -1, 32))
	case convDouble:
		s = a.add(strconv.AppendFloat(a.scratch(), v.Double(), 'f', -1, 64))
	case convDate:
		t := time.Unix(int64(v.Int32())*86400, 0).UTC()
		s = a.add(t.AppendFormat(a.scratch(), time.DateOnly))
	case convTime:
		var d time.Duration
		if v.Kind() == parquet.Int32 {
			d = time.Duration(v.Int32()) * c.unit
		} else {
			d = time.Duration(v.Int64()) * c.unit
		}
		t := time.Unix(0, 0).UTC().Add(d)
		s = a.add(t.AppendFormat(a.scratch(), "15:04:05.999999999"))
	case convTimestamp:
		n := v.Int64()
		var t time.Time
		switch c.unit {
		case time.Millisecond:
			t = time.UnixMilli(n)
		case time.Microsecond:
			t = time.UnixMicro(n)
		default:
			t = time.Unix(0, n)
		}
		s = formatTimestamp(a, t, c.utc)
	case convInt96:
		s = formatTimestamp(a, int96Time(v.Int96()), true)
	case convDecimal:
		s = a.add(appendDecimal(a.scratch(), v, c.scale))
	case convUUID:
		s = a.add(appendUUID(a.scratch(), v.ByteArray()))
	}
	c.last = s
	return s
}

func formatTimestamp(a *arena, t time.Time, utc bool) string {
	layout := "2006-01-02T15:04:05.999999999"
	if utc {
		layout = time.RFC3339Nano
	}
	return a.add(t.UTC().AppendFormat(a.scratch(), layout))
}

// int96Time decodes a legacy INT96 timestamp: nanoseconds of the day, then
// the Julian day number.
func int96Time(i deprecated.Int96) time.Time {
	nanos := int64(i[1])<<32 | int64(i[0])
	days := int64(i[2]) - 2440588 // Julian day of 1970-01-01
	return time.Unix(days*86400, nanos).UTC()
}

// appendDecimal appends the unscaled integer of v with scale decimal places.
func appendDecimal(dst []byte, v parquet.Value, scale int32) []byte {
	var digits []byte
	neg := false
	switch v.Kind() {
	case parquet.Int32, parquet.Int64:
		n := v.Int64()
		if v.Kind() == parquet.Int32 {
			n = int64(v.Int32())
		}
		neg = n < 0
		digits = strconv.AppendUint(nil, absInt64(n), 10)
	default:
		b := v.ByteArray()
		x := new(big.Int).SetBytes(b)
		if len(b) > 0 && b[0]&0x80 != 0 { // two's complement negative
			x.Sub(x, new(big.Int).Lsh(big.NewInt(1), uint(len(b)*8)))
		}
		neg = x.Sign() < 0
		digits = x.Abs(x).Append(nil, 10)
	}
	return appendScaled(dst, neg, digits, scale)
}

// appendScaled appends the decimal digits of an unscaled integer (its
// sign apart) with scale decimal places.
func appendScaled(dst []byte, neg bool, digits []byte, scale int32) []byte {
	if neg {
		dst = append(dst, '-')
	}
	if scale <= 0 {
		return append(dst, digits...)
	}
	sc := int(scale)
	if len(digits) <= sc {
		dst = append(dst, '0', '.')
		dst = append(dst, bytes.Repeat([]byte{'0'}, sc-len(digits))...)
		return append(dst, digits...)
	}
	dst = append(dst, digits[:len(digits)-sc]...)
	dst = append(dst, '.')
	return append(dst, digits[len(digits)-sc:]...)
}

func absInt64(n int64) uint64 {
	if n < 0 {
		return uint64(-(n + 1)) + 1
	}
	return uint64(n)
}

func appendUUID(dst, b []byte) []byte {
	const hex = "0123456789abcdef"
	for i, c := range b {
		if len(b) == 16 && (i == 4 || i == 6 || i == 8 || i == 10) {
			dst = append(dst, '-')
		}
		dst = append(dst, hex[c>>4], hex[c&15])
	}
	return dst
}

func (s *parquetSource) raw() string {
	return strings.Join(s.vals, ",")
}

func (s *parquetSource) closePages() error {
	var errs []error
	for _, c := range s.cols {
		if c.pages != nil {
			errs = append(errs, c.pages.Close())
			c.pages, c.values = nil, nil
		}
	}
	return errors.Join(errs...)
}

func (s *parquetSource) close() error {
	return errors.Join(s.closePages(), s.f.Close())
}

// oneLine returns err's text on one line.
// oneLine renders err on one line, its raw bytes escaped (a library
// error may quote bytes of the file).
func oneLine(err error) string {
	return Printable(strings.Join(strings.Fields(err.Error()), " "))
}

// arena hands out strings whose bytes live in large shared chunks, so that a
// batch of values costs a few allocations instead of one per value. A chunk
// is only ever appended to: bytes behind a string handed out are never
// written again, so the strings stay valid and immutable for as long as they
// are referenced (which also keeps their whole chunk alive).
type arena struct {
	buf []byte
}

const arenaChunk = 64 << 10

// scratch returns the free tail of the current chunk, with room for at least
// 64 bytes, to append one value to; add then claims what was appended.
func (a *arena) scratch() []byte {
	if cap(a.buf)-len(a.buf) < 64 {
		a.buf = make([]byte, 0, arenaChunk)
	}
	return a.buf[len(a.buf):]
}

// add claims b, which was appended to scratch(), and returns it as a string.
// If the append outgrew the chunk, b is its own allocation and is used as is.
func (a *arena) add(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	tail := a.buf[len(a.buf):cap(a.buf)]
	if len(tail) >= len(b) && &tail[0] == &b[0] {
		a.buf = a.buf[:len(a.buf)+len(b)]
	}
	return unsafe.String(&b[0], len(b))
}

// copy returns a string with the bytes of b, stored in the arena.
func (a *arena) copy(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > arenaChunk/4 {
		return string(b)
	}
	if cap(a.buf)-len(a.buf) < len(b) {
		a.buf = make([]byte, 0, arenaChunk)
	}
	off := len(a.buf)
	a.buf = append(a.buf, b...)
	return unsafe.String(&a.buf[off], len(b))
}

// checkParquetFile returns the size of the Parquet file f (named path in
// errors), or an error when it is empty or does not start with the Parquet
// magic bytes.
func checkParquetFile(f *os.File, path string) (int64, error) {
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if st.Size() == 0 {
		return 0, fmt.Errorf("%s: %w", path, errEmptyFile)
	}
	var magic [4]byte
	if _, err := f.ReadAt(magic[:], 0); err != nil || string(magic[:]) != "PAR1" {
		return 0, fmt.Errorf("%s: not a Parquet file (it does not start with PAR1)", path)
	}
	return st.Size(), nil
}
