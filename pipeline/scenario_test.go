package pipeline

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"golang.org/x/text/unicode/norm"

	"github.com/doisanh/doisanh/record"
)

// A small hand-written province: every rule and subtype once, and the
// tricky cases that must stay silent (twins, remarriage after a death and
// after a divorce, benign writing differences, a legacy address of a
// commune that moved district before the 2025 reform).
//
// Person IDs: 040 (Nghệ An) + century/gender digit + year + serial.
// Communes: 17833 Xã Hải Lộc, 17842 Xã Thần Lĩnh (2025 codes);
// 17836 Xã Nghi Tiến (legacy, now part of Hải Lộc).

const (
	addrHaiLoc   = "Xóm 1, Xã Hải Lộc, Tỉnh Nghệ An"
	addrThanLinh = "Xóm 2, Xã Thần Lĩnh, Tỉnh Nghệ An"
)

func person(id, name, birth, gender, commune string) record.Person {
	addr := addrHaiLoc
	if commune == "17842" {
		addr = addrThanLinh
	}
	return record.Person{PersonID: id, FullName: name, BirthDate: birth, Gender: gender,
		CommuneCode: commune, Address: addr, Status: "còn sống", ResidenceType: "thường trú"}
}

func with(p record.Person, f func(*record.Person)) record.Person { f(&p); return p }

func married(a, b *record.Person) {
	a.SpouseID, a.SpouseName = b.PersonID, b.FullName
	b.SpouseID, b.SpouseName = a.PersonID, a.FullName
}

type scenario struct {
	population []record.Person
	tax        []record.TaxRecord
	insurance  []record.InsuranceRecord
	civil      []record.CivilEvent
}

func smallProvince() scenario {
	p1 := person("040085000001", "Nguyễn Văn An", "12/03/1985", "Nam", "17833")
	p1.OldID = "186000001"
	p2 := person("040187000002", "Trần Thị Bình", "05/07/1987", "Nữ", "17833")
	married(&p1, &p2)
	p2.SpouseID = "040 085 000 001" // benign: spaces in an ID
	child := func(id, name, birth, gender string) record.Person {
		return with(person(id, name, birth, gender, "17833"), func(c *record.Person) {
			c.FatherID, c.FatherName, c.MotherID, c.MotherName = p1.PersonID, p1.FullName, p2.PersonID, p2.FullName
		})
	}
	p3 := child("040216000003", "Nguyễn Văn Cường", "01/02/2016", "Nam")
	p4 := child("040318000004", "Nguyễn Thị Dung", "09/09/2018", "Nữ") // twins: not duplicates
	p5 := child("040318000005", "Nguyễn Thị Duyên", "09/09/2018", "Nữ")

	// Remarriage after a death: P7 died, P6 married P8; P7's row still names P6.
	p6 := person("040070000006", "Lê Văn Em", "00/00/1970", "Nam", "17842")
	p7 := person("040172000007", "Hoàng Thị Gấm", "03/04/1972", "Nữ", "17842")
	p7.Status = "đã chết"
	p8 := person("040175000008", "Phạm Thị Hòa", "15/08/1975", "Nữ", "17842")
	married(&p6, &p7)
	married(&p6, &p8)
	// Remarriage after a divorce: P9 divorced P10, married P11.
	p9 := person("040080000009", "Võ Văn Khánh", "20/10/1980", "Nam", "17833")
	p10 := person("040182000010", "Đặng Thị Lan", "21/01/1982", "Nữ", "17833")
	p11 := person("040184000011", "Bùi Thị Mai", "02/02/1984", "Nữ", "17833")
	married(&p9, &p11)
	// A spouse recorded by the old CMND.
	p12 := person("040078000012", "Hồ Văn Nam", "05/11/1978", "Nam", "17842")
	p13 := person("040179000013", "Ngô Thị Oanh", "06/06/1979", "Nữ", "17842")
	p13.OldID = "186000013"
	married(&p12, &p13)
	p12.SpouseID = p13.OldID
	// Not reciprocal.
	p14 := person("040081000014", "Đỗ Văn Phúc", "07/07/1981", "Nam", "17833")
	p15 := person("040183000015", "Dương Thị Quỳnh", "08/08/1983", "Nữ", "17833")
	p14.SpouseID, p14.SpouseName = p15.PersonID, p15.FullName
	// Self and not found.
	p16 := person("040090000016", "Phan Văn Sơn", "09/09/1990", "Nam", "17833")
	p16.SpouseID = p16.PersonID
	p17 := person("040191000017", "Châu Thị Tâm", "10/10/1991", "Nữ", "17833")
	p17.SpouseID = "040190999999"
	// Multiple: P20 also names P19, who is P18's wife.
	p18 := person("040076000018", "Lý Văn Tài", "11/11/1976", "Nam", "17842")
	p19 := person("040177000019", "Mai Thị Uyên", "12/12/1977", "Nữ", "17842")
	married(&p18, &p19)
	p20 := person("040079000020", "Trịnh Văn Vinh", "13/01/1979", "Nam", "17842")
	p20.SpouseID = p19.PersonID
	// One ID, two people.
	p21 := person("040088000021", "Cao Văn Xuân", "14/02/1988", "Nam", "17833")
	p22 := person("040088000021", "Tô Văn Yên", "15/03/1988", "Nam", "17842")
	// One person twice.
	p23 := person("040195000023", "Lâm Thị Ánh", "16/04/1995", "Nữ", "17833")
	p23.FatherName, p23.MotherName = "Lâm Văn Bảo", "Kiều Thị Cúc"
	p24 := with(p23, func(p *record.Person) {
		p.PersonID, p.CommuneCode, p.Address = "040195000024", "17842", addrThanLinh
		p.FullName = norm.NFD.String("LÂM THỊ ÁNH") // benign writing difference
	})
	// Invalid IDs.
	p25 := person("0400850000251", "Hà Văn Bắc", "17/05/1985", "Nam", "17833")
	p26 := person("040185000026", "Kim Văn Cảnh", "18/06/1985", "Nam", "17833")
	p27 := person("040085000027", "Lò Văn Dũng", "19/07/1990", "Nam", "17833")
	p28 := person("999090000028", "Mạc Văn Đức", "20/08/1990", "Nam", "17833")
	// Residence.
	p29 := with(person("040086000029", "Nông Văn Giang", "21/09/1986", "Nam", ""), func(p *record.Person) { p.Address = "" })
	p30 := person("040086000030", "Ông Văn Hải", "22/10/1986", "Nam", "99999")
	p31 := person("040086000031", "Quan Văn Hiếu", "23/11/1986", "Nam", "17836")
	p32 := with(person("040086000032", "Tạ Văn Hòa", "24/12/1986", "Nam", ""), func(p *record.Person) {
		p.Address = "Xóm 5, Xã Không Có Thật, Tỉnh Nghệ An"
	})
	p33 := with(person("040086000033", "Từ Văn Hùng", "25/01/1986", "Nam", "17842"), func(p *record.Person) {
		p.Address = addrHaiLoc
	})
	// Moved district before the reform, written the old way: no finding.
	p34 := with(person("040187000034", "Vũ Thị Hằng", "26/02/1987", "Nữ", ""), func(p *record.Person) {
		p.Address = "Xóm 3, X. Nghi Phong, TP. Vinh, T. Nghệ An"
	})
	p35 := person("040180000035", "Kha Thị Yến", "27/03/1980", "Nữ", "17842")

	s := scenario{population: []record.Person{p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14,
		p15, p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31, p32, p33, p34, p35}}

	tax := func(code string, p record.Person) record.TaxRecord {
		return record.TaxRecord{TaxCode: code, IDNumber: p.PersonID, FullName: p.FullName, BirthDate: p.BirthDate,
			Gender: p.Gender, CommuneCode: p.CommuneCode, Address: p.Address, Status: "active"}
	}
	s.tax = []record.TaxRecord{
		// Benign: lost leading zero, NFD upper case, ISO date, M for Nam.
		with2(tax("8000000001", p1), func(t *record.TaxRecord) {
			t.IDNumber = "40085000001"
			t.FullName = norm.NFD.String("NGUYỄN  VĂN AN ")
			t.BirthDate, t.Gender = "1985-03-12", "M"
		}),
		with2(tax("8000000002", p2), func(t *record.TaxRecord) { t.FullName = "Trần Thị Bính" }),
		with2(tax("8000000003", p6), func(t *record.TaxRecord) { t.BirthDate = "1970" }),
		tax("8000000004", p7), // dead, still active
		{TaxCode: "8000000005", IDNumber: "040086777777", FullName: "Quách Văn Lạ", BirthDate: "01/01/1986",
			Gender: "Nam", CommuneCode: "17833", Status: "active"},
		with2(tax("8000000006", p13), func(t *record.TaxRecord) { t.IDNumber = p13.OldID }),
		with2(tax("8000000007", p9), func(t *record.TaxRecord) { t.IDNumber = "" }),
		with2(tax("8000000008", p18), func(t *record.TaxRecord) { t.IDNumber = "040076000019" }),
		tax("8000000009", p11),
		with2(tax("8000000009", p10), func(t *record.TaxRecord) {}), // the same code for another person
		with2(tax("8000000010", p12), func(t *record.TaxRecord) { t.BirthDate = "11/05/1978" }),
		with2(tax("8000000011", p14), func(t *record.TaxRecord) { t.Gender = "Nữ" }),
		// Legacy commune code and old address of the moved commune: no finding.
		with2(tax("8000000012", p34), func(t *record.TaxRecord) { t.CommuneCode = "17902" }),
	}
	ins := func(code string, p record.Person) record.InsuranceRecord {
		return record.InsuranceRecord{InsuranceCode: code, IDNumber: p.PersonID, FullName: p.FullName,
			BirthDate: p.BirthDate, Gender: p.Gender, CommuneCode: p.CommuneCode, Status: "active"}
	}
	s.insurance = []record.InsuranceRecord{
		ins("4000000001", p3),
		ins("4000000007", p7),
		{InsuranceCode: "4000000099", IDNumber: "040192888888", FullName: "Lạc Thị Vắng", BirthDate: "02/02/1992",
			Gender: "Nữ", Status: "active"},
		with3(ins("4000000008", p8), func(r *record.InsuranceRecord) { r.FullName = "Phạm Thị Hoà" }), // tone placement: benign
	}
	ev := func(id, typ, date string, a, b *record.Person) record.CivilEvent {
		e := record.CivilEvent{EventID: id, EventType: typ, EventDate: date, RegCommuneCode: a.CommuneCode,
			SubjectID: a.PersonID, SubjectName: a.FullName, SubjectBirthDate: a.BirthDate, SubjectGender: a.Gender}
		if b != nil {
			e.PartnerID, e.PartnerName = b.PersonID, b.FullName
		}
		return e
	}
	s.civil = []record.CivilEvent{
		ev("KH-1995-01", "marriage", "10/10/1995", &p6, &p7),
		ev("KT-2010-01", "death", "01/01/2010", &p7, nil),
		ev("KH-2012-01", "marriage", "05/05/2012", &p6, &p8),
		ev("KH-2005-01", "marriage", "01/06/2005", &p9, &p10),
		ev("LH-2009-01", "divorce", "01/06/2009", &p9, &p10),
		ev("KH-2011-01", "marriage", "01/06/2011", &p9, &p11),
		with4(ev("KS-2016-01", "birth", "05/02/2016", &p3, nil), func(e *record.CivilEvent) {
			e.FatherID, e.FatherName, e.MotherID, e.MotherName = p1.PersonID, p1.FullName, p2.PersonID, p2.FullName
		}),
		{EventID: "KS-2020-09", EventType: "birth", EventDate: "10/10/2020", RegCommuneCode: "17833",
			SubjectID: "040220999998", SubjectName: "Nguyễn Văn Mới", SubjectBirthDate: "01/10/2020", SubjectGender: "Nam",
			FatherID: p1.PersonID, FatherName: p1.FullName, MotherID: p2.PersonID, MotherName: p2.FullName},
		ev("KT-2024-01", "death", "03/03/2024", &p16, nil),
		ev("KH-2015-01", "marriage", "01/01/2015", &p18, &p35),
	}
	return s
}

func with2(t record.TaxRecord, f func(*record.TaxRecord)) record.TaxRecord { f(&t); return t }
func with3(r record.InsuranceRecord, f func(*record.InsuranceRecord)) record.InsuranceRecord {
	f(&r)
	return r
}
func with4(e record.CivilEvent, f func(*record.CivilEvent)) record.CivilEvent { f(&e); return e }

// want is the findings the small province must give, as rule/subtype/source/key.
var want = []string{
	"DECEASED_ACTIVE/CIVIL_DEATH/civil/KT-2024-01",
	"DECEASED_ACTIVE/INSURANCE/insurance/4000000007",
	"DECEASED_ACTIVE/TAX/tax/8000000004",
	"DUP_ID/POPULATION/population/040088000021",
	"DUP_ID/TAX/tax/8000000009",
	"DUP_PERSON//population/040195000024",
	"FIELD_MISMATCH/BIRTH_DATE/tax/8000000010",
	"FIELD_MISMATCH/GENDER/tax/8000000011",
	"FIELD_MISMATCH/NAME/tax/8000000002",
	"ID_INVALID/BIRTH_YEAR/population/040085000027",
	"ID_INVALID/GENDER_CENTURY/population/040185000026",
	"ID_INVALID/LENGTH/population/0400850000251",
	"ID_INVALID/PROVINCE/population/999090000028",
	"ID_MISMATCH/MISSING_ID/tax/8000000007",
	"ID_MISMATCH/OLD_ID/tax/8000000006",
	"ID_MISMATCH/WRONG_ID/tax/8000000008",
	"NOT_IN_POPULATION/BIRTH/civil/KS-2020-09",
	"NOT_IN_POPULATION/INSURANCE/insurance/4000000099",
	"NOT_IN_POPULATION/TAX/tax/8000000005",
	"SPOUSE_CONFLICT/CIVIL_MARRIAGE/civil/KH-2015-01",
	"SPOUSE_CONFLICT/MULTIPLE/population/040177000019",
	"SPOUSE_CONFLICT/NOT_FOUND/population/040191000017",
	"SPOUSE_CONFLICT/NOT_RECIPROCAL/population/040081000014",
	"SPOUSE_CONFLICT/OLD_ID/population/040078000012",
	"SPOUSE_CONFLICT/SELF/population/040090000016",
	"UNKNOWN_RESIDENCE/CODE_ADDRESS_CONFLICT/population/040086000033",
	"UNKNOWN_RESIDENCE/INVALID_CODE/population/040086000030",
	"UNKNOWN_RESIDENCE/LEGACY_CODE/population/040086000031",
	"UNKNOWN_RESIDENCE/MISSING/population/040086000029",
	"UNKNOWN_RESIDENCE/UNRESOLVED_ADDRESS/population/040086000032",
}

func keys(fs []record.Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Rule + "/" + f.Subtype + "/" + f.Source + "/" + f.SourceKey
	}
	slices.Sort(out)
	return out
}

func TestSmallProvince(t *testing.T) {
	s := smallProvince()
	cfg := s.write(t, t.TempDir(), "csv")
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	got := keys(res.Findings)
	for _, k := range want {
		if !slices.Contains(got, k) {
			t.Errorf("missing finding %s", k)
		}
	}
	for _, f := range res.Findings {
		if k := keys([]record.Finding{f})[0]; !slices.Contains(want, k) {
			t.Errorf("unexpected finding %s: %+v", k, f)
		}
	}
	for _, c := range res.Counts {
		if c.Read != c.Used+c.Rejected {
			t.Errorf("%s: read %d != used %d + rejected %d", c.Source, c.Read, c.Used, c.Rejected)
		}
		if c.Rejected != 0 {
			t.Errorf("%s: %d rows rejected: %+v", c.Source, c.Rejected, res.Rejects)
		}
	}
	byKey := map[string]record.Finding{}
	for _, f := range res.Findings {
		byKey[f.Rule+"/"+f.Subtype+"/"+f.Source+"/"+f.SourceKey] = f
	}
	// Spot checks of what the officer sees.
	if f := byKey["ID_MISMATCH/OLD_ID/tax/8000000006"]; f.PersonID != "040179000013" || !strings.Contains(f.Suggestion, "040179000013") {
		t.Errorf("OLD_ID finding should name and suggest the CCCD: %+v", f)
	}
	if f := byKey["UNKNOWN_RESIDENCE/LEGACY_CODE/population/040086000031"]; f.CommuneCode != "17833" || !strings.Contains(f.Suggestion, "17833") {
		t.Errorf("LEGACY_CODE finding should be filed under and suggest the 2025 code 17833: %+v", f)
	}
	if f := byKey["DUP_PERSON//population/040195000024"]; f.RelatedPersonID != "040195000023" {
		t.Errorf("DUP_PERSON should relate the other ID: %+v", f)
	}
	if f := byKey["SPOUSE_CONFLICT/CIVIL_MARRIAGE/civil/KH-2015-01"]; f.PersonID != "040076000018" || f.RelatedPersonID != "040180000035" {
		t.Errorf("CIVIL_MARRIAGE should name the husband and the partner of the register: %+v", f)
	}
	if f := byKey["FIELD_MISMATCH/NAME/tax/8000000002"]; f.PopulationValue != "Trần Thị Bình" || f.SourceValue != "Trần Thị Bính" {
		t.Errorf("NAME finding should carry both values as written: %+v", f)
	}
	for _, f := range res.Findings {
		if f.FindingID == "" || f.Severity == "" || f.Suggestion == "" {
			t.Errorf("finding without id, severity or suggestion: %+v", f)
		}
	}
}

// TestFormatsAndWorkersAgree runs the small province from CSV and from
// Parquet, with one worker and with several: the findings must be identical.
func TestFormatsAndWorkersAgree(t *testing.T) {
	s := smallProvince()
	var runs [][]record.Finding
	for _, c := range []struct {
		format  string
		workers int
	}{{"csv", 1}, {"parquet", 1}, {"parquet", 4}, {"csv", 3}} {
		cfg := s.write(t, t.TempDir(), c.format)
		cfg.Workers = c.workers
		res, err := Run(context.Background(), cfg)
		if err != nil {
			t.Fatalf("%s, %d workers: %v", c.format, c.workers, err)
		}
		runs = append(runs, res.Findings)
	}
	for i := 1; i < len(runs); i++ {
		if !reflect.DeepEqual(runs[0], runs[i]) {
			t.Errorf("run %d differs from run 0:\n%v\n%v", i, keys(runs[0]), keys(runs[i]))
		}
	}
}

// write stores the scenario in dir as CSV or Parquet and returns the config.
func (s scenario) write(t testing.TB, dir, format string) Config {
	t.Helper()
	return Config{
		Population: writeRows(t, dir, "population", format, s.population),
		Tax:        writeRows(t, dir, "tax", format, s.tax),
		Insurance:  writeRows(t, dir, "insurance", format, s.insurance),
		Civil:      writeRows(t, dir, "civil", format, s.civil),
		Workers:    2,
	}
}

func writeRows[T any](t testing.TB, dir, name, format string, rows []T) string {
	t.Helper()
	path := filepath.Join(dir, name+"."+format)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	switch format {
	case "parquet":
		w := parquet.NewGenericWriter[T](f)
		if _, err := w.Write(rows); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	case "csv":
		w := csv.NewWriter(f)
		typ := reflect.TypeFor[T]()
		var header []int
		var names []string
		for i := range typ.NumField() {
			if tag := typ.Field(i).Tag.Get("parquet"); tag != "" && tag != "-" {
				header = append(header, i)
				names = append(names, tag)
			}
		}
		w.Write(names)
		for _, r := range rows {
			v := reflect.ValueOf(r)
			rec := make([]string, len(header))
			for j, i := range header {
				rec[j] = fmt.Sprint(v.Field(i).Interface())
			}
			w.Write(rec)
		}
		w.Flush()
		if err := w.Error(); err != nil {
			t.Fatal(err)
		}
	}
	return path
}
