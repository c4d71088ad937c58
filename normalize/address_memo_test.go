package normalize

import (
	"strings"
	"testing"
	"unsafe"

	"github.com/doisanh/doisanh/admin"
)

// within reports whether s lies in the memory of buf.
func within(s, buf string) bool {
	if s == "" {
		return false
	}
	p, lo := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(buf)))
	return p >= lo && p < lo+uintptr(len(buf))
}

func TestAddressMemoKeepsNoInput(t *testing.T) {
	// Two addresses in one buffer, as a batch of input holds them.
	buf := "Số 12 đường Lê Lợi, thôn Đông, xã Nghi Phong, huyện Nghi Lộc, tỉnh Nghệ An|" +
		"xóm 3, phường Hưng Dũng, thành phố Vinh, Nghệ An"
	first, second, _ := strings.Cut(buf, "|")
	for _, in := range []string{first, second} {
		p := NewAddressParser(admin.Default(), AddressOptions{Province: "40"})
		want := NewAddressParser(admin.Default(), AddressOptions{Province: "40", MemoSize: -1}).Parse(in)
		for round := range 2 { // the first parses and remembers, the second is remembered
			got := p.Parse(in)
			if got.Parts != want.Parts || got.Status != want.Status || got.Reason != want.Reason {
				t.Errorf("round %d: Parse(%q) = %+v, want %+v", round, in, got, want)
			}
		}
		if want.Parts == (Address{}) {
			t.Fatalf("Parse(%q) found no parts: the test needs some", in)
		}
		for i := range p.memo.shards {
			for k, r := range p.memo.shards[i].m {
				pt := r.Parts
				for _, s := range []string{k, pt.House, pt.Street, pt.Village, pt.Commune, pt.District, pt.Province} {
					if within(s, buf) {
						t.Errorf("the memo of %q keeps %q, a slice of the input", k, s)
					}
				}
			}
		}
	}
}

// TestAddressMemoSkipsLongText: a text longer than maxMemoAddress is parsed
// every time, not kept, so that a file of long distinct texts cannot fill
// the memo with them.
func TestAddressMemoSkipsLongText(t *testing.T) {
	p := NewAddressParser(admin.Default(), AddressOptions{Province: "40"})
	short := "xóm 3, phường Hưng Dũng, thành phố Vinh, Nghệ An"
	long := strings.Repeat("Số 12 đường Lê Lợi ", 15) + short
	if len(long) <= maxMemoAddress || len(short) > maxMemoAddress {
		t.Fatalf("texts of %d and %d bytes do not straddle the limit %d", len(short), len(long), maxMemoAddress)
	}
	for _, in := range []string{short, long} {
		p.Parse(in)
	}
	kept := map[string]bool{}
	for i := range p.memo.shards {
		for k := range p.memo.shards[i].m {
			kept[k] = true
		}
	}
	if !kept[short] || kept[long] || len(kept) != 1 {
		t.Errorf("the memo keeps %d texts (short %v, long %v), want the short one only", len(kept), kept[short], kept[long])
	}
}
