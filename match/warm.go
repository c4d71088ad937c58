package match

// WarmBatch is the most records a Linker.Warm call reads ahead for: what
// it fetches for so many (a few cache lines each) stays in the
// processor's caches until Link reads it.
const WarmBatch = 256

// Warm reads ahead what Link reads first for the records at(0) to
// at(n-1), n at most WarmBatch (more are not read ahead): for a record
// with an ID, its entries in the ID index, the people they point to and
// those people's ID, name key and commune, name count and repeat mark.
// Link gives the same result with or without Warm.
//
// A register is far larger than the caches, so nearly every one of those
// reads misses, and Link, a record at a time, waits for each in turn:
// index directory, then fingerprints, then person, then strings. Warm
// takes one step for every record before the next step, so that the
// processor has the reads of many records in flight at once (the
// technique of vectorised hash joins). BenchmarkLinkWarm measures it.
func (l *Linker) Warm(n int, at func(i int) *Record) {
	n = min(n, WarmBatch)
	var (
		keys  [WarmBatch]uint64
		idx   [WarmBatch]*Index
		slots [WarmBatch]int32 // a bucket, then a person's row; -1: none
		sum   uint32           // what was read, so that the reads are not dropped
	)
	// 1. The directory entry of each ID's bucket.
	for i := range n {
		r := at(i)
		slots[i] = -1
		switch {
		case r.ID == "":
			continue
		case r.IDKind == IDPersonal:
			idx[i] = l.pop.byID
		case r.IDKind == IDOld:
			idx[i] = l.pop.byOldID
		default:
			continue
		}
		ix := idx[i]
		if ix == nil || len(ix.dir) == 0 {
			continue
		}
		keys[i] = HashString(r.ID)
		b := int32(mix(keys[i]) >> ix.shift)
		slots[i] = b
		sum += ix.dir[b]
	}
	// 2. The bucket's first fingerprint and row.
	for i := range n {
		if b := slots[i]; b >= 0 {
			ix := idx[i]
			if lo := ix.dir[b]; int(lo) < len(ix.fps) {
				sum += ix.fps[lo] + uint32(ix.rows[lo])
			}
		}
	}
	// 3. The person the ID names (the first, when it names several).
	for i := range n {
		if slots[i] < 0 {
			continue
		}
		slots[i] = -1
		if rows := idx[i].Lookup(keys[i]); len(rows) > 0 {
			row := rows[0]
			slots[i] = row
			p := &l.pop.People[row]
			sum += uint32(p.ID) + uint32(p.Gender)
		}
	}
	// 4. That person's strings and marks.
	l.warmPeople(slots[:n], true)
	l.warmed.Add(sum)
}

// warmPeople reads ahead what Compare and candidate read of the people at
// rows (up to WarmBatch of them; a row < 0 is none): the person, its ID,
// name key and commune, its name count and repeat mark. Unless
// touched, the people themselves are read first, all of them, then their
// strings.
func (l *Linker) warmPeople(rows []int32, touched bool) {
	people := l.pop.People
	var sum uint32
	if !touched {
		for _, row := range rows {
			if row >= 0 && int(row) < len(people) {
				p := &people[row]
				sum += uint32(p.ID) + uint32(p.Gender)
			}
		}
	}
	a := l.pop.arena
	for _, row := range rows {
		if row < 0 || int(row) >= len(people) {
			continue
		}
		p := &people[row]
		sum += a.peek(p.ID) + a.peek(p.NameKey) + a.peek(p.Commune)
		if int(row) < len(l.pop.nameCount) {
			sum += uint32(l.pop.nameCount[row])
		}
		if int(row) < len(l.repeat) && l.repeat[row] {
			sum++
		}
	}
	l.warmed.Add(sum)
}
