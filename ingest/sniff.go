package ingest

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"

	"github.com/doisanh/doisanh/normalize"
)

// content is what the first bytes of a file say it holds.
type content uint8

const (
	contentText    content = iota // anything else: read as CSV
	contentParquet                // PAR1
	contentGzip                   // 1F 8B
	contentXLSX                   // a ZIP archive holding a workbook
	contentZIP                    // another ZIP archive
	contentXLS                    // an OLE2 compound file (Excel 97-2003)
	contentPDF                    // %PDF-
)

// describe names c for a message, and says what to do about a file that
// holds c under the wrong name.
func (c content) describe() (name, fix string) {
	switch c {
	case contentParquet:
		return "a Parquet file", "rename it to .parquet"
	case contentGzip:
		return "a gzip-compressed file", "rename it to .csv.gz if it holds a CSV file"
	case contentXLSX:
		return "an Excel workbook (.xlsx)", "save it as \"CSV UTF-8\" or export it to Parquet"
	case contentZIP:
		return "a ZIP archive", "extract the CSV or Parquet file from it"
	case contentXLS:
		return "an old Excel workbook (.xls)", "save it as \"CSV UTF-8\" or export it to Parquet"
	case contentPDF:
		return "a PDF document", "export the data as CSV or Parquet"
	}
	return "a text (CSV) file", "rename it to .csv"
}

// sniffContent reads the kind of file from its first bytes.
func sniffContent(head []byte) content {
	switch {
	case bytes.HasPrefix(head, []byte("PAR1")):
		return contentParquet
	case bytes.HasPrefix(head, []byte{0x1F, 0x8B}):
		return contentGzip
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		if bytes.Contains(head, []byte("[Content_Types].xml")) || bytes.Contains(head, []byte("xl/")) {
			return contentXLSX
		}
		return contentZIP
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return contentXLS
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return contentPDF
	}
	return contentText
}

// checkContent opens path and checks that its first bytes fit the format
// its name says (want): it returns an error naming what the file looks
// like and what to do, never printing its bytes.
func checkContent(path string, want content) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return fmt.Errorf("%s: %w", path, err)
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", path, errEmptyFile)
	}
	return mismatch(path, want, sniffContent(head[:n]))
}

// mismatch returns the error for a file named as want that holds got, or
// nil when they agree.
func mismatch(path string, want, got content) error {
	if got == want {
		return nil
	}
	name, fix := got.describe()
	wantName, _ := want.describe()
	return fmt.Errorf("%s: looks like %s, not %s; %s", path, name, wantName, fix)
}

// textEncoding is how the bytes of a CSV file are turned into text.
type textEncoding struct {
	// unicode is a UTF-16 or UTF-32 decoder, nil for UTF-8 input.
	unicode encoding.Encoding
	name    string // "UTF-16LE", ... for messages
	bom     int    // bytes of byte order mark to skip (UTF-8 only)
}

// sniffUnicode finds a UTF-8, UTF-16 or UTF-32 byte order mark at the start
// of head, or, without one, the zero bytes that UTF-16 and UTF-32 put in
// ASCII text (a header line is ASCII, or nearly).
func sniffUnicode(head []byte) textEncoding {
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return textEncoding{bom: 3, name: "UTF-8"}
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE, 0, 0}):
		return textEncoding{unicode: utf32.UTF32(utf32.LittleEndian, utf32.ExpectBOM), name: "UTF-32LE"}
	case bytes.HasPrefix(head, []byte{0, 0, 0xFE, 0xFF}):
		return textEncoding{unicode: utf32.UTF32(utf32.BigEndian, utf32.ExpectBOM), name: "UTF-32BE"}
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return textEncoding{unicode: xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM), name: "UTF-16LE"}
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return textEncoding{unicode: xunicode.UTF16(xunicode.BigEndian, xunicode.ExpectBOM), name: "UTF-16BE"}
	}
	// Without a mark: count the zero bytes at each position modulo 4 in
	// the first bytes. UTF-8 text has none.
	n := min(len(head), 1024) &^ 3
	if n < 4 {
		return textEncoding{name: "UTF-8"}
	}
	var zeros [4]int
	for i, c := range head[:n] {
		if c == 0 {
			zeros[i%4]++
		}
	}
	q := n / 4 // bytes per position
	// Vietnamese letters outside Latin-1 put a non-zero high byte in
	// UTF-16 (ễ is 1E C5): "most" leaves room for them.
	most := func(i int) bool { return zeros[i]*10 >= q*6 }
	few := func(i int) bool { return zeros[i]*10 <= q }
	switch {
	case few(0) && most(1) && most(2) && most(3):
		return textEncoding{unicode: utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), name: "UTF-32LE"}
	case most(0) && most(1) && most(2) && few(3):
		return textEncoding{unicode: utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), name: "UTF-32BE"}
	case few(0) && most(1) && few(2) && most(3):
		return textEncoding{unicode: xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM), name: "UTF-16LE"}
	case most(0) && few(1) && most(2) && few(3):
		return textEncoding{unicode: xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM), name: "UTF-16BE"}
	}
	return textEncoding{name: "UTF-8"}
}

// Text encodings Options.Encoding accepts.
const (
	EncodingAuto   = "auto"
	EncodingUTF8   = "utf-8"
	EncodingTCVN3  = "tcvn3"
	EncodingVNI    = "vni"
	EncodingCP1258 = "cp1258"
)

// Encodings lists the values of Options.Encoding, for help texts.
var Encodings = []string{EncodingAuto, EncodingUTF8, EncodingTCVN3, EncodingVNI, EncodingCP1258}

// ParseEncoding checks an Options.Encoding value ("" is auto) and returns
// the legacy encoding it forces, normalize.EncodingUnicode for auto and
// utf-8.
func ParseEncoding(s string) (normalize.Encoding, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", EncodingAuto, EncodingUTF8, "utf8":
		return normalize.EncodingUnicode, nil
	case EncodingTCVN3:
		return normalize.EncodingTCVN3, nil
	case EncodingVNI:
		return normalize.EncodingVNI, nil
	case EncodingCP1258:
		return normalize.EncodingWindows1258, nil
	}
	return normalize.EncodingUnicode, fmt.Errorf("unknown encoding %q (want one of %s)", s, strings.Join(Encodings, ", "))
}

// sniffLegacy decides, for Options.Encoding auto, whether a whole CSV
// file is in a legacy single-byte encoding, from the fields of its first
// bytes (head, after any Unicode decoding): fields that are not valid
// UTF-8 are read by normalize.DecodeLegacyText and the encoding that
// decodes most of them wins, provided the head holds (almost) no field
// that is valid non-ASCII UTF-8, which a legacy encoding rarely spells.
// It returns normalize.EncodingUnicode otherwise: rows are then read as
// UTF-8 and only the legacy-text columns of a row may be legacy.
func sniffLegacy(head []byte, delim byte) normalize.Encoding {
	if utf8.Valid(head) {
		return normalize.EncodingUnicode
	}
	// A rune cut at the end of head is no evidence.
	for i := 1; i <= 3 && i <= len(head); i++ {
		if utf8.RuneStart(head[len(head)-i]) {
			if !utf8.FullRune(head[len(head)-i:]) && utf8.Valid(head[:len(head)-i]) {
				return normalize.EncodingUnicode
			}
			break
		}
	}
	var votes [8]int
	unicodeFields, legacyFields := 0, 0
	for line := range bytes.SplitSeq(head, []byte{'\n'}) {
		for field := range bytes.SplitSeq(line, []byte{delim}) {
			field = bytes.Trim(field, "\"\r ")
			if len(field) == 0 {
				continue
			}
			if utf8.Valid(field) {
				for _, c := range field {
					if c >= utf8.RuneSelf {
						unicodeFields++
						break
					}
				}
				continue
			}
			legacyFields++
			if legacyFields > 2000 {
				break // enough evidence; bounds the time spent
			}
			if _, enc := normalize.DecodeLegacyText(string(field)); enc != normalize.EncodingUnicode && int(enc) < len(votes) {
				votes[enc]++
			}
		}
	}
	best, n := normalize.EncodingUnicode, 0
	for e, v := range votes {
		if v > n {
			best, n = normalize.Encoding(e), v
		}
	}
	if n == 0 || unicodeFields*20 > legacyFields {
		return normalize.EncodingUnicode
	}
	return best
}

// quoteHeaders lists headers for a message, at most 30 of them: a header
// of plain printable text as it is, any other quoted with its bytes
// escaped, cut to 40 bytes.
func quoteHeaders(headers []string) string {
	const most = 30
	out := make([]string, 0, min(len(headers), most)+1)
	for i, h := range headers {
		if i == most {
			out = append(out, fmt.Sprintf("and %d more", len(headers)-most))
			break
		}
		out = append(out, showHeader(h))
	}
	return strings.Join(out, ", ")
}

// showHeader renders a header for a message: as it is when it is plain
// text (plainHeader), else quoted and escaped, cut to 40 bytes.
func showHeader(h string) string {
	if plainHeader(h) {
		return h
	}
	return quoteValue(h, 40)
}

// plainHeader reports whether h can be shown unquoted: at most 40 bytes
// of printable UTF-8, no quote or comma.
func plainHeader(h string) bool {
	if len(h) > 40 || !utf8.ValidString(h) {
		return false
	}
	for _, r := range h {
		if !unicode.IsPrint(r) || r == '"' || r == ',' {
			return false
		}
	}
	return true
}

// quoteValue quotes s for a message, escaping every byte that is not
// printable UTF-8, after cutting it to at most max bytes ("..." marks a
// cut).
func quoteValue(s string, max int) string {
	cut := ""
	if len(s) > max {
		i := max
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		s, cut = s[:i], "..."
	}
	return fmt.Sprintf("%q%s", s, cut)
}
