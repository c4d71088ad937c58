package match

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"
)

// The expected values are XXH64 with seed 0 from the reference
// implementation; they must never change, since finding ids depend on them.
func TestHashStringReference(t *testing.T) {
	tests := []struct {
		in   string
		want uint64
	}{
		{"", 0xef46db3751d8e999},
		{"a", 0xd24ec4f1a98c6e5b},
		{"abc", 0x44bc2cf5ad770999},
		{"079201001234", 0xa5e2c8601b07f02e},
		{"Nguyễn Văn Hùng", 0x87824ae9343a7cfa},
		{"0123456789abcdef0123456789abcdef", 0x642a94958e71e6c5},
		{"Xã Nghi Phong, huyện Nghi Lộc, tỉnh Nghệ An, Việt Nam", 0x12d9ac595eaeb884},
	}
	for _, tt := range tests {
		if got := HashString(tt.in); got != tt.want {
			t.Errorf("HashString(%q) = %#016x, want %#016x", tt.in, got, tt.want)
		}
		if got := HashBytes([]byte(tt.in)); got != tt.want {
			t.Errorf("HashBytes(%q) = %#016x, want %#016x", tt.in, got, tt.want)
		}
	}
}

func TestHashCombine(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		a, b := rng.Uint64(), rng.Uint64()
		buf := binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint64(nil, a), b)
		if got, want := HashCombine(a, b), HashBytes(buf); got != want {
			t.Fatalf("HashCombine(%#x, %#x) = %#x, want HashBytes of the 16 bytes %#x", a, b, got, want)
		}
		if a != b && HashCombine(a, b) == HashCombine(b, a) {
			t.Fatalf("HashCombine is symmetric for %#x, %#x", a, b)
		}
	}
}

func TestHashAllocs(t *testing.T) {
	s := "Nguyễn Thị Minh Khai, 079201001234"
	b := []byte(s)
	var sink uint64
	if n := testing.AllocsPerRun(100, func() {
		sink += HashString(s) + HashBytes(b) + HashCombine(sink, 7)
	}); n != 0 {
		t.Errorf("hashing allocates %v times", n)
	}
}

func TestMixBijective(t *testing.T) {
	seen := make(map[uint64]uint64)
	for k := uint64(0); k < 100000; k++ {
		h := mix(k)
		if prev, ok := seen[h]; ok {
			t.Fatalf("mix(%d) == mix(%d)", k, prev)
		}
		seen[h] = k
	}
}
