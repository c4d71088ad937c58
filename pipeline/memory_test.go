package pipeline

import (
	"path/filepath"
	"testing"

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
				Spilled: BytesFixed + 300*SpilledBytesPerPerson}},
		{"with a CSV source", Config{Population: pop, Tax: tax},
			MemoryEstimate{People: 300, SourceRows: 2, Bytes: BytesFixed + 300*BytesPerPerson + 2*BytesPerSourceRow,
				Spilled: BytesFixed + 300*SpilledBytesPerPerson + 2*SpilledBytesPerSourceRow}},
		{"missing file", Config{Population: filepath.Join(dir, "none.parquet")}, MemoryEstimate{Bytes: BytesFixed, Spilled: BytesFixed}},
	}
	for _, tt := range tests {
		if got := EstimateMemory(tt.cfg); got != tt.want {
			t.Errorf("%s: EstimateMemory = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}
