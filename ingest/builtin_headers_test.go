package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/doisanh/doisanh/record"
)

// TestBuiltinHeadersValid: every built-in header names a column of its
// source, and no header means two columns of one source.
func TestBuiltinHeadersValid(t *testing.T) {
	cols := map[record.Source][]string{
		record.Population: columnNames(record.PersonSchema), record.Tax: columnNames(record.TaxSchema),
		record.Insurance: columnNames(record.InsuranceSchema), record.Civil: columnNames(record.CivilSchema),
	}
	for src, names := range cols {
		seen := map[string]string{}
		aliases := BuiltinHeaders(src)
		if len(aliases) == 0 {
			t.Errorf("%s: no built-in headers", src)
		}
		for _, a := range aliases {
			if !strings.Contains(" "+strings.Join(names, " ")+" ", " "+a.Column+" ") {
				t.Errorf("%s: %q is not a column", src, a.Column)
			}
			for _, h := range a.Headers {
				f := foldHeader(h)
				if prev, ok := seen[f]; ok && prev != a.Column {
					t.Errorf("%s: header %q means both %s and %s", src, h, prev, a.Column)
				}
				seen[f] = a.Column
			}
		}
	}
}

// TestBuiltinHeadersRead reads files with Vietnamese headers and no mapping.
func TestBuiltinHeadersRead(t *testing.T) {
	dir := t.TempDir()
	pop := filepath.Join(dir, "dan_cu.csv")
	os.WriteFile(pop, []byte("\ufeffSố định danh,Họ và tên,Ngày sinh,Giới tính,Mã hộ,Địa chỉ thường trú\n"+
		"040084000001,Nguyễn Văn An,01/02/1984,Nam,H1,\"Xóm 1, Xã Nghi Phong\"\n"), 0o644)
	people, _, _, err := readFile(t, pop, record.PersonSchema, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(people) != 1 || people[0].PersonID != "040084000001" || people[0].FullName != "Nguyễn Văn An" ||
		people[0].HouseholdID != "H1" || people[0].Address != "Xóm 1, Xã Nghi Phong" {
		t.Errorf("people = %+v", people)
	}

	tax := filepath.Join(dir, "thue.csv")
	os.WriteFile(tax, []byte("MÃ SỐ THUẾ;SO CMND/CCCD;Ho va ten;Ngay sinh\n8000000001;040084000001;Nguyễn Văn An;01/02/1984\n"), 0o644)
	recs, _, _, err := readFile(t, tax, record.TaxSchema, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].TaxCode != "8000000001" || recs[0].IDNumber != "040084000001" || recs[0].BirthDate != "01/02/1984" {
		t.Errorf("tax = %+v", recs)
	}

	// A mapping file wins over the built-in headers.
	_, _, _, err = readFile(t, tax, record.TaxSchema, Options{Mapping: Mapping{"Mã số thuế": "status", "Mã hồ sơ": "tax_code"}})
	if err == nil || !strings.Contains(err.Error(), "tax_code") {
		t.Errorf("mapping over built-in headers: err %v, want tax_code missing", err)
	}
	// The error for a missing column says how to fix it.
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("Mã khách hàng,Tên\n1,A\n"), 0o644)
	_, _, _, err = readFile(t, bad, record.TaxSchema, Options{})
	if err == nil || !strings.Contains(err.Error(), "--mapping") || !strings.Contains(err.Error(), "doisanh columns") {
		t.Errorf("missing column error = %v", err)
	}
}
