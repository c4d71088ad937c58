package rules

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/doisanh/doisanh/admin"
	"github.com/doisanh/doisanh/internal/spill"
	"github.com/doisanh/doisanh/match"
	"github.com/doisanh/doisanh/normalize"
	"github.com/doisanh/doisanh/record"
)

// spillPopulation is a register of n people for owners to link to.
func spillPopulation(n int) *match.Population {
	b := match.NewPopulationBuilder(n)
	for i := range n {
		name := fmt.Sprintf("Nguyễn Văn %c%d", 'A'+i%26, i)
		b.Add(&match.PersonInput{Row: int64(i + 1), ID: fmt.Sprintf("0400900%05d", i), Name: name, RawName: name,
			NameKey: strings.ToLower(fmt.Sprintf("nguyen van %c%d", 'a'+i%26, i))})
	}
	return b.Build()
}

// randomOwners draws n owners of codes out of a space of codes (so that
// many repeat): linked to a person of pop, written as on the register or
// not, or unlinked, with a commune or none.
func randomOwners(pop *match.Population, n, codes int, seed uint64) []KeyOwner {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := make([]KeyOwner, n)
	for i := range out {
		k := KeyOwner{Key: fmt.Sprintf("%c80%07d", 'A'+rng.IntN(20), rng.IntN(codes)), Person: -1,
			Birth: normalize.Date{Year: int16(1950 + rng.IntN(60)), Month: uint8(1 + rng.IntN(12)), Day: uint8(1 + rng.IntN(28)),
				Precision: normalize.PrecisionDay}}
		switch rng.IntN(4) {
		case 0, 1: // linked, as written on the register
			k.Person = int32(rng.IntN(pop.Len()))
			p := &pop.People[k.Person]
			k.Name, k.NameKey = pop.Str(p.RawName), pop.Str(p.NameKey)
		case 2: // linked, written otherwise
			k.Person = int32(rng.IntN(pop.Len()))
			k.Name, k.NameKey = fmt.Sprint("NGUYỄN VĂN ", i), pop.Str(pop.People[k.Person].NameKey)
		default: // unlinked
			k.Name, k.NameKey = fmt.Sprint("Lê Thị ", i%7), fmt.Sprint("le thi ", i%7)
			if rng.IntN(3) > 0 {
				k.Commune = fmt.Sprintf("250%02d", rng.IntN(50))
			}
		}
		if rng.IntN(10) == 0 {
			k.Birth = normalize.Date{}
		}
		out[i] = k
	}
	return out
}

// collectGroups returns the groups of o, in the order groups gives them.
func collectGroups(o *KeyOwners) [][]KeyOwner {
	var out [][]KeyOwner
	o.groups(func(g []KeyOwner) { out = append(out, slices.Clone(g)) })
	return out
}

// arrowFiles lists the .arrow files of dir.
func arrowFiles(t *testing.T, dir *spill.Dir) []string {
	t.Helper()
	m, err := filepath.Glob(dir.File("*.arrow"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestSpilledGroupsEqualMemory: owners written to partition files and read
// back give the groups of the same owners kept in memory, in the same
// order, whatever the partitions (few or many) and with codes whose hashes
// collide; every partition file is removed once read.
func TestSpilledGroupsEqualMemory(t *testing.T) {
	pop := spillPopulation(400)
	firstChar := func(s string) uint64 { return match.HashString(s[:1]) } // 20 hashes for thousands of codes
	tests := []struct {
		name   string
		owners []KeyOwner
		rows   int64 // rows expected (Spill)
		hash   func(string) uint64
		parts  int
	}{
		{"none", nil, 0, nil, 256},
		{"one code twice", []KeyOwner{{Key: "T1", Person: 3, Name: "x"}, {Key: "T1", Person: -1, Name: "y", Commune: "25009"}}, 2, nil, 16},
		{"repeated codes, 16 partitions", randomOwners(pop, 5000, 2000, 1), 5000, nil, 16},
		{"repeated codes, 256 partitions", randomOwners(pop, 5000, 2000, 2), 0, nil, 256},
		{"colliding hashes", randomOwners(pop, 3000, 500, 3), 3000, firstChar, 16},
		{"one hash for all", randomOwners(pop, 500, 100, 4), 500, func(string) uint64 { return 1 << 62 }, 16},
		{"more owners than expected", randomOwners(pop, 20000, 9000, 5), 10, nil, 16},
	}
	c := NewChecker(NewPlaces(admin.Default(), "40"), pop)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := OwnerPartitions(tt.rows); got != tt.parts {
				t.Fatalf("OwnerPartitions(%d) = %d, want %d", tt.rows, got, tt.parts)
			}
			dir, err := spill.Create(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			mem := KeyOwners{hash: tt.hash}
			disk := KeyOwners{hash: tt.hash}
			mem.Share(pop)
			disk.Share(pop)
			if err := disk.Spill(dir, "owners-tax", tt.rows); err != nil {
				t.Fatal(err)
			}
			if n := len(arrowFiles(t, dir)); n != tt.parts {
				t.Fatalf("%d partition files, want %d", n, tt.parts)
			}
			for _, k := range tt.owners {
				mem.Add(k)
				disk.Add(k)
			}
			if disk.Len() != len(tt.owners) {
				t.Errorf("Len = %d, want %d", disk.Len(), len(tt.owners))
			}
			if err := disk.Close(); err != nil {
				t.Fatal(err)
			}
			if len(tt.owners) > 0 && dir.Measure() == 0 {
				t.Error("nothing written to the partition files")
			}
			want, got := collectGroups(&mem), collectGroups(&disk)
			if err := disk.Err(); err != nil {
				t.Fatal(err)
			}
			if len(tt.owners) > 2 && len(want) < 10 {
				t.Fatalf("only %d groups: the case tests little", len(want))
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("spilled: %d groups, in memory %d; first differing:", len(got), len(want))
				for i := range min(len(got), len(want)) {
					if !reflect.DeepEqual(got[i], want[i]) {
						t.Errorf("group %d: spilled %+v\nin memory %+v", i, got[i], want[i])
						break
					}
				}
			}
			if left := arrowFiles(t, dir); len(left) > 0 {
				t.Errorf("partition files left after grouping: %v", left)
			}
			// The findings too (a second grouping of the in-memory owners).
			disk2 := KeyOwners{hash: tt.hash}
			disk2.Share(pop)
			if err := disk2.Spill(dir, "owners-insurance", tt.rows); err != nil {
				t.Fatal(err)
			}
			for _, k := range tt.owners {
				disk2.Add(k)
			}
			wantF := c.dupIDSource(record.Insurance, &mem, nil)
			gotF := c.dupIDSource(record.Insurance, &disk2, nil)
			if err := disk2.Err(); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(gotF, wantF) {
				t.Errorf("spilled findings differ: %d, in memory %d", len(gotF), len(wantF))
			}
		})
	}
}

// TestOwnerPartitions: a partition holds at most 1/16 of the owners and,
// past 16 partitions, about ownersPerPartition, up to 256 partitions.
func TestOwnerPartitions(t *testing.T) {
	for _, tt := range []struct {
		rows int64
		want int
	}{
		{-1, 256}, {0, 256}, {1, 16}, {16 << 16, 16}, {16<<16 + 1, 32}, {1_000_000, 16}, {4_000_000, 64},
		{10_000_000, 256}, {19_000_000, 256},
	} {
		if got := OwnerPartitions(tt.rows); got != tt.want {
			t.Errorf("OwnerPartitions(%d) = %d, want %d", tt.rows, got, tt.want)
		}
	}
}

// spilledOwners writes owners to partitions of a new spill directory.
func spilledOwners(t *testing.T, pop *match.Population, owners []KeyOwner) (*KeyOwners, *spill.Dir) {
	t.Helper()
	dir, err := spill.Create(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var o KeyOwners
	o.Share(pop)
	if err := o.Spill(dir, "owners-tax", int64(len(owners))); err != nil {
		t.Fatal(err)
	}
	for _, k := range owners {
		o.Add(k)
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	return &o, dir
}

// TestSpilledOwnersErrors: a partition file that cannot be created,
// written or read is an error naming it, kept by Err, never a panic or
// groups silently lost.
func TestSpilledOwnersErrors(t *testing.T) {
	pop := spillPopulation(50)
	owners := randomOwners(pop, 2000, 300, 7)
	part := func(dir *spill.Dir, i int) string { return dir.File(fmt.Sprintf("owners-tax-%03d.arrow", i)) }
	damage := []struct {
		name   string
		damage func(t *testing.T, path string)
		want   string // in the error, besides the path
	}{
		{"removed", func(t *testing.T, path string) { os.Remove(path) }, "no such file"},
		{"emptied", func(t *testing.T, path string) { os.Truncate(path, 0) }, ""},
		{"cut short", func(t *testing.T, path string) {
			st, _ := os.Stat(path)
			os.Truncate(path, st.Size()/2)
		}, ""},
		{"another stream of owners", func(t *testing.T, path string) {
			// A well-formed stream of the schema, without the rows written.
			w, err := spill.CreateIPC(path, ownersSchema, spill.IPCOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
		}, "changed since it was written"},
		{"garbage", func(t *testing.T, path string) { os.WriteFile(path, []byte(strings.Repeat("doisanh ", 100)), 0o600) }, ""},
		{"another partition's file", func(t *testing.T, path string) {
			b, err := os.ReadFile(strings.Replace(path, "-003.", "-004.", 1))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(path, b, 0o600)
		}, ""},
	}
	for _, tt := range damage {
		t.Run(tt.name, func(t *testing.T) {
			o, dir := spilledOwners(t, pop, owners)
			path := part(dir, 3)
			tt.damage(t, path)
			n := 0
			o.groups(func([]KeyOwner) { n++ })
			err := o.Err()
			if err == nil {
				t.Fatalf("no error, %d groups", n)
			}
			if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not name %s (and %q)", err, path, tt.want)
			}
			if left := arrowFiles(t, dir); len(left) > 0 {
				t.Errorf("partition files left after the error: %v", left)
			}
		})
	}

	// What the file cannot tell: the codes' partitions and the person rows
	// are checked as they are read back.
	t.Run("code in another partition", func(t *testing.T) {
		o, dir := spilledOwners(t, pop, owners)
		o.hash = func(s string) uint64 { return match.HashString(s + "x") }
		collectGroups(o)
		if err := o.Err(); err == nil || !strings.Contains(err.Error(), "another partition") ||
			!strings.Contains(err.Error(), dir.Path()) {
			t.Errorf("Err = %v, want a code in another partition of a file of %s", err, dir.Path())
		}
	})
	t.Run("person out of range", func(t *testing.T) {
		o, _ := spilledOwners(t, pop, owners)
		o.pop = spillPopulation(3)
		collectGroups(o)
		if err := o.Err(); err == nil || !strings.Contains(err.Error(), "out of range") {
			t.Errorf("Err = %v, want a person row out of range", err)
		}
	})

	t.Run("cannot create", func(t *testing.T) {
		dir, err := spill.Create(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Mkdir(part(dir, 5), 0o700); err != nil { // a directory where the file goes
			t.Fatal(err)
		}
		var o KeyOwners
		err = o.Spill(dir, "owners-tax", 10)
		if err == nil || !strings.Contains(err.Error(), part(dir, 5)) {
			t.Fatalf("Spill = %v, want an error naming %s", err, part(dir, 5))
		}
		if left := arrowFiles(t, dir); len(left) != 1 { // the directory in the way
			t.Errorf("files left after the failed Spill: %v", left)
		}
	})

	t.Run("cannot write", func(t *testing.T) {
		if _, err := os.Stat("/dev/full"); err != nil {
			t.Skip("no /dev/full to fill")
		}
		dir, err := spill.Create(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		// Partition 0 is a full disk: writing it fails with ENOSPC.
		if err := os.Symlink("/dev/full", part(dir, 0)); err != nil {
			t.Fatal(err)
		}
		var o KeyOwners
		if err := o.Spill(dir, "owners-tax", 10); err != nil {
			t.Fatal(err)
		}
		for _, k := range randomOwners(pop, 100_000, 50_000, 8) {
			o.Add(k)
		}
		err = o.Close()
		if err == nil || !strings.Contains(err.Error(), part(dir, 0)) || o.Err() != err {
			t.Fatalf("Close = %v (Err %v), want an error naming %s", err, o.Err(), part(dir, 0))
		}
		n := 0
		o.groups(func([]KeyOwner) { n++ })
		if n != 0 || o.Err() != err {
			t.Errorf("grouped %d after a write error (Err %v)", n, o.Err())
		}
	})

	t.Run("grouped twice", func(t *testing.T) {
		o, _ := spilledOwners(t, pop, owners)
		collectGroups(o)
		if err := o.Err(); err != nil {
			t.Fatal(err)
		}
		if g := collectGroups(o); len(g) != 0 || o.Err() == nil {
			t.Errorf("second grouping: %d groups, error %v", len(g), o.Err())
		}
	})

	t.Run("reset removes the files", func(t *testing.T) {
		o, dir := spilledOwners(t, pop, owners)
		o.Reset()
		if left := arrowFiles(t, dir); len(left) > 0 || o.Spilled() || o.Len() != 0 {
			t.Errorf("after Reset: files %v, spilled %v, %d owners", left, o.Spilled(), o.Len())
		}
	})
}

// clone gives the owner strings of its own: a finding made from a spilled
// partition's group must not keep the partition's arena alive.
func TestKeyOwnerClone(t *testing.T) {
	arena := []byte("8001234567Nguyen Van AnNguyễn Văn An40001")
	str := func(i, j int) string { return unsafe.String(&arena[i], j-i) }
	k := KeyOwner{Key: str(0, 10), NameKey: str(10, 23), Name: str(23, 36), Commune: str(36, 41), Person: 7}
	want := k
	k.clone()
	if k != want {
		t.Fatalf("clone changed the owner: %+v, want %+v", k, want)
	}
	start, end := uintptr(unsafe.Pointer(&arena[0])), uintptr(unsafe.Pointer(&arena[len(arena)-1]))
	for _, s := range []string{k.Key, k.NameKey, k.Name, k.Commune} {
		if p := uintptr(unsafe.Pointer(unsafe.StringData(s))); p >= start && p <= end {
			t.Errorf("%q still points into the original bytes", s)
		}
	}
	empty := KeyOwner{Key: str(0, 10)}
	empty.clone()
	if empty.Key != "8001234567" || empty.Name != "" || empty.Commune != "" {
		t.Errorf("clone of an owner with empty strings = %+v", empty)
	}
}
