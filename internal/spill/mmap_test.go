package spill

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
)

func TestMap(t *testing.T) {
	d, err := Create(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer d.Remove()
	m, err := d.Map("people.bin", 3<<20)
	if errors.Is(err, ErrNoMapping) {
		if CanMap {
			t.Fatalf("Map on linux: %v", err)
		}
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	b := m.Bytes()
	if len(b) != 3<<20 {
		t.Fatalf("len(Bytes()) = %d, want %d", len(b), 3<<20)
	}
	if !bytes.Equal(b[:4096], make([]byte, 4096)) {
		t.Fatal("a new mapping is not zero")
	}
	copy(b[1<<20:], "the register")
	if st, err := os.Stat(m.Path()); err != nil || st.Size() != 3<<20 {
		t.Fatalf("the mapped file: %v, %v; want %d bytes", st, err, 3<<20)
	}
	if n := d.Measure(); n < 3<<20 {
		t.Errorf("Measure = %d, want the mapped file's %d bytes counted", n, 3<<20)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	got, err := os.ReadFile(m.Path())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(got[1<<20:], []byte("the register")) {
		t.Errorf("the file does not hold what was written to the mapping")
	}
}

func TestMapErrors(t *testing.T) {
	d, err := Create(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer d.Remove()
	for _, size := range []int64{0, -1} {
		if _, err := d.Map("zero.bin", size); err == nil || !strings.Contains(err.Error(), "zero.bin") {
			t.Errorf("Map(size %d) = %v, want an error naming the file", size, err)
		}
	}
	if err := os.WriteFile(d.File("taken.bin"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Map("taken.bin", 4096); err == nil || errors.Is(err, ErrNoMapping) {
		t.Errorf("Map over an existing file = %v, want an error", err)
	}
	if b, _ := os.ReadFile(d.File("taken.bin")); string(b) != "x" {
		t.Errorf("Map changed a file that was there: %q", b)
	}
}
