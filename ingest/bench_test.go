package ingest

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync"
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
	none := func() {}
	plain := filepath.Join(dir, "people.parquet")
	dict := filepath.Join(dir, "people-dict.parquet")
	csvPath := filepath.Join(dir, "people.csv")
	// Each file is written the first time a benchmark selected by -bench
	// needs it, outside the timing.
	writePlain := sync.OnceFunc(func() { writePersons(b, plain, rows, 0) })
	writeDict := sync.OnceFunc(func() {
		writeArrowPeople(b, dict, rows, 64<<10, func(int) bool { return false }, func(int) bool { return false })
	})
	writeCSV := sync.OnceFunc(func() { writePersonsCSV(b, csvPath, rows, ',') })
	dictMapping := Mapping{"addr.line": "address", "addr.commune": "commune_code"}
	files := []struct {
		name, path string
		opts       Options
		rows       int
		write      func()
	}{
		{"parquet/arrow", plain, Options{}, benchRows, writePlain},
		{"parquet/parquet-go", plain, Options{parquetGo: true}, benchRows, writePlain},
		{"parquet-dict/arrow", dict, Options{Mapping: dictMapping}, benchRows, writeDict},
		{"parquet-dict/parquet-go", dict, Options{Mapping: dictMapping, parquetGo: true}, benchRows, writeDict},
		{"csv", csvPath, Options{}, benchRows, writeCSV},
	}
	if p := os.Getenv("INGEST_BENCH_PARQUET"); p != "" {
		files = append(files,
			struct {
				name, path string
				opts       Options
				rows       int
				write      func()
			}{"file/arrow", p, Options{}, -1, none},
			struct {
				name, path string
				opts       Options
				rows       int
				write      func()
			}{"file/parquet-go", p, Options{parquetGo: true}, -1, none})
	}
	for _, f := range files {
		b.Run(f.name, func(b *testing.B) {
			f.write()
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
