package ingest

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/doisanh/doisanh/record"
)

const benchRows = 200_000

// BenchmarkRead reads a 200k-row population file of each format, Parquet
// with both readers: as parquet-go writes it (plain pages, what doisanh
// generate writes) and as Arrow writers do (dictionary-encoded strings,
// row groups of 64k rows). With INGEST_BENCH_PARQUET naming a population
// file (a generated population.parquet), that file is read too.
func BenchmarkRead(b *testing.B) {
	dir := b.TempDir()
	rows := people(benchRows)
	plain := filepath.Join(dir, "people.parquet")
	dict := filepath.Join(dir, "people-dict.parquet")
	csvPath := filepath.Join(dir, "people.csv")
	writePersons(b, plain, rows, 0)
	writeArrowPeople(b, dict, rows, 64<<10, func(int) bool { return false }, func(int) bool { return false })
	writePersonsCSV(b, csvPath, rows, ',')
	dictMapping := Mapping{"addr.line": "address", "addr.commune": "commune_code"}
	files := []struct {
		name, path string
		opts       Options
		rows       int
	}{
		{"parquet/arrow", plain, Options{}, benchRows},
		{"parquet/parquet-go", plain, Options{parquetGo: true}, benchRows},
		{"parquet-dict/arrow", dict, Options{Mapping: dictMapping}, benchRows},
		{"parquet-dict/parquet-go", dict, Options{Mapping: dictMapping, parquetGo: true}, benchRows},
		{"csv", csvPath, Options{}, benchRows},
	}
	if p := os.Getenv("INGEST_BENCH_PARQUET"); p != "" {
		files = append(files,
			struct {
				name, path string
				opts       Options
				rows       int
			}{"file/arrow", p, Options{}, -1},
			struct {
				name, path string
				opts       Options
				rows       int
			}{"file/parquet-go", p, Options{parquetGo: true}, -1})
	}
	for _, f := range files {
		b.Run(f.name, func(b *testing.B) {
			batch := make([]record.Person, DefaultBatchSize)
			b.ReportAllocs()
			var read int64
			for b.Loop() {
				r, err := Open(f.path, record.PersonSchema, f.opts)
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
				read = r.Stats().Read
				r.Close()
				if f.rows >= 0 && n != f.rows {
					b.Fatalf("read %d rows, want %d", n, f.rows)
				}
			}
			b.ReportMetric(float64(read)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
