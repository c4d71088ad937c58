package ingest

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"

	"github.com/doisanh/doisanh/normalize"
	"github.com/doisanh/doisanh/record"
)

const unicodeCSV = "person_id,full_name,birth_date,gender,address\n" +
	"001090000001,Nguyễn Văn An,01/02/1990,Nam,\"Thôn 3, Xã Nam Hồng\"\n" +
	"001190000002,Trần Thị Bình,1991,Nữ,Số 12 ngõ 5\n"

var unicodeRows = []record.Person{
	{PersonID: "001090000001", FullName: "Nguyễn Văn An", BirthDate: "01/02/1990", Gender: "Nam", Address: "Thôn 3, Xã Nam Hồng", Row: 1, UTF8: true},
	{PersonID: "001190000002", FullName: "Trần Thị Bình", BirthDate: "1991", Gender: "Nữ", Address: "Số 12 ngõ 5", Row: 2, UTF8: true},
}

func writeBytes(t testing.TB, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func gzipped(t testing.TB, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(data)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestUTF16And32 reads the same CSV written in UTF-16 and UTF-32, both byte
// orders, with and without a byte order mark, plain and gzip-compressed.
func TestUTF16And32(t *testing.T) {
	encs := []struct {
		name string
		enc  encoding.Encoding
	}{
		{"UTF-16LE BOM", xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM)},
		{"UTF-16BE BOM", xunicode.UTF16(xunicode.BigEndian, xunicode.UseBOM)},
		{"UTF-16LE", xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM)},
		{"UTF-16BE", xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM)},
		{"UTF-32LE BOM", utf32.UTF32(utf32.LittleEndian, utf32.UseBOM)},
		{"UTF-32BE BOM", utf32.UTF32(utf32.BigEndian, utf32.UseBOM)},
		{"UTF-32LE", utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM)},
		{"UTF-32BE", utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM)},
	}
	// Many Vietnamese letters in the first KiB, which UTF-16 writes with a
	// non-zero high byte.
	text := unicodeCSV
	want := unicodeRows
	for i := 3; i < 40; i++ {
		p := record.Person{PersonID: fmt.Sprintf("0011900%05d", i), FullName: "Đặng Thị Hường Ngọc Ánh", BirthDate: "1991",
			Gender: "Nữ", Address: "Xã Đồng Hưởng", Row: int64(i), UTF8: true}
		text += fmt.Sprintf("%s,%s,%s,%s,%s\n", p.PersonID, p.FullName, p.BirthDate, p.Gender, p.Address)
		want = append(want, p)
	}
	for _, e := range encs {
		data, err := e.enc.NewEncoder().Bytes([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		for _, gz := range []bool{false, true} {
			name, content := "population.csv", data
			if gz {
				name, content = "population.csv.gz", gzipped(t, data)
			}
			rows, _, rejects, err := readFile(t, writeBytes(t, name, content), record.PersonSchema, Options{})
			if err != nil {
				t.Fatalf("%s gz=%v: %v", e.name, gz, err)
			}
			if !reflect.DeepEqual(rows, want) || len(rejects) != 0 {
				t.Errorf("%s gz=%v: rows %+v, rejects %+v", e.name, gz, rows, rejects)
			}
			r, err := Open(writeBytes(t, name, content), record.PersonSchema, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := r.TextEncoding(); !strings.HasPrefix(e.name, got) {
				t.Errorf("%s: TextEncoding %s", e.name, got)
			}
			r.Close()
		}
	}
}

// cleanMessage fails when a message could print raw bytes to a terminal.
func cleanMessage(t testing.TB, what, msg string) {
	t.Helper()
	if !utf8.ValidString(msg) {
		t.Errorf("%s: message is not UTF-8: %q", what, msg)
	}
	for _, r := range msg {
		if r < 0x20 || r == 0x7F || r >= 0x80 && r < 0xA0 {
			t.Errorf("%s: message holds raw character %U: %q", what, r, msg)
			return
		}
	}
}

func xlsxBytes(t testing.TB) []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, name := range []string{"[Content_Types].xml", "xl/workbook.xml"} {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte("<x/>"))
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestWrongContent names what a file holds when its extension says
// otherwise, without echoing its bytes.
func TestWrongContent(t *testing.T) {
	parquetData := []byte("PAR1\x15\x04\x15\x10\x00\x01\x02 binary \x00 footer PAR1")
	zipOnly := func() []byte {
		var b bytes.Buffer
		z := zip.NewWriter(&b)
		w, _ := z.Create("population.csv")
		w.Write([]byte(unicodeCSV))
		z.Close()
		return b.Bytes()
	}()
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"tax.csv", parquetData, "tax.csv: looks like a Parquet file, not a text (CSV) file; rename it to .parquet"},
		{"tax.csv", gzipped(t, []byte(unicodeCSV)), "tax.csv: looks like a gzip-compressed file, not a text (CSV) file; rename it to .csv.gz"},
		{"tax.csv", xlsxBytes(t), "tax.csv: looks like an Excel workbook (.xlsx), not a text (CSV) file; save it as \"CSV UTF-8\""},
		{"tax.csv", zipOnly, "tax.csv: looks like a ZIP archive"},
		{"tax.csv", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...), "looks like an old Excel workbook (.xls)"},
		{"tax.csv", []byte("%PDF-1.4\n\x00\x01\x02"), "looks like a PDF document"},
		{"tax.parquet", gzipped(t, []byte(unicodeCSV)), "tax.parquet: looks like a gzip-compressed file, not a Parquet file"},
		{"tax.parquet", xlsxBytes(t), "tax.parquet: looks like an Excel workbook (.xlsx), not a Parquet file"},
		{"tax.csv.gz", parquetData, "tax.csv.gz: looks like a Parquet file, not a gzip-compressed file; rename it to .parquet"},
		{"tax.csv.gz", gzipped(t, parquetData), "tax.csv.gz: the gzip file holds a Parquet file, not CSV text"},
		{"tax.csv.gz", gzipped(t, xlsxBytes(t)), "tax.csv.gz: the gzip file holds an Excel workbook (.xlsx)"},
	}
	for _, tt := range tests {
		r, err := Open(writeBytes(t, tt.name, tt.data), record.PersonSchema, Options{})
		if err == nil {
			r.Close()
			t.Errorf("%s: opened, want an error", tt.want)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("error %q does not contain %q", err, tt.want)
		}
		cleanMessage(t, tt.want, err.Error())
	}
}

// TestBinaryHeaders: a binary file the sniffer does not know still gives a
// message with its headers escaped.
func TestBinaryHeaders(t *testing.T) {
	data := []byte("\x01\x02\x00abc,\xff\xfe\x1b[31m,x\n1,2,3\n")
	_, err := Open(writeBytes(t, "x.csv", data), record.PersonSchema, Options{})
	if err == nil {
		t.Fatal("opened")
	}
	if !strings.Contains(err.Error(), `missing required columns`) || !strings.Contains(err.Error(), `"\xff\xfe\x1b[31m"`) {
		t.Errorf("error %q", err)
	}
	cleanMessage(t, "binary headers", err.Error())
}

// TestCorruptGzip: a truncated or damaged .csv.gz fails with the line reached.
func TestCorruptGzip(t *testing.T) {
	var b strings.Builder
	b.WriteString("person_id,full_name,birth_date,gender\n")
	for i := 1; i <= 20000; i++ {
		fmt.Fprintf(&b, "%012d,Nguyễn Văn An %d,01/02/1990,Nam\n", i, i%977)
	}
	full := gzipped(t, []byte(b.String()))
	damaged := append([]byte(nil), full...)
	for i := len(damaged) / 2; i < len(damaged)/2+64; i++ {
		damaged[i] ^= 0x5A
	}
	for name, data := range map[string][]byte{"truncated": full[:len(full)/2], "damaged": damaged} {
		_, _, _, err := readFile(t, writeBytes(t, name+".csv.gz", data), record.PersonSchema, Options{})
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		msg := err.Error()
		var line int
		i := strings.Index(msg, "after line ")
		if i < 0 || !strings.Contains(msg, "corrupt or truncated gzip data") {
			t.Errorf("%s: error %q names no line", name, msg)
			continue
		}
		fmt.Sscanf(msg[i:], "after line %d", &line)
		if line < 100 || line > 20001 {
			t.Errorf("%s: line %d in %q", name, line, msg)
		}
		cleanMessage(t, name, msg)
	}
}

// TestLegacyFile reads whole files in TCVN3, VNI and Windows-1258: found
// by auto from their bytes, or named by Options.Encoding.
func TestLegacyFile(t *testing.T) {
	var b strings.Builder
	b.WriteString("person_id,full_name,birth_date,gender,address\n")
	var want []record.Person
	names := []string{"Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Thị Dung", "Đặng Quốc Hùng"}
	for i := range 40 {
		p := record.Person{PersonID: fmt.Sprintf("0010900%05d", i), FullName: names[i%len(names)], BirthDate: "01/02/1990",
			Gender: []string{"Nam", "Nữ"}[i%2], Address: fmt.Sprintf("Thôn %d, Xã Nam Hồng, Tỉnh Hà Tĩnh", i), Row: int64(i + 1),
			UTF8: true} // a legacy file is read decoded
		want = append(want, p)
		fmt.Fprintf(&b, "%s,%s,%s,%s,\"%s\"\n", p.PersonID, p.FullName, p.BirthDate, p.Gender, p.Address)
	}
	for _, enc := range []normalize.Encoding{normalize.EncodingTCVN3, normalize.EncodingVNI, normalize.EncodingWindows1258} {
		data := normalize.EncodeLegacy(b.String(), enc)
		path := writeBytes(t, "population.csv", []byte(data))
		for _, opt := range []string{"", "auto", enc.String()} {
			rows, _, rejects, err := readFile(t, path, record.PersonSchema, Options{Encoding: opt})
			if err != nil {
				t.Fatalf("%v, %q: %v", enc, opt, err)
			}
			r, err := Open(path, record.PersonSchema, Options{Encoding: opt})
			if err != nil {
				t.Fatal(err)
			}
			if got := r.TextEncoding(); got != enc.String() {
				t.Errorf("%v, Encoding %q: TextEncoding %s", enc, opt, got)
			}
			r.Close()
			if !reflect.DeepEqual(rows, want) {
				n := min(len(rows), 1)
				t.Errorf("%v, Encoding %q: %d rows, %d rejects, first %+v", enc, opt, len(rows), len(rejects), rows[:n])
			}
		}
	}
	// A UTF-8 file is read as UTF-8 by auto, and utf-8 keeps a legacy file
	// as bytes (its name columns are then for package normalize).
	rows, _, _, err := readFile(t, writeBytes(t, "u.csv", []byte(b.String())), record.PersonSchema, Options{Encoding: "auto"})
	if err != nil || !reflect.DeepEqual(rows, want) {
		t.Errorf("UTF-8 under auto: %v, %+v", err, rows)
	}
	tcvn := writeBytes(t, "t.csv", []byte(normalize.EncodeLegacy(b.String(), normalize.EncodingTCVN3)))
	_, st, rejects, err := readFile(t, tcvn, record.PersonSchema, Options{Encoding: "utf-8"})
	if err != nil || st.Used != 0 || len(rejects) != 40 || !strings.Contains(rejects[0].Reason, "invalid UTF-8 in column") {
		t.Errorf("TCVN3 under utf-8 without legacy columns: %v, %+v, %d rejects", err, st, len(rejects))
	}
	if _, err := Open(tcvn, record.PersonSchema, Options{Encoding: "latin1"}); err == nil || !strings.Contains(err.Error(), `unknown encoding "latin1"`) {
		t.Errorf("unknown encoding: %v", err)
	}
}

// TestMixedLegacyStaysUTF8: in a UTF-8 file where a few names are TCVN3,
// auto must not decode the whole file (that would garble the UTF-8 rows).
func TestMixedLegacyStaysUTF8(t *testing.T) {
	data := unicodeCSV + "001090000003," + normalize.EncodeLegacy("Lê Văn Cường", normalize.EncodingTCVN3) + ",1990,Nam,x\n"
	rows, _, rejects, err := readFile(t, writeBytes(t, "m.csv", []byte(data)), record.PersonSchema,
		Options{LegacyText: []string{"full_name"}})
	if err != nil || len(rows) != 3 || len(rejects) != 0 {
		t.Fatalf("%v, %d rows, rejects %+v", err, len(rows), rejects)
	}
	if !reflect.DeepEqual(rows[:2], unicodeRows) {
		t.Errorf("UTF-8 rows changed: %+v", rows[:2])
	}
	if rows[2].FullName != normalize.EncodeLegacy("Lê Văn Cường", normalize.EncodingTCVN3) {
		t.Errorf("legacy name not passed on as bytes: %q", rows[2].FullName)
	}
	if rows[2].UTF8 {
		t.Error("a row whose name holds TCVN3 bytes is marked all UTF-8: normalisation would not check it")
	}
}

// TestControlCharacters rejects a row with a control character in a
// field, naming the column and escaping the byte, but passes TCVN3 text
// whose capitals sit on control bytes in a legacy-text column.
func TestControlCharacters(t *testing.T) {
	tcvnName := normalize.EncodeLegacy("ĐINH ỨNG", normalize.EncodingTCVN3) // capitals on control bytes
	if !strings.ContainsFunc(tcvnName, func(r rune) bool { return r < 0x20 }) {
		t.Fatalf("test name %q has no control byte", tcvnName)
	}
	data := "person_id,full_name,birth_date,gender,address\n" +
		"0010900\x0000001,Nguyễn Văn An,1990,Nam,x\n" +
		"001090000002," + tcvnName + ",1990,Nam,x\n" +
		"001090000003,Lê Văn\x1b[2J Cường,1990,Nam,x\n" +
		"001090000004,Lê Văn Cường,19\x7f90,Nam,x\n" +
		"001090000005,Lê Văn Cường,1990,Nam,\"Thôn 1\nXã A\"\n" +
		"001090000006,Lê Văn Cường,1990,Nam\u0085,x\n"
	rows, _, rejects, err := readFile(t, writeBytes(t, "c.csv", []byte(data)), record.PersonSchema,
		Options{LegacyText: []string{"full_name", "address"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].FullName != tcvnName || rows[1].Address != "Thôn 1\nXã A" {
		t.Errorf("used rows %+v", rows)
	}
	want := []struct {
		row         int64
		column, ctl string
	}{{1, "person_id", `"\x00"`}, {3, "full_name", `"\x1b"`}, {4, "birth_date", `"\x7f"`}, {6, "gender", `"\u0085"`}}
	if len(rejects) != len(want) {
		t.Fatalf("rejects %+v", rejects)
	}
	for i, w := range want {
		rj := rejects[i]
		if rj.RowNumber != w.row || rj.Column != w.column || !strings.Contains(rj.Reason, "control character "+w.ctl+" in column "+w.column) {
			t.Errorf("reject %d = %+v, want row %d column %s %s", i, rj, w.row, w.column, w.ctl)
		}
		cleanMessage(t, "reason", rj.Reason)
		cleanMessage(t, "raw", rj.Raw)
	}
}

func TestSniffUnicode(t *testing.T) {
	for _, tt := range []struct {
		head []byte
		want string
	}{
		{[]byte("\xEF\xBB\xBFa,b"), "UTF-8"},
		{[]byte("a,b,c\n"), "UTF-8"},
		{[]byte("\xFF\xFE\x00\x00a\x00\x00\x00"), "UTF-32LE"},
		{[]byte("\x00\x00\xFE\xFF\x00\x00\x00a"), "UTF-32BE"},
		{[]byte("\xFF\xFEa\x00"), "UTF-16LE"},
		{[]byte("\xFE\xFF\x00a"), "UTF-16BE"},
		{[]byte("a\x00,\x00b\x00,\x00"), "UTF-16LE"},
		{[]byte("\x00a\x00,\x00b\x00,"), "UTF-16BE"},
		{[]byte("a\x00\x00\x00,\x00\x00\x00"), "UTF-32LE"},
		{[]byte("\x00\x00\x00a\x00\x00\x00,"), "UTF-32BE"},
		{[]byte("a\x00bc,def"), "UTF-8"}, // one NUL is a bad field, not UTF-16
	} {
		if got := sniffUnicode(tt.head).name; got != tt.want {
			t.Errorf("sniffUnicode(%q) = %s, want %s", tt.head, got, tt.want)
		}
	}
}

// FuzzSniff feeds arbitrary bytes to the sniffers and to Open under each
// file name: no panic, and no error message that prints raw bytes.
func FuzzSniff(f *testing.F) {
	f.Add([]byte("PAR1\x00\x00"))
	f.Add([]byte("\xFF\xFEp\x00e\x00r\x00"))
	f.Add([]byte("PK\x03\x04[Content_Types].xml"))
	f.Add([]byte{0x1F, 0x8B, 0x08, 0x00})
	f.Add([]byte("person_id,full_name\n1,Nguy\xd5n\n"))
	f.Add([]byte("\x00\x00\xFE\xFF"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		sniffContent(data)
		if te := sniffUnicode(data); te.unicode != nil {
			te.unicode.NewDecoder().Bytes(data)
		}
		sniffLegacy(data, ',')
		for _, name := range []string{"f.csv", "f.csv.gz", "f.parquet"} {
			path := filepath.Join(dir, name)
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			var rejects []record.Reject
			rows, st, err := ReadAll(path, record.PersonSchema, Options{BatchSize: 16,
				OnReject: func(rj record.Reject) { rejects = append(rejects, rj) }})
			if err != nil {
				cleanMessage(t, name, err.Error())
			}
			if st.Read != st.Used+st.Rejected || int64(len(rows)) != st.Used || int64(len(rejects)) != st.Rejected {
				t.Errorf("%s: stats %+v, %d rows, %d rejects", name, st, len(rows), len(rejects))
			}
			for _, rj := range rejects {
				cleanMessage(t, name+" reason", rj.Reason)
				cleanMessage(t, name+" raw", rj.Raw)
			}
		}
	})
}

// TestParquetControlAndEncoding: Parquet values go through the same checks
// (a NUL rejects the row) and a named legacy encoding decodes them.
func TestParquetControlAndEncoding(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.parquet")
	writePersons(t, path, []record.Person{
		{PersonID: "001090000001", FullName: normalize.EncodeLegacy("Nguyễn Văn An", normalize.EncodingTCVN3), BirthDate: "1990",
			Gender: normalize.EncodeLegacy("Nữ", normalize.EncodingTCVN3)},
		{PersonID: "0010900\x0000002", FullName: "Lê Văn B", BirthDate: "1990", Gender: "Nam"},
	}, 0)
	rows, _, rejects, err := readFile(t, path, record.PersonSchema, Options{Encoding: "tcvn3"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].FullName != "Nguyễn Văn An" || rows[0].Gender != "Nữ" {
		t.Errorf("rows %+v", rows)
	}
	if len(rejects) != 1 || rejects[0].Column != "person_id" || !strings.Contains(rejects[0].Reason, `control character "\x00"`) {
		t.Errorf("rejects %+v", rejects)
	}
	for _, rj := range rejects {
		cleanMessage(t, "raw", rj.Raw)
	}
}
