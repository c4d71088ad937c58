package ingest

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/doisanh/doisanh/record"
)

func TestReadCSV(t *testing.T) {
	mapping, err := LoadMapping(fixture("mapping.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		file       string
		mapping    Mapping
		want       []record.Person
		wantHeader []string
		wantStats  Stats
	}{
		{
			name: "BOM, semicolons, CRLF, quotes",
			file: "population_bom_semicolon.csv",
			want: []record.Person{
				{PersonID: "001090000001", FullName: "Nguyễn Văn An", BirthDate: "01/02/1990", Gender: "Nam", Address: "Xóm 1; xã Nghi Phú", CommuneCode: "17425", Row: 1, UTF8: true},
				{PersonID: "001090000002", FullName: "Trần Thị Bình", BirthDate: "1991", Gender: "Nữ", Address: `Khối "A", phường Vinh`, CommuneCode: "17425", Row: 2, UTF8: true},
				{PersonID: "001090000003", FullName: "Lê  Cường", BirthDate: "00/00/1950", Gender: "nam", Row: 3, UTF8: true},
			},
			wantHeader: []string{"person_id", "full_name", "birth_date", "gender", "address", "commune_code"},
			wantStats:  Stats{Read: 3, Used: 3},
		},
		{
			name:    "header mapping",
			file:    "population_mapped.csv",
			mapping: mapping,
			want: []record.Person{
				{PersonID: "001090000001", FullName: "Nguyễn Văn An", BirthDate: "01/02/1990", Gender: "Nam", CommuneCode: "17425", Row: 1, UTF8: true},
				{PersonID: "001090000002", FullName: "Trần Thị Bình", BirthDate: "1991", Gender: "Nữ", CommuneCode: "17426", Row: 2, UTF8: true},
			},
			wantHeader: []string{"person_id", "full_name", "birth_date", "gender", "commune_code"},
			wantStats:  Stats{Read: 2, Used: 2},
		},
		{
			name: "gzip",
			file: "population.csv.gz",
			want: []record.Person{
				{PersonID: "001090000001", FullName: "Nguyễn Văn An", BirthDate: "01/02/1990", Gender: "Nam", Row: 1, UTF8: true},
				{PersonID: "001090000002", FullName: "Trần Thị Bình", BirthDate: "1991", Gender: "Nữ", Row: 2, UTF8: true},
			},
			wantHeader: []string{"person_id", "full_name", "birth_date", "gender"},
			wantStats:  Stats{Read: 2, Used: 2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, st, rejects, err := readFile(t, fixture(tt.file), record.PersonSchema, Options{Mapping: tt.mapping})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("rows:\n got %+v\nwant %+v", got, tt.want)
			}
			if st != tt.wantStats {
				t.Errorf("stats = %+v, want %+v", st, tt.wantStats)
			}
			if len(rejects) > 0 {
				t.Errorf("unexpected rejects %+v", rejects)
			}
			r, err := Open(fixture(tt.file), record.PersonSchema, Options{Mapping: tt.mapping})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if h := r.Header(); !reflect.DeepEqual(h, tt.wantHeader) {
				t.Errorf("Header = %q, want %q", h, tt.wantHeader)
			}
		})
	}
}

func TestCSVRejects(t *testing.T) {
	path := fixture("population_rejects.csv")
	got, st, rejects, err := readFile(t, path, record.PersonSchema, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := (Stats{Read: 7, Used: 3, Rejected: 4}); st != want {
		t.Errorf("stats = %+v, want %+v", st, want)
	}
	var ids []string
	var rows []int64
	for _, p := range got {
		ids = append(ids, p.PersonID)
		rows = append(rows, p.Row)
	}
	if want := []string{"001090000001", "001090000006", "001090000007"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("used ids = %q, want %q", ids, want)
	}
	if want := []int64{1, 6, 7}; !reflect.DeepEqual(rows, want) {
		t.Errorf("used rows = %v, want %v", rows, want)
	}
	if got[1].FullName != `Hồ "Xuân" Hương` {
		t.Errorf("quoted name = %q", got[1].FullName)
	}
	want := []record.Reject{
		{Source: "population", File: path, RowNumber: 2, Column: "full_name", Reason: "invalid UTF-8 in column full_name", Raw: `001090000002,Nguy\xC5n V\xA7n B,1991,Nam`},
		{Source: "population", File: path, RowNumber: 3, Column: "person_id", Reason: "empty person_id", Raw: "  ,Trần Thị Bình,1991,Nữ"},
		{Source: "population", File: path, RowNumber: 4, Reason: "row has 3 fields, header has 4", Raw: "001090000004,Lê Cường,1950"},
		{Source: "population", File: path, RowNumber: 5, Reason: "row has 5 fields, header has 4", Raw: "001090000005,Phạm Dũng,1960,Nam,extra"},
	}
	if !reflect.DeepEqual(rejects, want) {
		t.Errorf("rejects:\n got %+v\nwant %+v", rejects, want)
	}
}

func TestCSVSyntaxErrorRejected(t *testing.T) {
	path := writeTemp(t, "bad.csv", "person_id,full_name,birth_date,gender\n1,a\"b,2000,Nam\n2,An,2000,Nam\n")
	got, st, rejects, err := readFile(t, path, record.PersonSchema, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].PersonID != "2" || got[0].Row != 2 {
		t.Errorf("rows = %+v, want person 2 on row 2", got)
	}
	if st.Rejected != 1 || len(rejects) != 1 || rejects[0].RowNumber != 1 || !strings.Contains(rejects[0].Reason, "bad CSV at line 2") {
		t.Errorf("rejects = %+v, stats %+v", rejects, st)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	emptyGz := filepath.Join(dir, "empty.csv.gz")
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	gz.Close()
	os.WriteFile(emptyGz, buf.Bytes(), 0o644)
	tests := []struct {
		name    string
		path    string
		mapping Mapping
		want    []string
	}{
		{"missing columns", fixture("population_missing.csv"), nil,
			[]string{"population_missing.csv: missing required columns birth_date, gender (headers found: person_id, full_name, address)"}},
		{"empty csv", fixture("empty.csv"), nil, []string{"empty.csv: empty file (no header)"}},
		{"blank lines only", writeTemp(t, "blank.csv", "\n\r\n\n"), nil, []string{"blank.csv: empty file (no header)"}},
		{"BOM only", writeTemp(t, "bom.csv", "\uFEFF"), nil, []string{"bom.csv: empty file (no header)"}},
		{"empty gzip stream", emptyGz, nil, []string{"empty.csv.gz: empty file (no header)"}},
		{"zero-byte gzip", writeTemp(t, "zero.csv.gz", ""), nil, []string{"zero.csv.gz: empty file (no header)"}},
		{"not gzip", writeTemp(t, "plain.CSV.GZ", "person_id\n1\n"), nil, []string{"plain.CSV.GZ: looks like a text (CSV) file, not a gzip-compressed file; rename it to .csv"}},
		{"unknown extension", writeTemp(t, "x.txt", "x"), nil, []string{"x.txt: unknown file type \".txt\""}},
		{"xlsx extension", writeTemp(t, "x.xlsx", "x"), nil, []string{"x.xlsx: Excel workbooks are not read"}},
		{"no such file", filepath.Join(dir, "none.csv"), nil, []string{"none.csv"}},
		{"duplicate after mapping", writeTemp(t, "dup.csv", "HO_TEN,full_name,person_id,birth_date,gender\n"), Mapping{"ho_ten": "full_name"},
			[]string{`dup.csv: columns "HO_TEN" and "full_name" both map to full_name`}},
		{"duplicate by folding", writeTemp(t, "dup2.csv", "Full_Name,full_name ,person_id,birth_date,gender\n"), nil,
			[]string{`columns "Full_Name" and "full_name " both map to full_name`}},
		{"one missing", writeTemp(t, "one.csv", "person_id;full_name;birth_date\n"), nil,
			[]string{"one.csv: missing required column gender (headers found: person_id, full_name, birth_date)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Open(tt.path, record.PersonSchema, Options{Mapping: tt.mapping})
			if err == nil {
				r.Close()
				t.Fatal("Open succeeded, want an error")
			}
			for _, s := range tt.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q spans lines", err)
			}
		})
	}
}

func TestSniffDelimiter(t *testing.T) {
	tests := []struct {
		head string
		want rune
	}{
		{"a,b,c\n", ','},
		{"a;b;c\n", ';'},
		{"a;b,c;d\n", ';'},
		{`"a;b;c",d` + "\n", ','},
		{`"x,y";z;w` + "\n", ';'},
		{"single\n", ','},
		{"", ','},
		{"\r\n\na;b\n", ';'},
		{"a,b\nc;d;e;f\n", ','},
		{"a;b", ';'},
	}
	for _, tt := range tests {
		if got := sniffDelimiter([]byte(tt.head)); got != tt.want {
			t.Errorf("sniffDelimiter(%q) = %q, want %q", tt.head, got, tt.want)
		}
	}
}

func TestBatchBoundaries(t *testing.T) {
	var b strings.Builder
	b.WriteString("person_id,full_name,birth_date,gender\n")
	for i := 1; i <= 10; i++ {
		id := string(rune('0' + i%10))
		if i == 5 {
			id = "" // rejected
		}
		b.WriteString(id + ",Name,2000,Nam\n")
	}
	csvPath := writeTemp(t, "ten.csv", b.String())
	pqPath := filepath.Join(t.TempDir(), "ten.parquet")
	rows, _, _, err := readFile(t, csvPath, record.PersonSchema, Options{})
	if err != nil {
		t.Fatal(err)
	}
	writePersons(t, pqPath, rows, 4) // row groups of 4 rows
	for _, path := range []string{csvPath, pqPath} {
		for _, size := range []struct{ batch, opt int }{{3, 3}, {100, 3}, {3, 0}, {1, 1}, {20, 20}} {
			r, err := Open(path, record.PersonSchema, Options{BatchSize: size.opt})
			if err != nil {
				t.Fatal(err)
			}
			batch := make([]record.Person, size.batch)
			var sizes []int
			var total int
			for {
				n, err := r.Next(batch)
				if n > min(size.batch, cmp.Or(size.opt, DefaultBatchSize)) {
					t.Errorf("%s: Next returned %d rows, batch %d, BatchSize %d", path, n, size.batch, size.opt)
				}
				total += n
				if n > 0 {
					sizes = append(sizes, n)
				}
				if errors.Is(err, io.EOF) {
					if n != 0 {
						t.Errorf("%s: io.EOF with %d rows", path, n)
					}
					break
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			const wantUsed = 9 // the Parquet file holds the CSV's 9 used rows
			st := r.Stats()
			if total != wantUsed || st.Used != int64(wantUsed) || st.Read != st.Used+st.Rejected {
				t.Errorf("%s batch %v: total %d, stats %+v, sizes %v", path, size, total, st, sizes)
			}
			if size.batch == 3 && size.opt == 3 && path == csvPath {
				if want := []int{3, 3, 3}; !reflect.DeepEqual(sizes, want) {
					t.Errorf("batch sizes = %v, want %v", sizes, want)
				}
			}
			if n, err := r.Next(batch); n != 0 || !errors.Is(err, io.EOF) {
				t.Errorf("Next after the end = %d, %v; want 0, io.EOF", n, err)
			}
			r.Close()
			if _, err := r.Next(batch); err == nil || errors.Is(err, io.EOF) {
				t.Errorf("Next after Close = %v, want an error", err)
			}
		}
	}
}

func TestNextEmptyBatch(t *testing.T) {
	r, err := Open(fixture("population.csv.gz"), record.PersonSchema, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Next(nil); err == nil || errors.Is(err, io.EOF) {
		t.Errorf("Next(nil) = %v, want an error", err)
	}
}

func TestBatchReuseClearsFields(t *testing.T) {
	path := writeTemp(t, "reuse.csv", "person_id,full_name,birth_date,gender\n1,A,2000,Nam\n")
	r, err := Open(path, record.PersonSchema, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	batch := []record.Person{{PersonID: "old", Address: "stale", Status: "dead", Row: 99, UTF8: true}}
	n, err := r.Next(batch)
	if n != 1 || err != nil {
		t.Fatalf("Next = %d, %v", n, err)
	}
	if want := (record.Person{PersonID: "1", FullName: "A", BirthDate: "2000", Gender: "Nam", Row: 1, UTF8: true}); batch[0] != want {
		t.Errorf("batch[0] = %+v, want %+v", batch[0], want)
	}
}

func TestRawText(t *testing.T) {
	long := strings.Repeat("ễ", 400) // 3 bytes each
	tests := []struct {
		in, want string
	}{
		{"a,b", "a,b"},
		{"a\xffb", `a\xFFb`},
		{long, strings.Repeat("ễ", 333)},
		{strings.Repeat("a", 1000), strings.Repeat("a", 1000)},
		{strings.Repeat("a", 1001), strings.Repeat("a", 1000)},
		{strings.Repeat("\xff", 600), strings.Repeat(`\xFF`, 250)},
	}
	for _, tt := range tests {
		got := Printable(tt.in)
		if got != tt.want {
			t.Errorf("Printable(%.20q...) = %.40q... (%d bytes), want %d bytes", tt.in, got, len(got), len(tt.want))
		}
		if len(got) > maxRaw {
			t.Errorf("rawText gives %d bytes", len(got))
		}
	}
}

// FuzzCSV feeds arbitrary bytes through Open and Next as a CSV file.
func FuzzCSV(f *testing.F) {
	for _, name := range []string{"population_bom_semicolon.csv", "population_rejects.csv", "population_mapped.csv"} {
		data, err := os.ReadFile(fixture(name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("person_id,full_name,birth_date,gender\n\"1,\"x\n"))
	f.Add([]byte("person_id;full_name;birth_date;gender\r\n;;;\r\n1;\xc5;x;y\r\n"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "fuzz.csv")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		var rejects int64
		r, err := Open(path, record.PersonSchema, Options{BatchSize: 4, OnReject: func(rj record.Reject) {
			rejects++
			if len(rj.Raw) > maxRaw || rj.RowNumber < 1 || rj.Reason == "" {
				t.Errorf("bad reject %+v", rj)
			}
			cleanMessage(t, "reason", rj.Reason)
			cleanMessage(t, "raw", rj.Raw)
		}})
		if err != nil {
			cleanMessage(t, "error", err.Error())
			return
		}
		defer r.Close()
		batch := make([]record.Person, 3)
		var used int64
		for {
			n, err := r.Next(batch)
			for _, p := range batch[:n] {
				if strings.TrimSpace(p.PersonID) == "" || strings.TrimSpace(p.FullName) == "" {
					t.Errorf("row with empty key used: %+v", p)
				}
			}
			used += int64(n)
			if err != nil {
				break
			}
		}
		st := r.Stats()
		if st.Read != st.Used+st.Rejected || st.Used != used || st.Rejected != rejects {
			t.Errorf("stats %+v, used %d, rejects %d", st, used, rejects)
		}
	})
}

func writeTemp(t testing.TB, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
