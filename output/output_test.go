package output

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"github.com/doisanh/doisanh/internal/numfmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/doisanh/doisanh/record"
	"github.com/doisanh/doisanh/rules"
)

// nfd is "Nguyễn Văn Ánh" in decomposed form (NFD), as some sources write it.
const nfd = "Nguye\u0302\u0303n Va\u0306n A\u0301nh"

// testFindings are findings of three communes of Nghệ An (40) and one
// without a commune, in the engine's order (province, commune, rule, ...).
func testFindings() []record.Finding {
	f := func(id, rule, sub, prov, code, commune, person, name, source, key string) record.Finding {
		info, _ := rules.Lookup(rule)
		st, _ := rules.SubtypeInfo(rule, sub)
		return record.Finding{FindingID: id, Rule: rule, Subtype: sub, Severity: info.Severity,
			ProvinceCode: prov, CommuneCode: code, CommuneName: commune, PersonID: person, FullName: name,
			BirthDate: "01/02/1980", Source: source, SourceKey: key, Score: 1, Suggestion: st.Suggestion}
	}
	fs := []record.Finding{
		f("a1", rules.FieldMismatch, "NAME", "40", "16681", "Xã Nghi Phong", "040080000001", "Trần Thị Ðào", "tax", "8000000001"),
		f("a2", rules.DupID, "POPULATION", "40", "16681", "Xã Nghi Phong", "040080000002", "Đặng Văn Bình", "population", "040080000002"),
		f("a3", rules.FieldMismatch, "NAME", "40", "16681", "Xã Nghi Phong", "040080000003", "Ân Văn Cường", "insurance", "4012345678"),
		f("a4", rules.FieldMismatch, "BIRTH_DATE", "40", "16681", "Xã Nghi Phong", "040080000004", "An Thị Lan", "tax", "8000000004"),
		f("a5", rules.DupID, "POPULATION", "40", "16681", "Xã Nghi Phong", "040080000005", "Bùi Thị Hoa", "population", "040080000005"),
		f("b1", rules.SpouseConflict, "NOT_RECIPROCAL", "40", "17920", "Phường Vinh Phú", "040080000011", nfd, "population", "040080000011"),
		f("b2", rules.SpouseConflict, "NOT_RECIPROCAL", "40", "17920", "Phường Vinh Phú", "040080000012", "Nguyễn Văn An", "population", "040080000012"),
		f("b3", rules.DeceasedActive, "TAX", "40", "17920", "Phường Vinh Phú", "040080000013", "Lê Văn Đức", "tax", "8000000013"),
		f("c1", rules.IDMismatch, "OLD_ID", "40", "18001", "Xã Quỳnh Lưu", "040080000021", "Hồ Thị Ý", "insurance", "4000000021"),
		f("u1", rules.NotInPopulation, "TAX", "40", "", "", "", "Phạm Văn Tư", "tax", "8000000031"),
		f("u2", rules.UnknownResidence, "MISSING", "40", "", "", "040080000032", "Võ Thị Mai", "population", "040080000032"),
	}
	fs[0].Field, fs[0].PopulationValue, fs[0].SourceValue, fs[0].Score = "full_name", "Trần Thị Đào", "Tran Thi Dao", 0.87
	return fs
}

func testSummary() Summary {
	return Summary{
		RunID:   "run-1",
		Started: time.Date(2025, 7, 1, 8, 0, 0, 0, time.UTC), Finished: time.Date(2025, 7, 1, 8, 1, 30, 0, time.UTC),
		Options: map[string]any{"xlsx": true},
		Inputs: []Input{
			{Source: "population", Path: "dan_cu.parquet", Size: 100, SHA256: "ab", Read: 1000, Used: 990, Rejected: 10},
			{Source: "tax", Path: "thue.csv", Size: 50, SHA256: "cd", Read: 300, Used: 299, Rejected: 1},
		},
		Stages:    []Stage{{"read", 1.5, 1300}, {"rules", 0.25, 1289}},
		Residents: map[string]int64{"16681": 1000, "17920": 200, "18001": 5000, "": 40},
	}
}

var testRejects = []record.Reject{
	{Source: "population", File: "dan_cu.parquet", RowNumber: 7, Column: "person_id", Reason: "thiếu số định danh", Raw: "Nguyễn,,01/01/1990"},
	{Source: "tax", File: "thue.csv", RowNumber: 12, Column: "full_name", Reason: "empty", Raw: "800,,\"x\""},
}

// writeRun writes fs into dir/out and commits it.
func writeRun(t *testing.T, dir string, fs []record.Finding, xlsx bool) string {
	t.Helper()
	final := filepath.Join(dir, "out")
	d, err := Create(final, Options{XLSX: xlsx, Version: "test", Now: func() time.Time { return time.Unix(1e9, 0) }})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteRejects(testRejects); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFindings(fs, testSummary()); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	return final
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte(bom)) {
		t.Fatalf("%s: no UTF-8 BOM", path)
	}
	recs, err := csv.NewReader(bytes.NewReader(data[len(bom):])).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs
}

func TestFindingsRoundTrip(t *testing.T) {
	fs := testFindings()
	out := writeRun(t, t.TempDir(), fs, false)

	got, err := ReadFindings(out)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, fs) {
		t.Errorf("findings.parquet round trip:\n got %+v\nwant %+v", got, fs)
	}
	recs := readCSV(t, filepath.Join(out, "findings.csv"))
	if !slices.Equal(recs[0], findingColumns) {
		t.Errorf("findings.csv header = %q", recs[0])
	}
	if len(recs) != len(fs)+1 {
		t.Fatalf("findings.csv has %d rows, want %d", len(recs)-1, len(fs))
	}
	for i, f := range fs {
		r := recs[i+1]
		if r[0] != f.FindingID || r[1] != f.Rule || r[6] != f.CommuneName || r[8] != f.FullName || r[17] != f.Suggestion {
			t.Errorf("findings.csv row %d = %q, want finding %+v", i+1, r, f)
		}
	}
	// The NFD name is kept byte for byte.
	if recs[6][8] != nfd {
		t.Errorf("NFD name changed: %q", recs[6][8])
	}
	rej := readCSV(t, filepath.Join(out, "rejects.csv"))
	if len(rej) != 3 || rej[1][4] != "thiếu số định danh" || rej[2][5] != testRejects[1].Raw || rej[1][2] != "7" {
		t.Errorf("rejects.csv = %q", rej)
	}
}

func TestFixlists(t *testing.T) {
	out := writeRun(t, t.TempDir(), testFindings(), true)
	tests := []struct {
		file string
		ids  []string // finding ids in fix-list order
	}{
		// DUP_ID before FIELD_MISMATCH (catalogue order); inside a rule by
		// Vietnamese collation: An < Ân < Bùi < Đặng < Trần.
		{"fixlists/40/16681-xa-nghi-phong", []string{"a5", "a2", "a4", "a3", "a1"}},
		// SPOUSE_CONFLICT before DECEASED_ACTIVE; the NFD "Nguyễn Văn Ánh"
		// sorts after "Nguyễn Văn An".
		{"fixlists/40/17920-phuong-vinh-phu", []string{"b2", "b1", "b3"}},
		{"fixlists/40/18001-xa-quynh-luu", []string{"c1"}},
		{"fixlists/40/00000-chua-xac-dinh", []string{"u2", "u1"}},
	}
	byID := map[string]record.Finding{}
	for _, f := range testFindings() {
		byID[f.FindingID] = f
	}
	var want []string
	for _, tt := range tests {
		want = append(want, tt.file+".csv", tt.file+".xlsx")
		recs := readCSV(t, filepath.Join(out, tt.file+".csv"))
		if !slices.Equal(recs[0], fixlistHeader) {
			t.Errorf("%s header = %q", tt.file, recs[0])
		}
		var ids []string
		for n, r := range recs[1:] {
			if len(r) != len(fixlistHeader) {
				t.Fatalf("%s row %d has %d columns", tt.file, n+1, len(r))
			}
			ids = append(ids, r[colFindingID])
			f := byID[r[colFindingID]]
			info, _ := rules.Lookup(f.Rule)
			if r[0] != strings.TrimSpace(r[0]) || r[0] != itoa(n+1) || r[colRule] != f.Rule || r[colLabel] != info.Label ||
				r[colPersonID] != f.PersonID || r[colOutcome] != "" || r[colNote] != "" {
				t.Errorf("%s row %d = %q", tt.file, n+1, r)
			}
		}
		if !slices.Equal(ids, tt.ids) {
			t.Errorf("%s order = %v, want %v", tt.file, ids, tt.ids)
		}
	}
	var got []string
	filepath.WalkDir(filepath.Join(out, "fixlists"), func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			rel, _ := filepath.Rel(out, p)
			got = append(got, filepath.ToSlash(rel))
		}
		return err
	})
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("fix lists = %v, want %v", got, want)
	}

	// Values an officer reads are in Vietnamese and NFC.
	recs := readCSV(t, filepath.Join(out, "fixlists/40/17920-phuong-vinh-phu.csv"))
	if r := recs[2]; r[colName] != "Nguyễn Văn Ánh" || r[colSeverity] != "Trung bình" || r[colSource] != "Dân cư" ||
		r[colDetail] != "Quan hệ vợ/chồng không hai chiều" || r[colScore] != "" {
		t.Errorf("row = %q", r)
	}
	recs = readCSV(t, filepath.Join(out, "fixlists/40/16681-xa-nghi-phong.csv"))
	if r := recs[5]; r[colField] != "Họ tên" || r[colPopValue] != "Trần Thị Đào" || r[colScore] != "87%" ||
		r[colSource] != "Thuế" || r[colSeverity] != "Thấp" || r[colName] != "Trần Thị Đào (ghi: Trần Thị Ðào)" {
		t.Errorf("field mismatch row = %q", r)
	}
}

func itoa(n int) string { return numfmt.VI(int64(n)) }

func TestFixlistXLSX(t *testing.T) {
	out := writeRun(t, t.TempDir(), testFindings(), true)
	path := filepath.Join(out, "fixlists/40/16681-xa-nghi-phong.xlsx")
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	// Sheets are named in Vietnamese, in catalogue order.
	if got, want := x.GetSheetList(), []string{"Tổng hợp", "Trùng số định danh", "Sai lệch thông tin"}; !slices.Equal(got, want) {
		t.Fatalf("sheets = %v, want %v", got, want)
	}
	const sheet = "Sai lệch thông tin"
	rows, err := x.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	// Title block: title, place and period, run, confidentiality line.
	if len(rows) < titleRows+1 {
		t.Fatalf("%d rows", len(rows))
	}
	title := rows[0][0] + "\n" + rows[1][0] + "\n" + rows[2][0] + "\n" + rows[3][0]
	for _, want := range []string{"DANH SÁCH", "Xã Nghi Phong (mã 16681), Tỉnh Nghệ An", "Kỳ: Tháng 07/2025", "Lần chạy: run-1", "DỮ LIỆU CÁ NHÂN – HẠN CHẾ TIẾP CẬN"} {
		if !strings.Contains(title, want) {
			t.Errorf("title block lacks %q:\n%s", want, title)
		}
	}
	hdr := rows[titleRows]
	if !slices.Equal(hdr, fixlistHeader) {
		t.Errorf("header = %q", hdr)
	}
	for _, want := range []string{"Địa chỉ (thôn/xóm)", "Mã hộ", "Kết quả xác minh", "Mã phát hiện"} {
		if !slices.Contains(hdr, want) {
			t.Errorf("no column %q", want)
		}
	}
	data := rows[titleRows+1:]
	if len(data) != 3 || data[0][colName] != "An Thị Lan" || data[2][colFindingID] != "a1" || data[0][0] != "1" || data[0][colPersonID] != "040080000004" {
		t.Errorf("%s rows = %q", sheet, data)
	}
	// IDs are text cells: a spreadsheet keeps the leading zero.
	idCell, _ := excelize.CoordinatesToCellName(colPersonID+1, titleRows+2)
	if typ, _ := x.GetCellType(sheet, idCell); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
		t.Errorf("ID cell %s type %v, want text", idCell, typ)
	}

	// Print setup: A4 landscape, one page wide, header row repeated.
	pl, err := x.GetPageLayout(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if *pl.Size != 9 || *pl.Orientation != "landscape" || *pl.FitToWidth != 1 || *pl.FitToHeight != 0 {
		t.Errorf("page layout: size %v orientation %v fit %vx%v", *pl.Size, *pl.Orientation, *pl.FitToWidth, *pl.FitToHeight)
	}
	props, err := x.GetSheetProps(sheet)
	if err != nil || props.FitToPage == nil || !*props.FitToPage {
		t.Errorf("sheet props: fit to page %v, %v", props.FitToPage, err)
	}
	var titles string
	for _, dn := range x.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" && dn.Scope == sheet {
			titles = dn.RefersTo
		}
	}
	if want := fmt.Sprintf("'%s'!$%d:$%d", sheet, titleRows+1, titleRows+1); titles != want {
		t.Errorf("print titles = %q, want %q", titles, want)
	}

	// The outcome column offers the outcomes.
	dvs, err := x.GetDataValidations(sheet)
	if err != nil || len(dvs) != 1 {
		t.Fatalf("data validations = %v, %v", dvs, err)
	}
	col, _ := excelize.ColumnNumberToName(colOutcome + 1)
	if want := fmt.Sprintf("%s%d:%s%d", col, titleRows+2, col, titleRows+4); dvs[0].Sqref != want || dvs[0].Type != "list" {
		t.Errorf("validation on %q type %q, want list on %q", dvs[0].Sqref, dvs[0].Type, want)
	}
	for _, o := range Outcomes {
		if !strings.Contains(dvs[0].Formula1, o) {
			t.Errorf("validation list %q lacks %q", dvs[0].Formula1, o)
		}
	}

	// A real font, wrapped text.
	styleID, _ := x.GetCellStyle(sheet, idCell)
	style, err := x.GetStyle(styleID)
	if err != nil || style.Font == nil || style.Font.Family != listFont || style.Alignment == nil || !style.Alignment.WrapText {
		t.Errorf("cell style = %+v %+v, %v", style.Font, style.Alignment, err)
	}

	// Document properties name doisanh and the time of writing.
	dp, err := x.GetDocProps()
	if err != nil || dp.Creator != "doisanh" || !strings.HasPrefix(dp.Created, "2001-09-09") {
		t.Errorf("doc props = %+v, %v", dp, err)
	}

	sum, err := x.GetRows("Tổng hợp")
	if err != nil {
		t.Fatal(err)
	}
	sum = sum[titleRows+1:]
	if len(sum) != 3 || sum[0][0] != "Trùng số định danh" || sum[0][2] != "2" || sum[1][2] != "3" || sum[2][2] != "5" {
		t.Errorf("Tổng hợp = %q", sum)
	}
	panes, err := x.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != titleRows+1 {
		t.Errorf("panes = %+v, %v", panes, err)
	}
	sheetXML := readZipFile(t, path, "xl/worksheets/sheet3.xml")
	if want := fmt.Sprintf(`<autoFilter ref="A%d:U%d"/>`, titleRows+1, titleRows+4); !strings.Contains(sheetXML, want) {
		t.Errorf("sheet has no filter %s:\n%.3000s", want, sheetXML)
	}
}

func TestUniqueSheetName(t *testing.T) {
	used := map[string]bool{}
	for _, tt := range []struct{ in, want string }{
		{"Lệch thông tin vợ/chồng", "Lệch thông tin vợ-chồng"},
		{"Một tên rất dài vượt quá ba mươi mốt ký tự cho phép", "Một tên rất dài vượt quá ba mươ"},
		{"Một tên rất dài vượt quá ba mươi mốt ký tự khác", "Một tên rất dài vượt quá ba (2)"},
		{"[?*]", "Danh sách"},
	} {
		if got := uniqueSheetName(tt.in, used); got != tt.want {
			t.Errorf("uniqueSheetName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSummaryJSON(t *testing.T) {
	fs := testFindings()
	out := writeRun(t, t.TempDir(), fs, false)
	data, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"version", "run_id", "started", "finished", "options", "inputs", "stages",
		"total_findings", "by_rule", "by_subtype", "by_source", "by_commune"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("summary.json has no %q", k)
		}
	}
	var s Summary
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	if s.TotalFindings != int64(len(fs)) || s.Version != "test" || s.RunID != "run-1" || s.Rejects != 2 ||
		s.RowsRead != 1300 || s.RowsUsed != 1289 || s.RowsRejected != 11 || len(s.Inputs) != 2 || len(s.Stages) != 3 {
		t.Errorf("summary = %+v", s)
	}
	if w := s.Stages[len(s.Stages)-1]; w.Name != "write" || w.Seconds <= 0 || w.Rows != int64(len(fs)) {
		t.Errorf("last stage = %+v, want the write stage with the findings count", w)
	}
	rule, sub, src := map[string]int64{}, map[string]int64{}, map[string]int64{}
	for _, f := range fs {
		rule[f.Rule]++
		sub[f.Rule+"/"+f.Subtype]++
		src[f.Source]++
	}
	if len(s.ByRule) != len(rules.Catalog) {
		t.Errorf("by_rule has %d rules, want every catalogue rule", len(s.ByRule))
	}
	for i, r := range s.ByRule {
		if r.Count != rule[r.Rule] || r.Rule != rules.Catalog[i].Code || r.Label != rules.Catalog[i].Label {
			t.Errorf("by_rule[%d] = %+v, want count %d", i, r, rule[r.Rule])
		}
	}
	var n int64
	for _, c := range s.BySubtype {
		n += c.Count
		if c.Count != sub[c.Rule+"/"+c.Subtype] {
			t.Errorf("by_subtype %+v, want %d", c, sub[c.Rule+"/"+c.Subtype])
		}
	}
	if n != int64(len(fs)) || len(s.BySubtype) != len(sub) {
		t.Errorf("by_subtype sums to %d over %d entries", n, len(s.BySubtype))
	}
	for _, c := range s.BySource {
		if c.Count != src[c.Source] {
			t.Errorf("by_source %+v, want %d", c, src[c.Source])
		}
	}
	wantCommunes := []struct {
		code, name string
		count      int64
	}{{"00000", "Chưa xác định", 2}, {"16681", "Xã Nghi Phong", 5}, {"17920", "Phường Vinh Phú", 3}, {"18001", "Xã Quỳnh Lưu", 1}}
	if len(s.ByCommune) != len(wantCommunes) {
		t.Fatalf("by_commune = %+v", s.ByCommune)
	}
	for i, w := range wantCommunes {
		c := s.ByCommune[i]
		var sum int64
		for _, r := range c.ByRule {
			sum += r.Count
		}
		if c.CommuneCode != w.code || c.CommuneName != w.name || c.Count != w.count || sum != w.count || c.ProvinceCode != "40" {
			t.Errorf("by_commune[%d] = %+v, want %+v", i, c, w)
		}
		if _, err := os.Stat(filepath.Join(out, c.Fixlist)); err != nil {
			t.Errorf("by_commune[%d] fix list: %v", i, err)
		}
	}
}

func TestManifest(t *testing.T) {
	out := writeRun(t, t.TempDir(), testFindings(), false)
	data, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if m.RunID != "run-1" || m.Version != "test" || len(m.Inputs) != 2 || m.Inputs[0].Rows != 1000 || m.Inputs[1].SHA256 != "cd" {
		t.Errorf("manifest = %+v", m)
	}
	sizes := map[string]int64{}
	for _, f := range m.Files {
		sizes[f.Path] = f.Size
	}
	for _, name := range []string{"findings.parquet", "findings.csv", "rejects.parquet", "rejects.csv", "summary.json", "report.html", "fixlists/40/18001-xa-quynh-luu.csv"} {
		fi, err := os.Stat(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if sizes[name] != fi.Size() {
			t.Errorf("manifest size of %s = %d, file has %d", name, sizes[name], fi.Size())
		}
	}
}

func TestReport(t *testing.T) {
	out := writeRun(t, t.TempDir(), testFindings(), false)
	data, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	html := string(data)
	for _, want := range []string{"Báo cáo đối sánh dữ liệu dân cư", "Trùng số định danh", "Lệch thông tin vợ/chồng",
		"Đã chết nhưng còn hoạt động", "Xã Nghi Phong", "Phường Vinh Phú", "Chưa xác định", "dan_cu.parquet",
		"<svg", `id="communes"`, "Trung bình", "1.300"} {
		if !strings.Contains(html, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	for _, bad := range []string{"http://", "https://", "src=", "href=", "@import", "url("} {
		if strings.Contains(html, bad) {
			t.Errorf("report.html contains %q: it must not load anything", bad)
		}
	}
	for _, want := range []string{
		"<title>Báo cáo đối sánh dữ liệu dân cư – Tỉnh Nghệ An – Tháng 07/2025</title>",
		`id="legend"`, "@media print", "size: A4",
		// Nghi Phong: 5 findings, 1,000 residents; Vinh Phú 3 for 200.
		`<td class="n" data-v="5">5,0</td>`, `<td class="n" data-v="15">15,0</td>`,
		// The unknown commune is apart, not a row of the ranked table.
		`<p id="unknown-commune">2 trường hợp`,
		"Dân cư", "Thuế",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if strings.Contains(html, "<td>Chưa xác định</td>") || strings.Contains(html, ">population<") {
		t.Errorf("report.html ranks the unknown commune or names a source in English")
	}
	if strings.Contains(html, `id="precision"`) {
		t.Errorf("precision table without a verification ledger")
	}
}

func TestReportPrecision(t *testing.T) {
	dir := t.TempDir()
	d, err := Create(filepath.Join(dir, "out"), Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	s := testSummary()
	s.Verification = &Verification{Ledger: "xacminh.jsonl", Entries: 5, Dismissed: []string{"x"},
		ByRule: []RulePrecision{{Rule: rules.DupPerson, Fixed: 2, Open: 1, NotError: 1, NotFound: 1}}}
	SortPrecision(s.Verification.ByRule)
	if err := d.WriteFindings(testFindings(), s); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "out", "report.html"))
	html := strings.Join(strings.Fields(string(data)), " ")
	want := `<tr><td>Nghi trùng công dân</td><td class="n">3</td><td class="n">1</td><td class="n wide">1</td><td class="n">75,0%</td></tr>`
	if !strings.Contains(html, want) {
		t.Errorf("report.html lacks the precision row %s", want)
	}
	sum, err := ReadSummary(filepath.Join(dir, "out"))
	if err != nil || sum.Verification == nil || sum.Verification.ByRule[0].NotError != 1 {
		t.Errorf("summary.json verification = %+v, %v", sum.Verification, err)
	}
}

func TestReportEscapes(t *testing.T) {
	fs := testFindings()
	fs[0].CommuneName = `<script>alert("x")</script>`
	out := writeRun(t, t.TempDir(), fs, false)
	data, _ := os.ReadFile(filepath.Join(out, "report.html"))
	if strings.Contains(string(data), `<script>alert`) {
		t.Error("report.html does not escape commune names")
	}
}

func TestFormatInt(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 7: "7", 999: "999", 1000: "1.000", 1234567: "1.234.567", -45000: "-45.000"} {
		if got := numfmt.VI(n); got != want {
			t.Errorf("numfmt.VI(%d) = %q, want %q", n, got, want)
		}
	}
}

// readZipFile returns the file name inside the zip archive path.
func readZipFile(t *testing.T, path, name string) string {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	f, err := z.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestFixlistSpreadsheetRoundTrip: IDs, codes and dates reach a
// spreadsheet as text. In the XLSX every cell of a list is a text cell,
// equal to the CSV's value, so a leading zero is never lost and a date is
// never converted; the CSV is read back as text (as doisanh verify does).
func TestFixlistSpreadsheetRoundTrip(t *testing.T) {
	fs := testFindings()
	fs[2].PersonID, fs[2].BirthDate = "001191601622", "1/6/1969"
	fs[2].SourceKey = "0012345678"
	out := writeRun(t, t.TempDir(), fs, true)
	base := filepath.Join(out, "fixlists/40/16681-xa-nghi-phong")
	csvRows := readCSV(t, base+".csv")
	byID := map[string][]string{}
	for _, r := range csvRows[1:] {
		byID[r[colFindingID]] = r
	}
	if r := byID["a3"]; r[colPersonID] != "001191601622" || r[colBirth] != "01/06/1969 (ghi: 1/6/1969)" || r[colSourceKey] != "0012345678" {
		t.Errorf("CSV row = %q", r)
	}
	x, err := excelize.OpenFile(base + ".xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	checked := 0
	for _, sheet := range x.GetSheetList()[1:] {
		rows, err := x.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range rows[titleRows+1:] {
			want := byID[r[colFindingID]]
			for _, c := range []int{colPersonID, colBirth, colSourceKey, colRelated, colHousehold, colFindingID} {
				cell, _ := excelize.CoordinatesToCellName(c+1, titleRows+2+i)
				typ, _ := x.GetCellType(sheet, cell)
				got := ""
				if c < len(r) {
					got = r[c]
				}
				if got != want[c] {
					t.Errorf("%s %s = %q, CSV has %q", sheet, cell, got, want[c])
				}
				if got != "" && typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
					t.Errorf("%s %s (%q) is not a text cell: %v", sheet, cell, got, typ)
				}
				checked++
			}
		}
	}
	if checked < 5*6 {
		t.Errorf("checked %d cells", checked)
	}
}
