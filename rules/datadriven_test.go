package rules

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/doisanh/doisanh/admin"
	"github.com/doisanh/doisanh/match"
	"github.com/doisanh/doisanh/normalize"
	"github.com/doisanh/doisanh/record"
)

// TestRules runs the rule tests written as text under testdata/, one file
// per rule (docs/ADDING_A_RULE.md describes the format). Each file is a
// series of directives:
//
//	register     the register rows of a new case (it clears the sources)
//	tax          tax records, with the person each one is linked to
//	insurance    insurance records, likewise
//	civil        civil events, with the subject's (and partner's) link
//	check        applies every rule of All and prints the findings
//
// Rows are written as tables: a header of column names, then one line per
// row, cells separated by "|". Run `go test ./rules -run TestRules -rewrite`
// to write the findings the rules give now as the expected ones; read the
// diff before committing it.
func TestRules(t *testing.T) {
	datadriven.Walk(t, "testdata", func(t *testing.T, path string) {
		var cs ddCase
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			switch d.Cmd {
			case "register":
				cs = ddCase{}
				cs.register = readTable(t, d, record.PersonSchema.Columns, nil)
				return ""
			case "tax":
				cs.tax = append(cs.tax, readTable(t, d, record.TaxSchema.Columns, linkColumns)...)
				return ""
			case "insurance":
				cs.insurance = append(cs.insurance, readTable(t, d, record.InsuranceSchema.Columns, linkColumns)...)
				return ""
			case "civil":
				cs.civil = append(cs.civil, readTable(t, d, record.CivilSchema.Columns, civilLinkColumns)...)
				return ""
			case "check":
				var show []string
				if d.HasArg("show") {
					d.ScanArgs(t, "show", &show)
				}
				return printFindings(cs.run(t), show)
			}
			d.Fatalf(t, "unknown directive %q (want register, tax, insurance, civil or check)", d.Cmd)
			return ""
		})
	})
}

// Columns a test's source rows may carry besides the source's own: the
// link the linker would have made, given rather than computed, so a rule
// test does not depend on the linking model.
var (
	// linked_to: the person_id the record is linked to (or "#3" for data
	// row 3 of the register, when the number is on several rows); empty:
	// linked to nobody. For link=ambiguous, the candidates, separated by
	// spaces. link: id (the default when linked_to is set), old_id, fuzzy
	// or ambiguous. score: the link's score, default 1.
	linkColumns = []string{"linked_to", "link", "score"}
	// partner_linked_to: a marriage or divorce partner's link.
	civilLinkColumns = []string{"linked_to", "link", "score", "partner_linked_to"}
)

// ddRow is one row of a table: its values by column name, and its data row
// number (1-based, as in a file).
type ddRow struct {
	n    int64
	vals map[string]string
}

// ddCase is one case: the register and the source records.
type ddCase struct {
	register, tax, insurance, civil []ddRow
}

// readTable reads d's input as a table whose columns are those of a schema
// plus extra.
func readTable[T any](t *testing.T, d *datadriven.TestData, schema []record.Column[T], extra []string) []ddRow {
	t.Helper()
	known := map[string]bool{}
	for _, c := range schema {
		known[c.Name] = true
	}
	for _, c := range extra {
		known[c] = true
	}
	var header []string
	var rows []ddRow
	for i, line := range strings.Split(d.Input, "\n") {
		if s := strings.TrimSpace(line); s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		cells := strings.Split(line, "|")
		for j := range cells {
			cells[j] = strings.TrimSpace(cells[j])
		}
		if header == nil {
			for _, c := range cells {
				if !known[c] {
					d.Fatalf(t, "%s: unknown column %q", d.Cmd, c)
				}
			}
			header = cells
			continue
		}
		if len(cells) != len(header) {
			d.Fatalf(t, "%s, line %d: %d cells, the header has %d", d.Cmd, i+1, len(cells), len(header))
		}
		r := ddRow{n: int64(len(rows) + 1), vals: map[string]string{}}
		for j, c := range header {
			r.vals[c] = cells[j]
		}
		rows = append(rows, r)
	}
	return rows
}

// fill sets the fields of a typed row from the table's values.
func fill[T any](row *T, schema []record.Column[T], r ddRow) {
	for _, c := range schema {
		*c.Field(row) = r.vals[c.Name]
	}
}

// run applies the rules to the case the way a reconcile run does: person
// rules on each register row, record rules on each tax, insurance and
// civil record, the cross rules once, then the precedence of
// DropConsequences and the order of Finish.
func (cs *ddCase) run(t *testing.T) []record.Finding {
	t.Helper()
	pl := NewPlaces(admin.Default(), "40")
	rs := All()
	var fs []record.Finding
	b := match.NewPopulationBuilder(len(cs.register))
	for _, r := range cs.register {
		p := record.Person{Row: r.n}
		fill(&p, record.PersonSchema.Columns, r)
		in, row := readPerson(t, pl, &p)
		fs = rs.CheckPerson(pl, &row, fs)
		b.Add(&in)
	}
	c := NewChecker(pl, b.Build())
	var linked Linked
	for _, src := range []struct {
		rows   []ddRow
		owners *KeyOwners
		read   func(ddRow) SourceRecord
	}{
		{cs.tax, &linked.TaxOwners, func(r ddRow) SourceRecord {
			var x record.TaxRecord
			fill(&x, record.TaxSchema.Columns, r)
			return readSource(t, pl, record.Tax, x.TaxCode, x.IDNumber, x.FullName, x.BirthDate, x.Gender, x.CommuneCode, x.Address, x.Status)
		}},
		{cs.insurance, &linked.InsuranceOwners, func(r ddRow) SourceRecord {
			var x record.InsuranceRecord
			fill(&x, record.InsuranceSchema.Columns, r)
			return readSource(t, pl, record.Insurance, x.InsuranceCode, x.IDNumber, x.FullName, x.BirthDate, x.Gender, x.CommuneCode, x.Address, x.Status)
		}},
	} {
		for _, r := range src.rows {
			rec := src.read(r)
			rec.Link = readLink(t, c.Pop, r, "linked_to")
			fs = rs.CheckRecord(c, &rec, fs)
			src.owners.Add(KeyOwner{Key: rec.Key, Person: rec.Link.Person, NameKey: rec.Match.NameKey,
				Birth: rec.Match.Birth, Name: rec.RawName, Commune: rec.Match.Commune})
		}
	}
	for _, r := range cs.civil {
		var e record.CivilEvent
		fill(&e, record.CivilSchema.Columns, r)
		e.Row = r.n
		name := normalize.ParseName(e.SubjectName)
		commune := sourceCommuneOf(pl, e.RegCommuneCode, "")
		id, kind := sourceIDOf(e.SubjectID)
		rec := SourceRecord{Source: record.Civil, Key: e.EventID, Event: e.EventType, EventDate: e.EventDate,
			RawID: e.SubjectID, RawName: e.SubjectName, RawBirth: e.SubjectBirthDate, RawGender: e.SubjectGender,
			Match: match.Record{ID: id, IDKind: kind, NameKey: name.Key, Phonetic: name.Phonetic,
				Birth: parseDate(t, e.SubjectBirthDate), Gender: parseGender(t, e.SubjectGender), Commune: commune},
			Link: readLink(t, c.Pop, r, "linked_to")}
		fs = rs.CheckRecord(c, &rec, fs)
		if e.EventType == record.EventMarriage || e.EventType == record.EventDivorce {
			partner := readLink(t, c.Pop, r, "partner_linked_to")
			linked.Marriages = append(linked.Marriages, Marriage{EventID: e.EventID, Date: parseDate(t, e.EventDate),
				Row: e.Row, Divorce: e.EventType == record.EventDivorce, A: rec.Link.Person, B: partner.Person})
		}
	}
	for _, rule := range rs.Cross {
		fs = rule.CheckCross(c, &linked, fs)
	}
	return Finish(c.DropConsequences(fs))
}

// readPerson reads a register row as package pipeline does: canonical
// values for the index, and the Row the person rules see.
func readPerson(t *testing.T, pl *Places, p *record.Person) (match.PersonInput, Row) {
	t.Helper()
	birth, gender := parseDate(t, p.BirthDate), parseGender(t, p.Gender)
	status, ok := normalize.ParseStatus(p.Status)
	if !ok {
		t.Fatalf("register row %d: unknown status %q", p.Row, p.Status)
	}
	name := normalize.ParseName(p.FullName)
	id := personIDOf(p.PersonID)
	prov, _ := normalize.ProvinceCode(p.BirthRegProvince)
	res := pl.Residence(p.CommuneCode, p.Address)
	parent := func(id, name string) uint64 {
		if k := normalize.NameKey(name); k != "" {
			return match.HashString(k)
		}
		if d := personIDOf(id); d != "" {
			return match.HashString(d)
		}
		return 0
	}
	in := match.PersonInput{Row: p.Row, ID: id, OldID: digitsOf(p.OldID), Name: name.Display, NameKey: name.Key,
		Given: name.Given, Phonetic: name.Phonetic, RawName: p.FullName, RawBirth: p.BirthDate,
		SpouseID: personIDOf(p.SpouseID), Commune: res.Commune, Household: strings.TrimSpace(p.HouseholdID),
		Relation: strings.TrimSpace(p.Relation), Village: res.Village, FatherKey: parent(p.FatherID, p.FatherName),
		MotherKey: parent(p.MotherID, p.MotherName), Birth: birth, Gender: gender, Status: status, BirthProv: prov}
	return in, Row{Raw: p, ID: id, Gender: gender, Birth: birth, BirthProv: prov, Residence: res}
}

// readSource reads a tax or insurance row as package pipeline does.
func readSource(t *testing.T, pl *Places, src record.Source, key, rawID, rawName, rawBirth, rawGender, code, address, rawStatus string) SourceRecord {
	t.Helper()
	status, ok := normalize.ParseStatus(rawStatus)
	if !ok {
		t.Fatalf("%s %s: unknown status %q", src, key, rawStatus)
	}
	name := normalize.ParseName(rawName)
	id, kind := sourceIDOf(rawID)
	return SourceRecord{Source: src, Key: strings.TrimSpace(key), RawID: rawID, RawName: rawName, RawBirth: rawBirth,
		RawGender: rawGender, Name: name.Display, Encoded: rawName, Status: status,
		Match: match.Record{ID: id, IDKind: kind, NameKey: name.Key, Phonetic: name.Phonetic,
			Birth: parseDate(t, rawBirth), Gender: parseGender(t, rawGender), Commune: sourceCommuneOf(pl, code, address)}}
}

// readLink reads the link a test gives a source row (see linkColumns).
func readLink(t *testing.T, pop *match.Population, r ddRow, column string) match.Link {
	t.Helper()
	l := match.Link{Person: -1, Score: 1}
	if s := r.vals["score"]; s != "" && column == "linked_to" {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("row %d: score %q: %v", r.n, s, err)
		}
		l.Score = f
	}
	targets := strings.Fields(r.vals[column])
	method := "id"
	if column == "linked_to" && r.vals["link"] != "" {
		method = r.vals["link"]
	}
	if len(targets) == 0 {
		l.Method, l.Score = match.LinkNone, 0
		return l
	}
	rows := make([]int32, len(targets))
	for i, s := range targets {
		rows[i] = personRow(t, pop, r, s)
	}
	switch method {
	case "id":
		l.Method = match.LinkID
	case "old_id":
		l.Method = match.LinkOldID
	case "fuzzy":
		l.Method = match.LinkFuzzy
	case "ambiguous":
		l.Method, l.Candidates = match.LinkAmbiguous, rows
		return l
	default:
		t.Fatalf("row %d: link %q (want id, old_id, fuzzy or ambiguous)", r.n, method)
	}
	if len(rows) != 1 {
		t.Fatalf("row %d: %s names %d people; only an ambiguous link names several", r.n, column, len(rows))
	}
	l.Person = rows[0]
	return l
}

// personRow finds the register row a link names: a person_id (its first
// row) or "#n", the register's data row n.
func personRow(t *testing.T, pop *match.Population, r ddRow, s string) int32 {
	t.Helper()
	if n, ok := strings.CutPrefix(s, "#"); ok {
		i, err := strconv.Atoi(n)
		if err != nil || i < 1 || i > pop.Len() {
			t.Fatalf("row %d: no register row %q", r.n, s)
		}
		return int32(i - 1)
	}
	rows := pop.ByID(personIDOf(s))
	if len(rows) == 0 {
		t.Fatalf("row %d: nobody on the register has person_id %s", r.n, s)
	}
	return rows[0]
}

func parseDate(t *testing.T, s string) normalize.Date {
	t.Helper()
	if strings.TrimSpace(s) == "" {
		return normalize.Date{}
	}
	d, err := normalize.ParseDate(s)
	if err != nil {
		t.Fatalf("date %q: %v", s, err)
	}
	return d
}

func parseGender(t *testing.T, s string) normalize.Gender {
	t.Helper()
	g, ok := normalize.ParseGender(s)
	if !ok {
		t.Fatalf("unknown gender %q", s)
	}
	return g
}

// digitsOf returns the digits of s when it holds only digits and
// separators, else s trimmed.
func digitsOf(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case '0' <= r && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '.' || r == '-' || r == '\t':
		default:
			return strings.TrimSpace(s)
		}
	}
	return b.String()
}

// personIDOf is the canonical person_id: 12 digits when it is one (a lost
// leading zero restored), else its digits as written.
func personIDOf(s string) string {
	if id, err := normalize.ParsePersonID(s); err == nil {
		return id
	}
	return digitsOf(s)
}

// sourceIDOf classifies a source record's id_number.
func sourceIDOf(s string) (string, match.IDKind) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", match.IDNone
	}
	if id, err := normalize.ParsePersonID(s); err == nil {
		return id, match.IDPersonal
	}
	if d := digitsOf(s); len(d) == 9 {
		return d, match.IDOld
	}
	return digitsOf(s), match.IDOther
}

// sourceCommuneOf places a source record: its commune code (a legacy code
// converted when unambiguous), else its address.
func sourceCommuneOf(pl *Places, code, address string) string {
	if d := communeDigits(code); d != "" {
		if _, ok := pl.Units.Commune(admin.Current, d); ok {
			return d
		}
		if next := pl.Units.Convert(d); len(next) == 1 {
			return next[0].Code
		}
	}
	if strings.TrimSpace(address) == "" {
		return ""
	}
	if r := pl.Addr.Parse(address); r.Status == normalize.AddressResolved && len(r.Current) == 1 {
		return r.Current[0].Code
	}
	return ""
}

// printFindings writes findings one block each: the rule and subtype, the
// record it is filed on, the person, the related person and the
// suggestion; show adds "values" (field, register and source values),
// "commune" and "score".
func printFindings(fs []record.Finding, show []string) string {
	if len(fs) == 0 {
		return "no findings\n"
	}
	extra := map[string]bool{}
	for _, s := range show {
		extra[s] = true
	}
	var b strings.Builder
	for _, f := range fs {
		rule := f.Rule
		if f.Subtype != "" {
			rule += "/" + f.Subtype
		}
		fmt.Fprintf(&b, "%s on %s %s\n", rule, f.Source, f.SourceKey)
		line := func(label, value string) {
			if value != "" {
				fmt.Fprintf(&b, "  %-11s %s\n", label+":", value)
			}
		}
		person := f.PersonID
		if f.FullName != "" {
			person = strings.TrimSpace(person + " " + f.FullName)
		}
		line("person", person)
		line("related", f.RelatedPersonID)
		if extra["values"] {
			line("field", f.Field)
			line("register", f.PopulationValue)
			line("source", f.SourceValue)
		}
		if extra["commune"] {
			line("commune", strings.TrimSpace(f.CommuneCode+" "+f.CommuneName))
		}
		if extra["score"] {
			line("score", strconv.FormatFloat(f.Score, 'f', 3, 64))
		}
		line("suggestion", f.Suggestion)
	}
	return b.String()
}
