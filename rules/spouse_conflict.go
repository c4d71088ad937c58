package rules

import (
	"cmp"
	"slices"
	"strings"

	"github.com/doisanh/doisanh/match"
	"github.com/doisanh/doisanh/normalize"
	"github.com/doisanh/doisanh/record"
)

// Marriage is a marriage or divorce event of the civil register, linked to
// the population.
type Marriage struct {
	EventID string
	Date    normalize.Date
	Row     int64 // order in the civil file, to break date ties
	Divorce bool
	A, B    int32 // linked population rows of the two spouses; -1 when unlinked
}

// spouseConflictCheck checks every spouse link on the register and against the
// marriage register (SPOUSE_CONFLICT):
//   - SELF: a person is recorded as their own spouse;
//   - NOT_FOUND: the spouse's number belongs to nobody on the register;
//   - OLD_ID: the spouse is recorded by an old CMND that belongs to a person
//     who has a personal ID (the link is followed, then checked as usual);
//   - MULTIPLE: one person is named as spouse by two or more living people
//     (reported once, on the person named);
//   - NOT_RECIPROCAL: A names B, B is alive and names someone else or nobody;
//   - CIVIL_MARRIAGE: a person's latest marriage on the civil register, not
//     ended by a later divorce, names a living partner other than the spouse
//     on the register.
//
// One wrong spouse_id is one finding, on the row that carries it; what it
// causes elsewhere is context on that finding, never a finding of its own:
//   - a partner who names a SELF or NOT_FOUND row correctly gets no
//     NOT_RECIPROCAL; the SELF/NOT_FOUND finding names them as the likely
//     spouse (related_person_id) and gives their number as the correction;
//   - when A names C, C does not name A, and B, recorded as A's wife or
//     husband in A's household, names A, A's spouse_id is the wrong one: A
//     gets one NOT_RECIPROCAL whose correction is B's number, B gets none,
//     and A's claim does not count towards a MULTIPLE on C.
//
// Rows that repeat an earlier row (same person_id, name and birth date: a
// file given twice) are one person: only the first is checked or named.
// Rows of dead people are not checked as claimants: a widow's late husband
// still naming her is history, not a conflict.
type spouseConflictCheck struct{}

var _ CrossRule = spouseConflictCheck{}

func (spouseConflictCheck) Info() Info { return spouseConflictRule }

func (spouseConflictCheck) CheckCross(c *Checker, l *Linked, out []record.Finding) []record.Finding {
	return c.spouseConflict(l.Marriages, out)
}

// spouseConflict is SPOUSE_CONFLICT over the register and marriages.
func (c *Checker) spouseConflict(marriages []Marriage, out []record.Finding) []record.Finding {
	pop := c.Pop
	n := pop.Len()
	repeat := c.repeats()
	spouse := make([]int32, n) // resolved spouse row, -1 none
	claims := make([]int32, n) // living people naming this row
	broken := map[int32]int{}  // SELF or NOT_FOUND row → index of its finding in out
	// Each living row's spouse_id is looked up on every core (the ID
	// indexes' cache misses are most of the rule's time), then the
	// findings are made in row order.
	old := make([]bool, n) // found by the old (CMND) number
	eachPart(n, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			spouse[i], old[i] = c.resolveSpouse(int32(i), repeat)
		}
	})
	for i, target := range spouse {
		row := int32(i)
		switch target {
		case spouseNone:
		case spouseSelf, spouseNotFound:
			subtype := "SELF"
			if target == spouseNotFound {
				subtype = "NOT_FOUND"
			}
			broken[row] = len(out)
			out = append(out, c.spouseFinding(subtype, row, -1, pop.Str(pop.People[i].SpouseID)))
			spouse[i] = spouseNone
		default:
			if old[i] {
				out = append(out, c.spouseFinding("OLD_ID", row, target, pop.Str(pop.People[i].SpouseID)))
			}
			claims[target]++
		}
	}
	// fix[a] = b: a's spouse_id is wrong and b, a's spouse by the
	// household, names a (see above).
	fix := map[int32]int32{}
	for i := range pop.People {
		b := int32(i)
		a := spouse[b]
		if a < 0 || spouse[a] == b || pop.People[a].Status == normalize.StatusDead || !c.householdCouple(a, b) {
			continue
		}
		if x := spouse[a]; x >= 0 && spouse[x] != a && pop.People[x].Status != normalize.StatusDead && !c.householdCouple(a, x) {
			if _, dup := fix[a]; !dup {
				fix[a] = b
				claims[x]-- // a's claim on x is the error, not a rival claim
			}
		}
	}
	for i := range pop.People {
		row := int32(i)
		if claims[row] >= 2 {
			f := finding(SpouseConflict, "MULTIPLE")
			f.Source = record.Population.String()
			c.aboutPerson(&f, row)
			f.SourceKey = f.PersonID
			f.Field = "spouse_id"
			out = append(out, f)
		}
	}
	for i := range pop.People {
		a := int32(i)
		b := spouse[a]
		if b < 0 || spouse[b] == a {
			continue
		}
		if right, ok := fix[a]; ok {
			f := c.spouseFinding("NOT_RECIPROCAL", a, b, pop.Str(pop.People[a].SpouseID))
			c.likelySpouse(&f, a, right)
			out = append(out, f)
			continue
		}
		if claims[b] >= 2 || pop.People[b].Status == normalize.StatusDead {
			continue
		}
		if k, ok := broken[b]; ok {
			c.likelySpouse(&out[k], b, a)
			continue
		}
		if r, ok := fix[b]; ok && r == a {
			continue // b's spouse_id is the wrong one; b's finding says so
		}
		out = append(out, c.spouseFinding("NOT_RECIPROCAL", a, b, pop.Str(pop.People[a].SpouseID)))
	}
	return c.civilMarriage(marriages, spouse, out)
}

// likelySpouse adds to f, a finding on row's spouse_id, the correction
// that other, who names row as spouse, gives: other's number, and whether
// the household records them as a couple.
func (c *Checker) likelySpouse(f *record.Finding, row, other int32) {
	pop := c.Pop
	o := &pop.People[other]
	id := pop.Str(o.ID)
	f.RelatedPersonID = id
	f.SourceValue = id + " " + pop.Str(o.RawName)
	if c.householdCouple(row, other) {
		f.Suggestion += ": số định danh vợ/chồng đúng là " + id + " (" + pop.Str(o.RawName) + ", ghi là " +
			strings.ToLower(pop.Str(o.Relation)) + " trong cùng hộ)"
	} else {
		f.Suggestion += ": số định danh vợ/chồng có thể là " + id + " (" + pop.Str(o.RawName) +
			", người này ghi công dân là vợ/chồng)"
	}
}

// householdCouple reports whether rows a and b are recorded as a couple in
// one household: same household, one of them the head (chủ hộ) and the
// other the head's wife or husband.
func (c *Checker) householdCouple(a, b int32) bool {
	pop := c.Pop
	pa, pb := &pop.People[a], &pop.People[b]
	h := pop.Str(pa.Household)
	if h == "" || h != pop.Str(pb.Household) {
		return false
	}
	ra, rb := relationOf(pop.Str(pa.Relation)), relationOf(pop.Str(pb.Relation))
	return ra == relHead && rb == relSpouse || ra == relSpouse && rb == relHead
}

// Relations to the head of household that the spouse rule uses.
const (
	relOther = iota
	relHead
	relSpouse
)

// relationOf classifies a relation as written ("Chủ hộ", "Vợ", "CHONG",
// "vợ/chồng").
func relationOf(s string) int {
	switch normalize.Fold(strings.TrimSpace(s)) {
	case "chu ho", "chuho", "chu", "head":
		return relHead
	case "vo", "chong", "vo/chong", "vo chong", "wife", "husband", "spouse":
		return relSpouse
	}
	return relOther
}

// Outcomes of resolveSpouse other than a row.
const (
	spouseNone     = -1 // no spouse_id, or the claimant is dead or repeats an earlier row
	spouseSelf     = -2 // spouse_id is the row's own ID
	spouseNotFound = -3 // no register row holds spouse_id
)

// resolveSpouse returns the register row that row's spouse_id names, or
// one of the outcomes above, and whether it was found by the old number.
func (c *Checker) resolveSpouse(row int32, repeat []bool) (int32, bool) {
	pop := c.Pop
	p := &pop.People[row]
	sid := pop.Str(p.SpouseID)
	if sid == "" || p.Status == normalize.StatusDead || repeat[row] {
		return spouseNone, false
	}
	if sid == pop.Str(p.ID) {
		return spouseSelf, false
	}
	rows := firstRows(pop.ByID(sid), repeat)
	old := false
	if len(rows) == 0 && len(sid) == 9 {
		rows, old = firstRows(pop.ByOldID(sid), repeat), true
	}
	if len(rows) == 0 {
		return spouseNotFound, false
	}
	return c.pickSpouse(p, rows), old
}

// firstRows drops the rows that repeat an earlier row.
func firstRows(rows []int32, repeat []bool) []int32 {
	for i, r := range rows {
		if repeat[r] {
			out := append([]int32(nil), rows[:i]...)
			for _, r := range rows[i+1:] {
				if !repeat[r] {
					out = append(out, r)
				}
			}
			return out
		}
	}
	return rows
}

// civilMarriage compares each person's latest marriage event with the
// register's spouse.
func (c *Checker) civilMarriage(ms []Marriage, spouse []int32, out []record.Finding) []record.Finding {
	pop := c.Pop
	latest := make(map[int32]int, len(ms)) // person row → index in ms of the latest event
	order := func(i, j int) int {
		return cmp.Or(cmp.Compare(ms[i].Date.Year, ms[j].Date.Year), cmp.Compare(ms[i].Date.Month, ms[j].Date.Month),
			cmp.Compare(ms[i].Date.Day, ms[j].Date.Day), cmp.Compare(ms[i].Row, ms[j].Row))
	}
	for i, m := range ms {
		for _, p := range [2]int32{m.A, m.B} {
			if p < 0 {
				continue
			}
			if j, ok := latest[p]; !ok || order(i, j) > 0 {
				latest[p] = i
			}
		}
	}
	people := make([]int32, 0, len(latest))
	for p := range latest {
		people = append(people, p)
	}
	slices.Sort(people)
	for _, a := range people {
		m := ms[latest[a]]
		if m.Divorce || m.A < 0 || m.B < 0 {
			continue
		}
		partner := m.B
		if partner == a {
			partner = m.A
		}
		if pop.People[a].Status == normalize.StatusDead || pop.People[partner].Status == normalize.StatusDead {
			continue
		}
		if s := spouse[a]; s >= 0 && s != partner {
			f := finding(SpouseConflict, "CIVIL_MARRIAGE")
			f.Source = record.Civil.String()
			f.SourceKey = m.EventID
			c.aboutPerson(&f, a)
			f.RelatedPersonID = pop.Str(pop.People[partner].ID)
			f.Field = "spouse_id"
			f.PopulationValue = pop.Str(pop.People[s].ID) + " " + pop.Str(pop.People[s].RawName)
			f.SourceValue = f.RelatedPersonID + " " + pop.Str(pop.People[partner].RawName)
			out = append(out, f)
		}
	}
	return out
}

func (c *Checker) spouseFinding(subtype string, row, related int32, written string) record.Finding {
	f := finding(SpouseConflict, subtype)
	f.Source = record.Population.String()
	c.aboutPerson(&f, row)
	f.SourceKey = f.PersonID
	f.Field = "spouse_id"
	f.PopulationValue = written
	if related >= 0 {
		f.RelatedPersonID = c.Pop.Str(c.Pop.People[related].ID)
	}
	return f
}

// pickSpouse chooses, among the rows holding a spouse's number (several when
// the number is shared: DUP_ID), the one that names the claimant back, else
// one of the other sex, else the first.
func (c *Checker) pickSpouse(claimant *match.Person, rows []int32) int32 {
	if len(rows) == 1 {
		return rows[0]
	}
	pop := c.Pop
	id := pop.Str(claimant.ID)
	for _, r := range rows {
		if pop.Str(pop.People[r].SpouseID) == id {
			return r
		}
	}
	for _, r := range rows {
		if pop.People[r].Gender != claimant.Gender {
			return r
		}
	}
	return rows[0]
}

// spouseConflictRule is SpouseConflict in the catalogue: its label, severity and, per subtype,
// what the officer is asked to do.
var spouseConflictRule = Info{SpouseConflict, "Lệch thông tin vợ/chồng", "spouse links that cannot all be true", Medium, []Subtype{
	{"NOT_RECIPROCAL", "Quan hệ vợ/chồng không hai chiều", "Đề nghị xác minh tình trạng hôn nhân, cập nhật thông tin vợ/chồng ở cả hai công dân"},
	{"MULTIPLE", "Một người là vợ/chồng của nhiều người", "Đề nghị xác minh tình trạng hôn nhân của các công dân liên quan"},
	{"NOT_FOUND", "Số định danh vợ/chồng không có trên CSDLQG", "Đề nghị xác minh, cập nhật số định danh của vợ/chồng"},
	{"SELF", "Vợ/chồng trùng chính công dân", "Đề nghị xác minh, cập nhật số định danh của vợ/chồng"},
	{"OLD_ID", "Vợ/chồng ghi theo số CMND cũ", "Đề nghị cập nhật số định danh cá nhân (CCCD) của vợ/chồng thay cho số CMND"},
	{"CIVIL_MARRIAGE", "Lệch với sổ đăng ký kết hôn", "Đề nghị đối chiếu với cơ sở dữ liệu hộ tịch, cập nhật thông tin vợ/chồng"},
}}
