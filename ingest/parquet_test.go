package ingest

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/doisanh/doisanh/normalize"
	"github.com/doisanh/doisanh/record"
	"github.com/parquet-go/parquet-go"
)

// parquetReaders are the two Parquet readers the tests run against.
var parquetReaders = []struct {
	name      string
	parquetGo bool
}{{"arrow", false}, {"parquet-go", true}}

// writePersons writes rows as a Parquet file with groupRows rows per row
// group (0: one group).
func writePersons(t testing.TB, path string, rows []record.Person, groupRows int64) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var opts []parquet.WriterOption
	if groupRows > 0 {
		opts = append(opts, parquet.MaxRowsPerRowGroup(groupRows))
	}
	w := parquet.NewGenericWriter[record.Person](f, opts...)
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// writePersonsCSV writes rows as CSV with the schema's canonical headers.
func writePersonsCSV(t testing.TB, path string, rows []record.Person, comma rune) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := csv.NewWriter(f)
	w.Comma = comma
	schema := record.PersonSchema
	w.Write(columnNames(schema))
	rec := make([]string, len(schema.Columns))
	for i := range rows {
		for j, c := range schema.Columns {
			rec[j] = *c.Field(&rows[i])
		}
		w.Write(rec)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
}

// people returns n varied, realistic population rows.
func people(n int) []record.Person {
	family := []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ"}
	given := []string{"Văn An", "Thị Bình", "Hữu Cường", "Thị Dung", "Minh Đức", "Thị Hoa", "Quang Huy", "Ngọc Lan"}
	rows := make([]record.Person, n)
	for i := range rows {
		id := 40090000000 + int64(i)
		rows[i] = record.Person{
			PersonID:    "0" + strconv.FormatInt(id, 10),
			FullName:    family[i%len(family)] + " " + given[i%len(given)],
			BirthDate:   strconv.Itoa(1+i%28) + "/" + strconv.Itoa(1+i%12) + "/" + strconv.Itoa(1940+i%80),
			Gender:      [...]string{"Nam", "Nữ"}[i%2],
			HouseholdID: "HK" + strconv.Itoa(i/4),
			Relation:    [...]string{"Chủ hộ", "Vợ", "Con", "Con"}[i%4],
			FatherName:  family[i%len(family)] + " Văn " + strconv.Itoa(i),
			MotherName:  family[(i+3)%len(family)] + " Thị " + strconv.Itoa(i),
			Address:     "Xóm " + strconv.Itoa(i%30) + ", xã Nghi Phú, TP Vinh, Nghệ An",
			CommuneCode: strconv.Itoa(17400 + i%50),
			Status:      "alive",
		}
		if i%7 == 0 {
			rows[i].OldID = strconv.Itoa(180000000 + i)
		}
	}
	return rows
}

func TestParquetMatchesCSV(t *testing.T) {
	for _, e := range parquetReaders {
		t.Run(e.name, func(t *testing.T) {
			dir := t.TempDir()
			rows := people(1000)
			rows[10].FullName = "" // rejected in both
			rows[20].PersonID = "  "
			pq := filepath.Join(dir, "people.parquet")
			cs := filepath.Join(dir, "people.csv")
			writePersons(t, pq, rows, 300)
			writePersonsCSV(t, cs, rows, ';')
			fromPQ, stPQ, rjPQ, err := readFile(t, pq, record.PersonSchema, Options{BatchSize: 128, parquetGo: e.parquetGo})
			if err != nil {
				t.Fatal(err)
			}
			fromCSV, stCSV, rjCSV, err := readFile(t, cs, record.PersonSchema, Options{BatchSize: 100})
			if err != nil {
				t.Fatal(err)
			}
			if stPQ != stCSV || stPQ != (Stats{Read: 1000, Used: 998, Rejected: 2}) {
				t.Errorf("stats: parquet %+v, csv %+v", stPQ, stCSV)
			}
			if !reflect.DeepEqual(fromPQ, fromCSV) {
				for i := range min(len(fromPQ), len(fromCSV)) {
					if fromPQ[i] != fromCSV[i] {
						t.Fatalf("row %d differs:\nparquet %+v\n    csv %+v", i, fromPQ[i], fromCSV[i])
					}
				}
				t.Fatalf("parquet gives %d rows, csv %d", len(fromPQ), len(fromCSV))
			}
			want := rows[:0:0]
			for i, p := range rows {
				if i != 10 && i != 20 {
					p.Row, p.UTF8 = int64(i+1), true
					want = append(want, p)
				}
			}
			if !reflect.DeepEqual(fromPQ, want) {
				t.Error("parquet rows differ from the rows written")
			}
			if len(rjPQ) != 2 || rjPQ[0].RowNumber != 11 || rjPQ[0].Reason != "empty full_name" ||
				rjPQ[1].RowNumber != 21 || rjPQ[1].Reason != "empty person_id" || rjPQ[1].Column != "person_id" {
				t.Errorf("parquet rejects = %+v", rjPQ)
			}
			for i := range rjPQ {
				if rjPQ[i].RowNumber != rjCSV[i].RowNumber || rjPQ[i].Reason != rjCSV[i].Reason {
					t.Errorf("reject %d: parquet %+v, csv %+v", i, rjPQ[i], rjCSV[i])
				}
			}
			if !strings.HasPrefix(rjPQ[1].Raw, "  ,") || !strings.Contains(rjCSV[1].Raw, ";") {
				t.Errorf("raw: parquet %q, csv %q", rjPQ[1].Raw, rjCSV[1].Raw)
			}
		})
	}
}

func TestParquetTypes(t *testing.T) {
	for _, e := range parquetReaders {
		t.Run(e.name, func(t *testing.T) {
			schema := parquet.NewSchema("people", parquet.Group{
				"ID":           parquet.Leaf(parquet.Int64Type),
				"Ho ten":       parquet.Optional(parquet.String()),
				"ngay_sinh":    parquet.Optional(parquet.Date()),
				"gender":       parquet.Leaf(parquet.BooleanType),
				"household_id": parquet.Leaf(parquet.DoubleType),
				"commune_code": parquet.Leaf(parquet.Int32Type),
				"old_id":       parquet.Optional(parquet.Uint(32)),
				"spouse_id":    parquet.Leaf(parquet.FloatType),
				"father_id":    parquet.Decimal(2, 9, parquet.Int32Type),
				"mother_id":    parquet.Optional(parquet.Timestamp(parquet.Millisecond)),
				"address":      parquet.Optional(parquet.Leaf(parquet.ByteArrayType)),
				"status":       parquet.Optional(parquet.Leaf(parquet.Int64Type)),
				"unused":       parquet.String(),
			})
			path := filepath.Join(t.TempDir(), "types.parquet")
			f, err := os.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			w := parquet.NewWriter(f, schema)
			rows := []map[string]any{
				{"ID": int64(1090000001), "Ho ten": "Nguyễn Văn An", "ngay_sinh": int32(7336),
					"gender": true, "household_id": 12345.0, "commune_code": int32(17425), "old_id": uint32(4000000000),
					"spouse_id": float32(1.5), "father_id": int32(-12345), "mother_id": time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC),
					"address": []byte("Xóm 1"), "status": int64(-7), "unused": "x"},
				{"ID": int64(2), "Ho ten": nil, "ngay_sinh": nil, "gender": false, "household_id": 0.25,
					"commune_code": int32(-1), "old_id": nil, "spouse_id": float32(3), "father_id": int32(5),
					"mother_id": nil, "address": nil, "status": nil, "unused": "y"},
				{"ID": int64(3), "Ho ten": "Lê Thị C", "ngay_sinh": int32(-1),
					"gender": false, "household_id": -2.0, "commune_code": int32(0), "old_id": uint32(7),
					"spouse_id": float32(-0.5), "father_id": int32(100), "mother_id": time.Date(1960, 1, 1, 0, 0, 0, 500e6, time.UTC),
					"address": []byte("\xff\xfe"), "status": int64(0), "unused": "z"},
				{"ID": int64(4), "Ho ten": "Võ D", "ngay_sinh": nil, "gender": true, "household_id": 1e15,
					"commune_code": int32(1), "old_id": nil, "spouse_id": float32(0), "father_id": int32(0),
					"mother_id": nil, "address": nil, "status": nil, "unused": ""},
			}
			for _, r := range rows {
				if err := w.Write(r); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			f.Close()

			mapping := Mapping{"id": "person_id", "HỌ TÊN": "full_name", "Ngày Sinh": "birth_date"}
			got, st, rejects, err := readFile(t, path, record.PersonSchema, Options{Mapping: mapping, parquetGo: e.parquetGo})
			if err != nil {
				t.Fatal(err)
			}
			want := []record.Person{
				{Row: 1, PersonID: "1090000001", FullName: "Nguyễn Văn An", BirthDate: "1990-02-01", Gender: "true",
					HouseholdID: "12345", CommuneCode: "17425", OldID: "4000000000", SpouseID: "1.5", FatherID: "-123.45",
					MotherID: "2024-05-06T07:08:09Z", Address: "Xóm 1", Status: "-7", UTF8: true},
				{Row: 4, PersonID: "4", FullName: "Võ D", Gender: "true", HouseholdID: "1000000000000000",
					CommuneCode: "1", SpouseID: "0", FatherID: "0.00", UTF8: true},
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("rows:\n got %+v\nwant %+v", got, want)
			}
			if st != (Stats{Read: 4, Used: 2, Rejected: 2}) {
				t.Errorf("stats = %+v", st)
			}
			wantRejects := []record.Reject{
				{Source: "population", File: path, RowNumber: 2, Column: "full_name", Reason: "empty full_name",
					Raw: "2,,,,false,0.25,3,0.05,,,-1,"}, // mapped columns, schema order
				{Source: "population", File: path, RowNumber: 3, Column: "address", Reason: "invalid UTF-8 in column address",
					Raw: `3,7,Lê Thị C,1969-12-31,false,-2,-0.5,1.00,1960-01-01T00:00:00.5Z,\xFF\xFE,0,0`},
			}
			if !reflect.DeepEqual(rejects, wantRejects) {
				t.Errorf("rejects:\n got %+v\nwant %+v", rejects, wantRejects)
			}
		})
	}
}

func TestParquetOpenErrors(t *testing.T) {
	for _, e := range parquetReaders {
		t.Run(e.name, func(t *testing.T) {
			dir := t.TempDir()
			good := filepath.Join(dir, "good.parquet")
			writePersons(t, good, people(50), 0)
			data, err := os.ReadFile(good)
			if err != nil {
				t.Fatal(err)
			}
			truncated := filepath.Join(dir, "truncated.parquet")
			os.WriteFile(truncated, data[:len(data)/2], 0o644)
			headOnly := filepath.Join(dir, "head.PARQUET")
			os.WriteFile(headOnly, data[:4], 0o644)
			noTail := filepath.Join(dir, "notail.parquet")
			os.WriteFile(noTail, data[:len(data)-1], 0o644)
			empty := filepath.Join(dir, "empty.parquet")
			os.WriteFile(empty, nil, 0o644)
			tests := []struct{ path, want string }{
				{fixture("not_parquet.parquet"), "not_parquet.parquet: looks like a text (CSV) file, not a Parquet file; rename it to .csv"},
				{truncated, "truncated.parquet: truncated or corrupt Parquet file"},
				{headOnly, "head.PARQUET: truncated or corrupt Parquet file"},
				{noTail, "notail.parquet: truncated or corrupt Parquet file"},
				{empty, "empty.parquet: empty file (no header)"},
			}
			for _, tt := range tests {
				r, err := Open(tt.path, record.PersonSchema, Options{parquetGo: e.parquetGo})
				if err == nil {
					r.Close()
					t.Errorf("Open(%s) succeeded", tt.path)
					continue
				}
				if !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
					t.Errorf("Open(%s) = %q, want one line containing %q", filepath.Base(tt.path), err, tt.want)
				}
			}

			// A missing column in Parquet names the file, the column and the headers.
			tax := filepath.Join(dir, "tax.parquet")
			writePersons(t, tax, people(3), 0)
			_, err = Open(tax, record.TaxSchema, Options{parquetGo: e.parquetGo})
			if err == nil || !strings.Contains(err.Error(), "tax.parquet: missing required column tax_code (headers found: person_id, old_id, full_name") {
				t.Errorf("Open as tax = %v", err)
			}
		})
	}
}

// TestParquetCorruptPage checks that a damaged page is an error from Next
// naming the file, not a panic or a silent stop.
func TestParquetCorruptPage(t *testing.T) {
	for _, e := range parquetReaders {
		t.Run(e.name, func(t *testing.T) {
			dir := t.TempDir()
			good := filepath.Join(dir, "good.parquet")
			writePersons(t, good, people(2000), 0)
			data, err := os.ReadFile(good)
			if err != nil {
				t.Fatal(err)
			}
			for i := 4; i < len(data)/2; i++ {
				data[i] ^= 0x5a
			}
			bad := filepath.Join(dir, "bad.parquet")
			os.WriteFile(bad, data, 0o644)
			_, st, _, err := readFile(t, bad, record.PersonSchema, Options{parquetGo: e.parquetGo})
			if err == nil {
				t.Fatalf("read a corrupt file without error: %+v", st)
			}
			if !strings.Contains(err.Error(), "bad.parquet: row group 0, column ") {
				t.Errorf("error = %q", err)
			}
		})
	}
}

func TestParquetRepeatedColumn(t *testing.T) {
	for _, e := range parquetReaders {
		t.Run(e.name, func(t *testing.T) {
			type row struct {
				PersonID  string   `parquet:"person_id"`
				FullName  []string `parquet:"full_name,list"`
				BirthDate string   `parquet:"birth_date"`
				Gender    string   `parquet:"gender"`
			}
			path := filepath.Join(t.TempDir(), "rep.parquet")
			if err := parquet.WriteFile(path, []row{{"1", []string{"a", "b"}, "2000", "Nam"}}); err != nil {
				t.Fatal(err)
			}
			_, err := Open(path, record.PersonSchema, Options{Mapping: Mapping{"full_name.list.element": "full_name"}, parquetGo: e.parquetGo})
			if err == nil || !strings.Contains(err.Error(), "rep.parquet: column full_name.list.element is repeated") {
				t.Errorf("Open = %v", err)
			}
		})
	}
}

func TestArena(t *testing.T) {
	var a arena
	var got []string
	var want []string
	for i := range 20000 {
		s := strings.Repeat(string(rune('a'+i%26)), i%50)
		got = append(got, a.copy([]byte(s)))
		want = append(want, s)
		n := strconv.AppendInt(a.scratch(), int64(i), 10)
		got = append(got, a.add(n))
		want = append(want, strconv.Itoa(i))
	}
	big := []byte(strings.Repeat("x", arenaChunk))
	got = append(got, a.copy(big))
	want = append(want, string(big))
	big[0] = 'y' // the arena copied it
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("string %d = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestAppendDecimal(t *testing.T) {
	tests := []struct {
		v     parquet.Value
		scale int32
		want  string
	}{
		{parquet.ValueOf(int32(12345)), 2, "123.45"},
		{parquet.ValueOf(int32(-12345)), 2, "-123.45"},
		{parquet.ValueOf(int32(5)), 3, "0.005"},
		{parquet.ValueOf(int32(-5)), 1, "-0.5"},
		{parquet.ValueOf(int64(0)), 2, "0.00"},
		{parquet.ValueOf(int64(-9223372036854775808)), 0, "-9223372036854775808"},
		{parquet.ValueOf(int64(123456789012)), 4, "12345678.9012"},
		{parquet.ValueOf([]byte{0x30, 0x39}), 2, "123.45"},  // 12345
		{parquet.ValueOf([]byte{0xcf, 0xc7}), 2, "-123.45"}, // -12345, two's complement
		{parquet.ValueOf([]byte{0xff}), 0, "-1"},
		{parquet.ValueOf([]byte{0x00, 0x00, 0x01}), 3, "0.001"},
	}
	for _, tt := range tests {
		if got := string(appendDecimal(nil, tt.v, tt.scale)); got != tt.want {
			t.Errorf("appendDecimal(%v, %d) = %q, want %q", tt.v, tt.scale, got, tt.want)
		}
	}
}

func TestInt96Time(t *testing.T) {
	tests := []struct {
		day   uint32
		nanos int64
		want  string
	}{
		{2440588, 0, "1970-01-01T00:00:00Z"},
		{2440589, int64(time.Hour + 500*time.Millisecond), "1970-01-02T01:00:00.5Z"},
		{2451545, int64(12 * time.Hour), "2000-01-01T12:00:00Z"},
		{2440587, 0, "1969-12-31T00:00:00Z"},
	}
	for _, tt := range tests {
		got := int96Time([3]uint32{uint32(tt.nanos), uint32(tt.nanos >> 32), tt.day}).Format(time.RFC3339Nano)
		if got != tt.want {
			t.Errorf("int96Time(day %d, %d ns) = %s, want %s", tt.day, tt.nanos, got, tt.want)
		}
	}
}

func TestAppendUUID(t *testing.T) {
	b := []byte{0x12, 0x3e, 0x45, 0x67, 0xe8, 0x9b, 0x12, 0xd3, 0xa4, 0x56, 0x42, 0x66, 0x14, 0x17, 0x40, 0x00}
	if got, want := string(appendUUID(nil, b)), "123e4567-e89b-12d3-a456-426614174000"; got != want {
		t.Errorf("appendUUID = %s, want %s", got, want)
	}
	if got := string(appendUUID(nil, []byte{0xab, 0x01})); got != "ab01" {
		t.Errorf("appendUUID of 2 bytes = %s", got)
	}
}

func TestRowsHint(t *testing.T) {
	for _, e := range parquetReaders {
		t.Run(e.name, func(t *testing.T) {
			dir := t.TempDir()
			rows := people(1000)
			pq := filepath.Join(dir, "people.parquet")
			cs := filepath.Join(dir, "people.csv")
			writePersons(t, pq, rows, 300)
			writePersonsCSV(t, cs, rows, ',')
			for path, want := range map[string]int64{pq: 1000, cs: -1} {
				r, err := Open(path, record.PersonSchema, Options{parquetGo: e.parquetGo})
				if err != nil {
					t.Fatal(err)
				}
				if got := r.RowsHint(); got != want {
					t.Errorf("%s: RowsHint = %d, want %d", filepath.Base(path), got, want)
				}
				r.Close()
			}
		})
	}
}

// TestParquetCorruptBytes flips bytes all over a Parquet file (pages,
// dictionaries, footer): each read ends in rows or in an error naming the
// file on one line, never in a panic.
func TestParquetCorruptBytes(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.parquet")
	writeArrowPeople(t, good, people(3000), 1000, func(i int) bool { return i%5 == 0 }, func(int) bool { return false })
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	mapping := Mapping{"addr.line": "address", "addr.commune": "commune_code"}
	for _, e := range parquetReaders {
		t.Run(e.name, func(t *testing.T) {
			failed := 0
			for pos := 4; pos < len(data)-8; pos += len(data) / 60 {
				for _, mask := range []byte{0x80, 0xff} {
					d := slices.Clone(data)
					d[pos] ^= mask
					bad := filepath.Join(dir, "bad-"+e.name+".parquet")
					if err := os.WriteFile(bad, d, 0o644); err != nil {
						t.Fatal(err)
					}
					func() {
						defer func() {
							if p := recover(); p != nil {
								t.Errorf("byte %d ^ %#x: panic: %v", pos, mask, p)
							}
						}()
						_, _, _, err := readFile(t, bad, record.PersonSchema, Options{Mapping: mapping, BatchSize: 256, parquetGo: e.parquetGo})
						if err != nil {
							failed++
							if !strings.Contains(err.Error(), "bad-"+e.name+".parquet") || strings.Contains(err.Error(), "\n") {
								t.Errorf("byte %d ^ %#x: error %q", pos, mask, err)
							}
						}
					}()
				}
			}
			if failed == 0 {
				t.Error("no corruption was detected")
			}
		})
	}
}

// TestUTF8MarksRows checks record.Person.UTF8, which lets normalisation
// skip checking the text again: set on a row whose every value is UTF-8,
// clear on one whose legacy-text column holds TCVN3 bytes (passed on for
// package normalize to decode), from Parquet by both readers and from CSV.
func TestUTF8MarksRows(t *testing.T) {
	rows := people(300) // several batches, each with some legacy rows
	legacy := func(i int) bool { return i%50 == 7 }
	for i := range rows {
		if legacy(i) {
			rows[i].FullName = normalize.EncodeLegacy("Lê Văn Cường", normalize.EncodingTCVN3)
			rows[i].Address = normalize.EncodeLegacy("Thôn 3, Xã Nam Hồng", normalize.EncodingTCVN3)
		}
	}
	dir := t.TempDir()
	pq, cs := filepath.Join(dir, "p.parquet"), filepath.Join(dir, "p.csv")
	writePersons(t, pq, rows, 128)
	writePersonsCSV(t, cs, rows, ',')
	opts := Options{LegacyText: []string{"full_name", "address"}, BatchSize: 64}
	for _, c := range []struct {
		name      string
		path      string
		parquetGo bool
	}{{"arrow", pq, false}, {"parquet-go", pq, true}, {"csv", cs, false}} {
		t.Run(c.name, func(t *testing.T) {
			o := opts
			o.parquetGo = c.parquetGo
			got, _, rejects, err := readFile(t, c.path, record.PersonSchema, o)
			if err != nil || len(rejects) != 0 || len(got) != len(rows) {
				t.Fatalf("%v, %d rows, rejects %+v", err, len(got), rejects)
			}
			for i, p := range got {
				if p.UTF8 == legacy(i) {
					t.Errorf("row %d (%q): UTF8 = %v, want %v", i+1, p.FullName, p.UTF8, !legacy(i))
				}
			}
		})
	}
}
