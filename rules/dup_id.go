package rules

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/doisanh/doisanh/match"
	"github.com/doisanh/doisanh/normalize"
	"github.com/doisanh/doisanh/record"
)

// dupIDCheck is DUP_ID: a person_id held by several people on the register
// (dupIDPopulation), then a tax code and an insurance code used by several
// people (dupIDSource).
type dupIDCheck struct{}

var _ CrossRule = dupIDCheck{}

func (dupIDCheck) Info() Info { return dupIDRule }

func (dupIDCheck) CheckCross(c *Checker, l *Linked, out []record.Finding) []record.Finding {
	// The three groupings read apart (the register's ID index, each
	// source's owners): side by side, their findings in this order.
	var tax, insurance []record.Finding
	var wg sync.WaitGroup
	wg.Go(func() { tax = c.dupIDSource(record.Tax, &l.TaxOwners, nil) })
	wg.Go(func() { insurance = c.dupIDSource(record.Insurance, &l.InsuranceOwners, nil) })
	out = c.dupIDPopulation(out)
	wg.Wait()
	return append(append(out, tax...), insurance...)
}

// dupIDPopulation reports every person_id held by two or more population
// rows that are not the same person (DUP_ID/POPULATION), once per number.
// Rows with the same name and birth date under one ID are one person
// entered twice, not a shared number. When the number's digits (province,
// century and gender, birth year) fit exactly one holder, the number was
// issued to that holder and copied to the others: the finding is filed on
// a holder it does not fit, with the correction "issue this person a new
// number" naming the rightful holder. Otherwise the digits cannot
// tell who is wrong and the finding is on the first row, listing all.
func (c *Checker) dupIDPopulation(out []record.Finding) []record.Finding {
	pop := c.Pop
	repeat := c.repeats()
	c.Pop.IDGroups(func(rows []int32) {
		h := c.holders(rows, repeat)
		if len(h.rows) < 2 {
			return
		}
		first := &pop.People[h.rows[0]]
		id := pop.Str(first.ID)
		var names []string
		distinct := false
		for _, r := range h.rows {
			p := &pop.People[r]
			if pop.Str(p.NameKey) != pop.Str(first.NameKey) || normalize.CompareDates(p.Birth, first.Birth) == normalize.DatesDiffer {
				distinct = true
			}
			names = append(names, pop.Str(p.RawName)+" ("+pop.Str(p.RawBirth)+")")
		}
		if !distinct {
			return
		}
		f := finding(DupID, "POPULATION")
		f.Source = record.Population.String()
		f.SourceKey = id
		f.Field = "person_id"
		f.PopulationValue = strings.Join(names, "; ")
		if owner := h.owner(); owner >= 0 {
			var wrong []int32
			for _, r := range h.rows {
				if r != owner {
					wrong = append(wrong, r)
				}
			}
			// The rightful holder has the same number: they are named in
			// the suggestion, related_person_id would only repeat it.
			c.aboutPerson(&f, wrong[0])
			f.Suggestion = c.reissue(id, owner, wrong)
		} else {
			c.aboutPerson(&f, h.rows[0])
		}
		out = append(out, f)
	})
	return out
}

// reissue is the correction of a number issued to owner and copied to the
// rows wrong: "Số định danh 0xx… khớp với Trần Văn Nam, sinh 1996, Nam:
// cấp số định danh mới cho Lê Thị Hoa (sinh 1990, Nữ)".
func (c *Checker) reissue(id string, owner int32, wrong []int32) string {
	pop := c.Pop
	who := func(r int32) string {
		p := &pop.People[r]
		s := pop.Str(p.RawName)
		if p.Birth.Precision != normalize.PrecisionNone {
			s += ", sinh " + strconv.Itoa(int(p.Birth.Year))
		}
		if g := p.Gender.String(); g != "" {
			s += ", " + g
		}
		return s
	}
	s := "Số định danh " + id + " khớp với " + who(owner) + ": cấp số định danh mới cho "
	for i, r := range wrong {
		if i > 0 {
			s += "; "
		}
		s += who(r)
	}
	return s
}

// KeyOwner is one tax or insurance record's code with whom it belongs to,
// kept to find codes used by several people.
type KeyOwner struct {
	Key     string // tax_code or insurance_code
	Person  int32  // linked population row; -1 when unlinked
	NameKey string // accent-free name, for unlinked records
	Birth   normalize.Date
	Name    string // as written
	Commune string // 2025 commune code of the record
}

// KeyOwners collects the KeyOwner of every record of one source. It copies
// their strings into an arena, so the owners of millions of records hold no
// pointers for the garbage collector to scan and keep none of the input's
// buffers alive. The zero KeyOwners is empty and ready to use; Add must not
// be called concurrently. Spilled (Spill), it writes the owners to
// partition files instead and holds only their buffers (owners_spill.go).
type KeyOwners struct {
	strs   match.Arena
	owners []keyOwner
	// pop, when set (Share), holds the names of linked owners that are
	// written as on the register: they are read off it, not copied.
	pop *match.Population
	// communes are the communes of the unlinked owners, by ascending
	// owner: few records link to nobody, so they are kept apart.
	communes []ownerCommune
	// spilled, when set, is where Add writes the owners (Spill); err is
	// the first error of writing or reading them.
	spilled *ownersSpill
	err     error
	// hash, when set, replaces match.HashString for grouping and
	// partitioning codes (tests force collisions with it).
	hash func(string) uint64
}

// keyOwner is a KeyOwner with its strings in the arena (40 bytes).
type keyOwner struct {
	key, nameKey, name match.Ref
	person             int32
	birth              normalize.Date
	onRegister         uint8 // ownName, ownNameKey: the string is the person's on pop
}

// Bits of keyOwner.onRegister.
const (
	ownName    = 1 << iota // name is the person's RawName
	ownNameKey             // nameKey is the person's NameKey
)

// ownerCommune is the commune of unlinked owner i.
type ownerCommune struct {
	i       int32
	commune match.Ref
}

// Grow makes room for n more owners (nothing when spilled).
func (o *KeyOwners) Grow(n int) {
	if o.spilled == nil {
		o.owners = slices.Grow(o.owners, n)
	}
}

// Len returns the number of owners added.
func (o *KeyOwners) Len() int {
	if o.spilled != nil {
		return int(o.spilled.added)
	}
	return len(o.owners)
}

// hashOf is the hash of a code that groups and partitions use.
func (o *KeyOwners) hashOf(key string) uint64 {
	if o.hash != nil {
		return o.hash(key)
	}
	return match.HashString(key)
}

// Share lets Add keep the name and name key of a record linked to a
// person of pop as a reference to the person's when they are equal (as
// most are), instead of a copy. Owners' Person rows must then be rows of
// pop. Call it before the first Add.
func (o *KeyOwners) Share(pop *match.Population) { o.pop = pop }

// Add records one owner. The commune is kept only for unlinked records: a
// linked record is placed by its person.
func (o *KeyOwners) Add(k KeyOwner) { o.AddShared(k, o.Shared(&k)) }

// Shared says which of a KeyOwner's strings are its person's on the
// register the KeyOwners shares (KeyOwners.Shared).
type Shared uint8

// Shared returns which of k's strings are its person's on the shared
// register, so that they are not stored twice. It only reads the
// register, and may be called from any number of goroutines once Share
// has been: a worker that has just linked k's record finds its person in
// cache, where Add, later and one record at a time, would read it again.
func (o *KeyOwners) Shared(k *KeyOwner) Shared { return Shared(o.onRegister(k)) }

// AddShared is Add of k, with s = o.Shared(&k) worked out beforehand.
func (o *KeyOwners) AddShared(k KeyOwner, s Shared) {
	if o.spilled != nil {
		o.spill(&k, uint8(s))
		return
	}
	ko := keyOwner{key: o.strs.Add(k.Key), person: k.Person, birth: k.Birth, onRegister: uint8(s)}
	if ko.onRegister&ownName == 0 {
		ko.name = o.strs.Add(k.Name)
	}
	if ko.onRegister&ownNameKey == 0 {
		ko.nameKey = o.strs.Add(k.NameKey)
	}
	if k.Person < 0 && k.Commune != "" {
		o.communes = append(o.communes, ownerCommune{int32(len(o.owners)), o.strs.Add(k.Commune)})
	}
	o.owners = append(o.owners, ko)
}

// onRegister returns the ownName and ownNameKey bits of k: which of its
// strings are its person's on the shared population.
func (o *KeyOwners) onRegister(k *KeyOwner) uint8 {
	var bits uint8
	if o.pop != nil && k.Person >= 0 {
		p := &o.pop.People[k.Person]
		if k.Name == o.pop.Str(p.RawName) {
			bits |= ownName
		}
		if k.NameKey == o.pop.Str(p.NameKey) {
			bits |= ownNameKey
		}
	}
	return bits
}

// at returns owner i.
func (o *KeyOwners) at(i int32) KeyOwner {
	ko := &o.owners[i]
	var commune match.Ref
	if ko.person < 0 {
		if j, ok := slices.BinarySearchFunc(o.communes, i, func(c ownerCommune, i int32) int { return cmp.Compare(c.i, i) }); ok {
			commune = o.communes[j].commune
		}
	}
	k := KeyOwner{Key: o.strs.Get(ko.key), Person: ko.person, NameKey: o.strs.Get(ko.nameKey), Birth: ko.birth,
		Name: o.strs.Get(ko.name), Commune: o.strs.Get(commune)}
	if ko.onRegister != 0 {
		p := &o.pop.People[ko.person]
		if ko.onRegister&ownName != 0 {
			k.Name = o.pop.Str(p.RawName)
		}
		if ko.onRegister&ownNameKey != 0 {
			k.NameKey = o.pop.Str(p.NameKey)
		}
	}
	return k
}

// groups calls fn with the owners of every code held by two or more
// records, in the order they were added; the groups come in the order of
// the hash of their code, then of their first owner. Spilled owners are
// read back partition by partition, in the same order, and can be grouped
// only once; an error reading them stops the grouping and is kept (Err).
func (o *KeyOwners) groups(fn func(group []KeyOwner)) {
	if o.spilled != nil {
		o.spilledGroups(fn)
		return
	}
	type entry struct {
		hash uint64
		i    int32
	}
	byHash := make([]entry, len(o.owners))
	for i := range o.owners {
		byHash[i] = entry{o.hashOf(o.strs.Get(o.owners[i].key)), int32(i)}
	}
	slices.SortFunc(byHash, func(a, b entry) int { return cmp.Or(cmp.Compare(a.hash, b.hash), cmp.Compare(a.i, b.i)) })
	var group []KeyOwner
	for i := 0; i < len(byHash); {
		j := i + 1
		for j < len(byHash) && byHash[j].hash == byHash[i].hash {
			j++
		}
		if j-i > 1 {
			// Equal hashes: split by the key itself, in case of a collision.
			run := byHash[i:j]
			for len(run) > 0 {
				group = group[:0]
				key := o.strs.Get(o.owners[run[0].i].key)
				rest := run[:0]
				for _, e := range run {
					if o.strs.Get(o.owners[e.i].key) == key {
						group = append(group, o.at(e.i))
					} else {
						rest = append(rest, e)
					}
				}
				if len(group) > 1 {
					fn(group)
				}
				run = rest
			}
		}
		i = j
	}
}

// dupIDSource reports tax codes (or insurance codes) that appear on records
// of two or more different people (DUP_ID/TAX, DUP_ID/INSURANCE).
func (c *Checker) dupIDSource(src record.Source, owners *KeyOwners, out []record.Finding) []record.Finding {
	owners.groups(func(group []KeyOwner) {
		if !severalPeople(group) {
			return
		}
		f := finding(DupID, strings.ToUpper(src.String()))
		f.Source = src.String()
		f.SourceKey = group[0].Key
		names := make([]string, len(group))
		for k, o := range group {
			names[k] = o.Name
		}
		f.SourceValue = strings.Join(names, "; ")
		if group[0].Person >= 0 {
			c.aboutPerson(&f, group[0].Person)
		} else {
			f.FullName = group[0].Name
			c.place(&f, group[0].Commune)
		}
		for _, o := range group[1:] {
			if o.Person >= 0 && o.Person != group[0].Person {
				f.RelatedPersonID = c.Pop.Str(c.Pop.People[o.Person].ID)
				break
			}
		}
		out = append(out, f)
	})
	return out
}

// severalPeople reports whether records sharing a code belong to different
// people: linked to different rows, or, unlinked, with different names or
// birth dates.
func severalPeople(group []KeyOwner) bool {
	a := group[0]
	for _, b := range group[1:] {
		if a.Person >= 0 && b.Person >= 0 {
			if a.Person != b.Person {
				return true
			}
			continue
		}
		if a.NameKey != b.NameKey || normalize.CompareDates(a.Birth, b.Birth) == normalize.DatesDiffer {
			return true
		}
	}
	return false
}

// dupIDRule is DupID in the catalogue: its label, severity and, per subtype,
// what the officer is asked to do.
var dupIDRule = Info{DupID, "Trùng số định danh", "one person_id on two or more population rows that are not the same person; one tax/insurance code used by several people", High, []Subtype{
	{"POPULATION", "Trùng số định danh trên CSDLQG về dân cư", "Đề nghị xác minh nhân thân các công dân dùng chung số định danh, hủy và cấp lại số cho người cấp sai"},
	{"TAX", "Một mã số thuế dùng cho nhiều người", "Đề nghị phối hợp cơ quan thuế xác minh người sử dụng mã số thuế"},
	{"INSURANCE", "Một mã số BHXH dùng cho nhiều người", "Đề nghị phối hợp cơ quan BHXH xác minh người sử dụng mã số BHXH"},
}}
