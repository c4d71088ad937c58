package output

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"math"
	"regexp"
	"runtime"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"

	"github.com/doisanh/doisanh/internal/csvcell"
	"github.com/doisanh/doisanh/normalize"
	"github.com/doisanh/doisanh/record"
	"github.com/doisanh/doisanh/rules"
)

// Place of findings whose commune is unknown.
const (
	unknownProvince    = "00"
	unknownCommune     = "00000"
	unknownCommuneName = "Chưa xác định"
)

// Columns of a fix list, in order: only what an officer needs to find the
// person and act. "Kết quả xác minh" and "Ghi chú xác minh" are left empty for
// the officer; "Mã lỗi" and "Mã phát hiện" (finding_id) come last so that
// doisanh verify and doisanh diff can track each row.
const (
	colSTT = iota
	colLabel
	colDetail
	colSeverity
	colPersonID
	colName
	colBirth
	colAddress
	colHousehold
	colSource
	colSourceKey
	colRelated
	colField
	colPopValue
	colSrcValue
	colScore
	colSuggestion
	colOutcome
	colNote
	colRule
	colFindingID
	numCols
)

// fixlistHeader are the Vietnamese column headers of a fix list.
var fixlistHeader = []string{
	colSTT: "STT", colLabel: "Loại lỗi", colDetail: "Chi tiết", colSeverity: "Mức độ",
	colPersonID: "Số định danh", colName: "Họ và tên", colBirth: "Ngày sinh",
	colAddress: "Địa chỉ (thôn/xóm)", colHousehold: "Mã hộ", colSource: "Nguồn", colSourceKey: "Mã nguồn",
	colRelated: "Người liên quan", colField: "Nội dung", colPopValue: "Giá trị CSDLQG",
	colSrcValue: "Giá trị nguồn", colScore: "Độ tin cậy liên kết", colSuggestion: "Đề nghị",
	colOutcome: OutcomeHeader, colNote: NoteHeader, colRule: RuleHeader, colFindingID: FindingIDHeader,
}

// Headers that doisanh verify looks for in a returned fix list.
const (
	OutcomeHeader   = "Kết quả xác minh"
	NoteHeader      = "Ghi chú xác minh"
	RuleHeader      = "Mã lỗi"
	FindingIDHeader = "Mã phát hiện"
)

// fixlistWidths are the XLSX column widths of fixlistHeader, in characters.
var fixlistWidths = []float64{
	colSTT: 5, colLabel: 18, colDetail: 22, colSeverity: 9, colPersonID: 14, colName: 20, colBirth: 12,
	colAddress: 24, colHousehold: 11, colSource: 8, colSourceKey: 14, colRelated: 14, colField: 11,
	colPopValue: 18, colSrcValue: 18, colScore: 9, colSuggestion: 36, colOutcome: 22, colNote: 20,
	colRule: 12, colFindingID: 17,
}

var severityLabels = map[string]string{rules.High: "Cao", rules.Medium: "Trung bình", rules.Low: "Thấp"}

var sourceLabels = map[string]string{
	record.Population.String(): "Dân cư",
	record.Tax.String():        "Thuế",
	record.Insurance.String():  "BHXH",
	record.Civil.String():      "Hộ tịch",
}

var fieldLabels = map[string]string{
	"full_name":    "Họ tên",
	"birth_date":   "Ngày sinh",
	"gender":       "Giới tính",
	"person_id":    "Số định danh",
	"id_number":    "Số định danh",
	"subject_id":   "Số định danh",
	"spouse_id":    "Số định danh vợ/chồng",
	"commune_code": "Mã xã",
	"address":      "Địa chỉ",
	"status":       "Trạng thái",
}

// label returns m[k], or k itself when m has no entry.
func label(m map[string]string, k string) string {
	if v, ok := m[k]; ok {
		return v
	}
	return k
}

// ruleRank orders rule codes as the catalogue does; unknown codes come after.
func ruleRank(code string) int {
	for i, r := range rules.Catalog {
		if r.Code == code {
			return i
		}
	}
	return len(rules.Catalog)
}

func ruleLabel(code string) string {
	if r, ok := rules.Lookup(code); ok {
		return r.Label
	}
	return code
}

func subtypeLabel(rule, subtype string) string {
	if s, ok := rules.SubtypeInfo(rule, subtype); ok {
		return s.Label
	}
	return subtype
}

// formatScore writes the confidence of the link between a source record and
// the register as a whole percentage (never 100 % for a probable link), and
// for DUP_PERSON the probability that the two rows are one person; "" for
// the other findings that are not about a link (register-only rules,
// records that link to nobody).
func formatScore(f *record.Finding) string {
	s := f.Score
	if f.Source == record.Population.String() && f.Rule != rules.DupPerson || f.Rule == rules.NotInPopulation || s <= 0 || s != s {
		return ""
	}
	p := math.Floor(s * 100)
	if s >= 1 {
		p = 100
	}
	return strconv.FormatFloat(p, 'f', 0, 64) + "%"
}

// commune is the findings of one commune's fix list.
type commune struct {
	Province, Code, Name string
	idx                  []int32 // indexes into the findings, in fix-list order once sorted
}

// file returns the fix list's path inside the run directory, without
// extension: fixlists/<province>/<commune>-<slug>.
func (c *commune) file() string {
	name := c.Code
	if s := Slug(c.Name); s != "" {
		name += "-" + s
	}
	return path.Join("fixlists", c.Province, name)
}

// groupCommunes groups findings by province and commune code, in code order.
// Findings without a commune go to the province's "00000" list.
func groupCommunes(fs []record.Finding) []*commune {
	type key struct{ prov, code string }
	byKey := map[key]*commune{}
	var out []*commune
	for i := range fs {
		f := &fs[i]
		k := key{safeCode(f.ProvinceCode, unknownProvince), safeCode(f.CommuneCode, unknownCommune)}
		if f.CommuneCode == "" {
			k.code = unknownCommune
		}
		c := byKey[k]
		if c == nil {
			c = &commune{Province: k.prov, Code: k.code}
			if k.code == unknownCommune {
				c.Name = unknownCommuneName
			}
			byKey[k] = c
			out = append(out, c)
		}
		if c.Name == "" && f.CommuneName != "" {
			c.Name = norm.NFC.String(f.CommuneName)
		}
		c.idx = append(c.idx, int32(i))
	}
	slices.SortFunc(out, func(a, b *commune) int {
		return cmp.Or(cmp.Compare(a.Province, b.Province), cmp.Compare(a.Code, b.Code))
	})
	return out
}

// sorter orders a commune's findings by rule (catalogue order), full name
// (Vietnamese collation), person_id and finding_id.
type sorter struct {
	col   *collate.Collator
	arena []byte
	keys  [][]byte
}

func newSorter() *sorter {
	return &sorter{col: collate.New(language.Vietnamese)}
}

func (s *sorter) sort(fs []record.Finding, idx []int32) {
	s.arena = s.arena[:0]
	s.keys = s.keys[:0]
	var buf collate.Buffer
	ends := make([]int, 0, len(idx))
	for _, i := range idx {
		s.arena = append(s.arena, s.col.KeyFromString(&buf, oneLine(fs[i].FullName))...)
		buf.Reset()
		ends = append(ends, len(s.arena))
	}
	start := 0
	for _, e := range ends {
		s.keys = append(s.keys, s.arena[start:e:e])
		start = e
	}
	// Sort positions, then permute idx.
	pos := make([]int32, len(idx))
	for i := range pos {
		pos[i] = int32(i)
	}
	slices.SortStableFunc(pos, func(a, b int32) int {
		fa, fb := &fs[idx[a]], &fs[idx[b]]
		return cmp.Or(cmp.Compare(ruleRank(fa.Rule), ruleRank(fb.Rule)), cmp.Compare(fa.Rule, fb.Rule),
			bytes.Compare(s.keys[a], s.keys[b]), cmp.Compare(fa.PersonID, fb.PersonID),
			cmp.Compare(fa.FindingID, fb.FindingID))
	})
	sorted := make([]int32, len(idx))
	for i, p := range pos {
		sorted[i] = idx[p]
	}
	copy(idx, sorted)
}

// fixlistRow fills row with the fix-list columns of f, numbered n; names
// parses the name (nil: ParseName, without a memo).
func fixlistRow(row []string, n int, f *record.Finding, names *normalize.NameParser) []string {
	row = append(row[:0], make([]string, numCols)...)
	row[colSTT] = strconv.Itoa(n)
	row[colLabel] = ruleLabel(f.Rule)
	row[colDetail] = subtypeLabel(f.Rule, f.Subtype)
	row[colSeverity] = label(severityLabels, f.Severity)
	row[colPersonID] = f.PersonID
	row[colName] = displayName(names, f.FullName)
	row[colBirth] = displayDate(f.BirthDate)
	row[colAddress] = oneLine(f.Address)
	row[colHousehold] = strings.TrimSpace(f.HouseholdID)
	row[colSource] = label(sourceLabels, f.Source)
	row[colSourceKey] = f.SourceKey
	row[colRelated] = f.RelatedPersonID
	row[colField] = label(fieldLabels, f.Field)
	row[colPopValue] = displayValue(f, f.PopulationValue, true)
	row[colSrcValue] = displayValue(f, f.SourceValue, false)
	row[colScore] = formatScore(f)
	row[colSuggestion] = vietnamese(oneLine(f.Suggestion))
	row[colRule] = f.Rule
	row[colFindingID] = f.FindingID
	return row
}

// oneLine is s in NFC with runs of white space made one space and trimmed:
// strings.Join(strings.Fields(s), " "), without the slice and the copy
// when s is one line already (most names and addresses are).
func oneLine(s string) string {
	if plainLine(s) {
		return s
	}
	s = norm.NFC.String(s)
	if isOneLine(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// plainLine reports whether s is one line (isOneLine) of runes below
// U+0300 or in Latin Extended Additional (U+1E00-U+1EFF): Vietnamese text
// written precomposed, as names and addresses nearly always are. Such a
// text is in NFC as it is: each of those runes is NFC_Quick_Check=Yes and
// of combining class 0, and no combining mark follows them. It spares
// oneLine the normaliser's look-up of every rune (a third of a fix list's
// cost of text).
func plainLine(s string) bool {
	space := true // at the start, a space would be leading
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if c == ' ' {
				if space {
					return false
				}
				space = true
				continue
			}
			if c <= ' ' || c == 0x7f { // tab, line ends, other controls
				return false
			}
			space = false
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if !(r > 0xA0 && r < 0x300 || r >= 0x1E00 && r <= 0x1EFF) {
			return false // C1 controls, no-break space, invalid bytes (U+FFFD), marks, other scripts
		}
		space = false
	}
	return !space || s == ""
}

// isOneLine reports whether s has no white space (unicode.IsSpace) but
// single ASCII spaces between words: whether oneLine leaves it as it is.
func isOneLine(s string) bool {
	space := true // at the start, a space would be leading
	for _, r := range s {
		if !unicode.IsSpace(r) {
			space = false
			continue
		}
		if r != ' ' || space {
			return false
		}
		space = true
	}
	return !space || s == ""
}

// shownAs writes a canonical value with the value as written when they
// differ: "14/01/1984 (ghi: 19840114)".
func shownAs(canon, raw string) string {
	if canon == "" || canon == raw {
		return raw
	}
	return canon + " (ghi: " + raw + ")"
}

// displayName is a name in its canonical form (NFC, one space between
// words, each word capitalised), with the name as written when it differs
// by more than spacing.
func displayName(names *normalize.NameParser, raw string) string {
	r := oneLine(raw)
	if r == "" {
		return ""
	}
	return shownAs(names.Parse(r).Display, r)
}

// displayDate is a date as dd/mm/yyyy (mm/yyyy or yyyy when the day or month
// is unknown), with the date as written when it differs.
func displayDate(raw string) string {
	r := strings.TrimSpace(raw)
	if r == "" {
		return ""
	}
	d, err := normalize.ParseDate(r)
	if err != nil {
		return r
	}
	return shownAs(d.String(), r)
}

// dateInParens matches a parenthesised birth date after a name.
var dateInParens = regexp.MustCompile(` \((?:\d{1,2}/)?(?:\d{1,2}/)?\d{4}\)`)

// displayValue is a register or source value as an officer reads it. The
// register value of a residence finding is "code | address": the address
// has its own column, so only the code is shown. Other people are named
// without their birth dates: the name tells the officer who is meant.
func displayValue(f *record.Finding, v string, population bool) string {
	v = oneLine(v)
	if population && f.Field == "commune_code" {
		if code, _, ok := strings.Cut(v, "|"); ok {
			v = strings.TrimSpace(code)
			if v == "" {
				return "(trống)"
			}
		}
	}
	if f.Rule == rules.DupID {
		v = dateInParens.ReplaceAllString(v, "")
	}
	if f.Field == "birth_date" {
		return displayDate(v)
	}
	return v
}

// writeFixlists writes one CSV fix list per commune, and with XLSX one
// workbook per commune, communes side by side on GOMAXPROCS goroutines (a
// workbook costs far more than its CSV). A commune's rows are made once,
// for both of its files. The files are listed CSVs first, then
// workbooks, each in the order of communes.
func (d *Dir) writeFixlists(fs []record.Finding, communes []*commune, info listInfo) ([]string, error) {
	csvs := make([]string, len(communes))
	books := make([]string, len(communes))
	errs := make([]error, len(communes))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(communes)) {
		wg.Go(func() {
			s := newSorter()
			var rows listRows
			for i := range next {
				c := communes[i]
				s.sort(fs, c.idx)
				rows.fill(fs, c.idx, info)
				csvs[i] = c.file() + ".csv"
				errs[i] = d.writeFile(csvs[i], func(f *os.File) error { return writeListCSV(f, csvs[i], &rows) })
				if errs[i] == nil && d.opts.XLSX {
					books[i] = c.file() + ".xlsx"
					errs[i] = d.writeFile(books[i], func(f *os.File) error { return writeXLSX(f, fs, c, info, &rows) })
				}
			}
		})
	}
	for i := range communes {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	files := csvs
	if d.opts.XLSX {
		files = append(files, books...)
	}
	d.progress("wrote %d fix lists", len(communes))
	return files, nil
}

// listRows are the fix-list rows of one commune, row n for its n-th
// finding, numbered from 1 and with the officer's note; the buffers are
// reused from commune to commune.
type listRows struct {
	cells []string
	n     int
	names normalize.NameParser // its memo of name words kept from commune to commune
}

// fill makes the rows of the findings fs[idx[0]], fs[idx[1]], ....
func (r *listRows) fill(fs []record.Finding, idx []int32, info listInfo) {
	r.n = len(idx)
	r.cells = slices.Grow(r.cells[:0], len(idx)*numCols)[:len(idx)*numCols]
	for n, i := range idx {
		row := fixlistRow(r.cells[n*numCols:n*numCols:(n+1)*numCols], n+1, &fs[i], &r.names)
		row[colNote] = info.Notes[fs[i].FindingID]
	}
}

// row returns row n (from 0).
func (r *listRows) row(n int) []string { return r.cells[n*numCols : (n+1)*numCols : (n+1)*numCols] }

// writeListCSV writes a commune's fix list as CSV, named rel in errors.
func writeListCSV(f *os.File, rel string, rows *listRows) error {
	bw := bufio.NewWriterSize(f, 1<<16)
	bw.WriteString(bom)
	cw := csv.NewWriter(bw)
	cw.Write(fixlistHeader)
	guarded := make([]string, numCols) // the workbook takes the rows unguarded
	for n := range rows.n {
		copy(guarded, rows.row(n))
		if err := cw.Write(csvcell.GuardRow(guarded)); err != nil {
			return fmt.Errorf("%s: row %d: %w", rel, n+1, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}
