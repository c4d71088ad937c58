// Package memlimit chooses the memory limit of a run and applies it as the
// Go runtime's soft limit (runtime/debug.SetMemoryLimit): from a flag, else
// from the GOMEMLIMIT environment variable, else a share of the machine's
// memory (the smaller of the RAM and the cgroup's limit).
//
// Under the limit the garbage collector collects more often instead of
// letting the heap grow to twice the live data; a run whose live data is
// larger than the limit cannot keep under it, which is why callers compare
// the limit with an estimate of the live data before they start.
package memlimit

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// DefaultShare is the share of the machine's memory a run takes by
// default: the rest is left to the page cache (the inputs are read through
// it), the operating system and the officer's other programs.
const DefaultShare = 0.75

// Off is the limit of "--memory-limit off": none.
const Off = math.MaxInt64

// Sources of a Limit.
const (
	SourceFlag    = "flag"       // --memory-limit
	SourceEnv     = "GOMEMLIMIT" // the environment variable
	SourceDefault = "default"    // DefaultShare of Machine
)

// Limit is a run's memory limit in bytes and where it came from.
type Limit struct {
	Bytes  int64
	Source string // SourceFlag, SourceEnv or SourceDefault
	// Machine is the machine's memory in bytes (0 when unknown).
	Machine int64
}

// String describes the limit for a person: "17.6 GB (75 % of 23.4 GB)".
func (l Limit) String() string {
	switch {
	case l.Bytes == Off:
		return "off"
	case l.Source == SourceDefault && l.Machine > 0:
		return fmt.Sprintf("%s (%.0f %% of %s)", Format(l.Bytes), DefaultShare*100, Format(l.Machine))
	case l.Source == SourceEnv:
		return Format(l.Bytes) + " (GOMEMLIMIT)"
	}
	return Format(l.Bytes)
}

// units are the suffixes Parse takes, longest first within a family.
var units = []struct {
	suffix string
	factor float64
}{
	{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"tib", 1 << 40},
	{"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"tb", 1e12},
	{"k", 1e3}, {"m", 1e6}, {"g", 1e9}, {"t", 1e12},
	{"b", 1},
}

// Parse reads a size such as "4GB", "1.5 GB", "1300MiB" or "800000000"
// (bytes): decimal units (KB, MB, GB, TB, or K, M, G, T) are powers of
// 1,000 and binary ones (KiB, MiB, GiB, TiB) powers of 1,024, in any case.
// "off" (or "none") means no limit (Off). A size under 64 MiB is refused:
// no run fits in it.
func Parse(s string) (int64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if t == "off" || t == "none" {
		return Off, nil
	}
	factor := 1.0
	for _, u := range units {
		if strings.HasSuffix(t, u.suffix) {
			t, factor = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.factor
			break
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
		return 0, fmt.Errorf("%q: want a size such as 4GB, 1500MB or 8GiB, or off", s)
	}
	b := v * factor
	if b >= math.MaxInt64 {
		return 0, fmt.Errorf("%q: larger than any machine", s)
	}
	if b < 64<<20 {
		return 0, fmt.Errorf("%q: less than 64 MiB, too small for any run", s)
	}
	return int64(b), nil
}

// Format writes bytes in decimal gigabytes or megabytes: "17.6 GB", "950 MB".
func Format(b int64) string {
	switch {
	case b == Off:
		return "off"
	case b >= 1e9:
		return fmt.Sprintf("%.1f GB", float64(b)/1e9)
	case b >= 1e6:
		return fmt.Sprintf("%.0f MB", float64(b)/1e6)
	}
	return fmt.Sprintf("%d B", b)
}

// Choose returns the limit of a run given the flag's value ("" when not
// given) and the GOMEMLIMIT environment variable's ("" when unset):
// the flag, else the variable (Go's own syntax, e.g. 1300MiB), else
// DefaultShare of the machine's memory. With no flag, no variable and no
// known machine memory the limit is Off.
func Choose(flag, env string) (Limit, error) {
	machine, _ := Machine()
	if flag != "" {
		b, err := Parse(flag)
		if err != nil {
			return Limit{}, fmt.Errorf("--memory-limit %w", err)
		}
		return Limit{Bytes: b, Source: SourceFlag, Machine: machine}, nil
	}
	if env != "" {
		b, err := parseGo(env)
		if err != nil {
			return Limit{}, fmt.Errorf("GOMEMLIMIT %w", err)
		}
		return Limit{Bytes: b, Source: SourceEnv, Machine: machine}, nil
	}
	if machine <= 0 {
		return Limit{Bytes: Off, Source: SourceDefault}, nil
	}
	return Limit{Bytes: int64(DefaultShare * float64(machine)), Source: SourceDefault, Machine: machine}, nil
}

// parseGo reads GOMEMLIMIT as the Go runtime does: bytes with an optional
// B, KiB, MiB, GiB or TiB suffix, or "off".
func parseGo(s string) (int64, error) {
	t := strings.TrimSpace(s)
	if t == "off" {
		return Off, nil
	}
	factor := int64(1)
	for _, u := range []struct {
		suffix string
		factor int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, factor = strings.TrimSuffix(t, u.suffix), u.factor
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 || n > math.MaxInt64/factor {
		return 0, fmt.Errorf("%q: want bytes with a B, KiB, MiB, GiB or TiB suffix, or off", s)
	}
	return n * factor, nil
}

// Headroom is the share of a limit kept out of the Go runtime's soft
// limit (Limit.Heap): the process's resident memory also holds what the
// runtime does not count (the program's text, memory the kernel has not
// yet taken back), and the heap grows past its goal while a collection
// runs and the program keeps allocating. Measured on the 14 M province
// under a 4 GB limit with no headroom: the peak RSS was 0.9 % over the
// limit, the heap 70 MiB over its goal (benchmarks/RESULTS.md).
const Headroom = 0.04

// Heap is the memory the Go runtime may use under l: Bytes less Headroom
// (Off stays Off).
func (l Limit) Heap() int64 {
	if l.Bytes == Off {
		return Off
	}
	return l.Bytes - int64(float64(l.Bytes)*Headroom)
}

// ApplyHeap sets heap bytes (Off: none) as the Go runtime's soft memory
// limit and returns a function that restores the previous one.
func ApplyHeap(heap int64) (restore func()) {
	prev := debug.SetMemoryLimit(heap)
	return func() { debug.SetMemoryLimit(prev) }
}

// RoomyGC is the garbage collector's target (GOGC) for a run whose heap
// has room under its limit: the heap is collected when it has grown to
// three times the live data, not twice. On the 1 M province that is about
// 5 % less CPU for a peak RSS of 1.2 GB instead of 0.8 GB
// (benchmarks/RESULTS.md, "Collecting less often").
const RoomyGC = 200

// GCPercent is the collector's target for a heap of live bytes held to
// heap bytes (Off: no limit): RoomyGC when the heap it lets grow fits,
// else the runtime's default 100, under which the soft limit collects
// more often as the heap nears it.
func GCPercent(heap, live int64) int {
	if heap != Off && live > 0 && live <= heap/(1+RoomyGC/100) {
		return RoomyGC
	}
	return 100
}

// ApplyGC sets percent as the collector's target (debug.SetGCPercent),
// unless the GOGC environment variable chose one, and returns a function
// that restores the previous target.
func ApplyGC(percent int) (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	prev := debug.SetGCPercent(percent)
	return func() { debug.SetGCPercent(prev) }
}

// Machine returns the memory the process may use: the RAM of
// /proc/meminfo, or the cgroup's limit when that is smaller.
func Machine() (int64, error) {
	total, err := RAM()
	if err != nil {
		return 0, err
	}
	for _, path := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		if b, err := os.ReadFile(path); err == nil {
			if n, ok := cgroupLimit(b); ok && n < total {
				total = n
			}
		}
	}
	return total, nil
}

// RAM returns the machine's memory: MemTotal of /proc/meminfo.
func RAM() (int64, error) {
	data, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0, err
	}
	return memTotal(data)
}

// memTotal reads MemTotal of /proc/meminfo ("MemTotal: 24576000 kB").
func memTotal(meminfo []byte) (int64, error) {
	sc := bufio.NewScanner(bytes.NewReader(meminfo))
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) == 0 {
			break
		}
		kib, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil || kib <= 0 || kib > math.MaxInt64/1024 {
			return 0, fmt.Errorf("/proc/meminfo: MemTotal %q", f[0])
		}
		return kib * 1024, nil // the kernel writes kB for KiB
	}
	return 0, errors.New("/proc/meminfo: no MemTotal")
}

// cgroupLimit reads a cgroup memory limit file: a number of bytes, or
// "max" (v2) or a huge number (v1) for none.
func cgroupLimit(b []byte) (int64, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil || n <= 0 || n >= 1<<60 {
		return 0, false
	}
	return n, true
}
