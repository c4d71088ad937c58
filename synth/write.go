package synth

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"
	"golang.org/x/text/encoding/charmap"

	"github.com/doisanh/doisanh/internal/csvcell"
	"github.com/doisanh/doisanh/record"
)

const (
	batchRows    = 4096
	rowGroupRows = 64 * 1024
)

// sink writes rows of one source to NAME.parquet and/or NAME.csv.
type sink[T any] struct {
	paths []string
	files []*os.File
	pw    *parquet.GenericWriter[T]
	bw    *bufio.Writer
	cw    *csv.Writer
	cols  []record.Column[T]
	batch []T
	rec   []string
	rows  int
	// guard guards the CSV cells against formula injection (truth.csv, an
	// output read back by score); the synthetic extracts stay raw, as the
	// inputs they stand for would be.
	guard bool
}

func newSink[T any](dir, name, format string, cols []record.Column[T]) (*sink[T], error) {
	s := &sink[T]{cols: cols, batch: make([]T, 0, batchRows), guard: name == "truth"}
	if format == FormatParquet || format == FormatBoth {
		path := filepath.Join(dir, name+".parquet")
		f, err := os.Create(path)
		if err != nil {
			return nil, err
		}
		s.paths, s.files = append(s.paths, path), append(s.files, f)
		s.pw = parquet.NewGenericWriter[T](f,
			parquet.Compression(&parquet.Snappy),
			parquet.MaxRowsPerRowGroup(rowGroupRows))
	}
	if format == FormatCSV || format == FormatBoth {
		path := filepath.Join(dir, name+".csv")
		f, err := os.Create(path)
		if err != nil {
			s.close()
			return nil, err
		}
		s.paths, s.files = append(s.paths, path), append(s.files, f)
		s.bw = bufio.NewWriterSize(f, 1<<20)
		s.cw = csv.NewWriter(s.bw)
		s.rec = make([]string, len(cols))
		for i, c := range cols {
			s.rec[i] = c.Name
		}
		if err := s.cw.Write(s.rec); err != nil {
			s.close()
			return nil, err
		}
	}
	return s, nil
}

// next returns a slot for the next row; its contents are overwritten.
func (s *sink[T]) next() (*T, error) {
	if len(s.batch) == cap(s.batch) {
		if err := s.flush(); err != nil {
			return nil, err
		}
	}
	s.batch = s.batch[:len(s.batch)+1]
	return &s.batch[len(s.batch)-1], nil
}

func (s *sink[T]) flush() error {
	if len(s.batch) == 0 {
		return nil
	}
	if s.cw != nil {
		for i := range s.batch {
			for j, c := range s.cols {
				s.rec[j] = *c.Field(&s.batch[i])
				if s.guard {
					s.rec[j] = csvcell.Guard(s.rec[j])
				}
			}
			if err := s.cw.Write(s.rec); err != nil {
				return err
			}
		}
	}
	if s.pw != nil {
		for i := range s.batch {
			for _, c := range s.cols {
				if v := c.Field(&s.batch[i]); !utf8.ValidString(*v) {
					*v = misread(*v)
				}
			}
		}
		if _, err := s.pw.Write(s.batch); err != nil {
			return err
		}
	}
	s.rows += len(s.batch)
	s.batch = s.batch[:0]
	return nil
}

// misread returns the legacy 8-bit text s (invalid UTF-8) as an export tool
// that took its bytes for Windows-1252 writes it ("NguyÔn" for TCVN3
// "Nguyễn"). A CSV file keeps the raw bytes, but a Parquet STRING column
// must hold UTF-8, and readers such as DuckDB refuse a file where it does
// not, so this is how legacy text reaches a Parquet extract. Bytes
// Windows-1252 leaves undefined are read as Latin-1.
func misread(s string) string {
	b := make([]byte, 0, 2*len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < utf8.RuneSelf {
			b = append(b, c)
			continue
		}
		r := charmap.Windows1252.DecodeByte(c)
		if r == utf8.RuneError {
			r = rune(c)
		}
		b = utf8.AppendRune(b, r)
	}
	return string(b)
}

// finish flushes and closes the files.
func (s *sink[T]) finish() error {
	err := s.flush()
	if s.pw != nil && err == nil {
		err = s.pw.Close()
	}
	if s.cw != nil && err == nil {
		s.cw.Flush()
		if err = s.cw.Error(); err == nil {
			err = s.bw.Flush()
		}
	}
	return errors.Join(err, s.close())
}

func (s *sink[T]) close() error {
	if s == nil {
		return nil
	}
	var errs []error
	for _, f := range s.files {
		errs = append(errs, f.Close())
	}
	s.files = nil
	return errors.Join(errs...)
}

// appendRows renders n entities of one shard with fill (skipping those
// it reports false for) and appends them to s; twice appends them twice
// over (Options.Twice).
func appendRows[T any](ctx context.Context, s *sink[T], twice bool, n int, fill func(i int, row *T) bool) error {
	total := n
	if twice {
		total = 2 * n
	}
	for j := range total {
		i := j % n
		if j%65536 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		row, err := s.next()
		if err != nil {
			return fmt.Errorf("write %s: %w", s.paths[0], err)
		}
		if !fill(i, row) {
			s.batch = s.batch[:len(s.batch)-1]
		}
	}
	return nil
}

// fileNames are the files of a run, in the order of Report.Files.
var fileNames = [...]string{"population", "tax", "insurance", "civil", "truth"}

// sinks are the five open outputs of a run: every shard appends its rows
// to them, in shard order.
type sinks struct {
	pop   *sink[record.Person]
	tax   *sink[record.TaxRecord]
	ins   *sink[record.InsuranceRecord]
	civil *sink[record.CivilEvent]
	truth *sink[record.Truth]
}

func openSinks(dir, format string) (*sinks, error) {
	var s sinks
	var err error
	open := func(name string, f func() error) {
		if err == nil {
			if err = f(); err != nil {
				err = fmt.Errorf("write %s: %w", name, err)
			}
		}
	}
	open("population", func() (e error) { s.pop, e = newSink(dir, "population", format, record.PersonSchema.Columns); return })
	open("tax", func() (e error) { s.tax, e = newSink(dir, "tax", format, record.TaxSchema.Columns); return })
	open("insurance", func() (e error) {
		s.ins, e = newSink(dir, "insurance", format, record.InsuranceSchema.Columns)
		return
	})
	open("civil", func() (e error) { s.civil, e = newSink(dir, "civil", format, record.CivilSchema.Columns); return })
	open("truth", func() (e error) { s.truth, e = newSink(dir, "truth", format, record.TruthColumns); return })
	if err != nil {
		s.close()
		return nil, err
	}
	return &s, nil
}

// close closes the files without flushing (after an error); it may be
// called again after finish.
func (s *sinks) close() {
	for _, c := range [...]interface{ close() error }{s.pop, s.tax, s.ins, s.civil, s.truth} {
		c.close() // a nil *sink closes nothing

	}
}

// finish flushes and closes the five files and returns their row counts.
func (s *sinks) finish() ([]FileCount, error) {
	errs := []error{s.pop.finish(), s.tax.finish(), s.ins.finish(), s.civil.finish(), s.truth.finish()}
	rows := []int{s.pop.rows, s.tax.rows, s.ins.rows, s.civil.rows, s.truth.rows}
	for i, err := range errs {
		if err != nil {
			errs[i] = fmt.Errorf("write %s: %w", fileNames[i], err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	files := make([]FileCount, len(fileNames))
	for i, n := range fileNames {
		files[i] = FileCount{File: n, Rows: rows[i]}
	}
	return files, nil
}

// writeShard renders the rows of one shard and appends them to the five
// files in parallel, one goroutine each.
func (s *sinks) writeShard(ctx context.Context, m *model, truth []truthRow) error {
	twice := func(name string) bool { return slices.Contains(m.opts.Twice, name) }
	jobs := [...]func() error{
		func() error {
			rd := newRenderer(m, saltPopulation)
			return appendRows(ctx, s.pop, twice("population"), len(m.people), func(i int, row *record.Person) bool {
				if p := &m.people[i]; p.ghost || p.omit {
					return false
				}
				rd.person(i, row)
				return true
			})
		},
		func() error {
			rd := newRenderer(m, saltTax)
			return appendRows(ctx, s.tax, twice("tax"), len(m.tax), func(i int, row *record.TaxRecord) bool {
				if m.tax[i].omit {
					return false
				}
				rd.tax(i, row)
				return true
			})
		},
		func() error {
			rd := newRenderer(m, saltInsurance)
			return appendRows(ctx, s.ins, twice("insurance"), len(m.ins), func(i int, row *record.InsuranceRecord) bool {
				if m.ins[i].omit {
					return false
				}
				rd.insurance(i, row)
				return true
			})
		},
		func() error {
			rd := newRenderer(m, saltCivil)
			return appendRows(ctx, s.civil, twice("civil"), len(m.events), func(i int, row *record.CivilEvent) bool {
				if m.events[i].omit {
					return false
				}
				rd.event(i, row)
				return true
			})
		},
		func() error {
			return appendRows(ctx, s.truth, false, len(truth), func(i int, row *record.Truth) bool {
				*row = truth[i]
				return true
			})
		},
	}
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, job := range jobs {
		wg.Go(func() { errs[i] = job() })
	}
	wg.Wait()
	return errors.Join(errs...)
}
