package synth

import (
	"math/rand/v2"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/doisanh/doisanh/normalize"
	"github.com/doisanh/doisanh/record"
)

// Salts that give each file its own noise stream.
const (
	saltPopulation = 0x9e3779b97f4a7c15
	saltTax        = 0xbf58476d1ce4e5b9
	saltInsurance  = 0x94d049bb133111eb
	saltCivil      = 0x2545f4914f6cdd1d
)

// Base rates of benign noise, scaled by Options.Noise.
const (
	noiseNFD     = 0.06
	noiseTone    = 0.08
	noiseUpper   = 0.04
	noiseLower   = 0.02
	noiseSpaces  = 0.05
	noiseDate    = 0.10
	noiseZero    = 0.06 // ID lost its leading zero
	noiseIDSep   = 0.02 // ID written with spaces or dots
	noiseGender  = 0.08
	noiseAbbrev  = 0.12
	noiseNoCode  = 0.05 // commune_code left empty where the address resolves
	noiseLegacy  = 0.01 // legacy-encoded name in a source row
	noiseAddress = 0.03 // address case and spacing
)

// renderer turns the model into rows. Noise for a row is drawn from a
// generator seeded by the file and the row's entity, so a row does not
// depend on which other rows exist (Options.Fixed).
type renderer struct {
	m     *model
	pcg   rand.PCG
	r     *rand.Rand
	salt  uint64
	scale float64
	buf   []byte
}

func newRenderer(m *model, salt uint64) *renderer {
	rd := &renderer{m: m, salt: salt, scale: m.opts.Noise}
	rd.r = rand.New(&rd.pcg)
	return rd
}

// row seeds the noise of entity i.
func (rd *renderer) row(i int) { rd.pcg.Seed(rd.m.opts.Seed^rd.salt, uint64(i)) }

func (rd *renderer) noise(p float64) bool {
	return rd.r.Float64() < p*rd.scale
}

// name renders a person's name with benign noise; source rows may be
// legacy-encoded.
func (rd *renderer) name(s string, source bool) string {
	if s == "" {
		return s
	}
	if source && rd.noise(noiseLegacy) {
		encs := [...]normalize.Encoding{normalize.EncodingTCVN3, normalize.EncodingVNI, normalize.EncodingVIQR, normalize.EncodingWindows1258}
		return legacyName(s, encs[rd.r.IntN(len(encs))])
	}
	if rd.noise(noiseTone) {
		s = swapTonePlacement(s)
	}
	switch {
	case rd.noise(noiseUpper):
		s = strings.ToUpper(s)
	case rd.noise(noiseLower):
		s = strings.ToLower(s)
	}
	if rd.noise(noiseSpaces) {
		s = rd.spaces(s)
	}
	if rd.noise(noiseNFD) {
		s = norm.NFD.String(s)
	}
	return s
}

// legacyName writes a name in a legacy encoding (normalize.EncodeLegacy).
func legacyName(s string, e normalize.Encoding) string {
	return normalize.EncodeLegacy(s, e)
}

// spaces doubles a space, or adds a leading or trailing one.
func (rd *renderer) spaces(s string) string {
	switch rd.r.IntN(3) {
	case 0:
		if i := strings.IndexByte(s, ' '); i >= 0 {
			return s[:i] + " " + s[i:]
		}
		return s + " "
	case 1:
		return " " + s
	}
	return s + "  "
}

func pad2(b []byte, n int) []byte {
	return append(b, byte('0'+n/10%10), byte('0'+n%10))
}

// date renders a full date, usually dd/mm/yyyy.
func (rd *renderer) date(d date) string {
	b := rd.buf[:0]
	y := int(d.y)
	if rd.noise(noiseDate) {
		switch rd.r.IntN(3) {
		case 0:
			b = strconv.AppendInt(b, int64(y), 10)
			b = append(b, '-')
			b = pad2(b, int(d.m))
			b = append(b, '-')
			b = pad2(b, int(d.d))
		case 1:
			b = strconv.AppendInt(b, int64(d.d), 10)
			b = append(b, '/')
			b = strconv.AppendInt(b, int64(d.m), 10)
			b = append(b, '/')
			b = strconv.AppendInt(b, int64(y), 10)
		default:
			b = strconv.AppendInt(b, int64(y), 10)
			b = pad2(b, int(d.m))
			b = pad2(b, int(d.d))
		}
	} else {
		b = pad2(b, int(d.d))
		b = append(b, '/')
		b = pad2(b, int(d.m))
		b = append(b, '/')
		b = strconv.AppendInt(b, int64(y), 10)
	}
	rd.buf = b
	return string(b)
}

// registerDate renders a birth date on the register, partial for some
// older people (00/00/yyyy, yyyy, 00/mm/yyyy, mm/yyyy).
func (rd *renderer) registerDate(d date, prec uint8) string {
	y := strconv.Itoa(int(d.y))
	switch prec {
	case precYear:
		if rd.r.IntN(2) == 0 {
			return "00/00/" + y
		}
		return y
	case precMonth:
		mm := string(pad2(nil, int(d.m)))
		if rd.r.IntN(2) == 0 {
			return "00/" + mm + "/" + y
		}
		return mm + "/" + y
	}
	return rd.date(d)
}

// id renders a 12-digit ID, sometimes without its leading zero or with
// separators. Other IDs are written as they are.
func (rd *renderer) id(id string) string {
	if len(id) != 12 {
		return id
	}
	switch {
	case id[0] == '0' && rd.noise(noiseZero):
		return id[1:]
	case rd.noise(noiseIDSep):
		sep := " "
		if rd.r.IntN(2) == 0 {
			sep = "."
		}
		return id[:3] + sep + id[3:6] + sep + id[6:]
	}
	return id
}

var (
	genderMale   = [...]string{"nam", "NAM", "M", "male", "Male"}
	genderFemale = [...]string{"nữ", "NỮ", "F", "female", "Nu"}
)

func (rd *renderer) gender(female bool) string {
	if rd.noise(noiseGender) {
		if female {
			return genderFemale[rd.r.IntN(len(genderFemale))]
		}
		return genderMale[rd.r.IntN(len(genderMale))]
	}
	if female {
		return "Nữ"
	}
	return "Nam"
}

// village names the hamlet or residential group under a commune.
func village(level string, place int32, n uint16) string {
	num := strconv.Itoa(int(n))
	if level == "Phường" {
		if place%2 == 0 {
			return "Tổ dân phố " + num
		}
		return "Khối " + num
	}
	if place%2 == 0 {
		return "Xóm " + num
	}
	return "Thôn " + num
}

// writtenParents returns the names of person k's parents as the register
// writes them when the parents are not on it themselves: the register
// keeps the parents' names of most people (80 % of those born from 1960,
// half of those born before). They come from a generator of their own,
// seeded by the seed and k, so that they draw nothing from the model's
// and the rows' random streams. "" when none are written.
func (m *model) writtenParents(k int32) (father, mother string) {
	p := &m.people[k]
	r := rand.New(rand.NewPCG(m.opts.Seed^0x70617265, uint64(k)))
	share := 0.8
	if p.birth.y < 1960 {
		share = 0.5
	}
	if r.Float64() >= share {
		return "", ""
	}
	surname, _, _ := strings.Cut(p.name, " ")
	return m.names.fullName(r, surname, false), m.names.fullName(r, m.names.surname(r), true)
}

// villageOtherWay writes a village as a second clerk would: the unit word
// in lower case and the number with two digits ("Xóm 3" → "xóm 03").
func villageOtherWay(vil string) string {
	i := strings.LastIndexByte(vil, ' ')
	n := vil[i+1:]
	if len(n) == 1 {
		n = "0" + n
	}
	return strings.ToLower(vil[:i+1]) + n
}

var levelAbbrev = map[string]string{
	"Xã": "X.", "Phường": "P.", "Thị trấn": "TT.", "Huyện": "H.", "Thị xã": "TX.",
	"Thành phố": "TP.", "Quận": "Q.", "Tỉnh": "T.", "Tổ dân phố": "TDP", "Đặc khu": "Đặc khu",
}

// abbrev writes a name's level word abbreviated ("Xã Nghi Phong" → "X. Nghi Phong").
func abbrev(name string) string {
	for _, lv := range [...]string{"Tổ dân phố", "Thị trấn", "Thị xã", "Thành phố", "Phường", "Huyện", "Quận", "Tỉnh", "Xã"} {
		if rest, ok := strings.CutPrefix(name, lv+" "); ok {
			return levelAbbrev[lv] + " " + rest
		}
	}
	return name
}

// address renders where person p lives and the commune code to write
// with it, applying the person's residence defect if any.
func (rd *renderer) address(p *person, population bool) (addr, code string) {
	g := rd.m.geo
	pl := &g.places[p.place]
	vil := village(pl.level, p.place, p.village)
	if p.villageAlt {
		vil = villageOtherWay(vil)
	}
	modern := vil + ", " + pl.fullName() + ", " + g.provinceFull
	if population {
		switch p.res {
		case resMissing:
			return "", ""
		case resInvalidCode, resLegacyCode, resConflict:
			return modern, p.resCode
		case resUnresolved:
			return vil, ""
		}
	}
	parts := []string{vil, pl.fullName(), g.provinceFull}
	code = pl.code
	resolves := pl.uniqueName
	if p.legacy >= 0 && int(p.legacy) < len(pl.legacy) {
		l := &pl.legacy[p.legacy]
		prov := l.province
		if prov == "" {
			prov = g.provinceFull
		}
		parts = []string{vil, l.level + " " + l.name, l.district, prov}
		resolves = false
	}
	if rd.noise(noiseAbbrev) {
		for i := 1; i < len(parts); i++ {
			if rd.r.IntN(2) == 0 {
				parts[i] = abbrev(parts[i])
			}
		}
	}
	addr = strings.Join(parts, ", ")
	switch {
	case rd.noise(noiseAddress):
		addr = strings.ToUpper(addr)
	case rd.noise(noiseAddress):
		addr = strings.ReplaceAll(addr, ", ", " ,  ")
	}
	if resolves && rd.noise(noiseNoCode) {
		code = ""
	}
	return addr, code
}

func (rd *renderer) provinceText(p *person) string {
	pv := rd.m.provs[p.prov]
	switch p.provStyle {
	case 0:
		return strings.TrimLeft(pv.code, "0")
	case 1:
		return pv.name
	}
	switch pv.name {
	case "Hà Nội", "Hồ Chí Minh", "Đà Nẵng", "Hải Phòng", "Cần Thơ", "Huế":
		return "Thành phố " + pv.name
	}
	return "Tỉnh " + pv.name
}

// person renders population row i.
func (rd *renderer) person(i int, out *record.Person) {
	rd.row(i)
	m := rd.m
	p := &m.people[i]
	*out = record.Person{
		PersonID:         rd.id(p.id),
		OldID:            p.oldID,
		FullName:         rd.name(p.name, false),
		BirthDate:        rd.registerDate(p.birth, p.prec),
		Gender:           rd.gender(p.female),
		BirthRegProvince: rd.provinceText(p),
		HouseholdID:      m.geo.provinceCode + leftPad(strconv.Itoa(m.sh.hhBase+int(p.household)), 8),
		Relation:         relationWords[p.relation],
		ResidenceType:    "thường trú",
		Status:           "còn sống",
	}
	if p.temporary {
		out.ResidenceType = "tạm trú"
	}
	if p.dead {
		out.Status = "đã chết"
	}
	switch {
	case p.spouseSet:
		out.SpouseID, out.SpouseName = rd.id(p.spouseID), p.spouseNm
	case p.spouse >= 0:
		s := &m.people[p.spouse]
		out.SpouseID, out.SpouseName = rd.id(s.id), rd.name(s.name, false)
	}
	if p.father >= 0 {
		f := &m.people[p.father]
		out.FatherID, out.FatherName = rd.id(f.id), rd.name(f.name, false)
	}
	if p.mother >= 0 {
		f := &m.people[p.mother]
		out.MotherID, out.MotherName = rd.id(f.id), rd.name(f.name, false)
	}
	if p.father < 0 && p.mother < 0 {
		k := int32(i)
		if p.parentsOf > 0 {
			k = p.parentsOf - 1
		}
		if f, mo := m.writtenParents(k); f != "" {
			out.FatherName, out.MotherName = rd.name(f, false), rd.name(mo, false)
		}
	}
	out.Address, out.CommuneCode = rd.address(p, true)
}

func leftPad(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return strings.Repeat("0", n-len(s)) + s
}

// accountID renders the id_number of a record.
func (rd *renderer) accountID(a *account, p *person) string {
	switch a.idMode {
	case idOld:
		return p.oldID
	case idWrong:
		return rd.id(a.wrongID)
	case idMissing:
		return ""
	}
	return rd.id(p.id)
}

// accountFields renders the person fields shared by tax and insurance rows.
func (rd *renderer) accountFields(a *account) (id, name, birth, gender, addr, code string) {
	p := &rd.m.people[a.owner]
	id = rd.accountID(a, p)
	n := p.name
	if a.name != "" {
		n = a.name
	}
	name = rd.name(n, true)
	b := p.birth
	if a.birth.y != 0 {
		b = a.birth
	}
	birth = rd.date(b)
	gender = rd.gender(p.female != a.flip)
	addr, code = rd.address(p, false)
	return
}

func (rd *renderer) tax(k int, out *record.TaxRecord) {
	rd.row(k)
	a := &rd.m.tax[k]
	*out = record.TaxRecord{TaxCode: a.code, Status: taxStatusWords[a.status]}
	out.IDNumber, out.FullName, out.BirthDate, out.Gender, out.Address, out.CommuneCode = rd.accountFields(a)
}

func (rd *renderer) insurance(k int, out *record.InsuranceRecord) {
	rd.row(k)
	a := &rd.m.ins[k]
	*out = record.InsuranceRecord{InsuranceCode: a.code, CardNumber: a.card, Status: insStatusWords[a.status]}
	out.IDNumber, out.FullName, out.BirthDate, out.Gender, out.Address, out.CommuneCode = rd.accountFields(a)
}

func (rd *renderer) event(k int, out *record.CivilEvent) {
	rd.row(k)
	m := rd.m
	e := &m.events[k]
	pl := &m.geo.places[e.place]
	code := pl.code
	if e.date.less(reformDate) && e.legacy >= 0 && int(e.legacy) < len(pl.legacy) {
		code = pl.legacy[e.legacy].code
	}
	*out = record.CivilEvent{
		EventID:        e.id,
		EventType:      eventTypes[e.kind],
		EventDate:      rd.date(e.date),
		RegCommuneCode: code,
	}
	if e.subject >= 0 {
		s := &m.people[e.subject]
		out.SubjectID = rd.id(s.id)
		out.SubjectName = rd.name(s.name, true)
		out.SubjectBirthDate = rd.date(s.birth)
		out.SubjectGender = rd.gender(s.female)
	}
	if e.partner >= 0 {
		s := &m.people[e.partner]
		out.PartnerID, out.PartnerName = rd.id(s.id), rd.name(s.name, true)
	}
	if e.father >= 0 {
		s := &m.people[e.father]
		out.FatherID, out.FatherName = rd.id(s.id), rd.name(s.name, true)
	}
	if e.mother >= 0 {
		s := &m.people[e.mother]
		out.MotherID, out.MotherName = rd.id(s.id), rd.name(s.name, true)
	}
}
