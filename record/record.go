// Package record defines the typed rows doisanh reads and writes: the four
// input sources (docs/DATA.md), rejects and findings (docs/OUTPUTS.md) and
// ground truth (synth/SPEC.md). Values are kept exactly as written in the inputs; package normalize
// turns them into canonical forms.
package record

import "fmt"

// Source names an input register.
type Source uint8

// The sources, in the order a run reads them.
const (
	Population Source = iota // dân cư: the residence register
	Tax                      // thuế
	Insurance                // BHXH/BHYT
	Civil                    // hộ tịch: births, marriages, deaths, divorces
	numSources
)

var sourceNames = [numSources]string{"population", "tax", "insurance", "civil"}

// Sources lists every source in reading order.
var Sources = [...]Source{Population, Tax, Insurance, Civil}

func (s Source) String() string {
	if s < numSources {
		return sourceNames[s]
	}
	return fmt.Sprintf("Source(%d)", uint8(s))
}

// ParseSource returns the source named s ("population", "tax", ...).
func ParseSource(s string) (Source, error) {
	for i, n := range sourceNames {
		if n == s {
			return Source(i), nil
		}
	}
	return 0, fmt.Errorf("unknown source %q (want population, tax, insurance or civil)", s)
}

// Person is one row of the residence register (population).
type Person struct {
	Row              int64  `parquet:"-"` // 1-based data row in its file (header not counted)
	UTF8             bool   `parquet:"-"` // set by the reader: every value valid UTF-8 (else legacy bytes for normalize)
	PersonID         string `parquet:"person_id"`
	OldID            string `parquet:"old_id"`
	FullName         string `parquet:"full_name"`
	BirthDate        string `parquet:"birth_date"`
	Gender           string `parquet:"gender"`
	BirthRegProvince string `parquet:"birth_reg_province"`
	HouseholdID      string `parquet:"household_id"`
	Relation         string `parquet:"relation"`
	SpouseID         string `parquet:"spouse_id"`
	SpouseName       string `parquet:"spouse_name"`
	FatherID         string `parquet:"father_id"`
	FatherName       string `parquet:"father_name"`
	MotherID         string `parquet:"mother_id"`
	MotherName       string `parquet:"mother_name"`
	Address          string `parquet:"address"`
	CommuneCode      string `parquet:"commune_code"`
	ResidenceType    string `parquet:"residence_type"`
	Status           string `parquet:"status"`
}

// TaxRecord is one row of the tax authority's extract.
type TaxRecord struct {
	Row         int64  `parquet:"-"`
	UTF8        bool   `parquet:"-"` // as Person.UTF8
	TaxCode     string `parquet:"tax_code"`
	IDNumber    string `parquet:"id_number"`
	FullName    string `parquet:"full_name"`
	BirthDate   string `parquet:"birth_date"`
	Gender      string `parquet:"gender"`
	Address     string `parquet:"address"`
	CommuneCode string `parquet:"commune_code"`
	Status      string `parquet:"status"`
}

// InsuranceRecord is one row of the social-insurance (BHXH/BHYT) extract.
type InsuranceRecord struct {
	Row           int64  `parquet:"-"`
	UTF8          bool   `parquet:"-"` // as Person.UTF8
	InsuranceCode string `parquet:"insurance_code"`
	IDNumber      string `parquet:"id_number"`
	FullName      string `parquet:"full_name"`
	BirthDate     string `parquet:"birth_date"`
	Gender        string `parquet:"gender"`
	Address       string `parquet:"address"`
	CommuneCode   string `parquet:"commune_code"`
	CardNumber    string `parquet:"card_number"`
	Status        string `parquet:"status"`
}

// CivilEvent is one registered civil-status event.
type CivilEvent struct {
	Row              int64  `parquet:"-"`
	UTF8             bool   `parquet:"-"` // as Person.UTF8
	EventID          string `parquet:"event_id"`
	EventType        string `parquet:"event_type"` // birth, marriage, death, divorce
	EventDate        string `parquet:"event_date"`
	RegCommuneCode   string `parquet:"reg_commune_code"`
	SubjectID        string `parquet:"subject_id"` // child, deceased, or first spouse
	SubjectName      string `parquet:"subject_name"`
	SubjectBirthDate string `parquet:"subject_birth_date"`
	SubjectGender    string `parquet:"subject_gender"`
	PartnerID        string `parquet:"partner_id"` // marriage and divorce
	PartnerName      string `parquet:"partner_name"`
	FatherID         string `parquet:"father_id"` // birth
	FatherName       string `parquet:"father_name"`
	MotherID         string `parquet:"mother_id"`
	MotherName       string `parquet:"mother_name"`
}

// Civil event types as written in the event_type column.
const (
	EventBirth    = "birth"
	EventMarriage = "marriage"
	EventDeath    = "death"
	EventDivorce  = "divorce"
)

// Reject is an input row that could not be used, with the reason.
type Reject struct {
	Source    string `parquet:"source"`
	File      string `parquet:"file"`
	RowNumber int64  `parquet:"row_number"` // 1-based data row; 0 when the whole file is concerned
	Column    string `parquet:"column"`
	Reason    string `parquet:"reason"`
	Raw       string `parquet:"raw"` // the row as text
}

// Finding is one problem an officer must look at (docs/OUTPUTS.md).
type Finding struct {
	FindingID       string  `parquet:"finding_id"`
	Rule            string  `parquet:"rule"`
	Subtype         string  `parquet:"subtype"`
	Severity        string  `parquet:"severity"`
	ProvinceCode    string  `parquet:"province_code"`
	CommuneCode     string  `parquet:"commune_code"`
	CommuneName     string  `parquet:"commune_name"`
	PersonID        string  `parquet:"person_id"`
	FullName        string  `parquet:"full_name"`
	BirthDate       string  `parquet:"birth_date"`
	Source          string  `parquet:"source"`
	SourceKey       string  `parquet:"source_key"`
	RelatedPersonID string  `parquet:"related_person_id"`
	Field           string  `parquet:"field"`
	PopulationValue string  `parquet:"population_value"`
	SourceValue     string  `parquet:"source_value"`
	Score           float64 `parquet:"score"`
	Suggestion      string  `parquet:"suggestion"`
	// Address is where an officer finds the person, as written: on the
	// register for a person on it, else in the tax/insurance record that
	// links to nobody; "" when neither gives one.
	Address     string `parquet:"address"`
	HouseholdID string `parquet:"household_id"` // register household (mã hộ), when the person is on it
}

// Truth is one defect the generator injected on purpose (synth/SPEC.md).
// Keys are canonical: 12-digit person IDs with leading zeros, codes as
// written by the generator before any benign noise.
type Truth struct {
	Rule            string `parquet:"rule"`
	Subtype         string `parquet:"subtype"`
	Source          string `parquet:"source"`
	SourceKey       string `parquet:"source_key"`
	PersonID        string `parquet:"person_id"`
	RelatedPersonID string `parquet:"related_person_id"`
	Field           string `parquet:"field"`
	// Expect is "" for a defect the rules must find, and ExpectNone for a
	// consequence of one that they must not report: what a defect does to
	// the records around it (the spouse it names, the second number's
	// province) is no finding of its own.
	Expect string `parquet:"expect"`
}

// TruthColumns are the columns of a truth file (truth.parquet, truth.csv),
// in the order the generator writes them; all of them are required.
var TruthColumns = []Column[Truth]{
	{Name: "rule", Required: true, Field: func(t *Truth) *string { return &t.Rule }},
	{Name: "subtype", Required: true, Field: func(t *Truth) *string { return &t.Subtype }},
	{Name: "source", Required: true, Field: func(t *Truth) *string { return &t.Source }},
	{Name: "source_key", Required: true, Field: func(t *Truth) *string { return &t.SourceKey }},
	{Name: "person_id", Required: true, Field: func(t *Truth) *string { return &t.PersonID }},
	{Name: "related_person_id", Required: true, Field: func(t *Truth) *string { return &t.RelatedPersonID }},
	{Name: "field", Required: true, Field: func(t *Truth) *string { return &t.Field }},
	// expect is optional: truth written before it existed has none.
	{Name: "expect", Field: func(t *Truth) *string { return &t.Expect }},
}

// ExpectNone marks a truth row that is an expected non-finding.
const ExpectNone = "none"
