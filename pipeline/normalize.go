package pipeline

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/doisanh/doisanh/ingest"

	"github.com/doisanh/doisanh/admin"
	"github.com/doisanh/doisanh/match"
	"github.com/doisanh/doisanh/normalize"
	"github.com/doisanh/doisanh/record"
	"github.com/doisanh/doisanh/rules"
)

// digits returns the ASCII digits of s, or "" if s holds anything but
// digits, spaces, dots and dashes.
func digits(s string) (string, bool) {
	var buf [24]byte
	b := buf[:0]
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case '0' <= c && c <= '9':
			b = append(b, c)
		case c == ' ' || c == '.' || c == '-' || c == '\t':
		default:
			return "", false
		}
	}
	return string(b), true
}

// personID returns the canonical digits of a person_id: 12 digits when it
// is one (a lost leading zero restored), else its digits as written.
func personID(raw string) string {
	if id, err := normalize.ParsePersonID(raw); err == nil {
		return id
	}
	if d, ok := digits(raw); ok {
		return d
	}
	return strings.TrimSpace(raw)
}

// sourceID classifies a source record's id_number.
func sourceID(raw string) (string, match.IDKind) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", match.IDNone
	}
	if id, err := normalize.ParsePersonID(raw); err == nil {
		return id, match.IDPersonal
	}
	d, ok := digits(raw)
	switch {
	case !ok || d == "":
		return raw, match.IDOther
	case len(d) == 9:
		return d, match.IDOld
	}
	return d, match.IDOther
}

// parentKey identifies a parent by name key, else by ID; 0 when unknown.
func parentKey(id, name string) uint64 {
	if k := normalize.NameKey(name); k != "" {
		return match.HashString(k)
	}
	if d := personID(id); d != "" {
		return match.HashString(d)
	}
	return 0
}

// personOut is the normalised form of one population row.
type personOut struct {
	in       match.PersonInput
	findings []record.Finding
	reject   string // non-empty: the row is unusable, with the column and reason
	column   string
}

// normalizePerson normalises one population row and applies the row-level
// rules (ID_INVALID, UNKNOWN_RESIDENCE).
func normalizePerson(chk *rules.Checker, p *record.Person, out *personOut) {
	*out = personOut{findings: out.findings[:0]}
	birth, err := normalize.ParseDate(p.BirthDate)
	if err != nil && strings.TrimSpace(p.BirthDate) != "" {
		out.reject, out.column = "unreadable birth date: "+err.Error(), "birth_date"
		return
	}
	gender, ok := normalize.ParseGender(p.Gender)
	if !ok {
		out.reject, out.column = "unknown gender "+quote(p.Gender), "gender"
		return
	}
	status, ok := normalize.ParseStatus(p.Status)
	if !ok {
		out.reject, out.column = "unknown status "+quote(p.Status), "status"
		return
	}
	name, shownName, reason := readName(p.FullName)
	if reason != "" {
		out.reject, out.column = reason, "full_name"
		return
	}
	for _, c := range [...]struct{ value, column string }{
		{p.FatherName, "father_name"}, {p.MotherName, "mother_name"}, {p.SpouseName, "spouse_name"}} {
		if _, _, reason := readName(c.value); reason != "" && c.value != "" && !utf8.ValidString(c.value) {
			out.reject, out.column = reason, c.column
			return
		}
	}
	id := personID(p.PersonID)
	oldID, _ := digits(p.OldID)
	prov, _ := normalize.ProvinceCode(p.BirthRegProvince)
	res := chk.Residence(p.CommuneCode, p.Address)
	out.in = match.PersonInput{
		Row: p.Row, ID: id, OldID: oldID, Name: name.Display, NameKey: name.Key, Given: name.Given,
		Phonetic: name.Phonetic, RawName: shownName, RawBirth: p.BirthDate,
		SpouseID: personID(p.SpouseID), Commune: res.Commune, Household: strings.TrimSpace(p.HouseholdID),
		FatherKey: parentKey(p.FatherID, p.FatherName), MotherKey: parentKey(p.MotherID, p.MotherName),
		Birth: birth, Gender: gender, Status: status, BirthProv: prov,
	}
	out.findings = chk.IDInvalid(id, gender, birth, prov, res.Commune, p, out.findings)
	out.findings = chk.ResidenceFinding(res, id, p, out.findings)
}

func quote(s string) string { return strconv.Quote(ingest.Printable(s)) }

// readName parses a name column. Text that is not UTF-8 must be one of the
// legacy encodings package normalize decodes (TCVN3, VNI-Windows,
// Windows-1258); its decoded form is what outputs show. A name with no
// letters, or bytes that decode to nothing Vietnamese, makes the row
// unusable.
func readName(raw string) (name normalize.Name, shown, reason string) {
	name = normalize.ParseName(raw)
	shown = raw
	if !utf8.ValidString(raw) {
		if name.Encoding == normalize.EncodingUnicode {
			return name, "", "invalid UTF-8 that is not TCVN3, VNI or Windows-1258 text"
		}
		shown = name.Display
	}
	if name.Key == "" {
		return name, shown, "no letters in the name"
	}
	return name, shown, ""
}

// sourceCommune places a source record: its commune code (legacy codes
// converted when unambiguous), else its address.
func sourceCommune(chk *rules.Checker, code, address string) string {
	if d, ok := digits(code); ok && d != "" {
		for len(d) < 5 {
			d = "0" + d
		}
		if _, ok := chk.Units.Commune(admin.Current, d); ok {
			return d
		}
		if next := chk.Units.Convert(d); len(next) == 1 {
			return next[0].Code
		}
	}
	if strings.TrimSpace(address) == "" {
		return ""
	}
	if r := chk.Addr.Parse(address); r.Status == normalize.AddressResolved && len(r.Current) == 1 {
		return r.Current[0].Code
	}
	return ""
}

// sourceFields is what tax and insurance records have in common.
type sourceFields struct {
	src                                         record.Source
	key, id, name, birth, gender, address, code string
	status                                      string
}

// normalizeSource turns a tax or insurance row into a record ready to link.
// It returns a reject reason and column when the row is unusable.
func normalizeSource(chk *rules.Checker, f sourceFields, out *rules.SourceRecord) (reason, column string) {
	birth, err := normalize.ParseDate(f.birth)
	if err != nil && strings.TrimSpace(f.birth) != "" {
		return "unreadable birth date: " + err.Error(), "birth_date"
	}
	gender, ok := normalize.ParseGender(f.gender)
	if !ok {
		return "unknown gender " + quote(f.gender), "gender"
	}
	status, ok := normalize.ParseStatus(f.status)
	if !ok {
		return "unknown status " + quote(f.status), "status"
	}
	name, shownName, reason := readName(f.name)
	if reason != "" {
		return reason, "full_name"
	}
	id, kind := sourceID(f.id)
	*out = rules.SourceRecord{Encoded: f.name,
		Source: f.src, Key: strings.TrimSpace(f.key), RawID: f.id, RawName: shownName, RawBirth: f.birth,
		RawGender: f.gender, Name: name.Display, Status: status,
		Match: match.Record{ID: id, IDKind: kind, NameKey: name.Key, Phonetic: name.Phonetic,
			Birth: birth, Gender: gender, Commune: sourceCommune(chk, f.code, f.address)},
	}
	return "", ""
}
