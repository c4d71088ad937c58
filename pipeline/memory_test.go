package pipeline

import (
	"path/filepath"
	"testing"

	"github.com/doisanh/doisanh/internal/spill"
	"github.com/doisanh/doisanh/record"
)

func TestEstimateMemory(t *testing.T) {
	dir := t.TempDir()
	pop := writeRows(t, dir, "population", "parquet", make([]record.Person, 300))
	tax := writeRows(t, dir, "tax", "csv", make([]record.TaxRecord, 2))

	tests := []struct {
		name string
		cfg  Config
		want MemoryEstimate
	}{
		{"population only", Config{Population: pop},
			MemoryEstimate{People: 300, Exact: true, Bytes: BytesFixed + 300*BytesPerPerson,
				Spilled: BytesFixed + 300*BytesPerPerson, Mapped: mapped(300)}},
		{"with a CSV source", Config{Population: pop, Tax: tax},
			MemoryEstimate{People: 300, SourceRows: 2, Bytes: BytesFixed + 300*BytesPerPerson + 2*BytesPerSourceRow,
				Spilled: BytesFixed + 300*BytesPerPerson + 2*BytesPerSourceRow, Mapped: mapped(300)}},
		{"missing file", Config{Population: filepath.Join(dir, "none.parquet")}, MemoryEstimate{Bytes: BytesFixed, Spilled: BytesFixed}},
	}
	for _, tt := range tests {
		if got := EstimateMemory(tt.cfg); got != tt.want {
			t.Errorf("%s: EstimateMemory = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

// mapped is the Mapped estimate of a spilled run of people.
func mapped(people int64) int64 {
	if !spill.CanMap {
		return 0
	}
	return people * MappedBytesPerPerson
}

// The budget covers the peaks measured (benchmarks/RESULTS.md, "The live
// heap at 14 M, 2026-12-07" and "The register leaves the heap"), without
// overstating them by more than a third; a spilled run never needs more
// than one in memory.
func TestMemoryBudgetCoversMeasuredPeaks(t *testing.T) {
	const mib = 1 << 20
	tests := []struct {
		name               string
		people, sourceRows int64
		spilled            bool
		mapped             bool  // spilled with the people mapped (spill.CanMap)
		peak               int64 // the largest live heap measured (gctrace)
	}{
		{"1 M in memory", 1_003_000, 1_620_868, false, false, 381 * mib},
		{"4 M in memory", 4_012_000, 6_481_474, false, false, 1_170 * mib},
		{"14 M in memory", 14_042_000, 22_687_359, false, false, 4_380 * mib},
		{"1 M spilled", 1_003_000, 1_620_868, true, false, 304 * mib},
		{"14 M spilled", 14_042_000, 22_687_359, true, false, 2_739 * mib},
		{"1 M spilled, people mapped", 1_003_000, 1_620_868, true, true, 223 * mib},
		{"14 M spilled, people mapped", 14_042_000, 22_687_359, true, true, 1_810 * mib},
	}
	for _, tt := range tests {
		if tt.spilled && tt.mapped != spill.CanMap {
			continue // measured where people are (not) mapped
		}
		e := MemoryEstimate{People: tt.people, SourceRows: tt.sourceRows}
		e.budget()
		got := e.Bytes
		if tt.spilled {
			got = e.Spilled
		}
		if got < tt.peak || float64(got) > 1.34*float64(tt.peak) {
			t.Errorf("%s: estimate %d MiB for a measured peak of %d MiB", tt.name, got/mib, tt.peak/mib)
		}
		if e.Spilled > e.Bytes {
			t.Errorf("%s: spilled estimate %d above the in-memory one %d", tt.name, e.Spilled, e.Bytes)
		}
	}
	small := MemoryEstimate{People: 3000, SourceRows: 4800}
	small.budget()
	if small.Spilled != small.Bytes {
		t.Errorf("a small run's spilled estimate %d differs from its in-memory one %d", small.Spilled, small.Bytes)
	}
}
