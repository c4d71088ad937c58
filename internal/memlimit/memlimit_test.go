package memlimit

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		err  string
	}{
		{"4GB", 4e9, ""},
		{"4gb", 4e9, ""},
		{"1.5 GB", 1.5e9, ""},
		{"1300MiB", 1300 << 20, ""},
		{"8GiB", 8 << 30, ""},
		{"2g", 2e9, ""},
		{"500MB", 500e6, ""},
		{"800000000", 8e8, ""},
		{"800000000B", 8e8, ""},
		{"1TB", 1e12, ""},
		{"off", Off, ""},
		{" None ", Off, ""},
		{"", 0, "want a size"},
		{"GB", 0, "want a size"},
		{"-4GB", 0, "want a size"},
		{"0", 0, "want a size"},
		{"4 XB", 0, "want a size"},
		{"NaN", 0, "want a size"},
		{"Inf GB", 0, "want a size"},
		{"10MB", 0, "less than 64 MiB"},
		{"1e30TB", 0, "larger than any machine"},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Parse(%q) = %d, %v; want an error with %q", tt.in, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Parse(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"4GB", "1.5 GB", "1300MiB", "off", "-1", "1e400", "0x10GB"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Parse(s)
		if err == nil && n < 64<<20 {
			t.Fatalf("Parse(%q) = %d: under the 64 MiB floor without an error", s, n)
		}
	})
}

func TestParseGo(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"1300MiB", 1300 << 20, true},
		{"4GiB", 4 << 30, true},
		{"123456789", 123456789, true},
		{"100B", 100, true},
		{"off", Off, true},
		{"4GB", 0, false}, // Go's syntax has no decimal units
		{"-1", 0, false},
		{"99999999999TiB", 0, false},
	}
	for _, tt := range tests {
		got, err := parseGo(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseGo(%q) = %d, %v; want %d, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestMemTotal(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"MemTotal:       24576000 kB\nMemFree: 1 kB\n", 24576000 * 1024, true},
		{"MemFree: 1 kB\nMemTotal: 2048 kB\n", 2048 * 1024, true},
		{"MemFree: 1 kB\n", 0, false},
		{"MemTotal:\n", 0, false},
		{"MemTotal: lots kB\n", 0, false},
		{"MemTotal: 99999999999999999999 kB\n", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, err := memTotal([]byte(tt.in))
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("memTotal(%q) = %d, %v; want %d, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestCgroupLimit(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"8589934592\n", 8589934592, true},
		{"max\n", 0, false},
		{"9223372036854771712\n", 0, false}, // cgroup v1 without a limit
		{"0", 0, false},
	}
	for _, tt := range tests {
		got, ok := cgroupLimit([]byte(tt.in))
		if ok != tt.ok || got != tt.want {
			t.Errorf("cgroupLimit(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestChoose(t *testing.T) {
	machine, err := Machine()
	if err != nil {
		t.Skipf("no machine memory here: %v", err)
	}
	tests := []struct {
		flag, env string
		want      Limit
		err       string
	}{
		{"4GB", "1300MiB", Limit{Bytes: 4e9, Source: SourceFlag, Machine: machine}, ""},
		{"", "1300MiB", Limit{Bytes: 1300 << 20, Source: SourceEnv, Machine: machine}, ""},
		{"", "", Limit{Bytes: int64(DefaultShare * float64(machine)), Source: SourceDefault, Machine: machine}, ""},
		{"lots", "", Limit{}, "--memory-limit"},
		{"", "4GB", Limit{}, "GOMEMLIMIT"},
	}
	for _, tt := range tests {
		got, err := Choose(tt.flag, tt.env)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Choose(%q, %q) = %+v, %v; want an error with %q", tt.flag, tt.env, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Choose(%q, %q) = %+v, %v; want %+v", tt.flag, tt.env, got, err, tt.want)
		}
	}
}

func TestFormatAndString(t *testing.T) {
	tests := []struct {
		l    Limit
		want string
	}{
		{Limit{Bytes: 17_600_000_000, Source: SourceDefault, Machine: 23_460_000_000}, "17.6 GB (75 % of 23.5 GB)"},
		{Limit{Bytes: 4e9, Source: SourceFlag}, "4.0 GB"},
		{Limit{Bytes: 950e6, Source: SourceFlag}, "950 MB"},
		{Limit{Bytes: 1300 << 20, Source: SourceEnv}, "1.4 GB (GOMEMLIMIT)"},
		{Limit{Bytes: Off, Source: SourceFlag}, "off"},
	}
	for _, tt := range tests {
		if got := tt.l.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.l, got, tt.want)
		}
	}
}

func TestApplyRestores(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	l := Limit{Bytes: 3 << 30, Source: SourceFlag}
	restore := ApplyHeap(l.Heap())
	b := int64(3 << 30)
	want := b - int64(float64(b)*Headroom)
	if got := debug.SetMemoryLimit(-1); got != want || got != l.Heap() {
		t.Errorf("limit after ApplyHeap = %d, want %d (Heap %d)", got, want, l.Heap())
	}
	restore()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("limit after restore = %d, want %d", got, before)
	}
}

func TestHeap(t *testing.T) {
	for _, tt := range []struct {
		l    Limit
		want int64
	}{
		{Limit{Bytes: 4e9}, 3_840_000_000},
		{Limit{Bytes: 100}, 96},
		{Limit{Bytes: Off}, Off},
	} {
		if got := tt.l.Heap(); got != tt.want {
			t.Errorf("%+v.Heap() = %d, want %d", tt.l, got, tt.want)
		}
	}
}

func TestGCPercent(t *testing.T) {
	for _, tt := range []struct {
		heap, live int64
		want       int
	}{
		{18 << 30, 400 << 20, RoomyGC}, // 1 M people under the default limit
		{3 << 30, 1 << 30, RoomyGC},    // the heap at three times the live data just fits
		{3<<30 - 1, 1 << 30, 100},      // not quite
		{4 << 30, 3 << 30, 100},        // a tight limit collects by itself
		{Off, 1 << 30, 100},            // no limit: no bound on a heap grown further
		{4 << 30, 0, 100},              // nothing known of the live data
	} {
		if got := GCPercent(tt.heap, tt.live); got != tt.want {
			t.Errorf("GCPercent(%d, %d) = %d, want %d", tt.heap, tt.live, got, tt.want)
		}
	}
}

// gcPercent is the collector's current target.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

func TestApplyGC(t *testing.T) {
	before := gcPercent()
	restore := ApplyGC(RoomyGC)
	if got := gcPercent(); got != RoomyGC {
		t.Errorf("after ApplyGC(%d) the target is %d", RoomyGC, got)
	}
	restore()
	if got := gcPercent(); got != before {
		t.Errorf("restored target %d, want %d", got, before)
	}
	t.Setenv("GOGC", "50")
	restore = ApplyGC(RoomyGC)
	defer restore()
	if got := gcPercent(); got != before {
		t.Errorf("with GOGC set, ApplyGC changed the target to %d", got)
	}
}
