package output

import (
	"archive/zip"

	"errors"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/klauspost/compress/flate"
)

// This file is a streaming writer of SpreadsheetML workbooks (Office Open
// XML, ECMA-376 Part 1, §18) of the one shape the fix lists need: text and
// number cells with a fixed style sheet, frozen header rows, merged title
// rows, a filter, a drop-down list and print setup. Every part is written
// once, in order, straight into the zip: a sheet's rows are encoded into a
// small buffer as they come and nothing else of the sheet is held.
//
// excelize wrote the workbooks before; its StreamWriter spent about 1.5 µs
// a cell on generic work (benchmarks/output.md), and a national run has
// tens of millions of cells. TestXLSXMatchesExcelize holds this writer to
// what excelize wrote, read back by excelize; verify still reads
// officers' workbooks, of any shape, with excelize.

// Cell styles: indexes into the cellXfs of bookStyles.
const (
	styleDefault = iota
	styleTitle   // bold 14
	styleMeta    // 11
	styleSecret  // bold italic dark red, wrapped
	styleHeader  // bold, shaded, bordered, centred, wrapped
	styleCell    // bordered, wrapped, text format "@"
	styleNumber  // bordered, right-aligned
)

// bookStyles is the workbook's style sheet (§18.8): the fonts, fill,
// border and number format of the styles above.
const bookStyles = xmlHeader + `<styleSheet xmlns="` + nsMain + `">` +
	`<numFmts count="1"><numFmt numFmtId="164" formatCode="@"/></numFmts>` +
	`<fonts count="5">` +
	`<font><sz val="11"/><name val="` + listFont + `"/><family val="1"/></font>` +
	`<font><b/><sz val="14"/><name val="` + listFont + `"/><family val="1"/></font>` +
	`<font><sz val="11"/><name val="` + listFont + `"/><family val="1"/></font>` +
	`<font><b/><i/><sz val="11"/><color rgb="FFC00000"/><name val="` + listFont + `"/><family val="1"/></font>` +
	`<font><b/><sz val="11"/><name val="` + listFont + `"/><family val="1"/></font>` +
	`</fonts>` +
	`<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>` +
	`<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/></patternFill></fill></fills>` +
	`<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>` +
	`<border><left style="thin"><color rgb="FF808080"/></left><right style="thin"><color rgb="FF808080"/></right>` +
	`<top style="thin"><color rgb="FF808080"/></top><bottom style="thin"><color rgb="FF808080"/></bottom><diagonal/></border></borders>` +
	`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
	`<cellXfs count="7">` +
	`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
	`<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>` +
	`<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>` +
	`<xf numFmtId="0" fontId="3" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>` +
	`<xf numFmtId="0" fontId="4" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1">` +
	`<alignment horizontal="center" vertical="center" wrapText="1"/></xf>` +
	`<xf numFmtId="164" fontId="2" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyFont="1" applyBorder="1" applyAlignment="1">` +
	`<alignment vertical="top" wrapText="1"/></xf>` +
	`<xf numFmtId="0" fontId="2" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1" applyAlignment="1">` +
	`<alignment horizontal="right" vertical="top"/></xf>` +
	`</cellXfs>` +
	`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
	`</styleSheet>`

// bookTheme is the workbook's theme (DrawingML, ECMA-376 §20.1.6): the
// Office colours, the list font, and the least formatting scheme the
// schema allows. The styles name their colours in RGB; readers look for a
// theme all the same (excelize reads no colour without one).
const bookTheme = xmlHeader + `<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office Theme">` +
	`<a:themeElements><a:clrScheme name="Office">` +
	`<a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>` +
	`<a:dk2><a:srgbClr val="44546A"/></a:dk2><a:lt2><a:srgbClr val="E7E6E6"/></a:lt2>` +
	`<a:accent1><a:srgbClr val="5B9BD5"/></a:accent1><a:accent2><a:srgbClr val="ED7D31"/></a:accent2>` +
	`<a:accent3><a:srgbClr val="A5A5A5"/></a:accent3><a:accent4><a:srgbClr val="FFC000"/></a:accent4>` +
	`<a:accent5><a:srgbClr val="4472C4"/></a:accent5><a:accent6><a:srgbClr val="70AD47"/></a:accent6>` +
	`<a:hlink><a:srgbClr val="0563C1"/></a:hlink><a:folHlink><a:srgbClr val="954F72"/></a:folHlink></a:clrScheme>` +
	`<a:fontScheme name="Office">` +
	`<a:majorFont><a:latin typeface="` + listFont + `"/><a:ea typeface=""/><a:cs typeface=""/></a:majorFont>` +
	`<a:minorFont><a:latin typeface="` + listFont + `"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont></a:fontScheme>` +
	`<a:fmtScheme name="Office"><a:fillStyleLst>` + themeFill + themeFill + themeFill + `</a:fillStyleLst>` +
	`<a:lnStyleLst>` + themeLine + themeLine + themeLine + `</a:lnStyleLst>` +
	`<a:effectStyleLst>` + themeEffect + themeEffect + themeEffect + `</a:effectStyleLst>` +
	`<a:bgFillStyleLst>` + themeFill + themeFill + themeFill + `</a:bgFillStyleLst></a:fmtScheme>` +
	`</a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>`

const (
	themeFill   = `<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>`
	themeLine   = `<a:ln w="6350">` + themeFill + `</a:ln>`
	themeEffect = `<a:effectStyle><a:effectLst/></a:effectStyle>`
)

const (
	xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	nsMain    = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRel     = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsPkgRel  = "http://schemas.openxmlformats.org/package/2006/relationships"
	ctSheet   = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
)

// maxCellChars is the most UTF-16 code units a cell holds (Excel's limit,
// 32,767); longer text is cut there, as excelize did.
const maxCellChars = 32767

// bookProps are a workbook's document properties (docProps/core.xml and
// app.xml).
type bookProps struct {
	Title, Subject, Description, Keywords, Category, Language string
	Creator                                                   string
	Created                                                   time.Time
	AppVersion                                                string // "n.nnnn", "" for none
}

// bookSheet names a sheet of a workbook and the workbook-level names
// that refer to it.
type bookSheet struct {
	Name string
	// PrintTitleRow, when > 0, is the row printed at the top of every page.
	PrintTitleRow int
	// Filter is the range of the sheet's filter ("A6:U106"), "" for none.
	Filter string
}

// sheetSetup is what a sheet has around its rows.
type sheetSetup struct {
	Widths     []float64 // column widths in characters, from column A
	Cols       int       // columns used, for the dimension
	Rows       int       // last row used, for the dimension
	FreezeRows int       // rows frozen at the top
	Landscape  bool      // else portrait; always A4, one page wide
	Merges     []string  // merged ranges ("A1:U1")
	List       *listValidation
	Header     string // printed page header (§18.3.1.39 codes)
	Footer     string // printed page footer
}

// listValidation is a drop-down list on a range of cells; a value not in
// the list gets a warning, not a refusal.
type listValidation struct {
	Sqref                  string
	Items                  []string
	Title, Prompt, ErrText string
}

// bookWriter writes one workbook. newBook writes the parts that describe
// it; then each sheet, in the order given, is begun, filled row by row
// and ended; Close ends the zip. The first error sticks: later calls do
// nothing and Close returns it.
type bookWriter struct {
	zw     *zip.Writer
	sheets []bookSheet
	next   int       // sheets begun
	part   io.Writer // the current zip entry
	setup  *sheetSetup
	buf    []byte
	row    int // the open row, 0 when none
	err    error
}

// bufFlush is the size at which a sheet's buffer goes to the zip entry.
const bufFlush = 32 << 10

// newBook starts a workbook of sheets on w.
func newBook(w io.Writer, sheets []bookSheet, props bookProps) *bookWriter {
	b := &bookWriter{zw: zip.NewWriter(w), sheets: sheets, buf: make([]byte, 0, bufFlush+4096)}
	fastDeflate(b.zw)

	// [Content_Types].xml and the package relationships.
	x := append(b.buf[:0], xmlHeader+`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`+
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>`+
		`<Default Extension="xml" ContentType="application/xml"/>`+
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`+
		`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>`+
		`<Override PartName="/xl/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>`+
		`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>`+
		`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>`...)
	for i := range sheets {
		x = append(x, `<Override PartName="/xl/worksheets/sheet`...)
		x = strconv.AppendInt(x, int64(i+1), 10)
		x = append(x, `.xml" ContentType="`+ctSheet+`"/>`...)
	}
	x = append(x, `</Types>`...)
	b.writePart("[Content_Types].xml", x)
	b.writePart("_rels/.rels", append(x[:0], xmlHeader+`<Relationships xmlns="`+nsPkgRel+`">`+
		`<Relationship Id="rId1" Type="`+nsRel+`/officeDocument" Target="xl/workbook.xml"/>`+
		`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>`+
		`<Relationship Id="rId3" Type="`+nsRel+`/extended-properties" Target="docProps/app.xml"/>`+
		`</Relationships>`...))

	// Document properties.
	x = append(x[:0], xmlHeader+`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"`+
		` xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"`+
		` xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`...)
	x = appendElem(x, "dc:title", props.Title)
	x = appendElem(x, "dc:subject", props.Subject)
	x = appendElem(x, "dc:creator", props.Creator)
	x = appendElem(x, "cp:keywords", props.Keywords)
	x = appendElem(x, "dc:description", props.Description)
	x = appendElem(x, "cp:lastModifiedBy", props.Creator)
	x = appendElem(x, "dc:language", props.Language)
	created := props.Created.UTC().Format(time.RFC3339)
	x = append(x, `<dcterms:created xsi:type="dcterms:W3CDTF">`+created+`</dcterms:created>`+
		`<dcterms:modified xsi:type="dcterms:W3CDTF">`+created+`</dcterms:modified>`...)
	x = appendElem(x, "cp:category", props.Category)
	x = append(x, `</cp:coreProperties>`...)
	b.writePart("docProps/core.xml", x)
	x = append(x[:0], xmlHeader+`<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">`...)
	x = appendElem(x, "Application", props.Creator)
	if props.AppVersion != "" {
		x = appendElem(x, "AppVersion", props.AppVersion)
	}
	x = append(x, `</Properties>`...)
	b.writePart("docProps/app.xml", x)

	// The workbook: its sheets and the names that refer to them.
	x = append(x[:0], xmlHeader+`<workbook xmlns="`+nsMain+`" xmlns:r="`+nsRel+`">`+
		`<bookViews><workbookView xWindow="0" yWindow="0" windowWidth="14805" windowHeight="8010"/></bookViews><sheets>`...)
	for i, s := range sheets {
		x = append(x, `<sheet name="`...)
		x = appendEscaped(x, s.Name)
		x = append(x, `" sheetId="`...)
		x = strconv.AppendInt(x, int64(i+1), 10)
		x = append(x, `" r:id="rId`...)
		x = strconv.AppendInt(x, int64(i+1), 10)
		x = append(x, `"/>`...)
	}
	x = append(x, `</sheets>`...)
	names := false
	for i, s := range sheets {
		if s.Filter != "" || s.PrintTitleRow > 0 {
			if !names {
				x, names = append(x, `<definedNames>`...), true
			}
		}
		if s.Filter != "" {
			x = append(x, `<definedName name="_xlnm._FilterDatabase" localSheetId="`...)
			x = strconv.AppendInt(x, int64(i), 10)
			x = append(x, `" hidden="1">`...)
			x = appendEscaped(x, "'"+s.Name+"'!"+absRange(s.Filter))
			x = append(x, `</definedName>`...)
		}
		if s.PrintTitleRow > 0 {
			r := "$" + strconv.Itoa(s.PrintTitleRow)
			x = append(x, `<definedName name="_xlnm.Print_Titles" localSheetId="`...)
			x = strconv.AppendInt(x, int64(i), 10)
			x = append(x, `">`...)
			x = appendEscaped(x, "'"+s.Name+"'!"+r+":"+r)
			x = append(x, `</definedName>`...)
		}
	}
	if names {
		x = append(x, `</definedNames>`...)
	}
	x = append(x, `</workbook>`...)
	b.writePart("xl/workbook.xml", x)
	x = append(x[:0], xmlHeader+`<Relationships xmlns="`+nsPkgRel+`">`...)
	for i := range sheets {
		id := strconv.Itoa(i + 1)
		x = append(x, `<Relationship Id="rId`+id+`" Type="`+nsRel+`/worksheet" Target="worksheets/sheet`+id+`.xml"/>`...)
	}
	x = append(x, `<Relationship Id="rId`+strconv.Itoa(len(sheets)+1)+`" Type="`+nsRel+`/styles" Target="styles.xml"/>`+
		`<Relationship Id="rId`+strconv.Itoa(len(sheets)+2)+`" Type="`+nsRel+`/theme" Target="theme/theme1.xml"/></Relationships>`...)
	b.writePart("xl/_rels/workbook.xml.rels", x)
	b.writePart("xl/styles.xml", append(x[:0], bookStyles...))
	b.writePart("xl/theme/theme1.xml", append(x[:0], bookTheme...))
	b.buf = x[:0]
	return b
}

// partTime is the modification time of every zip entry: fixed, so that
// the same lists give the same bytes.
var partTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// create starts the zip entry name.
func (b *bookWriter) create(name string) {
	if b.err != nil {
		return
	}
	b.part, b.err = b.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: partTime})
}

// writePart writes the whole entry name.
func (b *bookWriter) writePart(name string, data []byte) {
	b.create(name)
	if b.err == nil {
		_, b.err = b.part.Write(data)
	}
}

// flush sends the buffer to the current entry.
func (b *bookWriter) flush() {
	if b.err == nil && len(b.buf) > 0 {
		_, b.err = b.part.Write(b.buf)
	}
	b.buf = b.buf[:0]
}

// beginSheet starts the next sheet: its settings, then its rows.
func (b *bookWriter) beginSheet(s *sheetSetup) {
	if b.next >= len(b.sheets) {
		b.fail(errors.New("xlsx: more sheets than declared"))
		return
	}
	b.next++
	b.setup = s
	b.create("xl/worksheets/sheet" + strconv.Itoa(b.next) + ".xml")
	x := append(b.buf[:0], xmlHeader+`<worksheet xmlns="`+nsMain+`" xmlns:r="`+nsRel+`">`+
		`<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><dimension ref="A1`...)
	if s.Cols > 1 || s.Rows > 1 {
		x = append(x, ':')
		x = appendCellRef(x, s.Cols-1, max(s.Rows, 1))
	}
	x = append(x, `"/><sheetViews><sheetView`...)
	if b.next == 1 {
		x = append(x, ` tabSelected="1"`...)
	}
	x = append(x, ` workbookViewId="0">`...)
	if s.FreezeRows > 0 {
		x = append(x, `<pane ySplit="`...)
		x = strconv.AppendInt(x, int64(s.FreezeRows), 10)
		x = append(x, `" topLeftCell="`...)
		x = appendCellRef(x, 0, s.FreezeRows+1)
		x = append(x, `" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/>`...)
	}
	x = append(x, `</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>`...)
	if len(s.Widths) > 0 {
		x = append(x, `<cols>`...)
		for i, w := range s.Widths {
			n := strconv.Itoa(i + 1)
			x = append(x, `<col min="`+n+`" max="`+n+`" width="`...)
			x = strconv.AppendFloat(x, w, 'f', -1, 64)
			x = append(x, `" customWidth="1"/>`...)
		}
		x = append(x, `</cols>`...)
	}
	b.buf = append(x, `<sheetData>`...)
}

// startRow opens row r (from 1, ascending), of the given height in points
// (0 for the default).
func (b *bookWriter) startRow(r int, height float64) {
	b.endRow()
	b.row = r
	b.buf = append(b.buf, `<row r="`...)
	b.buf = strconv.AppendInt(b.buf, int64(r), 10)
	if height > 0 {
		b.buf = append(b.buf, `" ht="`...)
		b.buf = strconv.AppendFloat(b.buf, height, 'f', -1, 64)
		b.buf = append(b.buf, `" customHeight="1`...)
	}
	b.buf = append(b.buf, `">`...)
}

// endRow closes the open row, if any.
func (b *bookWriter) endRow() {
	if b.row == 0 {
		return
	}
	b.buf = append(b.buf, `</row>`...)
	b.row = 0
	if len(b.buf) >= bufFlush {
		b.flush()
	}
}

// cellStart writes the start of cell col (from 0) of the open row.
func (b *bookWriter) cellStart(col, style int) {
	b.buf = append(b.buf, `<c r="`...)
	b.buf = appendCellRef(b.buf, col, b.row)
	if style != styleDefault {
		b.buf = append(b.buf, `" s="`...)
		b.buf = strconv.AppendInt(b.buf, int64(style), 10)
	}
}

// text writes a text cell: an inline string, never a formula or a number,
// so that IDs keep their leading zeros and "=..." stays text. An empty
// value gives a cell with its style and no value.
func (b *bookWriter) text(col, style int, v string) {
	b.cellStart(col, style)
	if v == "" {
		b.buf = append(b.buf, `"/>`...)
		return
	}
	b.buf = append(b.buf, `" t="inlineStr"><is><t`...)
	if c, d := v[0], v[len(v)-1]; isXMLSpace(c) || isXMLSpace(d) {
		b.buf = append(b.buf, ` xml:space="preserve"`...)
	}
	b.buf = append(b.buf, '>')
	b.buf = appendCellText(b.buf, v)
	b.buf = append(b.buf, `</t></is></c>`...)
}

// number writes a number cell.
func (b *bookWriter) number(col, style int, n int64) {
	b.cellStart(col, style)
	b.buf = append(b.buf, `"><v>`...)
	b.buf = strconv.AppendInt(b.buf, n, 10)
	b.buf = append(b.buf, `</v></c>`...)
}

// endSheet ends the sheet's rows and writes what follows them, in the
// order the schema wants (CT_Worksheet), the filter its bookSheet declared
// among them.
func (b *bookWriter) endSheet() {
	b.endRow()
	s := b.setup
	if s == nil {
		return // no sheet begun: the error is in b.err
	}
	x := append(b.buf, `</sheetData>`...)
	if filter := b.sheets[b.next-1].Filter; filter != "" {
		x = append(x, `<autoFilter ref="`+filter+`"/>`...)
	}
	if len(s.Merges) > 0 {
		x = append(x, `<mergeCells count="`...)
		x = strconv.AppendInt(x, int64(len(s.Merges)), 10)
		x = append(x, `">`...)
		for _, m := range s.Merges {
			x = append(x, `<mergeCell ref="`+m+`"/>`...)
		}
		x = append(x, `</mergeCells>`...)
	}
	if l := s.List; l != nil {
		x = append(x, `<dataValidations count="1"><dataValidation type="list" errorStyle="warning" allowBlank="1"`+
			` showInputMessage="1" showErrorMessage="1" errorTitle="`...)
		x = appendEscaped(x, l.Title)
		x = append(x, `" error="`...)
		x = appendEscaped(x, l.ErrText)
		x = append(x, `" promptTitle="`...)
		x = appendEscaped(x, l.Title)
		x = append(x, `" prompt="`...)
		x = appendEscaped(x, l.Prompt)
		x = append(x, `" sqref="`+l.Sqref+`"><formula1>"`...)
		for i, it := range l.Items {
			if i > 0 {
				x = append(x, ',')
			}
			x = appendEscaped(x, it)
		}
		x = append(x, `"</formula1></dataValidation></dataValidations>`...)
	}
	orient := "portrait"
	if s.Landscape {
		orient = "landscape"
	}
	x = append(x, `<pageMargins left="0.4" right="0.4" top="0.4" bottom="0.4" header="0" footer="0"/>`+
		`<pageSetup paperSize="9" orientation="`+orient+`" fitToWidth="1" fitToHeight="0"/>`...)
	if s.Header != "" || s.Footer != "" {
		x = append(x, `<headerFooter>`...)
		if s.Header != "" {
			x = appendElem(x, "oddHeader", s.Header)
		}
		if s.Footer != "" {
			x = appendElem(x, "oddFooter", s.Footer)
		}
		x = append(x, `</headerFooter>`...)
	}
	b.buf = append(x, `</worksheet>`...)
	b.flush()
	b.setup = nil
}

// fail records err unless an error came first.
func (b *bookWriter) fail(err error) {
	if b.err == nil {
		b.err = err
	}
}

// Close ends the workbook. It fails when fewer sheets were written than
// declared.
func (b *bookWriter) Close() error {
	if b.err == nil && b.next != len(b.sheets) {
		b.err = errors.New("xlsx: fewer sheets than declared")
	}
	if err := b.zw.Close(); b.err == nil {
		b.err = err
	}
	return b.err
}

// appendCellRef appends the A1 reference of column col (from 0) and row r.
func appendCellRef(dst []byte, col, r int) []byte {
	var letters [4]byte
	i := len(letters)
	for n := col + 1; n > 0; n = (n - 1) / 26 {
		i--
		letters[i] = byte('A' + (n-1)%26)
	}
	dst = append(dst, letters[i:]...)
	return strconv.AppendInt(dst, int64(r), 10)
}

// absRange is the range "A6:U106" as "$A$6:$U$106".
func absRange(r string) string {
	a, b, ok := strings.Cut(r, ":")
	if !ok {
		return absRef(a)
	}
	return absRef(a) + ":" + absRef(b)
}

// absRef is the reference "A6" as "$A$6".
func absRef(ref string) string {
	i := strings.IndexAny(ref, "0123456789")
	if i < 0 {
		return "$" + ref
	}
	return "$" + ref[:i] + "$" + ref[i:]
}

// appendElem appends <name>text</name>, text escaped.
func appendElem(dst []byte, name, text string) []byte {
	dst = append(dst, '<')
	dst = append(dst, name...)
	dst = append(dst, '>')
	dst = appendEscaped(dst, text)
	dst = append(dst, "</"...)
	dst = append(dst, name...)
	return append(dst, '>')
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// appendEscaped appends s as XML character data or an attribute value:
// the markup characters as entities, tab, line feed and carriage return
// as character references (so attribute values keep them), and what XML
// 1.0 cannot hold (other control characters, invalid UTF-8, U+FFFE,
// U+FFFF) as U+FFFD.
func appendEscaped(dst []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < utf8.RuneSelf && c != '&' && c != '<' && c != '>' && c != '"' && c != '\'' {
			i++
			continue
		}
		var rep string
		size := 1
		switch c {
		case '&':
			rep = "&amp;"
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		case '"':
			rep = "&#34;"
		case '\'':
			rep = "&#39;"
		case '\t':
			rep = "&#x9;"
		case '\n':
			rep = "&#xA;"
		case '\r':
			rep = "&#xD;"
		default:
			if c < 0x20 {
				rep = "\uFFFD"
				break
			}
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			if (r == utf8.RuneError && size == 1) || r == 0xFFFE || r == 0xFFFF {
				rep = "\uFFFD"
				break
			}
			i += size
			continue
		}
		dst = append(dst, s[start:i]...)
		dst = append(dst, rep...)
		i += size
		start = i
	}
	return append(dst, s[start:]...)
}

// appendCellText appends the text of a cell: cut to maxCellChars, with
// each "_xHHHH_" in it escaped as "_x005F_xHHHH_" (a spreadsheet reads
// "_xHHHH_" as the character U+HHHH, ECMA-376 §22.9.2.19), then escaped
// as XML with line feeds kept as they are.
func appendCellText(dst []byte, s string) []byte {
	if len(s) > maxCellChars { // no more units than bytes
		s = truncUTF16(s, maxCellChars)
	}
	for {
		i := indexHexEscape(s)
		if i < 0 {
			break
		}
		dst = appendEscapedLF(dst, s[:i])
		dst = append(dst, "_x005F"...)
		dst = append(dst, '_')
		s = s[i+1:]
	}
	return appendEscapedLF(dst, s)
}

// appendEscapedLF is appendEscaped with line feeds written as they are.
func appendEscapedLF(dst []byte, s string) []byte {
	for {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			return appendEscaped(dst, s)
		}
		dst = append(appendEscaped(dst, s[:i]), '\n')
		s = s[i+1:]
	}
}

// indexHexEscape returns the index of the first "_xHHHH_" in s (H a hex
// digit of either case), or -1.
func indexHexEscape(s string) int {
	for i := 0; i+7 <= len(s); i++ {
		if s[i] != '_' || s[i+1] != 'x' || s[i+6] != '_' {
			continue
		}
		if isHex(s[i+2]) && isHex(s[i+3]) && isHex(s[i+4]) && isHex(s[i+5]) {
			return i
		}
	}
	return -1
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// truncUTF16 cuts s to at most n UTF-16 code units, on a rune boundary.
func truncUTF16(s string, n int) string {
	units := 0
	for i, r := range s {
		u := 1
		if r >= 0x10000 {
			u = 2
		}
		if units+u > n {
			return s[:i]
		}
		units += u
	}
	return s
}

// fastFlate holds DEFLATE writers at flate.BestSpeed for the workbooks'
// zip entries, reused as archive/zip reuses its own.
var fastFlate sync.Pool

// fastDeflate makes zw compress its entries at flate.BestSpeed with
// klauspost/compress's DEFLATE (already a dependency of the Parquet
// readers), which at that level is about twice as fast as
// compress/flate's (benchmarks/output.md).
func fastDeflate(zw *zip.Writer) {
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		if fw, ok := fastFlate.Get().(*flate.Writer); ok {
			fw.Reset(out)
			return &pooledFlate{fw}, nil
		}
		fw, err := flate.NewWriter(out, flate.BestSpeed)
		if err != nil {
			return nil, err
		}
		return &pooledFlate{fw}, nil
	})
}

// pooledFlate returns its writer to fastFlate when closed.
type pooledFlate struct{ *flate.Writer }

func (p *pooledFlate) Close() error {
	err := p.Writer.Close()
	fastFlate.Put(p.Writer)
	p.Writer = nil
	return err
}
