// Package numfmt writes counts the way their readers group digits: with a
// dot between thousands in Vietnamese (12.345), a comma in English
// (12,345). It is the one place doisanh's outputs, messages and benchmark
// tables format a count.
package numfmt

import "strconv"

// VI writes n with the Vietnamese grouping: 1.234.567.
func VI[T ~int | ~int32 | ~int64](n T) string { return group(int64(n), '.') }

// EN writes n with the English grouping: 1,234,567.
func EN[T ~int | ~int32 | ~int64](n T) string { return group(int64(n), ',') }

func group(n int64, sep byte) string {
	var digits [20]byte
	d := strconv.AppendInt(digits[:0], n, 10)
	neg := d[0] == '-'
	if neg {
		d = d[1:]
	}
	if len(d) <= 3 {
		return strconv.FormatInt(n, 10)
	}
	out := make([]byte, 0, len(d)+len(d)/3+1)
	if neg {
		out = append(out, '-')
	}
	first := len(d) % 3
	if first == 0 {
		first = 3
	}
	out = append(out, d[:first]...)
	for i := first; i < len(d); i += 3 {
		out = append(out, sep)
		out = append(out, d[i:i+3]...)
	}
	return string(out)
}
