package synth

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"

	"github.com/doisanh/doisanh/normalize"
	"github.com/doisanh/doisanh/record"
	"github.com/doisanh/doisanh/rules"
)

type truthRow = record.Truth

// defect is one planned defect: its truth row, how to apply it, and the
// consequences it has that the rules must not report (truth rows with
// Expect "none").
type defect struct {
	truth truthRow
	apply func()
	not   []truthRow
}

// injector plans defects on the baseline model. Planning reads only the
// baseline and the used marks, so the plan is the same whatever share is
// later fixed; entities a defect adds are appended at planning time with
// omit set, and applying a defect only clears omit or overwrites values.
type injector struct {
	m        *model
	plan     []defect
	parent   []bool             // is somebody's father or mother
	nameDate map[uint64]uint32  // register people per folded name + birth date
	byYGP    map[uint32][]int32 // adults by birth year, gender and province
	nBase    int                // people before defects
	// second lists people close to a defect (the partner of a spouse
	// defect, the first registration of a double one) who may take one
	// defect more on their own records: a household with two defects.
	second      []int32
	nextSecond  int
	secondAccts map[int32][]accountRef // their records, built on first use
}

// invalidProvinces are 3-digit prefixes that are no province code.
var invalidProvinces = []string{"003", "005", "009", "013", "021", "029", "039", "041", "050", "099"}

// injectDefects plans every defect subtype of the catalogue, applies those
// not fixed in the field, and returns their truth rows and the number fixed.
func (m *model) injectDefects() ([]truthRow, int) {
	if m.opts.BenignOnly {
		return nil, 0
	}
	in := &injector{m: m, nBase: len(m.people), parent: make([]bool, len(m.people))}
	for _, p := range m.people {
		if p.father >= 0 {
			in.parent[p.father] = true
		}
		if p.mother >= 0 {
			in.parent[p.mother] = true
		}
	}
	in.indexNames()
	planners := map[string]func(rule, sub string){
		rules.DupID:            in.dupID,
		rules.DupPerson:        in.dupPerson,
		rules.IDInvalid:        in.idInvalid,
		rules.SpouseConflict:   in.spouse,
		rules.UnknownResidence: in.residence,
		rules.NotInPopulation:  in.notInPopulation,
		rules.FieldMismatch:    in.fieldMismatch,
		rules.IDMismatch:       in.idMismatch,
		rules.DeceasedActive:   in.deceasedActive,
	}
	for _, r := range rules.Catalog {
		plan := planners[r.Code]
		if plan == nil {
			continue
		}
		for _, s := range r.Subtypes {
			plan(r.Code, s.Code)
		}
	}
	var truth []truthRow
	fixed := 0
	for _, d := range in.plan {
		if fixedInField(m.opts.Seed, m.opts.Fixed, d.truth) {
			fixed++
			continue
		}
		d.apply()
		truth = append(truth, d.truth)
		truth = append(truth, d.not...)
	}
	return truth, fixed
}

// fixedInField reports whether the defect t is in the share fixed of the
// defects, by a hash of its key and the seed.
func fixedInField(seed uint64, share float64, t truthRow) bool {
	if share <= 0 {
		return false
	}
	h := fnv.New64a()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], seed)
	h.Write(b[:])
	for _, s := range [...]string{t.Rule, t.Subtype, t.Source, t.SourceKey, t.PersonID, t.RelatedPersonID} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return float64(h.Sum64()>>11)/(1<<53) < share
}

// count returns how many defects of a subtype to inject among eligible
// people or records: the rate's share, at least one when the rate is not 0.
func (in *injector) count(rule, sub string, eligible int) int {
	rate := in.m.opts.rate(rule, sub)
	if rate <= 0 || eligible == 0 {
		return 0
	}
	return max(1, int(math.Round(rate*float64(eligible))))
}

func (in *injector) add(t truthRow, apply func(), not ...truthRow) {
	for i := range not {
		not[i].Expect = record.ExpectNone
	}
	in.plan = append(in.plan, defect{t, apply, not})
}

// pick returns a random index below n for which ok holds: random tries,
// then a scan from a random start.
func (in *injector) pick(n int, ok func(i int32) bool) (int32, bool) {
	if n == 0 {
		return -1, false
	}
	for range 64 {
		if i := int32(in.m.r.IntN(n)); ok(i) {
			return i, true
		}
	}
	start := in.m.r.IntN(n)
	for k := range n {
		if i := int32((start + k) % n); ok(i) {
			return i, true
		}
	}
	return -1, false
}

// Predicates on people of the baseline register.
func (in *injector) free(i int32) bool {
	p := &in.m.people[i]
	return int(i) < in.nBase && !p.used && !p.ghost
}

func (in *injector) freeAlive(i int32) bool {
	return in.free(i) && !in.m.people[i].dead
}

func (in *injector) freeAdult(i int32) bool {
	return in.freeAlive(i) && in.m.people[i].birth.age() >= 18
}

// single: no spouse on the register, no marriage history, nobody's parent.
func (in *injector) single(i int32) bool {
	p := &in.m.people[i]
	return p.spouse < 0 && !p.married && !in.parent[i] && p.relation != relWife && p.relation != relHusband
}

// couple: a reciprocal couple without marriage events, both free and alive.
func (in *injector) couple(i int32) bool {
	p := &in.m.people[i]
	if p.spouse < 0 || !in.freeAdult(i) || !in.freeAdult(p.spouse) || p.married || p.remarried {
		return false
	}
	return in.m.people[p.spouse].spouse == i
}

func (in *injector) use(ids ...int32) {
	for _, i := range ids {
		in.m.people[i].used = true
	}
}

func (in *injector) pt(i int32) *person { return &in.m.people[i] }

func nameDateKey(name string, d date) uint64 {
	h := fnv.New64a()
	h.Write([]byte(normalize.Fold(name)))
	fmt.Fprintf(h, "|%d-%d-%d", d.y, d.m, d.d)
	return h.Sum64()
}

// unique reports whether nobody else on the register has p's name and
// birth date: not in p's shard (its index counts the people defects add)
// and not in the others (the run's census counts p once).
func (in *injector) unique(p *person) bool {
	k := nameDateKey(p.name, p.birth)
	return in.nameDate[k] == 1 && (in.m.sh.names == nil || in.m.sh.names.count(k) <= 1)
}

func ygpKey(p *person) uint32 {
	k := uint32(p.birth.y)<<8 | uint32(p.prov)<<1
	if p.female {
		k |= 1
	}
	return k
}

func (in *injector) indexNames() {
	in.nameDate = make(map[uint64]uint32, len(in.m.people))
	in.byYGP = make(map[uint32][]int32)
	for i := range in.m.people {
		p := &in.m.people[i]
		in.nameDate[nameDateKey(p.name, p.birth)]++
		if !p.dead && p.birth.age() >= 18 {
			k := ygpKey(p)
			in.byYGP[k] = append(in.byYGP[k], int32(i))
		}
	}
}

func popTruth(rule, sub, key, person, related string) truthRow {
	return truthRow{Rule: rule, Subtype: sub, Source: "population", SourceKey: key, PersonID: person, RelatedPersonID: related}
}

// dupID: DUP_ID/POPULATION, TAX, INSURANCE.
func (in *injector) dupID(rule, sub string) {
	m := in.m
	switch sub {
	case "POPULATION":
		for range in.count(rule, sub, in.nBase) {
			b, ok := in.pick(in.nBase, func(i int32) bool {
				p := in.pt(i)
				return in.freeAdult(i) && in.single(i) && !p.hasTax && !p.hasIns && !p.hasEvent
			})
			if !ok {
				return
			}
			bp := in.pt(b)
			cands := in.byYGP[ygpKey(bp)]
			a, ok := in.pick(len(cands), func(k int32) bool {
				i := cands[k]
				return i != b && in.freeAlive(i) && in.pt(i).household != bp.household
			})
			if !ok {
				bp.used = true // no partner for this one
				continue
			}
			a = cands[a]
			in.use(a, b)
			id := in.pt(a).id
			in.add(popTruth(rule, sub, id, id, ""), func() { m.people[b].id = id })
		}
	case "TAX", "INSURANCE":
		accts := &m.tax
		if sub == "INSURANCE" {
			accts = &m.ins
		}
		n := len(*accts)
		for range in.count(rule, sub, n) {
			k, ok := in.pick(n, func(k int32) bool {
				a := &(*accts)[k]
				return !a.used && in.freeAlive(a.owner) && a.status == stActive && a.code != m.people[a.owner].id
			})
			if !ok {
				return
			}
			b, ok := in.pick(in.nBase, func(i int32) bool {
				p := in.pt(i)
				has := p.hasTax
				if sub == "INSURANCE" {
					has = p.hasIns
				}
				return in.freeAdult(i) && !has
			})
			if !ok {
				return
			}
			a := &(*accts)[k]
			a.used = true
			in.use(a.owner, b)
			second := account{owner: b, code: a.code, omit: true, used: true}
			if sub == "INSURANCE" {
				second.card = m.cardNumber(a.code, in.pt(b).birth.age())
			}
			*accts = append(*accts, second)
			at := len(*accts) - 1
			t := truthRow{Rule: rule, Subtype: sub, Source: sourceName(sub), SourceKey: a.code, PersonID: m.people[a.owner].id, RelatedPersonID: m.people[b].id}
			in.add(t, func() { (*accts)[at].omit = false })
		}
	}
}

func sourceName(sub string) string {
	if sub == "INSURANCE" {
		return "insurance"
	}
	return "tax"
}

// dupPerson: a copy of a person under a new ID, registered again the way
// real double registrations are: the second number often issued by another
// province (with that province as the place of birth registration); the
// same address written differently in another household (60 %), in the
// same household (10 %) or another commune after a move (30 %); the same
// old CMND on both rows (half the time, always after a move); the same
// parents where the register names them. Each copy keeps at least one of
// the same village, the same CMND or the same parents: a copy with none
// of them is one nobody could tell from a namesake.
func (in *injector) dupPerson(rule, sub string) {
	m := in.m
	for range in.count(rule, sub, in.nBase) {
		a, ok := in.pick(in.nBase, in.freeAlive)
		if !ok {
			return
		}
		in.use(a)
		in.second = append(in.second, a)
		src := *in.pt(a)
		c := person{
			name: src.name, birth: src.birth, female: src.female, prov: src.prov, provStyle: src.provStyle,
			prec: src.prec, father: src.father, mother: src.mother, spouse: -1, relation: relHead,
			household: src.household, place: src.place, legacy: src.legacy, village: src.village,
			villageAlt: true, omit: true, used: true, parentsOf: a + 1,
		}
		if m.chance(0.5) && len(m.provs) > 1 {
			c.prov = uint8((int(src.prov) + 1 + m.r.IntN(len(m.provs)-1)) % len(m.provs))
			c.provStyle = uint8(m.r.IntN(3))
		}
		keepsOld := src.oldID != "" && m.chance(0.5)
		switch x := m.r.Float64(); {
		case x < 0.1:
			if src.relation == relChild {
				c.relation = relChild
			}
		case x < 0.7 || src.oldID == "" && src.father < 0 && src.mother < 0:
			m.households++
			c.household = int32(m.households)
		default: // moved: only the CMND or the parents tell
			h := m.newHome()
			c.household, c.place, c.legacy, c.village, c.villageAlt = h.household, h.place, h.legacy, h.village, false
			keepsOld = src.oldID != ""
		}
		if keepsOld {
			c.oldID = src.oldID
		}
		c.id = m.newID(m.provs[c.prov].code, int(c.birth.y), c.female)
		m.people = append(m.people, c)
		ci := len(m.people) - 1
		// A second number issued by another province says so in its prefix
		// and in birth_reg_province alike: no ID_INVALID/PROVINCE.
		var not []truthRow
		if c.prov != src.prov {
			not = append(not, popTruth(rules.IDInvalid, "PROVINCE", c.id, c.id, ""))
		}
		in.add(popTruth(rule, sub, c.id, src.id, c.id), func() { m.people[ci].omit = false }, not...)
	}
}

// idInvalid: the person's ID is issued wrong, everywhere it is referenced.
func (in *injector) idInvalid(rule, sub string) {
	m := in.m
	for range in.count(rule, sub, in.nBase) {
		v, ok := in.pick(in.nBase, func(i int32) bool { return in.free(i) && !in.pt(i).taxIsID })
		if !ok {
			return
		}
		p := in.pt(v)
		var id string
		for range 100 {
			id = in.invalidID(sub, p)
			if m.claimID(id) {
				break
			}
		}
		in.use(v)
		in.add(popTruth(rule, sub, id, id, ""), func() { m.people[v].id = id })
	}
}

func (in *injector) invalidID(sub string, p *person) string {
	r := in.m.r
	id := p.id
	switch sub {
	case "LENGTH":
		if r.IntN(2) == 0 {
			return id + fmt.Sprint(r.IntN(10))
		}
		return fmt.Sprintf("%c%09d", "03579"[r.IntN(5)], in.m.draw(1000000000))
	case "GENDER_CENTURY":
		c := id[3] - '0'
		return id[:3] + fmt.Sprint(c^1) + id[4:6] + fmt.Sprintf("%06d", in.m.drawSerial(id[:3]))
	case "BIRTH_YEAR":
		y := (int(p.birth.y) + 1 + r.IntN(5)) % 100
		return id[:4] + fmt.Sprintf("%02d%06d", y, in.m.drawSerial(id[:3]))
	default: // PROVINCE
		prov := invalidProvinces[r.IntN(len(invalidProvinces))]
		if r.IntN(2) == 0 {
			for {
				if q := in.m.provs[r.IntN(len(in.m.provs))].code; q != id[:3] {
					prov = q
					break
				}
			}
		}
		return prov + id[3:6] + fmt.Sprintf("%06d", in.m.drawSerial(prov))
	}
}

// spouse: SPOUSE_CONFLICT subtypes.
func (in *injector) spouse(rule, sub string) {
	m := in.m
	singleAdult := func(female bool) func(i int32) bool {
		return func(i int32) bool {
			return in.freeAdult(i) && in.single(i) && in.pt(i).female == female
		}
	}
	for range in.count(rule, sub, in.nBase) {
		switch sub {
		case "NOT_RECIPROCAL", "MULTIPLE", "OLD_ID":
			a, ok := in.pick(in.nBase, func(i int32) bool {
				return in.couple(i) && (sub != "OLD_ID" || in.pt(in.pt(i).spouse).oldID != "")
			})
			if !ok {
				return
			}
			b := in.pt(a).spouse
			A, B := in.pt(a), in.pt(b)
			switch sub {
			case "NOT_RECIPROCAL":
				in.use(a, b)
				in.second = append(in.second, b)
				in.add(popTruth(rule, sub, A.id, A.id, B.id), func() {
					m.people[b].spouseSet, m.people[b].spouseID, m.people[b].spouseNm = true, "", ""
				})
			case "MULTIPLE":
				c, ok := in.pick(in.nBase, singleAdult(A.female))
				if !ok {
					return
				}
				in.use(a, b, c)
				C := in.pt(c)
				// C's claim is one of B's several spouses, not a pair of its own.
				in.add(popTruth(rule, sub, B.id, B.id, C.id), func() {
					m.people[c].spouseSet, m.people[c].spouseID, m.people[c].spouseNm = true, m.people[b].id, m.people[b].name
				}, popTruth(rule, "NOT_RECIPROCAL", C.id, C.id, B.id))
			case "OLD_ID":
				in.use(a, b)
				in.second = append(in.second, b)
				// The CMND is nobody's person_id, and B, who names A, is named
				// back by it: neither is a finding of its own.
				in.add(popTruth(rule, sub, A.id, A.id, B.id), func() {
					m.people[a].spouseSet, m.people[a].spouseID, m.people[a].spouseNm = true, m.people[b].oldID, m.people[b].name
				}, popTruth(rule, "NOT_FOUND", A.id, A.id, ""), popTruth(rule, "NOT_RECIPROCAL", B.id, B.id, A.id))
			}
		case "NOT_FOUND", "SELF":
			s, ok := in.pick(in.nBase, func(i int32) bool { return in.freeAdult(i) && in.single(i) })
			if !ok {
				return
			}
			in.use(s)
			S := in.pt(s)
			sid, sname := S.id, S.name
			if sub == "NOT_FOUND" {
				y := int(S.birth.y) + m.between(-4, 4)
				sid = m.newID(m.provs[0].code, y, !S.female)
				sname = m.names.fullName(m.r, m.names.surname(m.r), !S.female)
			}
			in.add(popTruth(rule, sub, S.id, S.id, ""), func() {
				m.people[s].spouseSet, m.people[s].spouseID, m.people[s].spouseNm = true, sid, sname
			})
		case "CIVIL_MARRIAGE":
			e, ok := in.pick(len(m.events), func(k int32) bool {
				ev := &m.events[k]
				if ev.kind != evMarriage || ev.used || ev.subject < 0 || ev.partner < 0 {
					return false
				}
				h, w := in.pt(ev.subject), in.pt(ev.partner)
				return h.spouse == ev.partner && w.spouse == ev.subject && !h.remarried &&
					in.freeAdult(ev.subject) && in.freeAdult(ev.partner)
			})
			if !ok {
				return
			}
			ev := &m.events[e]
			d, ok := in.pick(in.nBase, func(i int32) bool {
				return singleAdult(true)(i) && int(in.pt(i).birth.y)+18 <= int(ev.date.y)
			})
			if !ok {
				return
			}
			ev.used = true
			in.use(ev.subject, ev.partner, d)
			h := in.pt(ev.subject)
			in.add(truthRow{Rule: rule, Subtype: sub, Source: "civil", SourceKey: ev.id, PersonID: h.id, RelatedPersonID: in.pt(d).id},
				func() { m.events[e].partner = d })
		}
	}
}

// residence: UNKNOWN_RESIDENCE subtypes on population rows.
func (in *injector) residence(rule, sub string) {
	m := in.m
	for range in.count(rule, sub, in.nBase) {
		v, ok := in.pick(in.nBase, func(i int32) bool {
			if !in.freeAlive(i) {
				return false
			}
			pl := &m.geo.places[in.pt(i).place]
			switch sub {
			case "LEGACY_CODE":
				for _, l := range pl.legacy {
					if !l.current {
						return true
					}
				}
				return false
			case "CODE_ADDRESS_CONFLICT":
				return pl.uniqueName && len(m.geo.places) > 1
			}
			return true
		})
		if !ok {
			return
		}
		in.use(v)
		p := in.pt(v)
		pl := &m.geo.places[p.place]
		var res uint8
		code := ""
		switch sub {
		case "MISSING":
			res = resMissing
		case "INVALID_CODE":
			res = resInvalidCode
			for code == "" || m.geo.allCodes[code] {
				code = fmt.Sprintf("9%04d", m.r.IntN(10000))
			}
		case "LEGACY_CODE":
			res = resLegacyCode
			var old []string
			for _, l := range pl.legacy {
				if !l.current {
					old = append(old, l.code)
				}
			}
			code = old[m.r.IntN(len(old))]
		case "UNRESOLVED_ADDRESS":
			res = resUnresolved
		case "CODE_ADDRESS_CONFLICT":
			res = resConflict
			for {
				k := m.r.IntN(len(m.geo.places))
				if int32(k) != p.place {
					code = m.geo.places[k].code
					break
				}
			}
		}
		in.add(popTruth(rule, sub, p.id, p.id, ""), func() {
			m.people[v].res, m.people[v].resCode = res, code
		})
	}
}

// ghost adds a person who is not on the register, with a name and birth
// date nobody on the register has, and returns its index.
func (in *injector) ghost(birthYear int, female bool, surname string) int32 {
	m := in.m
	h := home{household: 0, place: m.pickPlace(), legacy: -1, village: uint16(1 + m.r.IntN(18))}
	for {
		b := m.randomDate(birthYear)
		name := m.names.fullName(m.r, surname, female)
		if in.nameDate[nameDateKey(name, b)] > 0 || in.m.sh.names.count(nameDateKey(name, b)) > 0 {
			continue
		}
		in.nameDate[nameDateKey(name, b)]++
		p := person{name: name, birth: b, female: female, spouse: -1, father: -1, mother: -1,
			place: h.place, legacy: h.legacy, village: h.village, ghost: true, used: true}
		p.id = m.newID(m.provs[0].code, birthYear, female)
		m.people = append(m.people, p)
		return int32(len(m.people) - 1)
	}
}

// notInPopulation: tax, insurance and birth records of people who are not
// on the register.
func (in *injector) notInPopulation(rule, sub string) {
	m := in.m
	switch sub {
	case "TAX", "INSURANCE":
		n := len(m.tax)
		if sub == "INSURANCE" {
			n = len(m.ins)
		}
		for range in.count(rule, sub, n) {
			g := in.ghost(int(refDate.y)-m.between(20, 60), m.chance(0.5), m.names.surname(m.r))
			a := account{owner: g, omit: true, used: true}
			accts := &m.tax
			if sub == "TAX" {
				a.code = m.newTaxCode()
			} else {
				accts = &m.ins
				a.code = m.newInsuranceCode()
				a.card = m.cardNumber(a.code, in.pt(g).birth.age())
			}
			*accts = append(*accts, a)
			at := len(*accts) - 1
			in.add(truthRow{Rule: rule, Subtype: sub, Source: sourceName(sub), SourceKey: a.code},
				func() { (*accts)[at].omit = false })
		}
	case "BIRTH":
		births := 0
		for _, e := range m.events {
			if e.kind == evBirth {
				births++
			}
		}
		for range in.count(rule, sub, births) {
			mo, ok := in.pick(in.nBase, func(i int32) bool {
				p := in.pt(i)
				return in.couple(i) && p.female && p.birth.y >= refDate.y-44 && p.birth.y <= 2016-19
			})
			if !ok {
				return
			}
			fa := in.pt(mo).spouse
			in.use(mo, fa)
			y := m.between(max(2016, int(in.pt(mo).birth.y)+19), int(refDate.y)-1)
			g := in.ghost(y, m.chance(0.49), firstWord(in.pt(fa).name))
			c := in.pt(g)
			c.father, c.mother, c.place, c.legacy = fa, mo, in.pt(mo).place, in.pt(mo).legacy
			e := m.addEvent(evBirth, m.dateBetween(c.birth, date{c.birth.y, 12, 31}), g, -1, fa, mo)
			m.events[e].omit, m.events[e].used = true, true
			in.add(truthRow{Rule: rule, Subtype: sub, Source: "civil", SourceKey: m.events[e].id},
				func() { m.events[e].omit = false })
		}
	}
}

// pickAccount picks a free, active tax or insurance record of a free
// person on the register for which ok holds, marks both used, and returns
// the record's list and index (lists may grow while planning, so closures
// keep the index, not a pointer).
func (in *injector) pickAccount(ok func(a *account, p *person) bool) (accts *[]account, k int32, src string, found bool) {
	m := in.m
	src, accts = "tax", &m.tax
	if m.chance(0.5) {
		src, accts = "insurance", &m.ins
	}
	list := *accts
	k, found = in.pick(len(list), func(k int32) bool {
		a := &list[k]
		return !a.used && !a.omit && in.free(a.owner) && ok(a, in.pt(a.owner))
	})
	if !found {
		return nil, 0, "", false
	}
	list[k].used = true
	in.use(list[k].owner)
	return accts, k, src, true
}

// pickSecond picks a free, active record for which ok holds of the next
// person of in.second who has one, and marks it used; the person stays
// used by the defect that put them there.
func (in *injector) pickSecond(ok func(a *account, p *person) bool) (accts *[]account, k int32, src string, found bool) {
	m := in.m
	if in.secondAccts == nil {
		// The people of in.second in random order (spouse partners and
		// double registrations mixed), and their records, found in one pass.
		m.r.Shuffle(len(in.second), func(i, j int) { in.second[i], in.second[j] = in.second[j], in.second[i] })
		in.secondAccts = make(map[int32][]accountRef, len(in.second))
		for _, o := range in.second {
			in.secondAccts[o] = nil
		}
		for j := range m.tax {
			if refs, ok := in.secondAccts[m.tax[j].owner]; ok {
				in.secondAccts[m.tax[j].owner] = append(refs, accountRef{false, int32(j)})
			}
		}
		for j := range m.ins {
			if refs, ok := in.secondAccts[m.ins[j].owner]; ok {
				in.secondAccts[m.ins[j].owner] = append(refs, accountRef{true, int32(j)})
			}
		}
	}
	for in.nextSecond < len(in.second) {
		owner := in.second[in.nextSecond]
		in.nextSecond++
		p := in.pt(owner)
		if p.dead || p.second {
			continue
		}
		for _, ref := range in.secondAccts[owner] {
			accts, src = &m.tax, "tax"
			if ref.ins {
				accts, src = &m.ins, "insurance"
			}
			if a := &(*accts)[ref.k]; !a.used && !a.omit && ok(a, p) {
				a.used = true
				p.second = true
				return accts, ref.k, src, true
			}
		}
	}
	return nil, 0, "", false
}

// accountRef is a tax (ins false) or insurance record by index.
type accountRef struct {
	ins bool
	k   int32
}

// fieldMismatch: a linked tax or insurance record with one field wrong.
func (in *injector) fieldMismatch(rule, sub string) {
	m := in.m
	n := in.count(rule, sub, len(m.tax)+len(m.ins))
	for i := range n {
		eligible := func(a *account, p *person) bool {
			return !p.dead && a.status == stActive && (sub != "BIRTH_DATE" || p.prec == precFull)
		}
		// A tenth of them on the records of someone close to another
		// defect (in.second): their spouse's row or their double
		// registration is wrong too, and each is found on its own.
		var accts *[]account
		var k int32
		var src string
		ok := false
		if i < max(1, n/10) {
			accts, k, src, ok = in.pickSecond(eligible)
		}
		if !ok {
			accts, k, src, ok = in.pickAccount(eligible)
		}
		if !ok {
			return
		}
		a := func() *account { return &(*accts)[k] }
		p := in.pt(a().owner)
		t := truthRow{Rule: rule, Subtype: sub, Source: src, SourceKey: a().code, PersonID: p.id}
		switch sub {
		case "NAME":
			t.Field = "full_name"
			name := in.misspell(p)
			in.add(t, func() { a().name = name })
		case "BIRTH_DATE":
			t.Field = "birth_date"
			b := in.wrongDate(p.birth)
			in.add(t, func() { a().birth = b })
		case "GENDER":
			t.Field = "gender"
			in.add(t, func() { a().flip = true })
		}
	}
}

// misspell returns the person's name with a diacritics-only change, a
// typo, or another given name (a third each).
func (in *injector) misspell(p *person) string {
	m := in.m
	given := lastWord(p.name)
	for range 20 {
		var g string
		ok := false
		switch m.r.IntN(3) {
		case 0:
			g, ok = toggleVowelMark(given, m.r.IntN(4))
		case 1:
			g, ok = typo(m.r, given)
		default:
			g = m.names.givenName(m.r, p.female)
			ok = normalize.Fold(g) != normalize.Fold(given)
		}
		if ok {
			return withGiven(p.name, g)
		}
	}
	return withGiven(p.name, given+"h")
}

// wrongDate returns a different birth date: day and month swapped, another
// day, or the year moved by 1 to 3.
func (in *injector) wrongDate(d date) date {
	m := in.m
	for {
		switch m.r.IntN(3) {
		case 0:
			if d.d <= 12 && d.d != d.m {
				return date{d.y, d.d, d.m}
			}
		case 1:
			e := d
			e.d = uint8(1 + m.r.IntN(int(daysIn(d.y, d.m))))
			if e != d {
				return e
			}
		default:
			e := d
			e.y += int16(m.between(1, 3) * (1 - 2*m.r.IntN(2)))
			if e.d > daysIn(e.y, e.m) {
				e.d = daysIn(e.y, e.m)
			}
			return e
		}
	}
}

// idMismatch: a record of a person with a unique name and birth date whose
// id_number is their old CMND, a wrong ID, or missing.
func (in *injector) idMismatch(rule, sub string) {
	m := in.m
	for range in.count(rule, sub, len(m.tax)+len(m.ins)) {
		accts, k, src, ok := in.pickAccount(func(a *account, p *person) bool {
			// Without a usable ID the record is found by name and birth date:
			// the register must write the full date, or a namesake born the
			// same year with a partial date on the register fits as well.
			return !p.dead && a.status == stActive && in.unique(p) &&
				(sub != "OLD_ID" || p.oldID != "") && (sub == "OLD_ID" || p.prec == precFull) && len(p.id) == 12
		})
		if !ok {
			return
		}
		a := func() *account { return &(*accts)[k] }
		p := in.pt(a().owner)
		t := truthRow{Rule: rule, Subtype: sub, Source: src, SourceKey: a().code, PersonID: p.id}
		switch sub {
		case "OLD_ID":
			in.add(t, func() { a().idMode = idOld })
		case "WRONG_ID":
			var wrong string
			for {
				b := []byte(p.id)
				i := 6 + m.r.IntN(6)
				b[i] = byte('0' + (int(b[i]-'0')+1+m.r.IntN(9))%10)
				if wrong = string(b); !m.idTaken(wrong) && m.ownsSerial(wrong) {
					break
				}
			}
			m.claimID(wrong) // nobody else may get it
			in.add(t, func() { a().idMode, a().wrongID = idWrong, wrong })
		case "MISSING_ID":
			in.add(t, func() { a().idMode = idMissing })
		}
	}
}

// deceasedActive: a death registered for a living person, or an active
// record of a dead person.
func (in *injector) deceasedActive(rule, sub string) {
	m := in.m
	switch sub {
	case "CIVIL_DEATH":
		for range in.count(rule, sub, in.nBase) {
			v, ok := in.pick(in.nBase, func(i int32) bool {
				return in.freeAdult(i) && in.single(i) && in.pt(i).birth.age() >= 30
			})
			if !ok {
				return
			}
			in.use(v)
			e := m.addEvent(evDeath, m.dateBetween(date{2018, 1, 1}, date{refDate.y, 9, 1}), v, -1, -1, -1)
			m.events[e].omit, m.events[e].used = true, true
			in.add(truthRow{Rule: rule, Subtype: sub, Source: "civil", SourceKey: m.events[e].id, PersonID: in.pt(v).id},
				func() { m.events[e].omit = false })
		}
	case "TAX", "INSURANCE":
		accts := &m.tax
		if sub == "INSURANCE" {
			accts = &m.ins
		}
		list := *accts
		for range in.count(rule, sub, len(list)) {
			k, ok := in.pick(len(list), func(k int32) bool {
				a := &list[k]
				return !a.used && !a.omit && in.free(a.owner) && in.pt(a.owner).dead
			})
			if !ok {
				return
			}
			a := &list[k]
			a.used = true
			in.use(a.owner)
			in.add(truthRow{Rule: rule, Subtype: sub, Source: sourceName(sub), SourceKey: a.code, PersonID: in.pt(a.owner).id},
				func() { (*accts)[k].status = stActive })
		}
	}
}
