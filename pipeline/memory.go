package pipeline

import "github.com/doisanh/doisanh/ingest"

// The memory budget of a run: the live heap the pipeline holds at its
// peak (linking the sources and applying the cross-record rules), per row
// of each kind, as measured on the synthetic 1 M and 4 M provinces
// (GODEBUG=gctrace=1; benchmarks/RESULTS.md, Memory per person: 340-360 B
// a person once the register is read, 414-474 B a person at the peak with
// 1.6 source rows a person), rounded up. The whole register and what
// linking keeps of the sources stay in memory until the rules have run.
const (
	BytesPerPerson    = 360      // a register row: the person, the indexes, the blocking keys
	BytesPerSourceRow = 75       // a tax, insurance or civil row: what the cross-record rules keep
	BytesFixed        = 64 << 20 // the reference tables, the model, buffers
)

// The budget of a run that keeps on disk what it can (Config.Spill): the
// findings, the code owners and the register's birth dates as written go
// to the temporary directory. Measured (GODEBUG=gctrace=1,
// benchmarks/RESULTS.md, Spilling to disk): 364-391 MB of live heap at the
// peak of the 1 M province, 4.28 GB at 14 M (305 B a person with its 1.6
// source rows), rounded up.
const (
	SpilledBytesPerPerson    = 300
	SpilledBytesPerSourceRow = 20
)

// MemoryEstimate is the memory a run is expected to need, from the rows
// of its inputs.
type MemoryEstimate struct {
	People     int64 // rows of the register
	SourceRows int64 // rows of the other sources
	// Exact is false when a count is estimated (CSV) or unknown (.csv.gz,
	// counted as 0): the need is then a lower bound.
	Exact bool
	// Bytes is the live heap the run is expected to reach in memory;
	// Spilled with Config.Spill set.
	Bytes   int64
	Spilled int64
}

// EstimateMemory counts the rows of cfg's inputs (ingest.CountRows) and
// returns the live heap a run of them is expected to need. A file it
// cannot count (missing, corrupt) counts 0 and makes the estimate
// inexact: Run reports the file's problem in full.
func EstimateMemory(cfg Config) MemoryEstimate {
	e := MemoryEstimate{Exact: true}
	for _, f := range []struct {
		path   string
		person bool
	}{{cfg.Population, true}, {cfg.Tax, false}, {cfg.Insurance, false}, {cfg.Civil, false}} {
		if f.path == "" {
			continue
		}
		n, exact, err := ingest.CountRows(f.path)
		if err != nil || !exact {
			e.Exact = false
		}
		n = max(n, 0)
		if f.person {
			e.People += n
		} else {
			e.SourceRows += n
		}
	}
	e.Bytes = BytesFixed + BytesPerPerson*e.People + BytesPerSourceRow*e.SourceRows
	e.Spilled = BytesFixed + SpilledBytesPerPerson*e.People + SpilledBytesPerSourceRow*e.SourceRows
	return e
}
