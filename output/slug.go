package output

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// maxSlug bounds the length of a slug, keeping file names short.
const maxSlug = 60

// Slug turns a Vietnamese name into a file-name part: accents removed, đ
// written d, lower case, words joined by single dashes:
// "Phường Hoàng Mai" -> "phuong-hoang-mai". Anything but ASCII letters and
// digits separates words. The result is at most 60 bytes and may be empty.
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			r = 'd'
		case r >= 'A' && r <= 'Z':
			r += 'a' - 'A'
		}
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			if b.Len() >= maxSlug {
				break
			}
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	return strings.TrimRight(b.String(), "-")
}

// safeCode keeps the ASCII letters and digits of a code so that it can be
// used as a path element; it returns def when nothing is left.
func safeCode(code, def string) string {
	var b strings.Builder
	for _, r := range code {
		if r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			b.WriteRune(r)
		}
		if b.Len() >= 16 {
			break
		}
	}
	if b.Len() == 0 {
		return def
	}
	return b.String()
}
