package ingest

import (
	"errors"
	"io"
	"path/filepath"
	"testing"

	"github.com/doisanh/doisanh/record"
)

const benchRows = 200_000

// BenchmarkRead reads a 200k-row population file of each format.
func BenchmarkRead(b *testing.B) {
	dir := b.TempDir()
	rows := people(benchRows)
	files := []struct{ name, path string }{
		{"parquet", filepath.Join(dir, "people.parquet")},
		{"csv", filepath.Join(dir, "people.csv")},
	}
	writePersons(b, files[0].path, rows, 0)
	writePersonsCSV(b, files[1].path, rows, ',')
	for _, f := range files {
		b.Run(f.name, func(b *testing.B) {
			batch := make([]record.Person, DefaultBatchSize)
			b.ReportAllocs()
			for b.Loop() {
				r, err := Open(f.path, record.PersonSchema, Options{})
				if err != nil {
					b.Fatal(err)
				}
				var n int
				for {
					k, err := r.Next(batch)
					n += k
					if errors.Is(err, io.EOF) {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
				}
				r.Close()
				if n != benchRows {
					b.Fatalf("read %d rows, want %d", n, benchRows)
				}
			}
			b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
