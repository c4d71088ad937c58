package pipeline

import (
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/doisanh/doisanh/ingest"

	"github.com/doisanh/doisanh/admin"
	"github.com/doisanh/doisanh/match"
	"github.com/doisanh/doisanh/normalize"
	"github.com/doisanh/doisanh/record"
	"github.com/doisanh/doisanh/rules"
)

// digits returns the ASCII digits of s (normalize.Digits).
func digits(s string) (string, bool) { return normalize.Digits(s) }

// personID returns the canonical digits of a person_id: 12 digits when it
// is one (a lost leading zero restored), else its digits as written.
func personID(raw string) string {
	if raw == "" {
		return "" // most spouse IDs: no error made and dropped
	}
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
	var buf [64]byte
	if k := normalize.AppendNameKey(buf[:0], name); len(k) > 0 {
		return match.HashString(string(k)) // not kept: no copy for keys of up to 32 bytes
	}
	if d := personID(id); d != "" {
		return match.HashString(d)
	}
	return 0
}

// residences memoises Checker.Residence over a batch of rows: the members
// of a household share their address, and parsing addresses is the
// costliest step of normalising a person.
type residences struct {
	chk  *rules.Places
	seen map[[2]string]rules.Residence
}

func (c *residences) get(code, address string) rules.Residence {
	k := [2]string{code, address}
	if r, ok := c.seen[k]; ok {
		return r
	}
	r := c.chk.Residence(code, address)
	c.seen[k] = r
	return r
}

// scratchPool lends each batch's worker its scratch space, kept from batch
// to batch (until the collector empties the pool): a normalize.NameParser,
// whose memo of name words outlives the batch, and the residence memo's
// map, emptied for each batch.
type scratchPool struct{ pool sync.Pool }

// batchScratch is one worker's scratch space.
type batchScratch struct {
	names normalize.NameParser
	// sources are the tax or insurance records of a part of a batch,
	// normalised and waiting to be linked together (linkSource).
	sources [match.WarmBatch]rules.SourceRecord
	events  [match.WarmBatch]civilEvent // the same for civil events (linkCivil)
	places  residences
	// Columns of few distinct values, parsed once a value.
	gender   valueMemo[normalize.Gender]
	status   valueMemo[normalize.Status]
	province valueMemo[string]
}

// valueMemo remembers what the last few distinct values of a column of
// few values (a gender, a status, a province) parsed to; a value it does
// not hold replaces the oldest.
type valueMemo[T any] struct {
	keys [8]string
	vals [8]T
	oks  [8]bool
	n    int // slots filled; the next one replaced is n % 8
}

// get returns parse(s), from the memo when it holds s.
func (m *valueMemo[T]) get(s string, parse func(string) (T, bool)) (T, bool) {
	for i := range min(m.n, len(m.keys)) {
		if m.keys[i] == s {
			return m.vals[i], m.oks[i]
		}
	}
	v, ok := parse(s)
	i := m.n % len(m.keys)
	m.keys[i], m.vals[i], m.oks[i] = strings.Clone(s), v, ok // a copy: s may hold its batch's buffer
	m.n++
	return v, ok
}

// provinceCode is normalize.ProvinceCode with the code copied: a three-digit
// value comes back as itself, part of its batch's buffer, which the
// worker's memo would otherwise keep alive.
func provinceCode(s string) (string, bool) {
	code, ok := normalize.ProvinceCode(s)
	return strings.Clone(code), ok
}

// get returns scratch space for one worker; give it back with put.
func (n *scratchPool) get() *batchScratch {
	if s, ok := n.pool.Get().(*batchScratch); ok {
		return s
	}
	return new(batchScratch)
}

func (n *scratchPool) put(s *batchScratch) { n.pool.Put(s) }

// residences returns the scratch's residence memo for a new batch, empty.
func (s *batchScratch) residences(chk *rules.Places) *residences {
	if s.places.seen == nil {
		s.places.seen = make(map[[2]string]rules.Residence, batchSize)
	} else {
		clear(s.places.seen)
	}
	s.places.chk = chk
	return &s.places
}

// personOut is the normalised form of one population row.
type personOut struct {
	in       match.PersonInput
	row      rules.Row // what the person rules see
	findings []record.Finding
}

// normalizePerson normalises one population row for the index and for the
// person rules, with a worker's scratch space. A row it cannot use gets a
// verdict with the reason.
func normalizePerson(chk *rules.Places, places *residences, scratch *batchScratch, p *record.Person, out *personOut) verdict {
	if v := decodeText(p.UTF8, textColumn{&p.Gender, "gender"}, textColumn{&p.Status, "status"},
		textColumn{&p.Address, "address"}, textColumn{&p.Relation, "relation"},
		textColumn{&p.ResidenceType, "residence_type"}, textColumn{&p.BirthRegProvince, "birth_reg_province"}); v.reason != "" {
		return v
	}
	birth, err := normalize.ParseDate(p.BirthDate)
	if err != nil && strings.TrimSpace(p.BirthDate) != "" {
		return verdict{"unreadable birth date: " + err.Error(), "birth_date"}
	}
	gender, ok := scratch.gender.get(p.Gender, normalize.ParseGender)
	if !ok {
		return verdict{"unknown gender " + quote(p.Gender), "gender"}
	}
	status, ok := scratch.status.get(p.Status, normalize.ParseStatus)
	if !ok {
		return verdict{"unknown status " + quote(p.Status), "status"}
	}
	name, shownName, reason := readName(&scratch.names, p.FullName, p.UTF8)
	if reason != "" {
		return verdict{reason, "full_name"}
	}
	if v := otherNames(p.UTF8, nameColumn{p.FatherName, "father_name"}, nameColumn{p.MotherName, "mother_name"},
		nameColumn{p.SpouseName, "spouse_name"}); v.reason != "" {
		return v
	}
	id := personID(p.PersonID)
	oldID, _ := digits(p.OldID)
	prov, _ := scratch.province.get(p.BirthRegProvince, provinceCode)
	res := places.get(p.CommuneCode, p.Address)
	out.in = match.PersonInput{
		Row: p.Row, ID: id, OldID: oldID, Name: name.Display, NameKey: name.Key, Given: name.Given,
		Phonetic: name.Phonetic, RawName: shownName, RawBirth: p.BirthDate,
		SpouseID: personID(p.SpouseID), Commune: res.Commune, Household: strings.TrimSpace(p.HouseholdID),
		Relation: strings.TrimSpace(p.Relation), Village: res.Village,
		FatherKey: parentKey(p.FatherID, p.FatherName), MotherKey: parentKey(p.MotherID, p.MotherName),
		Birth: birth, Gender: gender, Status: status, BirthProv: prov,
	}
	out.row = rules.Row{Raw: p, ID: id, Gender: gender, Birth: birth, BirthProv: prov, Residence: res}
	return verdict{}
}

// nameColumn is a name value and the column it came from.
type nameColumn struct{ value, column string }

// otherNames checks the names a row carries besides its subject's
// (parents, spouse, partner): only bytes that are neither UTF-8 nor a
// legacy encoding make the row unusable (none when valid, as for decodeText).
func otherNames(valid bool, cols ...nameColumn) verdict {
	if valid {
		return verdict{}
	}
	for _, c := range cols {
		if utf8.ValidString(c.value) {
			continue
		}
		if _, _, reason := readName(nil, c.value, false); reason != "" {
			return verdict{reason, c.column}
		}
	}
	return verdict{}
}

// textColumn is a free-text value that normalisation reads (a gender, a
// status, an address, ...) and the column it came from.
type textColumn struct {
	value  *string
	column string
}

// legacyText lists the columns that may hold legacy-encoded Vietnamese
// (TCVN3, VNI-Windows, Windows-1258): the names, which readName decodes,
// and the free text that decodeText decodes. The reader passes their
// bytes on even when they are not UTF-8.
var legacyText = []string{"full_name", "spouse_name", "father_name", "mother_name", "subject_name", "partner_name",
	"gender", "subject_gender", "status", "address", "relation", "residence_type", "event_type", "birth_reg_province"}

// decodeText replaces legacy-encoded free text, raw or mis-read as
// Windows-1252 ("N÷" is TCVN3 for "Nữ"), by its Unicode reading, so that
// it parses and shows decoded in the outputs. Bytes that are neither
// UTF-8 nor legacy Vietnamese make the row unusable; valid says the reader
// found every value of the row valid UTF-8 (record.Person.UTF8), so that
// they need not be checked again.
func decodeText(valid bool, cols ...textColumn) verdict {
	for _, c := range cols {
		d, enc := normalize.DecodeLegacyText(*c.value)
		if enc != normalize.EncodingUnicode {
			*c.value = d
			continue
		}
		if !valid && !utf8.ValidString(d) {
			// A copy of the column's name: returned as it is, it would make
			// the compiler move every caller's row to the heap.
			col := string([]byte(c.column))
			return verdict{"invalid UTF-8 that is not TCVN3, VNI or Windows-1258 text in column " + col +
				": " + quote(d), col}
		}
	}
	return verdict{}
}

func quote(s string) string { return strconv.Quote(ingest.Printable(s)) }

// readName parses a name column. Text that is not UTF-8 must be one of the
// legacy encodings package normalize decodes (TCVN3, VNI-Windows,
// Windows-1258). Legacy text, raw or mis-read as Windows-1252 ("NguyÔn"),
// is shown decoded in the outputs; other names as written. A name with no
// letters, or bytes that decode to nothing Vietnamese, makes the row
// unusable; valid is as for decodeText. names parses the name (nil: no
// memo).
func readName(names *normalize.NameParser, raw string, valid bool) (name normalize.Name, shown, reason string) {
	name = names.Parse(raw)
	shown = raw
	if name.Encoding != normalize.EncodingUnicode {
		shown = name.Display
	} else if !valid && !utf8.ValidString(raw) {
		return name, "", "invalid UTF-8 that is not TCVN3, VNI or Windows-1258 text"
	}
	if name.Key == "" {
		return name, shown, "no letters in the name"
	}
	return name, shown, ""
}

// sourceCommune places a source record: its commune code (legacy codes
// converted when unambiguous), else its address.
func sourceCommune(chk *rules.Places, code, address string) string {
	if d, ok := normalize.CommuneCode(code); ok && d != "" {
		if chk.Units.Has(admin.Current, d) {
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
	utf8                                        bool // every value valid UTF-8 (record.Person.UTF8)
}

// normalizeSource turns a tax or insurance row into a record ready to link.
// A row it cannot use gets a verdict with the reason.
func normalizeSource(chk *rules.Places, scratch *batchScratch, f sourceFields, out *rules.SourceRecord) verdict {
	if v := decodeText(f.utf8, textColumn{&f.gender, "gender"}, textColumn{&f.status, "status"},
		textColumn{&f.address, "address"}); v.reason != "" {
		return v
	}
	birth, err := normalize.ParseDate(f.birth)
	if err != nil && strings.TrimSpace(f.birth) != "" {
		return verdict{"unreadable birth date: " + err.Error(), "birth_date"}
	}
	gender, ok := scratch.gender.get(f.gender, normalize.ParseGender)
	if !ok {
		return verdict{"unknown gender " + quote(f.gender), "gender"}
	}
	status, ok := scratch.status.get(f.status, normalize.ParseStatus)
	if !ok {
		return verdict{"unknown status " + quote(f.status), "status"}
	}
	name, shownName, reason := readName(&scratch.names, f.name, f.utf8)
	if reason != "" {
		return verdict{reason, "full_name"}
	}
	id, kind := sourceID(f.id)
	*out = rules.SourceRecord{Encoded: f.name,
		Source: f.src, Key: strings.TrimSpace(f.key), RawID: f.id, RawName: shownName, RawBirth: f.birth,
		RawGender: f.gender, Name: name.Display, Status: status, Address: f.address,
		Match: match.Record{ID: id, IDKind: kind, NameKey: name.Key, Phonetic: name.Phonetic,
			Birth: birth, Gender: gender, Commune: sourceCommune(chk, f.code, f.address)},
	}
	return verdict{}
}

// civilEvent is a normalised civil-status event.
type civilEvent struct {
	ev               record.CivilEvent
	date             normalize.Date
	subject, partner match.Record
	commune          string
}

// marriage reports whether the event is a marriage or a divorce: one
// with a partner to link.
func (e *civilEvent) marriage() bool {
	return e.ev.EventType == record.EventMarriage || e.ev.EventType == record.EventDivorce
}

// normalizeCivil normalises one civil event. An event it cannot use gets a
// verdict with the reason.
func normalizeCivil(chk *rules.Places, scratch *batchScratch, e *record.CivilEvent, out *civilEvent) verdict {
	if v := decodeText(e.UTF8, textColumn{&e.EventType, "event_type"},
		textColumn{&e.SubjectGender, "subject_gender"}); v.reason != "" {
		return v
	}
	typ := strings.ToLower(strings.TrimSpace(e.EventType))
	switch typ {
	case record.EventBirth, "khai sinh", "khai_sinh":
		typ = record.EventBirth
	case record.EventMarriage, "kết hôn", "ket hon", "ket_hon":
		typ = record.EventMarriage
	case record.EventDeath, "khai tử", "khai tu", "khai_tu":
		typ = record.EventDeath
	case record.EventDivorce, "ly hôn", "ly hon", "ly_hon":
		typ = record.EventDivorce
	default:
		return verdict{"unknown event type " + quote(e.EventType), "event_type"}
	}
	date, err := normalize.ParseDate(e.EventDate)
	if err != nil && strings.TrimSpace(e.EventDate) != "" {
		return verdict{"unreadable event date: " + err.Error(), "event_date"}
	}
	birth, err := normalize.ParseDate(e.SubjectBirthDate)
	if err != nil && strings.TrimSpace(e.SubjectBirthDate) != "" {
		return verdict{"unreadable birth date: " + err.Error(), "subject_birth_date"}
	}
	gender, ok := scratch.gender.get(e.SubjectGender, normalize.ParseGender)
	if !ok {
		return verdict{"unknown gender " + quote(e.SubjectGender), "subject_gender"}
	}
	commune := sourceCommune(chk, e.RegCommuneCode, "")
	subjectName, shown, reason := readName(&scratch.names, e.SubjectName, e.UTF8)
	if reason != "" && e.SubjectName != "" {
		return verdict{reason, "subject_name"}
	}
	if v := otherNames(e.UTF8, nameColumn{e.PartnerName, "partner_name"}, nameColumn{e.FatherName, "father_name"},
		nameColumn{e.MotherName, "mother_name"}); v.reason != "" {
		return v
	}
	id, kind := sourceID(e.SubjectID)
	*out = civilEvent{ev: *e, date: date, commune: commune,
		subject: match.Record{ID: id, IDKind: kind, NameKey: subjectName.Key, Phonetic: subjectName.Phonetic,
			Birth: birth, Gender: gender, Commune: commune}}
	out.ev.EventType = typ
	out.ev.SubjectName = shown // decoded when legacy-encoded
	if typ == record.EventMarriage || typ == record.EventDivorce {
		pid, pkind := sourceID(e.PartnerID)
		pn, _, _ := readName(&scratch.names, e.PartnerName, e.UTF8)
		out.partner = match.Record{ID: pid, IDKind: pkind, NameKey: pn.Key, Phonetic: pn.Phonetic}
	}
	return verdict{}
}
