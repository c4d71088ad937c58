package ingest

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/doisanh/doisanh/record"
)

// checkOffsets: every column of schema is stored at its field's offset,
// and set stores a value where the schema's field function points.
func checkOffsets[T any](t *testing.T, schema record.Schema[T]) {
	t.Helper()
	for i, c := range schema.Columns {
		col := column[T]{name: c.Name, field: c.Field, at: fieldOffset(c.Field)}
		if col.at < 0 {
			t.Errorf("%s: column %s: no offset", schema.Source, c.Name)
			continue
		}
		var p T
		v := fmt.Sprintf("value %d", i)
		col.set(&p, v)
		if got := *c.Field(&p); got != v {
			t.Errorf("%s: column %s: set stored %q where the field reads %q", schema.Source, c.Name, v, got)
		}
		for j, o := range schema.Columns {
			if j != i && *o.Field(&p) != "" {
				t.Errorf("%s: setting column %s changed column %s", schema.Source, c.Name, o.Name)
			}
		}
	}
}

func TestFieldOffsets(t *testing.T) {
	checkOffsets(t, record.PersonSchema)
	checkOffsets(t, record.TaxSchema)
	checkOffsets(t, record.InsuranceSchema)
	checkOffsets(t, record.CivilSchema)

	// A field function pointing outside the record is called, not offset.
	var elsewhere string
	outside := func(*record.TaxRecord) *string { return &elsewhere }
	col := column[record.TaxRecord]{field: outside, at: fieldOffset(outside)}
	if col.at != -1 {
		t.Fatalf("fieldOffset of a string outside the record = %d, want -1", col.at)
	}
	var r record.TaxRecord
	col.set(&r, "x")
	if elsewhere != "x" || r != (record.TaxRecord{}) {
		t.Errorf("set through the function: elsewhere %q, record %+v", elsewhere, r)
	}
}

// TestArrowRowPlain: a row whose values are all plain is checked for its
// keys only (rowPlain); one value that is not plain sends the row through
// the whole check, so that a control character in any column still
// rejects it, naming that column, and the rows beside it are kept.
func TestArrowRowPlain(t *testing.T) {
	dir := t.TempDir()
	rows := people(600)
	rows[5].Address = "Thôn 3\x01, Xã Hữu Kiệm"
	rows[6].Status = "thuong tru\x7f"
	rows[300].MotherName = "Lê Thị \xc2\x85Hoa" // a C1 control
	rows[301].PersonID = ""
	path := filepath.Join(dir, "people.parquet")
	writePersons(t, path, rows, 256)
	got, st, rj, err := readFile(t, path, record.PersonSchema, Options{BatchSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	if st != (Stats{Read: 600, Used: 596, Rejected: 4}) {
		t.Errorf("stats %+v", st)
	}
	want := []struct {
		row    int64
		column string
	}{{6, "address"}, {7, "status"}, {301, "mother_name"}, {302, "person_id"}}
	if len(rj) != len(want) {
		t.Fatalf("rejects %+v", rj)
	}
	for i, w := range want {
		if rj[i].RowNumber != w.row || rj[i].Column != w.column {
			t.Errorf("reject %d: row %d column %s (%s), want row %d column %s", i, rj[i].RowNumber, rj[i].Column, rj[i].Reason, w.row, w.column)
		}
	}
	if len(got) != 596 || got[5].Row != 8 || got[5].PersonID != rows[7].PersonID || !got[5].UTF8 {
		t.Errorf("kept rows: %d, the sixth %+v", len(got), got[min(5, len(got)-1)])
	}
}
