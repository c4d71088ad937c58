package ingest

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/parquet-go/parquet-go"
)

// csvSample is how much of a CSV file CountRows reads to estimate its rows.
const csvSample = 1 << 20

// CountRows returns the number of data rows of the file at path without
// reading it: exact for Parquet (its metadata), an estimate for a CSV file
// (its size over the mean length of the lines of its first megabyte) and
// -1 for a gzip-compressed CSV file, whose size says little of its rows.
// It is meant for sizing a run before it starts; Open reports the file's
// problems in full.
func CountRows(path string) (rows int64, exact bool, err error) {
	lower := strings.ToLower(path)
	switch {
	case strings.HasSuffix(lower, ".parquet"):
		return parquetRows(path)
	case strings.HasSuffix(lower, ".csv"):
		n, err := csvRows(path)
		return n, false, err
	}
	return -1, false, nil
}

func parquetRows(path string) (rows int64, exact bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, false, err
	}
	defer f.Close()
	defer func() {
		if p := recover(); p != nil {
			rows, exact, err = 0, false, fmt.Errorf("%s: truncated or corrupt Parquet file: %v", path, p)
		}
	}()
	size, err := checkParquetFile(f, path)
	if err != nil {
		return 0, false, err
	}
	pf, err := parquet.OpenFile(f, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return 0, false, fmt.Errorf("%s: truncated or corrupt Parquet file: %s", path, oneLine(err))
	}
	return pf.NumRows(), true, nil
}

// csvRows estimates the data rows of a CSV file: all of them when the
// sample is the whole file, else the file's size over the sample's mean
// line length, less the header.
func csvRows(path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	buf := make([]byte, csvSample)
	n, err := io.ReadFull(f, buf)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	buf = buf[:n]
	lines := int64(bytes.Count(buf, []byte{'\n'}))
	if n > 0 && buf[n-1] != '\n' && int64(n) == st.Size() {
		lines++ // a last line without a newline
	}
	if int64(n) < st.Size() && lines > 0 {
		lines = st.Size() * lines / int64(n)
	}
	if lines > 0 {
		lines-- // the header
	}
	return lines, nil
}
