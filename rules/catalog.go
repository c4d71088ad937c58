// Package rules holds the reconciliation rule catalogue and the rules
// themselves: each rule turns linked, normalised records into findings.
// A rule is a PersonRule, a RecordRule or a CrossRule (see Rule); All
// lists them for the pipeline, and each is tested by its file under
// testdata/ (docs/ADDING_A_RULE.md).
package rules

// Rule codes of the catalogue (docs/RULES.md).
const (
	DupID            = "DUP_ID"
	DupPerson        = "DUP_PERSON"
	IDInvalid        = "ID_INVALID"
	SpouseConflict   = "SPOUSE_CONFLICT"
	UnknownResidence = "UNKNOWN_RESIDENCE"
	NotInPopulation  = "NOT_IN_POPULATION"
	FieldMismatch    = "FIELD_MISMATCH"
	IDMismatch       = "ID_MISMATCH"
	DeceasedActive   = "DECEASED_ACTIVE"
)

// Severity of a finding.
const (
	High   = "high"
	Medium = "medium"
	Low    = "low"
)

// Subtype is one finer reason under a rule.
type Subtype struct {
	Code       string // e.g. "NOT_RECIPROCAL"; empty for a rule without subtypes
	Label      string // Vietnamese label shown to officers
	Suggestion string // what to do, in Vietnamese
}

// Info describes one rule of the catalogue.
type Info struct {
	Code     string
	Label    string // Vietnamese label
	Meaning  string // one line in English, for docs
	Severity string
	Subtypes []Subtype
}

// Catalog lists every rule, in the order reports show them. Each rule's
// entry is defined beside its code, in the rule's own file.
var Catalog = []Info{
	dupIDRule, dupPersonRule, idInvalidRule,
	spouseConflictRule, unknownResidenceRule, notInPopulationRule,
	fieldMismatchRule, idMismatchRule, deceasedActiveRule,
}

// Lookup returns the catalogue entry of a rule code.
func Lookup(code string) (Info, bool) {
	for _, r := range Catalog {
		if r.Code == code {
			return r, true
		}
	}
	return Info{}, false
}

// SubtypeInfo returns the entry of one subtype of a rule.
func SubtypeInfo(rule, subtype string) (Subtype, bool) {
	r, ok := Lookup(rule)
	if !ok {
		return Subtype{}, false
	}
	for _, s := range r.Subtypes {
		if s.Code == subtype {
			return s, true
		}
	}
	return Subtype{}, false
}
