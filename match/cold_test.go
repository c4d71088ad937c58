package match

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unsafe"

	"github.com/doisanh/doisanh/normalize"
)

// coldInputs are rows with empty, short, non-ASCII and long strings in
// every field, data rows with gaps and going back, a household shared by
// consecutive rows.
func coldInputs() []PersonInput {
	long := strings.Repeat("ngày 1 tháng 1 năm 1990 ", 100_000) // 2.4 MB: more than a chunk and a write buffer
	var ins []PersonInput
	for i := range 500 {
		in := PersonInput{Row: int64(2 + i + i/100*3), ID: fmt.Sprintf("0400%08d", i), Name: fmt.Sprintf("Nguyễn Văn %d", i),
			NameKey: fmt.Sprintf("nguyen van %d", i), Household: fmt.Sprintf("HH%05d", i/3),
			RawBirth: fmt.Sprintf("%02d/01/19%02d", 1+i%28, i%100), SpouseID: fmt.Sprintf("0401%08d", i),
			Commune: fmt.Sprintf("%05d", 100+i%4), Relation: "Con", Village: "Thôn 1", BirthProv: "040",
			Birth: normalize.Date{Year: 1900 + int16(i%100), Month: 1, Day: 1 + uint8(i%28), Precision: normalize.PrecisionDay}}
		in.RawName = in.Name
		switch i % 10 {
		case 1:
			in.RawName = strings.ToUpper(in.Name)
		case 2:
			in.RawBirth = "" // unknown
		case 3:
			in.RawBirth = long
		case 4:
			in.ID, in.Name, in.NameKey, in.RawName, in.Household = "", "", "", "", ""
		}
		if i == 450 {
			in.Row = 7 // out of order
		}
		ins = append(ins, in)
	}
	return ins
}

func buildCold(t *testing.T, ins []PersonInput) (*Population, *ColdFile) {
	t.Helper()
	cold, err := CreateColdFile(filepath.Join(t.TempDir(), "cold"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cold.Close() })
	b := NewPopulationBuilderWith(len(ins), BuilderOptions{Cold: cold})
	for i := range ins {
		b.Add(&ins[i])
	}
	return b.Build(), cold
}

// personStrings gives every string field of row i, by name.
func personStrings(pop *Population, i int) map[string]string {
	p := &pop.People[i]
	return map[string]string{"ID": pop.Str(p.ID), "OldID": pop.Str(p.OldID), "Name": pop.Str(p.Name),
		"NameKey": pop.Str(p.NameKey), "RawName": pop.Str(p.RawName), "RawBirth": pop.Str(p.RawBirth),
		"SpouseID": pop.Str(p.SpouseID), "Commune": pop.Str(p.Commune), "Household": pop.Str(p.Household),
		"Relation": pop.Str(p.Relation), "Village": pop.Str(p.Village), "BirthProv": pop.Str(p.BirthProv),
		"Row": fmt.Sprint(pop.Row(int32(i)))}
}

func TestColdFileSameStrings(t *testing.T) {
	ins := coldInputs()
	b := NewPopulationBuilder(len(ins))
	for i := range ins {
		b.Add(&ins[i])
	}
	mem := b.Build()
	pop, cold := buildCold(t, ins)
	for i := range ins {
		in := &ins[i]
		want := map[string]string{"ID": in.ID, "OldID": in.OldID, "Name": in.Name, "NameKey": in.NameKey,
			"RawName": in.RawName, "RawBirth": in.RawBirth, "SpouseID": in.SpouseID, "Commune": in.Commune,
			"Household": in.Household, "Relation": in.Relation, "Village": in.Village, "BirthProv": in.BirthProv,
			"Row": fmt.Sprint(in.Row)}
		for name, p := range map[string]*Population{"memory": mem, "cold": pop} {
			for field, got := range personStrings(p, i) {
				if got != want[field] {
					t.Fatalf("%s: row %d: %s = %.40q (%d bytes), want %.40q (%d bytes)", name, i, field, got, len(got),
						want[field], len(want[field]))
				}
			}
		}
		if (in.RawBirth != "") != (pop.People[i].RawBirth&coldBit != 0) {
			t.Fatalf("row %d: raw birth %.20q not in the cold file", i, in.RawBirth)
		}
	}
	var size, records int64
	for i := range ins {
		if n := len(ins[i].RawBirth); n > 0 {
			size += int64(n)
			records += int64(recordLen(n))
		}
	}
	if records > 0 {
		records += refUnit // the zero Ref's unit
	}
	if cold.Size() != records {
		t.Errorf("cold file holds %d bytes, want the %d of the raw birth dates' records", cold.Size(), records)
	}
	if mem.arena.Len()-pop.arena.Len() != size {
		t.Errorf("arena %d bytes with a cold file, %d without: want %d less", pop.arena.Len(), mem.arena.Len(), size)
	}
	if n := cold.Reads(); n != int64(len(ins)-len(ins)/10) {
		t.Errorf("%d cold reads, want one per raw birth date read", n)
	}
	if err := pop.Err(); err != nil {
		t.Error(err)
	}
	if len(pop.rows) > 12 {
		t.Errorf("%d steps of data rows for 5 gaps and one row out of order", len(pop.rows))
	}
}

func TestColdFileConcurrentReaders(t *testing.T) {
	ins := coldInputs()
	pop, cold := buildCold(t, ins)
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 8 {
		wg.Go(func() {
			for k := range ins {
				i := (k + g*61) % len(ins)
				if got := pop.Str(pop.People[i].RawBirth); got != ins[i].RawBirth {
					errs <- fmt.Sprintf("reader %d: row %d: %.20q, want %.20q", g, i, got, ins[i].RawBirth)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if want := int64(8 * (len(ins) - len(ins)/10)); cold.Reads() != want {
		t.Errorf("%d reads, want %d", cold.Reads(), want)
	}
}

// TestColdReadsNotInLinking: linking, duplicate blocks and repeated rows
// read no cold string.
func TestColdReadsNotInLinking(t *testing.T) {
	ins := coldInputs()
	pop, cold := buildCold(t, ins)
	l := NewLinker(pop, LinkOptions{})
	var sample []Record
	for i := range ins {
		in := &ins[i]
		sample = append(sample, Record{ID: in.ID, IDKind: IDPersonal, NameKey: in.NameKey, Birth: in.Birth, Commune: in.Commune},
			Record{NameKey: in.NameKey, Birth: in.Birth, Commune: in.Commune})
	}
	if _, err := l.Train(sample); err != nil {
		t.Fatal(err)
	}
	linked := 0
	for i := range sample {
		if lk := l.Link(&sample[i]); lk.Method != LinkNone {
			linked++
		}
	}
	pop.DuplicateBlocks(func([]int32) {})
	pop.RepeatedRows()
	if linked == 0 {
		t.Fatal("nothing linked")
	}
	if n := cold.Reads(); n != 0 {
		t.Errorf("%d cold reads while linking %d records", n, linked)
	}
}

func TestColdFileErrors(t *testing.T) {
	ins := coldInputs()[:20]
	tests := []struct {
		name  string
		spoil func(t *testing.T, c *ColdFile) // between Build and reading
		want  string
	}{
		{"truncated", func(t *testing.T, c *ColdFile) {
			if err := os.Truncate(c.Path(), 3); err != nil {
				t.Fatal(err)
			}
		}, "EOF"},
		{"closed", func(t *testing.T, c *ColdFile) {
			if err := c.Close(); err != nil {
				t.Fatal(err)
			}
		}, "closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pop, cold := buildCold(t, ins)
			tt.spoil(t, cold)
			if got := pop.Str(pop.People[5].RawBirth); got != "" {
				t.Errorf("read %q from a spoilt file", got)
			}
			err := pop.Err()
			if err == nil || !strings.Contains(err.Error(), cold.Path()) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Err = %v, want an error naming %s (%s)", err, cold.Path(), tt.want)
			}
			pop.Str(pop.People[6].RawBirth)
			if pop.Err() != err {
				t.Errorf("Err changed to %v after a second failure: want the first", pop.Err())
			}
		})
	}
}

func TestColdFileWriteError(t *testing.T) {
	cold, err := CreateColdFile(filepath.Join(t.TempDir(), "cold"))
	if err != nil {
		t.Fatal(err)
	}
	b := NewPopulationBuilderWith(0, BuilderOptions{Cold: cold})
	cold.f.Close() // the file lost under the builder: writes fail
	ins := coldInputs()
	for i := range ins {
		b.Add(&ins[i])
	}
	pop := b.Build()
	if err := pop.Err(); err == nil || !strings.Contains(err.Error(), cold.Path()) || !strings.Contains(err.Error(), "writing") {
		t.Fatalf("Err = %v, want the write error naming %s", err, cold.Path())
	}
	if _, err := CreateColdFile(filepath.Join(t.TempDir(), "missing", "cold")); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("creating in a missing directory: %v, want an error naming the file", err)
	}
	if _, err := CreateColdFile(cold.Path()); err == nil {
		t.Error("creating over an existing file: no error")
	}
}

// TestPersonSize: the data row is not a field (Population.Row), a Ref is
// 32 bits, the fields are ordered so that none is padded.
func TestPersonSize(t *testing.T) {
	if n := unsafe.Sizeof(Person{}); n != 72 {
		t.Errorf("Person is %d bytes, want 72", n)
	}
}
