package pipeline

import (
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"github.com/doisanh/doisanh/record"
)

// shares reports whether s lies in the memory of buf.
func shares(s, buf string) bool {
	if s == "" {
		return false
	}
	p, lo := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(buf)))
	return p >= lo && p < lo+uintptr(len(buf))
}

func TestTextsFindingCopiesEveryString(t *testing.T) {
	// Every string field of a Finding set to a piece of one buffer, as
	// the reader hands out values of a batch.
	var f record.Finding
	v := reflect.ValueOf(&f).Elem()
	var parts []string
	for i := range v.NumField() {
		if v.Field(i).Kind() == reflect.String {
			parts = append(parts, v.Type().Field(i).Name)
		}
	}
	buf := strings.Join(parts, "|") + strings.Repeat("x", ownedMax+1)
	long := buf[len(buf)-ownedMax-1:] // longer than ownedMax: copied apart
	off := 0
	for i := range v.NumField() {
		if v.Field(i).Kind() != reflect.String {
			continue
		}
		name := v.Type().Field(i).Name
		if name == "Suggestion" {
			v.Field(i).SetString(long)
		} else {
			v.Field(i).SetString(buf[off : off+len(name)])
		}
		off += len(name) + 1
	}
	want := f
	var tx texts
	tx.finding(&f)
	if f != want {
		t.Fatalf("finding changed the values:\n got %+v\nwant %+v", f, want)
	}
	for i := range v.NumField() {
		if s := v.Field(i); s.Kind() == reflect.String && shares(s.String(), buf) {
			t.Errorf("%s still shares the input's memory", v.Type().Field(i).Name)
		}
	}
}

func TestTextsOwn(t *testing.T) {
	buf := "thôn Đông, xã An Bình"
	var tx texts
	for _, s := range []string{"", buf[:10], buf, buf[7:]} {
		got := tx.own(s)
		if got != s {
			t.Errorf("own(%q) = %q", s, got)
		}
		if shares(got, buf) {
			t.Errorf("own(%q) shares the input's memory", s)
		}
	}
}
