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
	reject  func(column, reason, raw string)
}

func openCSV[T any](r *Reader[T], compressed bool) (source, error) {
	f, err := os.Open(r.path)
	if err != nil {
		return nil, err
	}
	s := &csvSource{path: r.path, f: f, reject: r.rejectRow}
	header, err := s.init(compressed)
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

// init opens the stream, sniffs the delimiter and reads the header.
func (s *csvSource) init(compressed bool) ([]string, error) {
	var in io.Reader = s.f
	if compressed {
		gz, err := gzip.NewReader(s.f)
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: %w", s.path, errEmptyFile)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: not a gzip file: %v", s.path, err)
		}
		s.gz = gz
		in = gz
	}
	br := bufio.NewReaderSize(in, 64<<10)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xEF\xBB\xBF")) {
		br.Discard(3)
	}
	head, err := br.Peek(64 << 10)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("%s: %w", s.path, err)
	}
	s.delim = sniffDelimiter(head)
	s.cr = csv.NewReader(br)
	s.cr.Comma = s.delim
	s.cr.FieldsPerRecord = -1
	s.cr.ReuseRecord = true
	header, err := s.cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", s.path, errEmptyFile)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: header: %v", s.path, err)
	}
	header = append([]string(nil), header...)
	s.nfields = len(header)
	return header, nil
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
			return fmt.Errorf("%s: %w", s.path, err)
		}
		s.rec = rec
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
