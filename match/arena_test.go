package match

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestArena(t *testing.T) {
	tests := []struct {
		name string
		in   []string
	}{
		{"empty arena", nil},
		{"empty strings", []string{"", "", ""}},
		{"vietnamese", []string{"Nguyễn Văn Hùng", "", "Xã Nghi Phong", "079201001234"}},
		{"fills a chunk exactly", []string{strings.Repeat("a", chunkSize-3), "bcd", "e"}},
		{"straddles a chunk", []string{strings.Repeat("a", chunkSize-3), "bcdef", "g"}},
		{"chunk-sized", []string{"x", strings.Repeat("b", chunkSize), "y"}},
		{"larger than a chunk", []string{"x", strings.Repeat("c", 2*chunkSize+5), "y", strings.Repeat("d", 3*chunkSize), "z"}},
		{"longest", []string{"x", strings.Repeat("m", MaxStringLen), "y"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a Arena
			refs := make([]Ref, len(tt.in))
			var total int64
			for i, s := range tt.in {
				refs[i] = a.Add(s)
				total += int64(len(s))
			}
			for i, s := range tt.in {
				if got := a.Get(refs[i]); got != s {
					t.Errorf("Get(Add(s%d)) has length %d, want %d (%.20q)", i, len(got), len(s), got)
				}
			}
			if a.Len() != total {
				t.Errorf("Len() = %d, want %d", a.Len(), total)
			}
			if a.Cap() < total {
				t.Errorf("Cap() = %d < Len() %d", a.Cap(), total)
			}
		})
	}
}

func TestArenaRandom(t *testing.T) {
	var a Arena
	rng := rand.New(rand.NewPCG(3, 4))
	const n = 300000
	want := make([]string, n)
	refs := make([]Ref, n)
	for i := range want {
		b := make([]byte, rng.IntN(40))
		for j := range b {
			b[j] = byte('a' + rng.IntN(26))
		}
		want[i] = string(b)
		if i%2 == 0 {
			refs[i] = a.Add(want[i])
		} else {
			refs[i] = a.AddBytes(b)
		}
	}
	for i := range want {
		if got := a.Get(refs[i]); got != want[i] {
			t.Fatalf("row %d: got %q, want %q", i, got, want[i])
		}
	}
	var records int64
	for _, s := range want {
		if s != "" {
			records += int64(recordLen(len(s)))
		}
	}
	if waste := a.Cap() - records; waste > records/100+chunkSize {
		t.Errorf("arena wastes %d bytes for %d bytes of records (%d of strings)", waste, records, a.Len())
	}
	if allocs := testing.AllocsPerRun(100, func() { _ = a.Get(refs[7]) }); allocs != 0 {
		t.Errorf("Get allocates %v times", allocs)
	}
}

func TestArenaZeroRef(t *testing.T) {
	var a Arena
	if got := a.Get(0); got != "" {
		t.Errorf("Get(0) on an empty arena = %q", got)
	}
	a.Add("abc")
	if got := a.Get(0); got != "" {
		t.Errorf("Get(0) = %q, want empty", got)
	}
}

func TestArenaTooLong(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Add of a string longer than MaxStringLen did not panic")
		}
	}()
	var a Arena
	a.Add(strings.Repeat("x", MaxStringLen+1))
}

// TestArenaFull: past its limit an arena stores nothing more and says so
// in Err; what it stored before stays readable.
func TestArenaFull(t *testing.T) {
	a := Arena{limit: 2 * chunkSize}
	var refs []Ref
	var want []string
	for i := 0; a.Err() == nil; i++ {
		s := strings.Repeat(string(rune('a'+i%26)), 1000+i%7)
		r := a.Add(s)
		if a.Err() != nil {
			if r != 0 {
				t.Errorf("Add past the limit returned %d, want the zero Ref", r)
			}
			break
		}
		refs, want = append(refs, r), append(want, s)
	}
	if len(refs) < 2*chunkSize/1010-3 {
		t.Errorf("only %d strings stored before the arena was full", len(refs))
	}
	if err := a.Err(); err == nil || !strings.Contains(err.Error(), "2 MiB") {
		t.Errorf("Err() = %v, want one naming the limit", err)
	}
	if r := a.Add("x"); r != 0 {
		t.Errorf("Add after the error returned %d, want 0", r)
	}
	for i, r := range refs {
		if got := a.Get(r); got != want[i] {
			t.Fatalf("string %d: %.20q, want %.20q", i, got, want[i])
		}
	}
}

// TestDedup: equal strings get one Ref and are stored once, across the
// table's growth; different ones keep their own.
func TestDedup(t *testing.T) {
	tests := []struct {
		name     string
		distinct int
		rows     int
	}{
		{"empty", 0, 0},
		{"one name", 1, 100},
		{"few", 40, 5000},
		{"grows many times", 30000, 90000},
		{"all distinct", 5000, 5000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a Arena
			var d dedup
			rng := rand.New(rand.NewPCG(5, 6))
			refs := map[string]Ref{}
			var bytes int64
			for i := range tt.rows {
				k := i
				if i >= tt.distinct {
					k = rng.IntN(tt.distinct)
				}
				s := fmt.Sprintf("Nguyễn Văn %d", k)
				r := d.add(&a, s)
				if got := a.Get(r); got != s {
					t.Fatalf("row %d: Get = %q, want %q", i, got, s)
				}
				if prev, ok := refs[s]; ok && prev != r {
					t.Fatalf("row %d: %q got Ref %d, before %d", i, s, r, prev)
				}
				if _, ok := refs[s]; !ok {
					bytes += int64(len(s))
				}
				refs[s] = r
			}
			if d.add(&a, "") != 0 {
				t.Error(`add("") is not the zero Ref`)
			}
			if len(refs) != tt.distinct || d.n != tt.distinct {
				t.Errorf("%d distinct strings, table holds %d, want %d", len(refs), d.n, tt.distinct)
			}
			if a.Len() != bytes {
				t.Errorf("arena holds %d bytes, want %d (each distinct string once)", a.Len(), bytes)
			}
		})
	}
}
