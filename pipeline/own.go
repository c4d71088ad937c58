package pipeline

import (
	"strings"

	"github.com/doisanh/doisanh/match"
	"github.com/doisanh/doisanh/record"
)

// texts holds copies of the strings a run keeps to its end (findings,
// marriages' event IDs), in chunks of its own. A string read from a file
// shares the buffer of its whole column batch (ingest), and one read off
// the population index shares an arena chunk of the whole register: kept
// as it is, one finding's name would keep thousands of rows' text alive,
// and the findings of a run most of the input. The zero texts is ready to
// use; it must not be used by two goroutines at once.
type texts struct{ a match.Arena }

// ownedMax is the longest string copied into the chunks; a longer one (a
// long suggestion) is copied on its own.
const ownedMax = 16 << 10

// own returns a copy of s that shares no memory with s.
func (t *texts) own(s string) string {
	if len(s) > ownedMax {
		return strings.Clone(s)
	}
	return t.a.Get(t.a.Add(s))
}

// findingStrings is the number of string fields of a record.Finding.
const findingStrings = 19

// stringsOf returns the string fields of f, in the order of the struct.
func stringsOf(f *record.Finding) [findingStrings]*string {
	return [...]*string{&f.FindingID, &f.Rule, &f.Subtype, &f.Severity, &f.ProvinceCode, &f.CommuneCode,
		&f.CommuneName, &f.PersonID, &f.FullName, &f.BirthDate, &f.Source, &f.SourceKey, &f.RelatedPersonID,
		&f.Field, &f.PopulationValue, &f.SourceValue, &f.Suggestion, &f.Address, &f.HouseholdID}
}

// finding makes f's strings copies of their own.
func (t *texts) finding(f *record.Finding) {
	for _, s := range stringsOf(f) {
		*s = t.own(*s)
	}
}

// keepFindings appends fs to the run's findings, as copies of their own;
// with a spill directory, to the run's findings file instead (spilled).
func (r *run) keepFindings(fs []record.Finding) {
	if r.spilled != nil {
		r.spilled.add(fs)
		return
	}
	from := len(r.res.Findings)
	r.res.Findings = append(r.res.Findings, fs...)
	for i := range r.res.Findings[from:] {
		r.texts.finding(&r.res.Findings[from+i])
	}
}
