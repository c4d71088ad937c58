package ingest

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	pq "github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/doisanh/doisanh/record"
)

// writeArrowPeople writes rows as a Parquet file the way Arrow writers
// (pyarrow, DuckDB, Spark) do by default: dictionary-encoded strings, here
// in row groups of groupRows, with the address in a nested group
// (addr.line, addr.commune). A row's full_name is null when nullName says
// so, and its whole addr group when nullAddr does.
func writeArrowPeople(t testing.TB, path string, rows []record.Person, groupRows int64, nullName, nullAddr func(int) bool) {
	t.Helper()
	mem := memory.NewGoAllocator()
	addr := arrow.StructOf(
		arrow.Field{Name: "line", Type: arrow.BinaryTypes.String, Nullable: true},
		arrow.Field{Name: "commune", Type: arrow.BinaryTypes.String, Nullable: true})
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "person_id", Type: arrow.BinaryTypes.String},
		{Name: "full_name", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "birth_date", Type: arrow.BinaryTypes.String},
		{Name: "gender", Type: arrow.BinaryTypes.String},
		{Name: "addr", Type: addr, Nullable: true},
		{Name: "old_id", Type: arrow.BinaryTypes.Binary, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	id := b.Field(0).(*array.StringBuilder)
	name := b.Field(1).(*array.StringBuilder)
	birth := b.Field(2).(*array.StringBuilder)
	gender := b.Field(3).(*array.StringBuilder)
	st := b.Field(4).(*array.StructBuilder)
	line := st.FieldBuilder(0).(*array.StringBuilder)
	commune := st.FieldBuilder(1).(*array.StringBuilder)
	old := b.Field(5).(*array.BinaryBuilder)
	for i, p := range rows {
		id.Append(p.PersonID)
		if nullName(i) {
			name.AppendNull()
		} else {
			name.Append(p.FullName)
		}
		birth.Append(p.BirthDate)
		gender.Append(p.Gender)
		if nullAddr(i) {
			st.AppendNull() // and a null in each child
		} else {
			st.Append(true)
			line.Append(p.Address)
			commune.Append(p.CommuneCode)
		}
		if p.OldID == "" {
			old.AppendNull()
		} else {
			old.Append([]byte(p.OldID))
		}
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	props := pq.NewWriterProperties(pq.WithAllocator(mem), pq.WithDictionaryDefault(true),
		pq.WithMaxRowGroupLength(groupRows), pq.WithDictionaryPageSizeLimit(4096))
	w, err := pqarrow.NewFileWriter(schema, f, props, pqarrow.DefaultWriterProps())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestArrowWrittenFile reads a dictionary-encoded, nested Parquet file in
// several row groups with small batches, keeping every row: both readers
// must give the rows written, and the same rejects.
func TestArrowWrittenFile(t *testing.T) {
	rows := people(2000)
	rows[15].Address = "Xóm \xff 1" // not UTF-8
	nullName := func(i int) bool { return i%97 == 3 }
	nullAddr := func(i int) bool { return i%31 == 5 }
	path := filepath.Join(t.TempDir(), "arrow.parquet")
	writeArrowPeople(t, path, rows, 700, nullName, nullAddr)

	// The file holds both kinds of column: low-cardinality ones stay
	// dictionary-encoded, person_id falls back to plain pages.
	pf, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	if pf.NumRowGroups() != 3 {
		t.Errorf("%d row groups, want 3", pf.NumRowGroups())
	}
	dict := map[string]bool{}
	for i := range pf.MetaData().Schema.NumColumns() {
		dict[pf.MetaData().Schema.Column(i).Path()] = dictionaryEncoded(pf, i)
	}
	pf.Close()
	if !dict["gender"] || !dict["addr.commune"] || dict["person_id"] {
		t.Errorf("dictionary-encoded columns: %v", dict)
	}

	var want []record.Person
	var wantRejects []record.Reject
	for i, p := range rows {
		w := record.Person{Row: int64(i + 1), PersonID: p.PersonID, FullName: p.FullName, BirthDate: p.BirthDate,
			Gender: p.Gender, Address: p.Address, CommuneCode: p.CommuneCode, OldID: p.OldID, UTF8: true}
		if nullAddr(i) {
			w.Address, w.CommuneCode = "", ""
		}
		switch {
		case i == 15:
			wantRejects = append(wantRejects, record.Reject{Source: "population", File: path, RowNumber: int64(i + 1),
				Column: "address", Reason: "invalid UTF-8 in column address",
				Raw: p.PersonID + "," + p.OldID + "," + p.FullName + "," + p.BirthDate + "," + p.Gender + `,Xóm \xFF 1,` + p.CommuneCode})
		case nullName(i):
			wantRejects = append(wantRejects, record.Reject{Source: "population", File: path, RowNumber: int64(i + 1),
				Column: "full_name", Reason: "empty full_name"})
		default:
			want = append(want, w)
		}
	}
	mapping := Mapping{"addr.line": "address", "addr.commune": "commune_code"}
	for _, e := range parquetReaders {
		t.Run(e.name, func(t *testing.T) {
			got, st, rejects, err := readFile(t, path, record.PersonSchema, Options{Mapping: mapping, BatchSize: 64, parquetGo: e.parquetGo})
			if err != nil {
				t.Fatal(err)
			}
			if st != (Stats{Read: 2000, Used: int64(len(want)), Rejected: int64(len(wantRejects))}) {
				t.Errorf("stats = %+v", st)
			}
			if !reflect.DeepEqual(got, want) {
				for i := range min(len(got), len(want)) {
					if got[i] != want[i] {
						t.Fatalf("row %d:\n got %+v\nwant %+v", i, got[i], want[i])
					}
				}
				t.Fatalf("%d rows, want %d", len(got), len(want))
			}
			if len(rejects) != len(wantRejects) {
				t.Fatalf("%d rejects, want %d", len(rejects), len(wantRejects))
			}
			for i := range rejects {
				if wantRejects[i].Raw == "" {
					rejects[i].Raw = "" // checked for one reject only
				}
				if rejects[i] != wantRejects[i] {
					t.Errorf("reject %d:\n got %+v\nwant %+v", i, rejects[i], wantRejects[i])
				}
			}
		})
	}
}

// TestIsPlain checks the word-at-a-time test against the byte-by-byte one
// Reader.check uses, at every position of every special byte.
func TestIsPlain(t *testing.T) {
	slow := func(v string) bool {
		ctrl, ascii := scanValue(v)
		return ctrl < 0 && (ascii || utf8.ValidString(v))
	}
	bases := []string{"", "a", "Nguyễn Văn An", "Xóm 6, xã Nghi Phú, TP Vinh, Nghệ An", "0123456789abcdef0123",
		// past validText's threshold: a whole batch's values, checked with AVX2
		strings.Repeat("Nguyễn Thị Hoà|Xóm 6, xã Nghi Phú|", 15)}
	specials := []string{"\x00", "\x01", "\t", "\n", "\r", "\x1b", "\x1f", " ", "\x7f", "\x80", "\xc2", "\xc2\x85",
		"\xc2\xa0", "\xc2\xa8", "\xc2\xc2\x85", "\xc2\xa8\xc2\x9f", "V\xc2\xa8n", "\xc3", "\xff", "\xe1\xbb", "ễ", "\u0085", "\u009f", "\u00a0"}
	n := 0
	for _, b := range bases {
		for _, sp := range specials {
			for at := 0; at <= len(b); at++ {
				v := b[:at] + sp + b[at:]
				if got, want := isPlain(v), slow(v); got != want {
					t.Errorf("isPlain(%q) = %v, want %v", v, got, want)
				}
				n++
			}
		}
		if got, want := isPlain(b), slow(b); got != want {
			t.Errorf("isPlain(%q) = %v, want %v", b, got, want)
		}
	}
	if n < 1000 {
		t.Fatalf("only %d cases", n)
	}
}

// FuzzValidText holds validText (AVX2 for long texts) to utf8.ValidString.
func FuzzValidText(f *testing.F) {
	f.Add("Nguyễn Văn An")
	f.Add(strings.Repeat("Xóm 6, xã Nghi Phú, TP Vinh, Nghệ An ", 20))
	f.Add(strings.Repeat("ễ", 200) + "\xe1\xbb")
	f.Add(strings.Repeat("a", 600) + "\xff")
	f.Fuzz(func(t *testing.T, v string) {
		for _, s := range []string{v, strings.Repeat(v, 600/max(1, len(v))+1)} {
			if got, want := validText(s), utf8.ValidString(s); got != want {
				t.Errorf("validText(%q) = %v, want %v", s, got, want)
			}
		}
	})
}

// FuzzIsPlain holds isPlain to the byte-by-byte test Reader.check uses.
func FuzzIsPlain(f *testing.F) {
	for _, s := range []string{"Nguyễn Văn An", "NguyÔn V\u00a8n An", "ab\xc2\x85cd", "\xc2", "\xc2\xc2\x9f", "Hà\tNội\x7f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		ctrl, ascii := scanValue(v)
		if got, want := isPlain(v), ctrl < 0 && (ascii || utf8.ValidString(v)); got != want {
			t.Errorf("isPlain(%q) = %v, want %v", v, got, want)
		}
	})
}

// TestPlainValues checks the one-pass test of a string batch against the
// test of each value, with characters and C1 controls cut across values.
func TestPlainValues(t *testing.T) {
	tests := [][]string{
		{"Nguyễn Văn An", "Trần Thị Bình", "", "Xóm 6, xã Nghi Phú"},
		{"ab\xc3", "\xa0cd"},  // "à" cut in two: neither value is UTF-8
		{"ab\xc2", "\x85cd"},  // a C1 control cut in two
		{"Lê", "Thị\tHoa"},    // a tab: allowed
		{"Lê", "Thị\x1bHoa"},  // ESC
		{"\xe1\xbb", "\x85x"}, // a three-byte character cut
		{"ễ", "ễ", "\xff"},
		{"a"},
		{"", "", ""},
	}
	mem := memory.NewGoAllocator()
	for _, vals := range tests {
		for _, null := range []bool{false, true} {
			b := array.NewStringBuilder(mem)
			for i, v := range vals {
				if null && i == 1 {
					b.AppendNull()
					continue
				}
				b.Append(v)
			}
			arr := b.NewArray()
			b.Release()
			var c arrowColumn
			dst := make([]string, len(vals))
			plain := make([]bool, len(vals))
			if err := c.fill(arr, nil, dst, plain); err != nil {
				t.Fatal(err)
			}
			for i := range vals {
				want := vals[i]
				if null && i == 1 {
					want = ""
				}
				if dst[i] != want || plain[i] != isPlain(want) {
					t.Errorf("%q (null at 1: %v): value %d = %q plain %v, want %q plain %v",
						vals, null, i, dst[i], plain[i], want, isPlain(want))
				}
			}
			arr.Release()
		}
	}
}
