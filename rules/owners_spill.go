package rules

import (
	"bytes"
	"errors"
	"fmt"
	"math/bits"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/doisanh/doisanh/internal/spill"
	"github.com/doisanh/doisanh/match"
	"github.com/doisanh/doisanh/normalize"
)

// The spilled form of KeyOwners: during linking the owners of one source
// go to partition files (Arrow IPC streams) by the hash of their code, so
// that memory holds only a bounded buffer per partition; DUP_ID then reads
// one partition at a time back into an in-memory KeyOwners and groups it.
//
// A partition is a range of the hash's values (its top bits), not a
// remainder: partition i holds codes whose hashes all sort before those of
// partition i+1, so grouping the partitions in turn calls fn with the very
// groups, in the very order, of the owners grouped in memory.
const (
	// ownersPerPartition is the owners one partition is sized for: about
	// 5 MB once read back (40 bytes an owner, ~25 of strings, 16 of
	// grouping).
	ownersPerPartition = 1 << 16
	// minPartitions keeps a partition at most 1/16 of the source, however
	// small; maxPartitions bounds the open files (two sources at once) and
	// the buffers: 256 partitions of 65,536 owners hold 16 M records.
	minPartitions = 16
	maxPartitions = 256
	// bufferedOwners bounds the owners waiting in all partitions' buffers
	// together (~4 MB): a partition writes a batch every
	// bufferedOwners/partitions owners, between minFlush and maxFlush.
	bufferedOwners = 1 << 16
	minFlush       = 256
	maxFlush       = spill.DefaultFlushRows
)

// OwnerPartitions is the number of partition files Spill makes for about
// rows owners (rows <= 0: not known, the most): the power of two that
// keeps a partition near ownersPerPartition owners, between minPartitions
// and maxPartitions.
func OwnerPartitions(rows int64) int {
	if rows <= 0 {
		return maxPartitions
	}
	p := minPartitions
	for p < maxPartitions && int64(p)*ownersPerPartition < rows {
		p *= 2
	}
	return p
}

// ownersSchema is the schema of a partition file: one row an owner, in the
// order they were added. name and name_key are empty when on_register
// says they are the person's (ownName, ownNameKey); commune is kept for
// unlinked owners only.
var ownersSchema = arrow.NewSchema([]arrow.Field{
	{Name: "key", Type: arrow.BinaryTypes.String},
	{Name: "person", Type: arrow.PrimitiveTypes.Int32},
	{Name: "name", Type: arrow.BinaryTypes.String},
	{Name: "name_key", Type: arrow.BinaryTypes.String},
	{Name: "birth_year", Type: arrow.PrimitiveTypes.Int16},
	{Name: "birth_month", Type: arrow.PrimitiveTypes.Uint8},
	{Name: "birth_day", Type: arrow.PrimitiveTypes.Uint8},
	{Name: "birth_precision", Type: arrow.PrimitiveTypes.Uint8},
	{Name: "on_register", Type: arrow.PrimitiveTypes.Uint8},
	{Name: "commune", Type: arrow.BinaryTypes.String},
}, nil)

// Columns of ownersSchema.
const (
	colKey = iota
	colPerson
	colName
	colNameKey
	colBirthYear
	colBirthMonth
	colBirthDay
	colBirthPrecision
	colOnRegister
	colCommune
)

// ownersSpill is the partition files of spilled owners.
type ownersSpill struct {
	parts  []*spill.IPCWriter // nil once read back (or dropped)
	shift  uint               // the partition of hash h is h >> shift
	buf    bytes.Buffer       // shared by the writers: one batch encoded at a time
	added  int64
	closed bool
	read   bool // grouped: the files are gone
}

// Spill makes Add write the owners to partition files in dir, named
// name-000.arrow, ..., instead of keeping them: OwnerPartitions(rows)
// of them, rows being the owners expected. Call it before the first Add
// (and after Share, which still decides what need not be written). Add
// then keeps the first error of writing, which Close and Err return;
// Close must be called once the last owner is added. Groups reads the
// partitions back one at a time and removes each file once used.
func (o *KeyOwners) Spill(dir *spill.Dir, name string, rows int64) error {
	if o.spilled != nil || len(o.owners) > 0 {
		return errors.New("rules: KeyOwners.Spill after Add")
	}
	n := OwnerPartitions(rows)
	s := &ownersSpill{shift: uint(64 - bits.TrailingZeros(uint(n)))}
	opts := spill.IPCOptions{FlushRows: min(max(bufferedOwners/n, minFlush), maxFlush), Buffer: &s.buf}
	for i := range n {
		w, err := spill.CreateIPC(dir.File(fmt.Sprintf("%s-%03d.arrow", name, i)), ownersSchema, opts)
		if err != nil {
			for _, w := range s.parts {
				w.Remove()
			}
			return err
		}
		s.parts = append(s.parts, w)
	}
	o.spilled = s
	return nil
}

// Spilled reports whether the owners go to partition files (Spill).
func (o *KeyOwners) Spilled() bool { return o.spilled != nil }

// partition returns the partition of a code.
func (s *ownersSpill) partition(h uint64) int { return int(h >> s.shift) }

// spill writes owner k to its partition.
func (o *KeyOwners) spill(k *KeyOwner, on uint8) {
	s := o.spilled
	if o.err != nil {
		return
	}
	if s.closed {
		o.err = errors.New("rules: KeyOwners.Add after Close")
		return
	}
	s.added++
	w := s.parts[s.partition(o.hashOf(k.Key))]
	b := w.Builder()
	b.Field(colKey).(*array.StringBuilder).Append(k.Key)
	b.Field(colPerson).(*array.Int32Builder).Append(k.Person)
	name, nameKey, commune := k.Name, k.NameKey, ""
	if on&ownName != 0 {
		name = ""
	}
	if on&ownNameKey != 0 {
		nameKey = ""
	}
	if k.Person < 0 {
		commune = k.Commune
	}
	b.Field(colName).(*array.StringBuilder).Append(name)
	b.Field(colNameKey).(*array.StringBuilder).Append(nameKey)
	b.Field(colBirthYear).(*array.Int16Builder).Append(k.Birth.Year)
	b.Field(colBirthMonth).(*array.Uint8Builder).Append(k.Birth.Month)
	b.Field(colBirthDay).(*array.Uint8Builder).Append(k.Birth.Day)
	b.Field(colBirthPrecision).(*array.Uint8Builder).Append(uint8(k.Birth.Precision))
	b.Field(colOnRegister).(*array.Uint8Builder).Append(on)
	b.Field(colCommune).(*array.StringBuilder).Append(commune)
	if err := w.EndRow(); err != nil {
		o.err = err
	}
}

// Close writes what the partitions still buffer and closes their files
// (nothing when not spilled). It returns the first error of writing the
// owners, if any, as Err does afterwards.
func (o *KeyOwners) Close() error {
	s := o.spilled
	if s == nil || s.closed {
		return o.err
	}
	s.closed = true
	for _, w := range s.parts {
		if err := w.Close(); err != nil && o.err == nil {
			o.err = err
		}
	}
	return o.err
}

// Err returns the first error of writing or reading spilled owners, or of
// storing the owners' strings in memory (more than a match.Arena holds):
// the findings of DUP_ID on them are then incomplete, and the run must fail
// with it.
func (o *KeyOwners) Err() error {
	if o.err != nil {
		return o.err
	}
	return o.strs.Err()
}

// Reset empties o, closing and removing its partition files if spilled.
func (o *KeyOwners) Reset() {
	if s := o.spilled; s != nil {
		for _, w := range s.parts {
			w.Remove()
		}
	}
	*o = KeyOwners{}
}

// spilledGroups is groups of spilled owners: each partition in turn is
// read into an in-memory KeyOwners (sharing the population as o does),
// its file removed, and grouped.
func (o *KeyOwners) spilledGroups(fn func(group []KeyOwner)) {
	s := o.spilled
	if err := o.Close(); err != nil {
		return
	}
	if s.read {
		o.err = errors.New("rules: spilled KeyOwners grouped twice")
		return
	}
	s.read = true
	defer func() {
		for _, w := range s.parts {
			w.Remove()
		}
		s.parts = nil
	}()
	for i, w := range s.parts {
		part := KeyOwners{pop: o.pop, hash: o.hash}
		part.Grow(int(w.Rows()))
		if err := w.ReadBack(func(rec arrow.RecordBatch) error { return part.addBatch(rec, s, i) }); err != nil {
			o.err = err
			return
		}
		if err := w.Remove(); err != nil {
			o.err = err
			return
		}
		// The partition's arena goes with it: a finding made from a group
		// must not keep it alive (by the last partition, every partition's
		// arena would be: 580 MiB at 14 M people), so fn gets copies.
		part.groups(func(group []KeyOwner) {
			for k := range group {
				group[k].clone()
			}
			fn(group)
		})
	}
}

// clone copies the owner's strings out of whatever holds them, in one
// allocation.
func (k *KeyOwner) clone() {
	var b strings.Builder
	b.Grow(len(k.Key) + len(k.NameKey) + len(k.Name) + len(k.Commune))
	for _, s := range [...]string{k.Key, k.NameKey, k.Name, k.Commune} {
		b.WriteString(s)
	}
	all := b.String()
	for _, s := range [...]*string{&k.Key, &k.NameKey, &k.Name, &k.Commune} {
		*s, all = all[:len(*s)], all[len(*s):]
	}
}

// addBatch adds the owners of one record batch of partition i, checking
// what would otherwise be trusted: the person rows, the strings' lengths,
// and that each code belongs in the partition.
func (o *KeyOwners) addBatch(rec arrow.RecordBatch, s *ownersSpill, i int) error {
	str := func(c int) *array.String { return rec.Column(c).(*array.String) }
	u8 := func(c int) []uint8 { return rec.Column(c).(*array.Uint8).Uint8Values() }
	keys, names, nameKeys, communes := str(colKey), str(colName), str(colNameKey), str(colCommune)
	persons := rec.Column(colPerson).(*array.Int32).Int32Values()
	years := rec.Column(colBirthYear).(*array.Int16).Int16Values()
	months, days, precisions, on := u8(colBirthMonth), u8(colBirthDay), u8(colBirthPrecision), u8(colOnRegister)
	for r := range int(rec.NumRows()) {
		k := KeyOwner{Key: keys.Value(r), Person: persons[r], Name: names.Value(r), NameKey: nameKeys.Value(r),
			Birth:   normalize.Date{Year: years[r], Month: months[r], Day: days[r], Precision: normalize.Precision(precisions[r])},
			Commune: communes.Value(r)}
		for _, s := range [...]string{k.Key, k.Name, k.NameKey, k.Commune} {
			if len(s) > match.MaxStringLen {
				return fmt.Errorf("owner %d: a string of %d bytes", r, len(s))
			}
		}
		if s.partition(o.hashOf(k.Key)) != i {
			return fmt.Errorf("owner %d: code %q belongs to another partition", r, k.Key)
		}
		if k.Person >= 0 && (o.pop == nil || int(k.Person) >= o.pop.Len()) {
			return fmt.Errorf("owner %d: person row %d out of range", r, k.Person)
		}
		if on[r] != 0 {
			if k.Person < 0 || o.pop == nil {
				return fmt.Errorf("owner %d: names on the register of no person", r)
			}
			p := &o.pop.People[k.Person]
			if on[r]&ownName != 0 {
				k.Name = o.pop.Str(p.RawName)
			}
			if on[r]&ownNameKey != 0 {
				k.NameKey = o.pop.Str(p.NameKey)
			}
		}
		o.Add(k)
	}
	return nil
}
