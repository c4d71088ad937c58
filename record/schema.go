package record

import "slices"

// Column describes one canonical input column of a source: its name, whether
// a file must have it, whether an empty value makes the row unusable, and
// where its value goes in the typed record.
type Column[T any] struct {
	Name     string
	Required bool // the file must have the column
	Key      bool // a row with an empty value is rejected
	Field    func(*T) *string
}

// Schema is the ordered list of canonical columns of one source.
type Schema[T any] struct {
	Source  Source
	Columns []Column[T]
	// SetRow stores the 1-based data row number in the record; Row returns it.
	SetRow func(*T, int64)
	Row    func(*T) int64
	// SetUTF8, when set, is called for a record whose every value the
	// reader found valid UTF-8, to mark it so (the records' UTF8 field):
	// normalisation need not check the values again.
	SetUTF8 func(*T)
}

// Required returns the names of the columns a file must have.
func (s Schema[T]) Required() []string {
	var names []string
	for _, c := range s.Columns {
		if c.Required {
			names = append(names, c.Name)
		}
	}
	return names
}

// Only returns s with only the columns named, in s's order: a reader of
// it binds, reads and checks no other column.
func (s Schema[T]) Only(names ...string) Schema[T] {
	o := s
	o.Columns = nil
	for _, c := range s.Columns {
		if slices.Contains(names, c.Name) {
			o.Columns = append(o.Columns, c)
		}
	}
	return o
}

// PersonSchema is the population register's schema.
var PersonSchema = Schema[Person]{
	Source:  Population,
	SetRow:  func(p *Person, row int64) { p.Row = row },
	Row:     func(p *Person) int64 { return p.Row },
	SetUTF8: func(p *Person) { p.UTF8 = true },
	Columns: []Column[Person]{
		{"person_id", true, true, func(p *Person) *string { return &p.PersonID }},
		{"old_id", false, false, func(p *Person) *string { return &p.OldID }},
		{"full_name", true, true, func(p *Person) *string { return &p.FullName }},
		{"birth_date", true, false, func(p *Person) *string { return &p.BirthDate }},
		{"gender", true, false, func(p *Person) *string { return &p.Gender }},
		{"birth_reg_province", false, false, func(p *Person) *string { return &p.BirthRegProvince }},
		{"household_id", false, false, func(p *Person) *string { return &p.HouseholdID }},
		{"relation", false, false, func(p *Person) *string { return &p.Relation }},
		{"spouse_id", false, false, func(p *Person) *string { return &p.SpouseID }},
		{"spouse_name", false, false, func(p *Person) *string { return &p.SpouseName }},
		{"father_id", false, false, func(p *Person) *string { return &p.FatherID }},
		{"father_name", false, false, func(p *Person) *string { return &p.FatherName }},
		{"mother_id", false, false, func(p *Person) *string { return &p.MotherID }},
		{"mother_name", false, false, func(p *Person) *string { return &p.MotherName }},
		{"address", false, false, func(p *Person) *string { return &p.Address }},
		{"commune_code", false, false, func(p *Person) *string { return &p.CommuneCode }},
		{"residence_type", false, false, func(p *Person) *string { return &p.ResidenceType }},
		{"status", false, false, func(p *Person) *string { return &p.Status }},
	},
}

// TaxSchema is the tax extract's schema.
var TaxSchema = Schema[TaxRecord]{
	Source:  Tax,
	SetRow:  func(r *TaxRecord, row int64) { r.Row = row },
	Row:     func(r *TaxRecord) int64 { return r.Row },
	SetUTF8: func(r *TaxRecord) { r.UTF8 = true },
	Columns: []Column[TaxRecord]{
		{"tax_code", true, true, func(r *TaxRecord) *string { return &r.TaxCode }},
		{"id_number", false, false, func(r *TaxRecord) *string { return &r.IDNumber }},
		{"full_name", true, true, func(r *TaxRecord) *string { return &r.FullName }},
		{"birth_date", false, false, func(r *TaxRecord) *string { return &r.BirthDate }},
		{"gender", false, false, func(r *TaxRecord) *string { return &r.Gender }},
		{"address", false, false, func(r *TaxRecord) *string { return &r.Address }},
		{"commune_code", false, false, func(r *TaxRecord) *string { return &r.CommuneCode }},
		{"status", false, false, func(r *TaxRecord) *string { return &r.Status }},
	},
}

// InsuranceSchema is the social-insurance extract's schema.
var InsuranceSchema = Schema[InsuranceRecord]{
	Source:  Insurance,
	SetRow:  func(r *InsuranceRecord, row int64) { r.Row = row },
	Row:     func(r *InsuranceRecord) int64 { return r.Row },
	SetUTF8: func(r *InsuranceRecord) { r.UTF8 = true },
	Columns: []Column[InsuranceRecord]{
		{"insurance_code", true, true, func(r *InsuranceRecord) *string { return &r.InsuranceCode }},
		{"id_number", false, false, func(r *InsuranceRecord) *string { return &r.IDNumber }},
		{"full_name", true, true, func(r *InsuranceRecord) *string { return &r.FullName }},
		{"birth_date", false, false, func(r *InsuranceRecord) *string { return &r.BirthDate }},
		{"gender", false, false, func(r *InsuranceRecord) *string { return &r.Gender }},
		{"address", false, false, func(r *InsuranceRecord) *string { return &r.Address }},
		{"commune_code", false, false, func(r *InsuranceRecord) *string { return &r.CommuneCode }},
		{"card_number", false, false, func(r *InsuranceRecord) *string { return &r.CardNumber }},
		{"status", false, false, func(r *InsuranceRecord) *string { return &r.Status }},
	},
}

// CivilSchema is the civil-status register's schema.
var CivilSchema = Schema[CivilEvent]{
	Source:  Civil,
	SetRow:  func(e *CivilEvent, row int64) { e.Row = row },
	Row:     func(e *CivilEvent) int64 { return e.Row },
	SetUTF8: func(e *CivilEvent) { e.UTF8 = true },
	Columns: []Column[CivilEvent]{
		{"event_id", true, true, func(e *CivilEvent) *string { return &e.EventID }},
		{"event_type", true, true, func(e *CivilEvent) *string { return &e.EventType }},
		{"event_date", false, false, func(e *CivilEvent) *string { return &e.EventDate }},
		{"reg_commune_code", false, false, func(e *CivilEvent) *string { return &e.RegCommuneCode }},
		{"subject_id", false, false, func(e *CivilEvent) *string { return &e.SubjectID }},
		{"subject_name", false, false, func(e *CivilEvent) *string { return &e.SubjectName }},
		{"subject_birth_date", false, false, func(e *CivilEvent) *string { return &e.SubjectBirthDate }},
		{"subject_gender", false, false, func(e *CivilEvent) *string { return &e.SubjectGender }},
		{"partner_id", false, false, func(e *CivilEvent) *string { return &e.PartnerID }},
		{"partner_name", false, false, func(e *CivilEvent) *string { return &e.PartnerName }},
		{"father_id", false, false, func(e *CivilEvent) *string { return &e.FatherID }},
		{"father_name", false, false, func(e *CivilEvent) *string { return &e.FatherName }},
		{"mother_id", false, false, func(e *CivilEvent) *string { return &e.MotherID }},
		{"mother_name", false, false, func(e *CivilEvent) *string { return &e.MotherName }},
	},
}
