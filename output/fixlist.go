package output

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/csv"
	"fmt"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"

	"github.com/doisanh/doisanh/record"
	"github.com/doisanh/doisanh/rules"
)

// Place of findings whose commune is unknown.
const (
	unknownProvince    = "00"
	unknownCommune     = "00000"
	unknownCommuneName = "Chưa xác định"
)

// fixlistHeader are the Vietnamese column headers of a fix list: only what
// an officer needs to act. "Kết quả xác minh" is left empty for the officer;
// "Mã phát hiện" (finding_id) comes last so that doisanh diff can track it.
var fixlistHeader = []string{
	"STT", "Mã lỗi", "Loại lỗi", "Chi tiết", "Mức độ", "Số định danh", "Họ và tên", "Ngày sinh",
	"Nguồn", "Mã nguồn", "Người liên quan", "Trường", "Giá trị CSDLQG", "Giá trị nguồn",
	"Độ tin cậy", "Đề nghị", "Kết quả xác minh", "Mã phát hiện",
}

// fixlistWidths are the XLSX column widths of fixlistHeader, in characters.
var fixlistWidths = []float64{6, 18, 28, 36, 11, 15, 26, 12, 9, 16, 15, 14, 22, 22, 10, 60, 30, 18}

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

// formatScore writes a match confidence as a percentage; empty when zero.
func formatScore(s float64) string {
	if s <= 0 || s != s {
		return ""
	}
	return strconv.FormatFloat(s*100, 'f', 0, 64) + "%"
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
		s.arena = append(s.arena, s.col.KeyFromString(&buf, fs[i].FullName)...)
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

// fixlistRow fills row with the fix-list columns of f, numbered n.
func fixlistRow(row []string, n int, f *record.Finding) []string {
	nfc := norm.NFC.String
	return append(row[:0],
		strconv.Itoa(n),
		f.Rule,
		ruleLabel(f.Rule),
		subtypeLabel(f.Rule, f.Subtype),
		label(severityLabels, f.Severity),
		f.PersonID,
		nfc(f.FullName),
		f.BirthDate,
		label(sourceLabels, f.Source),
		f.SourceKey,
		f.RelatedPersonID,
		label(fieldLabels, f.Field),
		nfc(f.PopulationValue),
		nfc(f.SourceValue),
		formatScore(f.Score),
		f.Suggestion,
		"",
		f.FindingID,
	)
}

// writeFixlists writes one CSV fix list per commune, and with XLSX one
// workbook per commune; one file is open at a time.
func (d *Dir) writeFixlists(fs []record.Finding, communes []*commune) ([]string, error) {
	s := newSorter()
	var files []string
	row := make([]string, 0, len(fixlistHeader))
	for _, c := range communes {
		s.sort(fs, c.idx)
		rel := c.file() + ".csv"
		err := d.writeFile(rel, func(f *os.File) error {
			bw := bufio.NewWriterSize(f, 1<<16)
			bw.WriteString(bom)
			cw := csv.NewWriter(bw)
			cw.Write(fixlistHeader)
			for n, i := range c.idx {
				row = fixlistRow(row, n+1, &fs[i])
				for j := range row {
					row[j] = csvSafe(row[j])
				}
				if err := cw.Write(row); err != nil {
					return fmt.Errorf("%s: row %d: %w", rel, n+1, err)
				}
			}
			cw.Flush()
			if err := cw.Error(); err != nil {
				return err
			}
			return bw.Flush()
		})
		if err != nil {
			return nil, err
		}
		files = append(files, rel)
		if d.opts.XLSX {
			rel := c.file() + ".xlsx"
			if err := d.writeFile(rel, func(f *os.File) error { return writeXLSX(f, fs, c) }); err != nil {
				return nil, err
			}
			files = append(files, rel)
		}
	}
	d.progress("wrote %d fix lists", len(communes))
	return files, nil
}

// csvSafe keeps a spreadsheet program from reading a cell of a fix list as
// a formula: text starting with =, +, @ or a control character gets a
// leading apostrophe.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
