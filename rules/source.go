package rules

import (
	"github.com/doisanh/doisanh/match"
	"github.com/doisanh/doisanh/normalize"
	"github.com/doisanh/doisanh/record"
)

// SourceRecord is a normalised tax, insurance or civil record with its
// link to the population: what a RecordRule sees. For a civil event, Key
// is the event_id, Event its type and the Raw fields and Match are those
// of its subject (the child, the deceased, the first spouse).
type SourceRecord struct {
	Source                              record.Source
	Key                                 string // tax_code, insurance_code or event_id
	Event                               string // civil event type (record.EventBirth, ...); "" for tax and insurance
	EventDate                           string // civil event date as written
	RawID, RawName, RawBirth, RawGender string // as written
	Address                             string // as written, shown when the record links to nobody
	Name                                string // canonical display form
	Encoded                             string // the name's bytes when they were legacy-encoded, else
	Status                              normalize.Status
	Match                               match.Record
	Link                                match.Link // Link.Person < 0: linked to nobody
}

// linked reports whether r is a tax or insurance record linked to a
// person: what ID_MISMATCH, FIELD_MISMATCH and DECEASED_ACTIVE/TAX,
// /INSURANCE look at.
func (r *SourceRecord) linked() bool {
	return r.Source != record.Civil && r.Link.Person >= 0
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
