package synth

import (
	"fmt"
	"github.com/doisanh/doisanh/normalize"
	"math/rand/v2"
	"strconv"
)

// refDate is the "today" of every generated province (no time.Now in outputs).
var refDate = date{2025, 10, 1}

// reformDate is the day the 2025 commune list took effect.
var reformDate = date{2025, 7, 1}

type date struct {
	y    int16
	m, d uint8
}

func (d date) less(e date) bool {
	if d.y != e.y {
		return d.y < e.y
	}
	if d.m != e.m {
		return d.m < e.m
	}
	return d.d < e.d
}

// age returns the age in full years on refDate.
func (d date) age() int {
	a := int(refDate.y - d.y)
	if d.m > refDate.m || d.m == refDate.m && d.d > refDate.d {
		a--
	}
	return a
}

func daysIn(y int16, m uint8) uint8 { return uint8(normalize.DaysInMonth(int(y), int(m))) }

// Date precision on the register.
const (
	precFull  = iota
	precMonth // 00/mm/yyyy
	precYear  // 00/00/yyyy or yyyy
)

// Relations to the household head (Circular 55/2021/TT-BCA).
const (
	relHead = iota
	relWife
	relHusband
	relChild
	relFather
	relMother
)

var relationWords = [...]string{"Chủ hộ", "Vợ", "Chồng", "Con đẻ", "Cha đẻ", "Mẹ đẻ"}

// Residence defects applied to the population row (UNKNOWN_RESIDENCE).
const (
	resOK = iota
	resMissing
	resInvalidCode
	resLegacyCode
	resUnresolved
	resConflict
)

// person is one person of the model: on the register, or a ghost who only
// appears in source records (NOT_IN_POPULATION).
type person struct {
	id        string // as issued (may be invalid: ID_INVALID)
	oldID     string // 9-digit CMND, or ""
	name      string
	spouseID  string // override of the rendered spouse_id (spouseSet)
	spouseNm  string
	resCode   string // code of a residence defect
	birth     date
	death     date
	household int32
	spouse    int32 // -1 when none
	father    int32
	mother    int32
	place     int32 // index into geography.places
	legacy    int16 // index into place.legacy for a legacy-style address; -1 for 2025 style
	village   uint16
	// villageAlt: the village is written another way ("xóm 03" for "Xóm 3"):
	// a second registration of one address.
	villageAlt bool
	// parentsOf is 1 + the index of the person whose parents' names this
	// row writes when its parents are not on the register; 0: its own.
	parentsOf int32
	prov      uint8 // index into birthProvinces
	provStyle uint8
	prec      uint8
	relation  uint8
	res       uint8 // residence defect
	female    bool
	temporary bool
	dead      bool
	ghost     bool // not on the register
	omit      bool // planned by a defect that was fixed: not written
	spouseSet bool
	hasTax    bool
	hasIns    bool
	taxIsID   bool // one of the person's tax codes is their person_id
	hasEvent  bool // subject or partner of a civil event
	used      bool // involved in a defect
	second    bool // took a second defect on their records (injector.second)
	married   bool // has a marriage event
	remarried bool
}

// Account ID modes (ID_MISMATCH).
const (
	idNormal = iota
	idOld
	idWrong
	idMissing
)

// account is a tax or insurance record.
type account struct {
	code    string
	card    string // insurance only
	wrongID string // idWrong
	name    string // override when not ""
	birth   date   // override when y != 0
	owner   int32
	status  uint8
	idMode  uint8
	flip    bool // gender flipped
	omit    bool
	used    bool
}

// Account statuses, indexes into taxStatus and insStatus.
const (
	stActive = iota
	stClosed // tax closed; insurance ended
	stSuspended
)

var (
	taxStatusWords = [...]string{"active", "closed", "closed"}
	insStatusWords = [...]string{"active", "ended", "suspended"}
)

// Civil event kinds.
const (
	evBirth = iota
	evMarriage
	evDeath
	evDivorce
)

var (
	eventTypes    = [...]string{"birth", "marriage", "death", "divorce"}
	eventPrefixes = [...]string{"KS", "KH", "KT", "LH"}
)

// event is a civil-status event.
type event struct {
	id      string
	date    date
	subject int32
	partner int32
	father  int32
	mother  int32
	place   int32
	legacy  int16
	kind    uint8
	omit    bool
	used    bool
}

// birthProvinces are the provinces of birth registration drawn besides
// the home province: 3-digit ID code and name.
var birthProvinces = []struct{ code, name string }{
	{"", ""}, // the home province, filled by newModel
	{"042", "Hà Tĩnh"}, {"038", "Thanh Hóa"}, {"001", "Hà Nội"}, {"079", "Hồ Chí Minh"},
	{"044", "Quảng Bình"}, {"048", "Đà Nẵng"}, {"034", "Thái Bình"},
}

// model is the synthetic province in memory.
type model struct {
	opts       Options
	geo        *geography
	names      *nameSource
	r          *rand.Rand
	provs      []struct{ code, name string }
	people     []person
	tax        []account
	ins        []account
	events     []event
	households int
	placeCum   []float64
	ids        map[uint64]struct{} // issued person IDs
	oldIDs     map[uint32]struct{}
	codes      map[string]struct{} // tax and insurance codes
	oldPrefix  string
	// oldPrefixes are the CMND prefixes of a sharded run: oldPrefix and
	// as many more as the people need (shardPlan.oldPrefixes).
	oldPrefixes []string
	sh          shard
}

func newModel(opts Options, geo *geography) *model {
	return newShardModel(opts, geo, shard{n: 1, people: opts.People})
}

// newShardModel returns the model of shard sh of a run with options opts:
// its own people, its own random stream (sh.seed for every shard but the
// first, which uses opts.Seed) and its own blocks of the number spaces;
// the communes' weights are those of opts.Seed in every shard.
func newShardModel(opts Options, geo *geography, sh shard) *model {
	opts.People = sh.people
	m := &model{
		sh:     sh,
		opts:   opts,
		geo:    geo,
		names:  newNameSource(),
		r:      rand.New(rand.NewPCG(opts.Seed, 0x5d0153a1)),
		ids:    make(map[uint64]struct{}, opts.People+opts.People/8),
		oldIDs: make(map[uint32]struct{}, opts.People),
		codes:  make(map[string]struct{}, opts.People*2),
		// Room for the baseline and injected entities, to avoid copying.
		people: make([]person, 0, opts.People+opts.People/16+64),
		tax:    make([]account, 0, opts.People/2+opts.People/32+64),
		ins:    make([]account, 0, opts.People*7/8+opts.People/32+64),
		events: make([]event, 0, opts.People*3/10+64),
	}
	m.provs = append(m.provs, birthProvinces...)
	m.provs[0].code = "0" + geo.provinceCode
	m.provs[0].name = geo.provinceName
	if geo.birthName != "" {
		// Registered at birth in the province of the ID code, by the
		// name it had then: the rules read birth_reg_province so.
		m.provs[0].name = geo.birthName
	}
	for i := 1; i < len(m.provs); i++ {
		if m.provs[i].code == m.provs[0].code {
			m.provs = append(m.provs[:i], m.provs[i+1:]...)
			break
		}
	}
	m.oldPrefix = "18"
	if geo.provinceCode != "40" {
		m.oldPrefix = fmt.Sprintf("%02d", 10+int(geo.provinceCode[1]-'0'))
	}
	if sh.national {
		// The province's weights, drawn once for the run (nationalShards).
		m.placeCum = sh.placeCum
	} else {
		m.placeCum = placeWeights(m.r, len(geo.places))
	}
	if sh.k > 0 || sh.national {
		m.r = rand.New(rand.NewPCG(sh.seed, 0x5d0153a1))
		m.opts.Seed = sh.seed
	}
	if sh.n > 1 {
		first := m.oldPrefix
		if sh.national {
			// One list for every province, so that the shards' blocks
			// of it never give one CMND twice.
			first = nationalOldPrefix
		}
		m.oldPrefixes = oldPrefixes(first, sh.oldPrefixes)
	}
	return m
}

// placeWeights draws the weights of n communes and returns them
// cumulated: lognormal-ish, a few large towns and many small communes.
func placeWeights(r *rand.Rand, n int) []float64 {
	cum := make([]float64, 0, n)
	total := 0.0
	for range n {
		w := 0.3 + r.ExpFloat64()
		total += w * w
		cum = append(cum, total)
	}
	return cum
}

func (m *model) chance(p float64) bool { return m.r.Float64() < p }

func (m *model) between(lo, hi int) int { return lo + m.r.IntN(hi-lo+1) }

// randomDate returns a date in year y.
func (m *model) randomDate(y int) date {
	mo := uint8(1 + m.r.IntN(12))
	d := uint8(1 + m.r.IntN(int(daysIn(int16(y), mo))))
	return date{int16(y), mo, d}
}

// dateBetween returns a date from a to b (by year, then day).
func (m *model) dateBetween(a, b date) date {
	for range 20 {
		d := m.randomDate(m.between(int(a.y), int(b.y)))
		if !d.less(a) && !b.less(d) {
			return d
		}
	}
	return a
}

// newID issues a unique, valid 12-digit person ID.
func (m *model) newID(prov string, birthYear int, female bool) string {
	c := 2 * ((birthYear - 1900) / 100)
	if female {
		c++
	}
	for {
		id := fmt.Sprintf("%s%d%02d%06d", prov, c, birthYear%100, m.drawSerial(prov))
		if m.claimID(id) {
			return id
		}
	}
}

// claimID records id as issued; false when it already is.
func (m *model) claimID(id string) bool {
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil || len(id) != 12 {
		return true // malformed IDs are not tracked
	}
	if _, dup := m.ids[n]; dup {
		return false
	}
	m.ids[n] = struct{}{}
	return true
}

func (m *model) idTaken(id string) bool {
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil {
		return false
	}
	_, ok := m.ids[n]
	return ok
}

func (m *model) newOldID() string {
	if m.sh.n > 1 {
		for {
			n := m.draw(len(m.oldPrefixes) * oldSpace)
			if _, dup := m.oldIDs[uint32(n)]; !dup {
				m.oldIDs[uint32(n)] = struct{}{}
				return fmt.Sprintf("%s%07d", m.oldPrefixes[n/oldSpace], n%oldSpace)
			}
		}
	}
	for {
		n := uint32(m.r.IntN(10000000))
		if _, dup := m.oldIDs[n]; !dup {
			m.oldIDs[n] = struct{}{}
			return fmt.Sprintf("%s%07d", m.oldPrefix, n)
		}
	}
}

// newTaxCode returns a unique 10-digit tax code with a valid check digit.
func (m *model) newTaxCode() string {
	weights := [9]int{31, 29, 23, 19, 17, 13, 7, 5, 3}
	for {
		var d [10]byte
		d[0] = '8'
		sum := weights[0] * 8
		x := 0
		if m.sh.n > 1 {
			x = m.draw(codeSpace)
		}
		for i := 1; i < 9; i++ {
			var v int
			if m.sh.n > 1 {
				v = x / pow10[8-i] % 10
			} else {
				v = m.r.IntN(10)
			}
			d[i] = byte('0' + v)
			sum += weights[i] * v
		}
		if sum%11 == 0 {
			continue
		}
		d[9] = byte('0' + 10 - sum%11)
		if code := string(d[:]); m.claimCode(code) {
			return code
		}
	}
}

func (m *model) newInsuranceCode() string {
	for {
		code := fmt.Sprintf("%s%08d", m.geo.provinceCode, m.drawProvince(codeSpace))
		if m.claimCode(code) {
			return code
		}
	}
}

func (m *model) claimCode(code string) bool {
	if _, dup := m.codes[code]; dup {
		return false
	}
	m.codes[code] = struct{}{}
	return true
}

// pickPlace draws a commune by weight.
func (m *model) pickPlace() int32 {
	x := m.r.Float64() * m.placeCum[len(m.placeCum)-1]
	lo, hi := 0, len(m.placeCum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if x < m.placeCum[mid] {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return int32(lo)
}

// home is where a household lives.
type home struct {
	household int32
	place     int32
	legacy    int16
	village   uint16
	temporary bool
}

func (m *model) newHome() home {
	m.households++
	h := home{household: int32(m.households), place: m.pickPlace(), legacy: -1}
	p := &m.geo.places[h.place]
	if len(p.legacy) > 0 && m.chance(0.3) {
		h.legacy = int16(m.r.IntN(len(p.legacy)))
	}
	h.village = uint16(1 + m.r.IntN(18))
	h.temporary = m.chance(0.05)
	return h
}

// addPerson appends a person born in year y to home h and returns its index.
func (m *model) addPerson(h home, rel uint8, female bool, birth date, surname string) int32 {
	p := person{
		name:      m.names.fullName(m.r, surname, female),
		birth:     birth,
		female:    female,
		household: h.household,
		relation:  rel,
		spouse:    -1,
		father:    -1,
		mother:    -1,
		place:     h.place,
		legacy:    h.legacy,
		village:   h.village,
		temporary: h.temporary,
	}
	if !m.chance(0.9) {
		p.prov = uint8(1 + m.r.IntN(len(m.provs)-1))
	}
	p.provStyle = uint8(m.r.IntN(3))
	p.id = m.newID(m.provs[p.prov].code, int(birth.y), female)
	if birth.y < 2000 && m.chance(0.85) {
		p.oldID = m.newOldID()
	}
	if birth.y < 1965 && m.chance(0.25) {
		p.prec = uint8(1 + m.r.IntN(2))
	}
	m.people = append(m.people, p)
	return int32(len(m.people) - 1)
}

func (m *model) marry(a, b int32) {
	m.people[a].spouse, m.people[b].spouse = b, a
}

// addEvent appends a civil event registered where person at lives.
func (m *model) addEvent(kind uint8, d date, subject, partner, father, mother int32) int32 {
	at := subject
	if at < 0 {
		at = father
	}
	p := &m.people[at]
	e := event{kind: kind, date: d, subject: subject, partner: partner, father: father, mother: mother, place: p.place, legacy: p.legacy}
	if e.legacy < 0 && len(m.geo.places[p.place].legacy) > 0 {
		e.legacy = 0
	}
	e.id = fmt.Sprintf("%s%d-%07d", eventPrefixes[kind], d.y, m.sh.k*eventStride+len(m.events)+1)
	m.events = append(m.events, e)
	for _, i := range [...]int32{subject, partner} {
		if i >= 0 {
			m.people[i].hasEvent = true
		}
	}
	return int32(len(m.events) - 1)
}

// build generates the baseline province: households, then deaths,
// accounts and events.
func (m *model) build() {
	for len(m.people) < m.opts.People {
		m.household(m.opts.People - len(m.people))
	}
	m.deaths()
	m.accounts()
}

// household generates one household of at most limit people.
func (m *model) household(limit int) {
	h := m.newHome()
	x := m.r.Float64()
	switch {
	case limit < 12 || x < 0.12: // one person
		female := m.chance(0.5)
		b := m.randomDate(int(refDate.y) - m.between(18, 88))
		m.addPerson(h, relHead, female, b, m.names.surname(m.r))
	case x < 0.20: // one parent with children
		female := m.chance(0.75)
		b := m.randomDate(int(refDate.y) - m.between(25, 55))
		head := m.addPerson(h, relHead, female, b, m.names.surname(m.r))
		father, mother := int32(-1), head
		if !female {
			father, mother = head, -1
		}
		m.children(h, father, mother, m.between(1, 3))
	case x < 0.28: // elderly couple
		m.couple(h, m.between(60, 90), 0)
	default:
		husbandAge := m.between(22, 70)
		head, wife := m.couple(h, husbandAge, m.between(0, 4))
		if husbandAge < 55 && m.chance(0.2) {
			m.grandparents(h, head, wife)
		}
		if m.chance(0.015) {
			m.remarriage(head, wife)
		}
	}
}

// couple adds a married couple (the head usually the husband) with up to
// kids children and returns the husband and wife.
func (m *model) couple(h home, husbandAge, kids int) (husband, wife int32) {
	hb := m.randomDate(int(refDate.y) - husbandAge)
	wifeAge := max(18, husbandAge-m.between(-2, 6))
	wb := m.randomDate(int(refDate.y) - wifeAge)
	surname := m.names.surname(m.r)
	if m.chance(0.8) {
		husband = m.addPerson(h, relHead, false, hb, surname)
		wife = m.addPerson(h, relWife, true, wb, m.names.surname(m.r))
	} else {
		wife = m.addPerson(h, relHead, true, wb, m.names.surname(m.r))
		husband = m.addPerson(h, relHusband, false, hb, surname)
	}
	m.marry(husband, wife)
	if m.chance(0.6) {
		lo := date{int16(max(int(hb.y), int(wb.y)) + 18), 1, 1}
		if lo.less(refDate) {
			m.addEvent(evMarriage, m.dateBetween(lo, date{min(lo.y+12, refDate.y), 9, 30}), husband, wife, -1, -1)
			m.people[husband].married, m.people[wife].married = true, true
		}
	}
	m.children(h, husband, wife, kids)
	return husband, wife
}

// children adds up to n children of father and mother (either may be -1),
// born when the mother (or father) was 19 to 42, with 1.5% twins.
func (m *model) children(h home, father, mother int32, n int) {
	parent := mother
	if parent < 0 {
		parent = father
	}
	surname := ""
	if father >= 0 {
		surname = firstWord(m.people[father].name)
	} else {
		surname = firstWord(m.people[mother].name)
	}
	pb := int(m.people[parent].birth.y)
	for range n {
		y := pb + m.between(19, 42)
		if y > int(refDate.y) || (y == int(refDate.y) && m.chance(0.5)) {
			continue
		}
		b := m.randomDate(y)
		if refDate.less(b) {
			b = date{refDate.y, 1, 15}
		}
		female := m.chance(0.49)
		c := m.child(h, father, mother, b, female, surname)
		if m.chance(0.015) { // twins: same parents and birth date, another given name
			t := m.child(h, father, mother, b, m.chance(0.5), surname)
			for lastWord(m.people[t].name) == lastWord(m.people[c].name) {
				m.people[t].name = withGiven(m.people[t].name, m.names.givenName(m.r, m.people[t].female))
			}
		}
	}
}

func (m *model) child(h home, father, mother int32, b date, female bool, surname string) int32 {
	c := m.addPerson(h, relChild, female, b, surname)
	p := &m.people[c]
	p.father, p.mother = father, mother
	// Children keep their parent's birth province.
	if parent := max(father, mother); parent >= 0 && m.chance(0.9) {
		p.prov = m.people[parent].prov
		p.id = m.reissue(p.id, m.provs[p.prov].code)
	}
	if b.y >= 2016 {
		m.addEvent(evBirth, m.dateBetween(b, date{b.y, 12, 31}), c, -1, father, mother)
	}
	return c
}

// reissue returns a new ID with another province prefix; the old one is
// released only in the sense that it is never written.
func (m *model) reissue(id, prov string) string {
	if id[:3] == prov {
		return id
	}
	for {
		n := prov + id[3:6] + fmt.Sprintf("%06d", m.drawSerial(prov))
		if m.claimID(n) {
			return n
		}
	}
}

// grandparents adds the head's parents (or one of them, widowed).
func (m *model) grandparents(h home, husband, wife int32) {
	head := husband
	if m.people[wife].relation == relHead {
		head = wife
	}
	hp := &m.people[head]
	age := int(refDate.y-hp.birth.y) + m.between(20, 34)
	if age > 98 {
		return
	}
	fb := m.randomDate(int(refDate.y) - age)
	surname := firstWord(hp.name)
	if m.chance(0.6) {
		f := m.addPerson(h, relFather, false, fb, surname)
		mo := m.addPerson(h, relMother, true, m.randomDate(int(fb.y)+m.between(0, 5)), m.names.surname(m.r))
		m.marry(f, mo)
		m.people[head].father, m.people[head].mother = f, mo
		return
	}
	if m.chance(0.5) {
		m.people[head].father = m.addPerson(h, relFather, false, fb, surname)
	} else {
		m.people[head].mother = m.addPerson(h, relMother, true, fb, m.names.surname(m.r))
	}
}

// remarriage gives a husband an earlier marriage that ended, a benign
// history: the first wife died, or the couple divorced; then a later
// marriage event with the current wife.
func (m *model) remarriage(husband, wife int32) {
	hp := m.people[husband]
	first := date{hp.birth.y + 20, 1, 1}
	if !first.less(date{refDate.y - 10, 1, 1}) {
		return
	}
	d1 := m.dateBetween(first, date{first.y + 3, 12, 31})
	d2 := m.dateBetween(date{d1.y + 1, 1, 1}, date{d1.y + 3, 12, 31})
	d3 := m.dateBetween(date{d2.y + 1, 1, 1}, date{min(d2.y+3, refDate.y-1), 12, 31})
	if !d3.less(refDate) {
		return
	}
	h := home{household: hp.household, place: hp.place, legacy: hp.legacy, village: hp.village}
	if m.chance(0.5) {
		w1 := m.addPerson(h, relWife, true, m.randomDate(int(hp.birth.y)+m.between(0, 4)), m.names.surname(m.r))
		p := &m.people[w1]
		p.dead, p.death = true, d2
		if m.chance(0.5) {
			p.spouse = husband // the dead wife's row still names him
		}
		m.addEvent(evMarriage, d1, husband, w1, -1, -1)
		m.addEvent(evDeath, d2, w1, -1, -1, -1)
	} else {
		xh := m.newHome()
		x := m.addPerson(xh, relHead, true, m.randomDate(int(hp.birth.y)+m.between(0, 4)), m.names.surname(m.r))
		m.addEvent(evMarriage, d1, husband, x, -1, -1)
		m.addEvent(evDivorce, d2, husband, x, -1, -1)
	}
	m.addEvent(evMarriage, d3, husband, wife, -1, -1)
	for _, i := range [...]int32{husband, wife} {
		m.people[i].married, m.people[i].remarried = true, true
	}
}

// deaths marks about 1% of people dead: people without a spouse who are
// household heads living alone, widowed grandparents or adult children.
func (m *model) deaths() {
	want := len(m.people) / 100
	dead := 0
	for range len(m.people) * 4 {
		if dead >= want {
			break
		}
		i := int32(m.r.IntN(len(m.people)))
		p := &m.people[i]
		if p.dead || p.spouse >= 0 || p.birth.age() < 18 || p.remarried {
			continue
		}
		switch p.relation {
		case relFather, relMother, relChild:
		case relHead:
			if i+1 < int32(len(m.people)) && m.people[i+1].household == p.household {
				continue // heads their household's children
			}
		default:
			continue
		}
		if p.birth.age() < 60 && !m.chance(0.4) {
			continue
		}
		from := date{max(2000, p.birth.y+18), 1, 1}
		p.dead, p.death = true, m.dateBetween(from, date{refDate.y, 9, 1})
		dead++
		if m.chance(0.9) {
			m.addEvent(evDeath, p.death, i, -1, -1, -1)
		}
	}
}

// accounts gives tax records to about 70% of people aged 18-65 and
// insurance records to about 85% of everyone.
func (m *model) accounts() {
	for i := range m.people {
		p := &m.people[i]
		age := p.birth.age()
		if age >= 18 && age <= 65 && m.chance(0.7) {
			a := account{owner: int32(i)}
			if m.chance(0.15) {
				a.code = p.id
				p.taxIsID = true
			} else {
				a.code = m.newTaxCode()
			}
			if p.dead || m.chance(0.05) {
				a.status = stClosed
			}
			m.tax = append(m.tax, a)
			p.hasTax = true
		}
		if m.chance(0.85) {
			a := account{owner: int32(i), code: m.newInsuranceCode()}
			a.card = m.cardNumber(a.code, age)
			switch {
			case p.dead:
				a.status = stClosed
			case m.chance(0.05):
				a.status = stClosed
			case m.chance(0.05):
				a.status = stSuspended
			}
			m.ins = append(m.ins, a)
			p.hasIns = true
		}
	}
}

// cardNumber returns a BHYT card: beneficiary group, benefit level,
// province and the BHXH code.
func (m *model) cardNumber(code string, age int) string {
	groups := [...]string{"DN", "HC", "GD", "HN", "CN"}
	g := groups[m.r.IntN(len(groups))]
	switch {
	case age < 6:
		g = "TE"
	case age < 18:
		g = "HS"
	case age >= 75:
		g = "HT"
	}
	return fmt.Sprintf("%s%d%s%s", g, 1+m.r.IntN(5), m.geo.provinceCode, code)
}

func firstWord(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			return s[:i]
		}
	}
	return s
}
