package rules

import (
	"github.com/doisanh/doisanh/normalize"
	"github.com/doisanh/doisanh/record"
)

// Rule is one rule of the catalogue. Every rule has one of three shapes,
// by what it looks at:
//
//   - a PersonRule sees one register row as it is read, before the
//     population is indexed (ID_INVALID, UNKNOWN_RESIDENCE);
//   - a RecordRule sees one tax, insurance or civil record with its link to
//     the register (NOT_IN_POPULATION, ID_MISMATCH, FIELD_MISMATCH,
//     DECEASED_ACTIVE);
//   - a CrossRule runs once over the whole register and what linking kept
//     (DUP_ID, DUP_PERSON, SPOUSE_CONFLICT).
//
// A rule appends its findings to out and returns it; it never changes what
// it is shown. Rules hold no state: a rule value is an empty struct, and
// one value serves every goroutine. Adding a rule is one file (the rule's
// type, its catalogue entry and its place in All) plus its test data under
// testdata/; see docs/ADDING_A_RULE.md.
type Rule interface {
	// Info is the rule's catalogue entry (see Catalog).
	Info() Info
}

// PersonRule checks one register row. It is called on the normalising
// workers, many rows at once, so it must only read pl and row.
type PersonRule interface {
	Rule
	CheckPerson(pl *Places, row *Row, out []record.Finding) []record.Finding
}

// RecordRule checks one linked tax, insurance or civil record. It is called
// on the linking workers, many records at once, so it must only read c and
// r. It decides itself which records it applies to (by r.Source, r.Event
// and whether r.Link found a person).
type RecordRule interface {
	Rule
	CheckRecord(c *Checker, r *SourceRecord, out []record.Finding) []record.Finding
}

// CrossRule checks the whole register and what linking kept. It is called
// once per run, on a goroutine of its own, beside the other cross rules, so
// it must only read c and l. Its findings may be in any order across
// rules, but a rule must give the same findings in the same order on every
// run.
type CrossRule interface {
	Rule
	CheckCross(c *Checker, l *Linked, out []record.Finding) []record.Finding
}

// Row is one register row as normalisation read it: the row as written
// and the values read from it. The zero values of the read fields mean
// "unknown" (no birth date, no gender, no province).
type Row struct {
	Raw       *record.Person   // as written
	ID        string           // canonical person_id: 12 digits when it is one, else its digits as written
	Gender    normalize.Gender // from gender
	Birth     normalize.Date   // from birth_date
	BirthProv string           // 3-digit province code of birth_reg_province; "" unknown
	Residence Residence        // where the row is placed, and what is wrong with it (Places.Residence)
}

// Linked is what the linking of the tax, insurance and civil files keeps
// for the cross rules. The zero Linked (no source given) is valid.
type Linked struct {
	TaxOwners       KeyOwners  // the tax_code of every tax record with whom it belongs to
	InsuranceOwners KeyOwners  // the insurance_code of every insurance record
	Marriages       []Marriage // marriages and divorces of the civil register
}

// Registry lists the rules a run applies, by shape. Within a shape, rules
// run in the order listed.
type Registry struct {
	Person []PersonRule
	Record []RecordRule
	Cross  []CrossRule
}

// All returns every rule of the catalogue. A new rule is added here, in
// the list of its shape.
func All() Registry {
	return Registry{
		Person: []PersonRule{idInvalidCheck{}, unknownResidenceCheck{}},
		Record: []RecordRule{notInPopulationCheck{}, idMismatchCheck{}, fieldMismatchCheck{}, deceasedActiveCheck{}},
		Cross:  []CrossRule{dupIDCheck{}, dupPersonCheck{}, spouseConflictCheck{}},
	}
}

// CheckPerson applies the registry's person rules to one row.
func (rs Registry) CheckPerson(pl *Places, row *Row, out []record.Finding) []record.Finding {
	for _, r := range rs.Person {
		out = r.CheckPerson(pl, row, out)
	}
	return out
}

// CheckRecord applies the registry's record rules to one linked record.
func (rs Registry) CheckRecord(c *Checker, rec *SourceRecord, out []record.Finding) []record.Finding {
	for _, r := range rs.Record {
		out = r.CheckRecord(c, rec, out)
	}
	return out
}

// dupPersonCheck is DUP_PERSON as a CrossRule; the rule itself is
// Checker.DupPerson (dup_person.go).
type dupPersonCheck struct{}

var _ CrossRule = dupPersonCheck{}

func (dupPersonCheck) Info() Info { return dupPersonRule }

func (dupPersonCheck) CheckCross(c *Checker, _ *Linked, out []record.Finding) []record.Finding {
	return c.DupPerson(out)
}
