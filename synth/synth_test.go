package synth

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/doisanh/doisanh/normalize"
	"github.com/doisanh/doisanh/record"
	"github.com/doisanh/doisanh/rules"
)

// province20k is generated once with default options and shared by the
// tests that only read it.
var province20k = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "synth-20k-")
	if err != nil {
		return "", err
	}
	opts := DefaultOptions()
	opts.People = 20000
	opts.Seed = 7
	_, err = Generate(context.Background(), dir, opts)
	return dir, err
})

func generated(t *testing.T) string {
	t.Helper()
	dir, err := province20k()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func read[T any](t *testing.T, dir, name string) []T {
	t.Helper()
	rows, err := parquet.ReadFile[T](filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func canonicalID(s string) string {
	if id, err := normalize.ParsePersonID(s); err == nil {
		return id
	}
	return s
}

func TestDeterministic(t *testing.T) {
	opts := DefaultOptions()
	opts.People = 5000
	opts.Seed = 42
	opts.Format = FormatBoth
	a, b := t.TempDir(), t.TempDir()
	if _, err := Generate(context.Background(), a, opts); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(context.Background(), b, opts); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, a, b)
	opts.Seed = 43
	c := t.TempDir()
	if _, err := Generate(context.Background(), c, opts); err != nil {
		t.Fatal(err)
	}
	x, _ := os.ReadFile(filepath.Join(a, "population.csv"))
	y, _ := os.ReadFile(filepath.Join(c, "population.csv"))
	if bytes.Equal(x, y) {
		t.Error("seeds 42 and 43 gave the same population")
	}
}

func TestEverySubtypeInTruth(t *testing.T) {
	truth := read[record.Truth](t, generated(t), "truth.parquet")
	n := make(map[[2]string]int)
	for _, r := range truth {
		n[[2]string{r.Rule, r.Subtype}]++
		if _, ok := rules.SubtypeInfo(r.Rule, r.Subtype); !ok {
			t.Errorf("truth row with unknown rule/subtype %s/%s", r.Rule, r.Subtype)
		}
		if r.Rule == rules.FieldMismatch && r.Field == "" || r.Rule != rules.FieldMismatch && r.Field != "" {
			t.Errorf("truth %+v: field must be set for FIELD_MISMATCH only", r)
		}
	}
	for _, r := range rules.Catalog {
		for _, s := range r.Subtypes {
			if n[[2]string{r.Code, s.Code}] == 0 {
				t.Errorf("no %s/%s in truth at 20k people", r.Code, s.Code)
			}
		}
	}
}

func TestTruthKeysExist(t *testing.T) {
	dir := generated(t)
	keys := map[string]map[string]bool{"population": {}, "tax": {}, "insurance": {}, "civil": {}}
	for _, p := range read[record.Person](t, dir, "population.parquet") {
		keys["population"][canonicalID(p.PersonID)] = true
	}
	for _, r := range read[record.TaxRecord](t, dir, "tax.parquet") {
		keys["tax"][r.TaxCode] = true
	}
	for _, r := range read[record.InsuranceRecord](t, dir, "insurance.parquet") {
		keys["insurance"][r.InsuranceCode] = true
	}
	for _, e := range read[record.CivilEvent](t, dir, "civil.parquet") {
		keys["civil"][e.EventID] = true
	}
	truth := read[record.Truth](t, dir, "truth.parquet")
	for _, r := range truth {
		if !keys[r.Source][r.SourceKey] {
			t.Errorf("truth %s/%s: %s key %q not in the %s file", r.Rule, r.Subtype, r.Source, r.SourceKey, r.Source)
		}
		if r.PersonID != "" && !keys["population"][r.PersonID] {
			t.Errorf("truth %s/%s: person %q not on the register", r.Rule, r.Subtype, r.PersonID)
		}
		if r.RelatedPersonID != "" && !keys["population"][r.RelatedPersonID] {
			t.Errorf("truth %s/%s: related person %q not on the register", r.Rule, r.Subtype, r.RelatedPersonID)
		}
	}
}

// TestInvalidIDs checks that every ID_INVALID defect is the problem
// normalize.CheckPersonID finds, and that no other register ID has one.
func TestInvalidIDs(t *testing.T) {
	dir := generated(t)
	want := make(map[string]string)
	for _, r := range read[record.Truth](t, dir, "truth.parquet") {
		if r.Rule == rules.IDInvalid && r.Expect == "" {
			want[r.SourceKey] = r.Subtype
		}
	}
	bad := 0
	for _, p := range read[record.Person](t, dir, "population.parquet") {
		g, _ := normalize.ParseGender(p.Gender)
		d, err := normalize.ParseDate(p.BirthDate)
		if err != nil {
			t.Fatalf("birth date %q: %v", p.BirthDate, err)
		}
		problems := normalize.CheckPersonID(p.PersonID, g, int(d.Year), p.BirthRegProvince)
		id := canonicalID(p.PersonID)
		sub, injected := want[id]
		if !injected {
			if len(problems) > 0 {
				bad++
				if bad < 5 {
					t.Errorf("person %s (%s, %s, %s): unexpected problems %v", p.PersonID, p.Gender, p.BirthDate, p.BirthRegProvince, problems)
				}
			}
			continue
		}
		if !slices.ContainsFunc(problems, func(q normalize.IDProblem) bool { return q.Code == sub }) {
			t.Errorf("person %s injected %s, CheckPersonID finds %v", p.PersonID, sub, problems)
		}
	}
	if bad > 0 {
		t.Errorf("%d valid IDs with problems", bad)
	}
}

func TestCounts(t *testing.T) {
	m := newModel(DefaultOptions(), testGeography())
	m.opts.People = 20000
	m.build()
	if len(m.people) != 20000 {
		t.Errorf("%d people, want 20000", len(m.people))
	}
	working, withTax := 0, 0
	for _, p := range m.people {
		if a := p.birth.age(); a >= 18 && a <= 65 {
			working++
			if p.hasTax {
				withTax++
			}
		}
	}
	if share := float64(withTax) / float64(working); share < 0.65 || share > 0.75 {
		t.Errorf("%.2f of people aged 18-65 have a tax record, want about 0.70", share)
	}
	if share := float64(len(m.ins)) / float64(len(m.people)); share < 0.82 || share > 0.88 {
		t.Errorf("%.2f of people have an insurance record, want about 0.85", share)
	}
	dead := 0
	for _, p := range m.people {
		if p.dead {
			dead++
		}
	}
	if share := float64(dead) / float64(len(m.people)); share < 0.005 || share > 0.02 {
		t.Errorf("%.3f of people dead, want about 0.01", share)
	}
	if hh := float64(len(m.people)) / float64(m.households); hh < 2.5 || hh > 4.5 {
		t.Errorf("%.2f people per household, want 2.5-4.5", hh)
	}
}

// TestBaseline checks the benign-only province: reciprocal spouses,
// twins, unique IDs and codes, valid tax codes, an empty truth.
func TestBaseline(t *testing.T) {
	dir := t.TempDir()
	opts := DefaultOptions()
	opts.People = 20000
	opts.BenignOnly = true
	rep, err := Generate(context.Background(), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	if truth := read[record.Truth](t, dir, "truth.parquet"); len(truth) != 0 {
		t.Errorf("benign-only: %d truth rows, want 0", len(truth))
	}
	for _, c := range rep.Truth {
		if c.Count != 0 {
			t.Errorf("benign-only report counts %d %s/%s", c.Count, c.Rule, c.Subtype)
		}
	}
	people := read[record.Person](t, dir, "population.parquet")
	if len(people) != opts.People {
		t.Errorf("%d population rows, want %d", len(people), opts.People)
	}
	byID := make(map[string]*record.Person)
	for i := range people {
		id := canonicalID(people[i].PersonID)
		if byID[id] != nil {
			t.Errorf("person_id %s twice", id)
		}
		byID[id] = &people[i]
	}
	couples, twins := 0, 0
	type birth struct{ father, mother, date string }
	births := make(map[birth][]string)
	for _, p := range people {
		id := canonicalID(p.PersonID)
		if p.FatherID != "" && p.MotherID != "" {
			k := birth{canonicalID(p.FatherID), canonicalID(p.MotherID), p.BirthDate}
			births[k] = append(births[k], normalize.Fold(p.FullName))
		}
		if p.SpouseID == "" || p.Status == "đã chết" {
			continue
		}
		s := byID[canonicalID(p.SpouseID)]
		if s == nil {
			t.Errorf("%s: spouse %s not on the register", id, p.SpouseID)
			continue
		}
		if canonicalID(s.SpouseID) != id {
			t.Errorf("%s names spouse %s, who names %q", id, p.SpouseID, s.SpouseID)
		}
		couples++
	}
	for _, names := range births {
		if len(names) == 2 {
			twins++
			if names[0] == names[1] {
				t.Errorf("twins with the same name %q", names[0])
			}
		}
	}
	if couples < len(people)/4 {
		t.Errorf("%d people with a spouse, want at least a quarter", couples)
	}
	if twins == 0 {
		t.Error("no twins")
	}
	codes := make(map[string]bool)
	for _, r := range read[record.TaxRecord](t, dir, "tax.parquet") {
		if _, err := normalize.ParseTaxCode(r.TaxCode); err != nil {
			t.Errorf("tax code: %v", err)
		}
		if codes[r.TaxCode] {
			t.Errorf("tax code %s twice", r.TaxCode)
		}
		codes[r.TaxCode] = true
		if byID[canonicalID(r.IDNumber)] == nil {
			t.Errorf("tax %s: id_number %s not on the register", r.TaxCode, r.IDNumber)
		}
	}
	for _, r := range read[record.InsuranceRecord](t, dir, "insurance.parquet") {
		if _, err := normalize.ParseCardNumber(r.CardNumber); err != nil || !strings.HasSuffix(r.CardNumber, r.InsuranceCode) {
			t.Errorf("insurance %s: card %q (%v)", r.InsuranceCode, r.CardNumber, err)
		}
		if codes[r.InsuranceCode] {
			t.Errorf("insurance code %s twice", r.InsuranceCode)
		}
		codes[r.InsuranceCode] = true
	}
}

func TestFixedSubset(t *testing.T) {
	opts := DefaultOptions()
	opts.People = 20000
	opts.Seed = 3
	a, b := t.TempDir(), t.TempDir()
	if _, err := Generate(context.Background(), a, opts); err != nil {
		t.Fatal(err)
	}
	opts.Fixed = 0.3
	rep, err := Generate(context.Background(), b, opts)
	if err != nil {
		t.Fatal(err)
	}
	all := read[record.Truth](t, a, "truth.parquet")
	left := read[record.Truth](t, b, "truth.parquet")
	inAll := make(map[record.Truth]bool)
	for _, r := range all {
		inAll[r] = true
	}
	for _, r := range left {
		if !inAll[r] {
			t.Errorf("fixed run has a defect the full run lacks: %+v", r)
		}
	}
	// Expected non-findings go with their defect: fixed with it.
	defects := func(rs []record.Truth) int {
		n := 0
		for _, r := range rs {
			if r.Expect == "" {
				n++
			}
		}
		return n
	}
	nAll, nLeft := defects(all), defects(left)
	share := 1 - float64(nLeft)/float64(nAll)
	if share < 0.25 || share > 0.35 {
		t.Errorf("%.3f of defects fixed, want about 0.30", share)
	}
	if rep.Fixed != nAll-nLeft {
		t.Errorf("report: %d fixed, truth differs by %d defects", rep.Fixed, nAll-nLeft)
	}
	// Rows of people no defect touches are identical.
	involved := make(map[string]bool)
	for _, r := range all {
		for _, id := range []string{r.PersonID, r.RelatedPersonID} {
			if id != "" {
				involved[id] = true
			}
		}
		if r.Source == "population" {
			involved[r.SourceKey] = true
		}
	}
	rows := func(dir string) map[string]record.Person {
		out := make(map[string]record.Person)
		for _, p := range read[record.Person](t, dir, "population.parquet") {
			out[canonicalID(p.PersonID)] = p
		}
		return out
	}
	ra, rb := rows(a), rows(b)
	same, differ := 0, 0
	for id, p := range ra {
		if involved[id] || involved[canonicalID(p.SpouseID)] || involved[canonicalID(p.FatherID)] || involved[canonicalID(p.MotherID)] {
			continue
		}
		if q, ok := rb[id]; !ok || q != p {
			differ++
			if differ < 5 {
				t.Errorf("untouched person %s differs:\n%+v\n%+v", id, p, q)
			}
			continue
		}
		same++
	}
	if same < 15000 {
		t.Errorf("only %d untouched rows compared", same)
	}
	// The fixed ones really are fixed: their rule's condition is gone.
	for _, r := range all {
		if r.Rule == rules.IDInvalid && !slices.Contains(left, r) {
			if _, ok := rb[r.SourceKey]; ok {
				t.Errorf("fixed ID_INVALID %s still on the register", r.SourceKey)
			}
		}
	}
}

func TestRatesOverride(t *testing.T) {
	opts := DefaultOptions()
	opts.People = 5000
	opts.Rate = 0
	opts.Rates = map[string]float64{"FIELD_MISMATCH/NAME": 0.02, "DUP_PERSON": 0.001}
	dir := t.TempDir()
	rep, err := Generate(context.Background(), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range rep.Truth {
		switch RateKey(c.Rule, c.Subtype) {
		case "FIELD_MISMATCH/NAME":
			if c.Count < 100 {
				t.Errorf("FIELD_MISMATCH/NAME: %d, want about 2%% of records", c.Count)
			}
		case "DUP_PERSON":
			if c.Count != 5 {
				t.Errorf("DUP_PERSON: %d, want 5", c.Count)
			}
		default:
			if c.Count != 0 {
				t.Errorf("%s/%s: %d with rate 0", c.Rule, c.Subtype, c.Count)
			}
		}
	}
	opts.Rates = map[string]float64{"NO_SUCH/RULE": 0.1}
	if _, err := Generate(context.Background(), dir, opts); err == nil {
		t.Error("unknown rate key: no error")
	}
}

func TestParseRates(t *testing.T) {
	tests := []struct {
		in   string
		want map[string]float64
		err  bool
	}{
		{"", map[string]float64{}, false},
		{"FIELD_MISMATCH/NAME=0.01", map[string]float64{"FIELD_MISMATCH/NAME": 0.01}, false},
		{"FIELD_MISMATCH/NAME=0.01, dup_id/population=0.001", map[string]float64{"FIELD_MISMATCH/NAME": 0.01, "DUP_ID/POPULATION": 0.001}, false},
		{"DUP_PERSON=0", map[string]float64{"DUP_PERSON": 0}, false},
		{"FIELD_MISMATCH/NAME", nil, true},
		{"FIELD_MISMATCH/NAME=x", nil, true},
		{"FIELD_MISMATCH/NAME=2", nil, true},
		{"FIELD_MISMATCH/NAME=-0.1", nil, true},
	}
	for _, tt := range tests {
		got, err := ParseRates(tt.in)
		if (err != nil) != tt.err {
			t.Errorf("ParseRates(%q) error %v, want error %v", tt.in, err, tt.err)
			continue
		}
		if !tt.err && fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("ParseRates(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestOptionsValidate(t *testing.T) {
	bad := []func(*Options){
		func(o *Options) { o.People = 0 },
		func(o *Options) { o.Rate = 1.5 },
		func(o *Options) { o.Fixed = -1 },
		func(o *Options) { o.Noise = -1 },
		func(o *Options) { o.Format = "xlsx" },
		func(o *Options) { o.Province = "99" },
	}
	for i, f := range bad {
		o := DefaultOptions()
		f(&o)
		if _, err := Generate(context.Background(), t.TempDir(), o); err == nil {
			t.Errorf("case %d: %+v: no error", i, o)
		}
	}
}

// TestCSVMatchesParquet checks --format both writes the same rows twice.
func TestCSVMatchesParquet(t *testing.T) {
	opts := DefaultOptions()
	opts.People = 2000
	opts.Format = FormatBoth
	dir := t.TempDir()
	if _, err := Generate(context.Background(), dir, opts); err != nil {
		t.Fatal(err)
	}
	people := read[record.Person](t, dir, "population.parquet")
	f, err := os.Open(filepath.Join(dir, "population.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(people)+1 {
		t.Fatalf("%d CSV rows, %d Parquet rows", len(recs)-1, len(people))
	}
	for j, c := range record.PersonSchema.Columns {
		if recs[0][j] != c.Name {
			t.Errorf("CSV column %d is %q, want %q", j, recs[0][j], c.Name)
		}
	}
	for i := range people {
		for j, c := range record.PersonSchema.Columns {
			if got, want := recs[i+1][j], *c.Field(&people[i]); got != want {
				t.Fatalf("row %d %s: CSV %q, Parquet %q", i+1, c.Name, got, want)
			}
		}
	}
}

func BenchmarkGenerate20k(b *testing.B) {
	geo := testGeography()
	opts := DefaultOptions()
	opts.People = 20000
	dir := b.TempDir()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := generate(context.Background(), dir, opts, geo); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(opts.People)*float64(b.N)/b.Elapsed().Seconds(), "people/s")
}

func BenchmarkRenderPerson(b *testing.B) {
	opts := DefaultOptions()
	opts.People = 5000
	m := newModel(opts, testGeography())
	m.build()
	rd := newRenderer(m, saltPopulation)
	var row record.Person
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		rd.person(i%len(m.people), &row)
		i++
	}
}

// TestInteractingDefects: some defects fall on people close to another
// one: a FIELD_MISMATCH on the records of the partner of a spouse defect
// (one household, two defects) or of the first registration of a double
// one. Each stays its own truth row, and the consequences of defects are
// truth rows marked as expected non-findings.
func TestInteractingDefects(t *testing.T) {
	truth := read[record.Truth](t, generated(t), "truth.parquet")
	close := map[string]string{}
	not := map[string]int{}
	for _, r := range truth {
		if r.Expect != "" {
			if r.Expect != record.ExpectNone {
				t.Errorf("truth %+v: expect %q, want empty or %q", r, r.Expect, record.ExpectNone)
			}
			not[r.Rule+"/"+r.Subtype]++
			continue
		}
		switch {
		case r.Rule == rules.SpouseConflict && (r.Subtype == "NOT_RECIPROCAL" || r.Subtype == "OLD_ID"):
			close[r.RelatedPersonID] = r.Rule + "/" + r.Subtype
		case r.Rule == rules.DupPerson:
			close[r.PersonID] = r.Rule
		}
	}
	n := map[string]int{}
	for _, r := range truth {
		if why, ok := close[r.PersonID]; ok && r.Rule == rules.FieldMismatch {
			n[why]++
		}
	}
	for _, why := range []string{"SPOUSE_CONFLICT/NOT_RECIPROCAL", "SPOUSE_CONFLICT/OLD_ID", rules.DupPerson} {
		if n[why] == 0 {
			t.Errorf("no FIELD_MISMATCH on someone close to a %s", why)
		}
	}
	t.Logf("FIELD_MISMATCH on people close to another defect: %v", n)
	// Their consequences are in the truth as expected non-findings.
	for _, want := range []string{"SPOUSE_CONFLICT/NOT_RECIPROCAL", "SPOUSE_CONFLICT/NOT_FOUND", "ID_INVALID/PROVINCE"} {
		if not[want] == 0 {
			t.Errorf("no expected non-finding %s in the truth", want)
		}
	}
	t.Logf("expected non-findings: %v", not)
}

// sameFiles fails t unless directories a and b, written by two Generate
// runs of format both, hold the same 12 files (5 parquet, 5 csv,
// generate.json, .doisanh-generate), byte for byte.
func sameFiles(t *testing.T, a, b string) {
	t.Helper()
	entries, err := os.ReadDir(a)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 12 {
		t.Errorf("%d files, want 12 (5 parquet, 5 csv, generate.json, .doisanh-generate)", len(entries))
	}
	for _, e := range entries {
		x, err1 := os.ReadFile(filepath.Join(a, e.Name()))
		y, err2 := os.ReadFile(filepath.Join(b, e.Name()))
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with the same options", e.Name())
		}
	}
}
