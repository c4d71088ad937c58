package match

import (
	"math/bits"
	"unsafe"
)

// The hash functions are XXH64 (seed 0) as specified at
// https://github.com/Cyan4973/xxHash/blob/dev/doc/xxhash_spec.md. They are
// written here, rather than taken from hash/maphash, because finding ids and
// output order must be the same in every run and on every platform:
// maphash is randomly seeded per process.

const (
	prime1 uint64 = 0x9E3779B185EBCA87
	prime2 uint64 = 0xC2B2AE3D27D4EB4F
	prime3 uint64 = 0x165667B19E3779F9
	prime4 uint64 = 0x85EBCA77C2B2AE63
	prime5 uint64 = 0x27D4EB2F165667C5
)

// HashString returns the XXH64 hash (seed 0) of s. It does not allocate and
// its value is stable across runs, versions of this package and platforms,
// so it may be stored or used in identifiers.
func HashString(s string) uint64 {
	n := len(s)
	var h uint64
	i := 0
	if n >= 32 {
		v1 := uint64(0x60EA27EEADC0B5D6) // prime1 + prime2, wrapped
		v2 := prime2
		v3 := uint64(0)
		v4 := uint64(0x61C8864E7A143579) // -prime1, wrapped
		for ; i+32 <= n; i += 32 {
			v1 = round(v1, le64(s, i))
			v2 = round(v2, le64(s, i+8))
			v3 = round(v3, le64(s, i+16))
			v4 = round(v4, le64(s, i+24))
		}
		h = bits.RotateLeft64(v1, 1) + bits.RotateLeft64(v2, 7) +
			bits.RotateLeft64(v3, 12) + bits.RotateLeft64(v4, 18)
		h = mergeRound(h, v1)
		h = mergeRound(h, v2)
		h = mergeRound(h, v3)
		h = mergeRound(h, v4)
	} else {
		h = prime5
	}
	h += uint64(n)
	for ; i+8 <= n; i += 8 {
		h ^= round(0, le64(s, i))
		h = bits.RotateLeft64(h, 27)*prime1 + prime4
	}
	if i+4 <= n {
		h ^= uint64(le32(s, i)) * prime1
		h = bits.RotateLeft64(h, 23)*prime2 + prime3
		i += 4
	}
	for ; i < n; i++ {
		h ^= uint64(s[i]) * prime5
		h = bits.RotateLeft64(h, 11) * prime1
	}
	return avalanche(h)
}

// HashBytes returns the same value as HashString(string(b)), without
// allocating.
func HashBytes(b []byte) uint64 {
	return HashString(unsafe.String(unsafe.SliceData(b), len(b)))
}

// HashCombine returns a hash of the ordered pair (a, b): the XXH64 hash of
// the 16 bytes of a and then b in little-endian order, that is
// HashBytes(binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint64(nil, a), b)).
// It is used to build composite keys, such as a name and a birth year.
// HashCombine(a, b) and HashCombine(b, a) differ.
func HashCombine(a, b uint64) uint64 {
	h := prime5 + 16
	h ^= round(0, a)
	h = bits.RotateLeft64(h, 27)*prime1 + prime4
	h ^= round(0, b)
	h = bits.RotateLeft64(h, 27)*prime1 + prime4
	return avalanche(h)
}

func round(acc, input uint64) uint64 {
	acc += input * prime2
	acc = bits.RotateLeft64(acc, 31)
	return acc * prime1
}

func mergeRound(acc, val uint64) uint64 {
	acc ^= round(0, val)
	return acc*prime1 + prime4
}

func avalanche(h uint64) uint64 {
	h ^= h >> 33
	h *= prime2
	h ^= h >> 29
	h *= prime3
	h ^= h >> 32
	return h
}

func le64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

func le32(s string, i int) uint32 {
	s = s[i : i+4]
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

// mix is a bijective scrambler of 64-bit keys (the murmur3 finaliser). The
// index and frequency table place keys by mix(key), so that keys that are
// not already hashes (small integers, packed dates) still spread evenly.
func mix(k uint64) uint64 {
	k ^= k >> 33
	k *= 0xff51afd7ed558ccd
	k ^= k >> 33
	k *= 0xc4ceb9fe1a85ec53
	k ^= k >> 33
	return k
}
