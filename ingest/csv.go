package ingest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/text/transform"

	"github.com/doisanh/doisanh/normalize"
)

// csvSource reads a CSV file, plain or gzip-compressed.
type csvSource struct {
	path    string
	f       *os.File
	gz      *gzip.Reader
	cr      *csv.Reader
	delim   rune
	nfields int      // fields in the header
	idx     []int    // field of each bound column
	vals    []string // values of the bound columns of the current row
	rec     []string // the current row, reused by cr
	line    int      // the line the last row read started on
	text    string   // the Unicode encoding found: UTF-8, UTF-16LE, ...
	reject  func(column, reason, raw string)
}

func openCSV[T any](r *Reader[T], compressed bool) (source, error) {
	f, err := os.Open(r.path)
	if err != nil {
		return nil, err
	}
	s := &csvSource{path: r.path, f: f, reject: r.rejectRow}
	auto := strings.TrimSpace(r.opts.Encoding) == "" || strings.EqualFold(strings.TrimSpace(r.opts.Encoding), EncodingAuto)
	header, enc, err := s.init(compressed, auto)
	if err == nil && enc != normalize.EncodingUnicode {
		r.enc = enc
	}
	if err == nil && r.enc != normalize.EncodingUnicode {
		for i, h := range header {
			if d, ok := normalize.DecodeAs(h, r.enc); ok {
				header[i] = d
			}
		}
	}
	if err == nil {
		err = r.bind(header)
	}
	if err != nil {
		s.close()
		return nil, err
	}
	s.idx = r.indices()
	s.vals = make([]string, len(s.idx))
	return s, nil
}

// init opens the stream, sniffs its text encoding and delimiter and reads
// the header. With auto, it also looks for a whole file in a legacy
// encoding (sniffLegacy) and returns it.
func (s *csvSource) init(compressed, auto bool) ([]string, normalize.Encoding, error) {
	legacy := normalize.EncodingUnicode
	var in io.Reader = s.f
	if compressed {
		gz, err := gzip.NewReader(s.f)
		if errors.Is(err, io.EOF) {
			return nil, legacy, fmt.Errorf("%s: %w", s.path, errEmptyFile)
		}
		if err != nil {
			return nil, legacy, fmt.Errorf("%s: not a gzip file: %v", s.path, err)
		}
		s.gz = gz
		in = gz
	}
	br := bufio.NewReaderSize(in, 64<<10)
	first, err := br.Peek(1024)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, legacy, fmt.Errorf("%s: %w", s.path, err)
	}
	if c := sniffContent(first); c != contentText {
		name, fix := c.describe()
		if compressed {
			return nil, legacy, fmt.Errorf("%s: the gzip file holds %s, not CSV text; %s", s.path, name, fix)
		}
		return nil, legacy, mismatch(s.path, contentText, c)
	}
	te := sniffUnicode(first)
	s.text = te.name
	switch {
	case te.unicode != nil:
		br = bufio.NewReaderSize(transform.NewReader(br, te.unicode.NewDecoder()), 64<<10)
	case te.bom > 0:
		br.Discard(te.bom)
	}
	head, err := br.Peek(64 << 10)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, legacy, fmt.Errorf("%s: reading it as %s: %w", s.path, te.name, err)
	}
	s.delim = sniffDelimiter(head)
	if auto && te.unicode == nil {
		legacy = sniffLegacy(head, byte(s.delim))
	}
	s.cr = csv.NewReader(br)
	s.cr.Comma = s.delim
	s.cr.FieldsPerRecord = -1
	s.cr.ReuseRecord = true
	header, err := s.cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, legacy, fmt.Errorf("%s: %w", s.path, errEmptyFile)
	}
	if err != nil {
		return nil, legacy, fmt.Errorf("%s: header: %v", s.path, err)
	}
	header = append([]string(nil), header...)
	s.nfields = len(header)
	s.line = 1
	return header, legacy, nil
}

// sniffDelimiter returns ';' if the first non-blank line of head has more
// semicolons than commas outside quotes, else ','.
func sniffDelimiter(head []byte) rune {
	head = bytes.TrimLeft(head, "\r\n")
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	commas, semis := 0, 0
	quoted := false
	for _, c := range head {
		switch c {
		case '"':
			quoted = !quoted
		case ',':
			if !quoted {
				commas++
			}
		case ';':
			if !quoted {
				semis++
			}
		}
	}
	if semis > commas {
		return ';'
	}
	return ','
}

func (s *csvSource) read(limit int, row func([]string)) error {
	for emitted := 0; emitted < limit; {
		rec, err := s.cr.Read()
		if errors.Is(err, io.EOF) {
			return io.EOF
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			s.rec = nil
			s.reject("", fmt.Sprintf("bad CSV at line %d: %v", pe.Line, pe.Err), "")
			continue
		}
		if err != nil {
			what := "read error"
			if s.gz != nil {
				what = "corrupt or truncated gzip data"
			}
			return fmt.Errorf("%s: %s after line %d: %w", s.path, what, s.line, err)
		}
		s.rec = rec
		s.line, _ = s.cr.FieldPos(0)
		if len(rec) != s.nfields {
			s.reject("", fmt.Sprintf("row has %d fields, header has %d", len(rec), s.nfields), s.raw())
			continue
		}
		for i, j := range s.idx {
			s.vals[i] = rec[j]
		}
		row(s.vals)
		emitted++
	}
	return nil
}

func (s *csvSource) raw() string {
	return strings.Join(s.rec, string(s.delim))
}

func (s *csvSource) close() error {
	var err error
	if s.gz != nil {
		err = s.gz.Close()
	}
	return errors.Join(err, s.f.Close())
}
