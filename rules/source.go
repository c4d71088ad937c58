package rules

import (
	"github.com/doisanh/doisanh/match"
	"github.com/doisanh/doisanh/normalize"
	"github.com/doisanh/doisanh/record"
)

// SourceRecord is a normalised tax or insurance record with its link to the
// population.
type SourceRecord struct {
	Source                              record.Source
	Key                                 string // tax_code or insurance_code
	RawID, RawName, RawBirth, RawGender string // as written
	Address                             string // as written, shown when the record links to nobody
	Name                                string // canonical display form
	Encoded                             string // the name's bytes when they were legacy-encoded, else
	Status                              normalize.Status
	Match                               match.Record
	Link                                match.Link
}

// Source applies the rules about one linked tax or insurance record:
// NOT_IN_POPULATION, ID_MISMATCH, FIELD_MISMATCH and DECEASED_ACTIVE.
func (c *Checker) Source(r *SourceRecord, out []record.Finding) []record.Finding {
	if r.Link.Person < 0 {
		return c.notInPopulation(r, out)
	}
	out = c.idMismatch(r, out)
	out = c.fieldMismatch(r, out)
	return c.deceasedActive(r, out)
}

// sourceFinding starts a finding about a linked record.
func (c *Checker) sourceFinding(rule, subtype string, r *SourceRecord) record.Finding {
	f := finding(rule, subtype)
	f.Source = r.Source.String()
	f.SourceKey = r.Key
	f.Score = r.Link.Score
	if r.Link.Person >= 0 {
		c.aboutPerson(&f, r.Link.Person)
	} else {
		f.FullName = r.RawName
		f.BirthDate = r.RawBirth
		f.Address = r.Address
		c.place(&f, r.Match.Commune)
	}
	return f
}
