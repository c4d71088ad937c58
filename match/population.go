package match

import (
	"runtime"
	"slices"
	"sort"
	"sync"
	"unsafe"

	"github.com/doisanh/doisanh/normalize"
)

// Person is one normalised population row. It holds no Go pointers: its
// strings live in the Population's arena (or, for the one read only to
// write findings, in its cold file: BuilderOptions.Cold), so millions of rows
// cost the garbage collector nothing to scan. Its data row in the
// population file is Population.Row. Name, NameKey and RawName are stored
// once each in a Population: two of these Refs are equal exactly when their
// strings are, so they compare without reading the arena.
type Person struct {
	ID        Ref // person_id digits (canonical 12 digits when valid)
	OldID     Ref // old CMND digits
	Name      Ref // canonical display form
	NameKey   Ref // accent-free key
	RawName   Ref // as written
	RawBirth  Ref // as written; in the cold file when there is one
	SpouseID  Ref // spouse_id digits (canonical)
	Commune   Ref // 2025 commune code of residence; empty when unknown
	Household Ref
	Relation  Ref    // relation to the head of household, as written ("Vợ", "Chồng", ...)
	Village   Ref    // village part of the address (thôn, xóm, tổ ...), as written; "" when none
	BirthProv Ref    // province code of birth registration; empty when unknown
	FatherKey uint64 // hash of the father's ID, else of his name key; 0 when unknown
	MotherKey uint64
	Birth     normalize.Date
	Gender    normalize.Gender
	Status    normalize.Status
}

// PersonInput is a normalised population row before it is stored.
type PersonInput struct {
	Row                                                          int64
	ID, OldID, Name, NameKey, Given, Phonetic, RawName, RawBirth string
	SpouseID, Commune, Household, Relation, Village              string
	FatherKey, MotherKey                                         uint64
	Birth                                                        normalize.Date
	Gender                                                       normalize.Gender
	Status                                                       normalize.Status
	BirthProv                                                    string
}

// Population is the normalised residence register with its indexes.
// It is built once by a PopulationBuilder and then read concurrently.
type Population struct {
	People []Person
	arena  *Arena
	cold   *ColdFile // nil: every string is in arena
	rows   []rowStep // the data rows of People (Row)

	byID    *Index // hash(ID digits)
	byOldID *Index // hash(old ID digits)
	byName  *Index // hash(name key, birth year)
	byPhon  *Index // hash(phonetic key, birth year)
	byDate  *Index // hash(birth date, commune)
	byDup   *Index // hash(name key, birth year, gender): duplicate-person blocks

	// nameCount[row] is how many people share row's name key (by hash),
	// for term frequencies: a linked record's name agrees exactly with its
	// candidate's, so the count is read off the row already at hand.
	nameCount []int32
}

// Str returns the string behind a reference. A string in the cold file is
// read from it (one ReadAt); when that fails Str returns "" and the error
// is kept for Err.
func (p *Population) Str(r Ref) string {
	if r&coldBit != 0 {
		return p.cold.get(r)
	}
	return p.arena.Get(r)
}

// Err returns the first error storing the population's strings (more
// than an Arena holds) or writing or reading its cold file
// (BuilderOptions.Cold), nil when there was none. Strings read after an
// error may be "": check it before using them.
func (p *Population) Err() error {
	if err := p.arena.Err(); err != nil {
		return err
	}
	if p.cold == nil {
		return nil
	}
	return p.cold.Err()
}

// rowStep says that from People index from on, up to the next step, a
// person's data row is its index plus delta. Rows are added in file order
// with few gaps (rejected rows), so a handful of steps replace a column of
// data rows.
type rowStep struct {
	from  int32
	delta int64
}

// Row returns the data row of People[i] in the population file.
func (p *Population) Row(i int32) int64 {
	j := sort.Search(len(p.rows), func(k int) bool { return p.rows[k].from > i }) - 1
	return int64(i) + p.rows[j].delta
}

// Len is the number of people.
func (p *Population) Len() int { return len(p.People) }

// ByID returns the rows whose person_id digits are id.
func (p *Population) ByID(id string) []int32 {
	if id == "" {
		return nil
	}
	return p.filter(p.byID.Lookup(HashString(id)), func(q *Person) bool { return p.Str(q.ID) == id })
}

// ByOldID returns the rows whose old CMND digits are id.
func (p *Population) ByOldID(id string) []int32 {
	if id == "" {
		return nil
	}
	return p.filter(p.byOldID.Lookup(HashString(id)), func(q *Person) bool { return p.Str(q.OldID) == id })
}

// filter drops hash collisions; it allocates only when one is found.
func (p *Population) filter(rows []int32, keep func(*Person) bool) []int32 {
	for i, r := range rows {
		if !keep(&p.People[r]) {
			out := append([]int32(nil), rows[:i]...)
			for _, r := range rows[i+1:] {
				if keep(&p.People[r]) {
					out = append(out, r)
				}
			}
			return out
		}
	}
	return rows
}

// NameFrequency returns the share of people whose name key is the name
// key of row.
func (p *Population) NameFrequency(row int32) float64 {
	if len(p.People) == 0 {
		return 0
	}
	return float64(p.nameCount[row]) / float64(len(p.People))
}

// DuplicateBlocks calls fn for every group of two or more rows sharing a
// name key, a birth year and a gender, in a deterministic order.
func (p *Population) DuplicateBlocks(fn func(rows []int32)) {
	p.byDup.Groups(fn)
}

// DuplicateBlocksPart calls fn for the blocks of DuplicateBlocks in part
// of parts (Index.GroupsPart): the parts in order give all the blocks in
// DuplicateBlocks' order.
func (p *Population) DuplicateBlocksPart(part, parts int, fn func(rows []int32)) {
	p.byDup.GroupsPart(part, parts, fn)
}

// DuplicateBlock returns the rows whose name key is nameKey, born in year,
// of gender g: the block DuplicateBlocks would give them.
func (p *Population) DuplicateBlock(nameKey string, year int16, g normalize.Gender) []int32 {
	return p.filter(p.byDup.Lookup(dupKey(nameKey, year, g)), func(q *Person) bool {
		return q.Birth.Year == year && q.Gender == g && p.Str(q.NameKey) == nameKey
	})
}

// NameCount returns how many people share row's name key.
func (p *Population) NameCount(row int32) int { return int(p.nameCount[row]) }

// IDGroups calls fn for every person_id held by two or more rows.
func (p *Population) IDGroups(fn func(rows []int32)) {
	p.byID.Groups(fn)
}

// Block keys shared by the builder and the linker.
func nameYearKey(nameKey string, year int16) uint64 {
	return HashCombine(HashString(nameKey), uint64(uint16(year)))
}

func dateCommuneKey(d normalize.Date, commune string) uint64 {
	return HashCombine(HashString(commune), packDate(d))
}

func dupKey(nameKey string, year int16, g normalize.Gender) uint64 {
	return HashCombine(HashCombine(HashString(nameKey), uint64(uint16(year))), uint64(g))
}

func packDate(d normalize.Date) uint64 {
	return uint64(uint16(d.Year))<<24 | uint64(d.Month)<<16 | uint64(d.Day)<<8 | uint64(d.Precision)
}

// PopulationBuilder collects normalised rows, then builds the indexes.
type PopulationBuilder struct {
	people                                []Person
	arena                                 *Arena
	cold                                  *ColdFile
	rows                                  []rowStep
	byID, byOldID, byName, byPhon, byDate IndexBuilder
	byDup, nameFreq                       IndexBuilder
	serial                                bool // BuilderOptions.SerialIndexes
	grow                                  func(int) []Person
	indexed                               func(done, of int) // BuilderOptions.Indexed

	// shared holds the strings of columns with few distinct values
	// (commune codes, relations, villages) once each; household is the
	// last row's household, which the next row of a household repeats.
	shared    map[string]Ref
	household Ref
	names     dedup // names and name keys, stored once each
	// last holds, for each shared column, the last value and its Ref: the
	// members of a household, added one after the other, repeat their
	// commune, village and birth province, found without the map.
	last [4]lastShared
}

// lastShared is a shared column's last value, a copy in the arena.
type lastShared struct {
	s string
	r Ref
}

// The shared columns, indexes of PopulationBuilder.last.
const (
	sharedCommune = iota
	sharedRelation
	sharedVillage
	sharedBirthProv
)

// maxShared bounds the distinct strings a PopulationBuilder stores once:
// past it, new values are stored with each row.
const maxShared = 1 << 16

// BuilderOptions configures a PopulationBuilder.
type BuilderOptions struct {
	// Cold, when set, receives the strings read only to write findings
	// (the birth date as written) instead of the arena; the Population
	// reads them back from it. The caller closes it after the
	// Population's last use.
	Cold *ColdFile
	// SerialIndexes, when set, has Build sort one index at a time rather
	// than one per core: the run is then bounded by memory, and each index
	// sorted needs twice its final memory besides the pairs not yet sorted.
	SerialIndexes bool
	// People, when its capacity is not 0, is where the builder stores the
	// people (from its first element; its length is ignored), memory the
	// caller provides outside the Go heap such as a mapped file
	// (PeopleIn). The caller keeps that memory valid for the Population's
	// whole use.
	People []Person
	// Grow, when set, is called when People is full with the capacity
	// wanted (a quarter more); it returns memory of that capacity or more
	// (length 0) to which the builder moves the people and where it goes
	// on, and which becomes the Population's: the memory before is no
	// longer used. It returns nil when it has none, and the people then
	// continue on the Go heap (all of them moved there), as they do
	// without Grow.
	Grow func(capacity int) []Person
	// Indexed, when set, is called by Build each time one of its indexes
	// is sorted, with how many are and of how many, one call at a time.
	Indexed func(done, of int)
}

// PersonSize is the bytes one Person takes.
const PersonSize = int(unsafe.Sizeof(Person{}))

// PeopleIn returns the people b holds room for, as a slice of length 0
// sharing b's memory (BuilderOptions.People): len(b)/PersonSize of them.
// b must be aligned for a Person (memory from mmap is: it starts on a
// page).
func PeopleIn(b []byte) []Person {
	n := len(b) / PersonSize
	if n == 0 {
		return nil
	}
	if uintptr(unsafe.Pointer(unsafe.SliceData(b)))%unsafe.Alignof(Person{}) != 0 {
		panic("match: PeopleIn: memory not aligned for a Person")
	}
	return unsafe.Slice((*Person)(unsafe.Pointer(unsafe.SliceData(b))), n)[:0]
}

// NewPopulationBuilder returns a builder expecting about n rows, which
// keeps every string in memory.
func NewPopulationBuilder(n int) *PopulationBuilder {
	return NewPopulationBuilderWith(n, BuilderOptions{})
}

// NewPopulationBuilderWith returns a builder expecting about n rows.
func NewPopulationBuilderWith(n int, opt BuilderOptions) *PopulationBuilder {
	people := opt.People[:0]
	if cap(people) == 0 {
		people = make([]Person, 0, n)
	}
	b := &PopulationBuilder{people: people, arena: new(Arena), cold: opt.Cold, shared: map[string]Ref{},
		serial: opt.SerialIndexes, indexed: opt.Indexed}
	if cap(opt.People) > 0 {
		b.grow = opt.Grow // the heap grows by itself
	}
	// Nearly every row has an ID, a name and a birth date; old IDs are fewer.
	for _, ix := range []*IndexBuilder{&b.byID, &b.nameFreq, &b.byName, &b.byPhon, &b.byDup, &b.byDate} {
		ix.Grow(n)
	}
	return b
}

// Add stores one row. A string equal to one stored before may share its
// bytes: the name as written when it is the display form, the household
// of the row before, the values of columns with few distinct ones.
func (b *PopulationBuilder) Add(in *PersonInput) {
	row := int32(len(b.people))
	a := b.arena
	name := b.names.add(a, in.Name)
	rawName := name
	if in.RawName != in.Name {
		// Not cold: rules.KeyOwners.Add compares it with every linked
		// tax and insurance record's name.
		rawName = b.names.add(a, in.RawName)
	}
	if in.Household != a.Get(b.household) {
		b.household = a.Add(in.Household)
	}
	if d := in.Row - int64(row); len(b.rows) == 0 || b.rows[len(b.rows)-1].delta != d {
		b.rows = append(b.rows, rowStep{row, d})
	}
	if len(b.people) == cap(b.people) && b.grow != nil {
		b.growPeople()
	}
	b.people = append(b.people, Person{
		ID: a.Add(in.ID), OldID: a.Add(in.OldID), Name: name,
		NameKey: b.names.add(a, in.NameKey), RawName: rawName, RawBirth: b.addCold(in.RawBirth),
		SpouseID: a.Add(in.SpouseID), Commune: b.share(sharedCommune, in.Commune), Household: b.household,
		Relation: b.share(sharedRelation, in.Relation), Village: b.share(sharedVillage, in.Village),
		FatherKey: in.FatherKey, MotherKey: in.MotherKey, Birth: in.Birth, Gender: in.Gender,
		Status: in.Status, BirthProv: b.share(sharedBirthProv, in.BirthProv),
	})
	if in.ID != "" {
		b.byID.Add(HashString(in.ID), row)
	}
	if in.OldID != "" {
		b.byOldID.Add(HashString(in.OldID), row)
	}
	if in.NameKey == "" {
		return
	}
	b.nameFreq.Add(HashString(in.NameKey), row)
	if in.Birth.Precision != normalize.PrecisionNone {
		b.byName.Add(nameYearKey(in.NameKey, in.Birth.Year), row)
		if in.Phonetic != "" {
			b.byPhon.Add(nameYearKey(in.Phonetic, in.Birth.Year), row)
		}
	}
	if in.Birth.Precision != normalize.PrecisionNone {
		b.byDup.Add(dupKey(in.NameKey, in.Birth.Year, in.Gender), row)
	}
	if in.Birth.Precision == normalize.PrecisionDay && in.Commune != "" {
		b.byDate.Add(dateCommuneKey(in.Birth, in.Commune), row)
	}
}

// growPeople moves the people to the memory BuilderOptions.Grow gives,
// or leaves them where they are (append will move them to the heap) when
// it gives none; then it is not asked again.
func (b *PopulationBuilder) growPeople() {
	more := b.grow(cap(b.people) + max(cap(b.people)/4, 1))
	if cap(more) <= cap(b.people) {
		b.grow = nil
		return
	}
	b.people = append(more[:0], b.people...)
}

// addCold stores a string read only to write findings: in the cold file
// when there is one.
func (b *PopulationBuilder) addCold(s string) Ref {
	if b.cold != nil {
		return b.cold.add(s)
	}
	return b.arena.Add(s)
}

// share stores s, a value of shared column col, once for all rows, up to
// maxShared distinct strings.
func (b *PopulationBuilder) share(col int, s string) Ref {
	if s == "" {
		return 0
	}
	last := &b.last[col]
	if s == last.s {
		return last.r
	}
	r, ok := b.shared[s]
	if !ok {
		r = b.arena.Add(s)
		if len(b.shared) >= maxShared {
			return r // stored with its row, and not remembered
		}
		b.shared[b.arena.Get(r)] = r // keyed by the arena's copy, not s
	}
	*last = lastShared{b.arena.Get(r), r}
	return r
}

// dedup stores equal strings once in an arena: an open-addressing table
// of the Refs stored so far, placed by the strings' hashes and compared in
// the arena, 8 to 16 bytes per distinct string (people share names: a
// register's distinct names are a fraction of its rows). The zero dedup is
// empty and ready to use.
type dedup struct {
	slots []Ref // 0: empty; the length is 0 or a power of two
	n     int   // slots in use
}

// add returns the Ref of s in a, storing it when it is not there yet.
func (d *dedup) add(a *Arena, s string) Ref {
	if s == "" {
		return 0
	}
	if 2*(d.n+1) > len(d.slots) {
		d.grow(a)
	}
	mask := uint64(len(d.slots) - 1)
	for i := HashString(s) & mask; ; i = (i + 1) & mask {
		r := d.slots[i]
		if r == 0 {
			r = a.Add(s)
			if r != 0 { // 0: the arena is full, its Err says so
				d.slots[i] = r
				d.n++
			}
			return r
		}
		if a.Get(r) == s {
			return r
		}
	}
}

// grow doubles the table (1024 slots at first) and places the Refs again.
func (d *dedup) grow(a *Arena) {
	old := d.slots
	d.slots = make([]Ref, max(1024, 2*len(old)))
	mask := uint64(len(d.slots) - 1)
	for _, r := range old {
		if r == 0 {
			continue
		}
		i := HashString(a.Get(r)) & mask
		for d.slots[i] != 0 {
			i = (i + 1) & mask
		}
		d.slots[i] = r
	}
}

// Build returns the finished population; the builder must not be used after.
// The indexes are sorted side by side, one per core at a time (each needs
// twice its final memory while it is sorted), or one after the other with
// BuilderOptions.SerialIndexes. An error writing the cold file is the
// Population's Err.
func (b *PopulationBuilder) Build() *Population {
	if b.cold != nil {
		b.cold.finish()
	}
	p := &Population{People: b.people, arena: b.arena, cold: b.cold, rows: slices.Clip(b.rows)}
	b.shared, b.names = nil, dedup{}
	var nameFreq *Index
	var wg sync.WaitGroup
	slots := make(chan struct{}, runtime.GOMAXPROCS(0))
	if b.serial {
		slots = make(chan struct{}, 1)
	}
	jobs := []struct {
		dst **Index
		src *IndexBuilder
	}{{&p.byID, &b.byID}, {&p.byOldID, &b.byOldID}, {&p.byName, &b.byName}, {&p.byPhon, &b.byPhon},
		{&p.byDate, &b.byDate}, {&p.byDup, &b.byDup}, {&nameFreq, &b.nameFreq}}
	var mu sync.Mutex
	done := 0
	for _, job := range jobs {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			*job.dst = job.src.Build()
			if b.indexed != nil {
				mu.Lock()
				done++
				b.indexed(done, len(jobs))
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	p.nameCount = make([]int32, len(p.People))
	nameFreq.Each(func(rows []int32) {
		for _, r := range rows {
			p.nameCount[r] = int32(len(rows))
		}
	})
	return p
}
