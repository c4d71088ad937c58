package pipeline

import (
	"github.com/doisanh/doisanh/ingest"
	"github.com/doisanh/doisanh/internal/spill"
	"github.com/doisanh/doisanh/match"
)

// The memory budget of a run: the live heap the pipeline holds at its
// peak (linking the sources and applying the cross-record rules), per row
// of each kind. Measured (GODEBUG=gctrace=1, whose "MB" are MiB;
// benchmarks/RESULTS.md, 14 M under a 4 GB limit): 370-381 MiB at the 1 M
// province (1,003,000 people, 1.62 M source rows), 4,380 MiB at 14 M
// (14,042,000 people, 22.7 M source rows). Both sizes have 1.6 source rows
// a person, so the split between the two kinds is not measured: with 75 B
// a source row, 201-210 B a person, rounded up. The whole register and
// what linking keeps of the sources stay in memory until the rules have
// run.
const (
	BytesPerPerson    = 220      // a register row: the person, its strings, the indexes
	BytesPerSourceRow = 75       // a tax, insurance or civil row: what the cross-record rules keep
	BytesFixed        = 64 << 20 // the reference tables, the model, buffers
)

// The budget of a run that keeps on disk what it can (Config.Spill): the
// findings, the code owners and the register's birth dates as written go
// to the temporary directory, and the register's people (match.Person,
// MappedBytesPerPerson each) to a file of it mapped into memory, outside
// the Go heap, where the system maps files (spill.CanMap). Measured
// (GODEBUG=gctrace=1, whose "MB" are MiB; benchmarks/RESULTS.md, "The
// live heap at 14 M, 2026-12-07"), with the people still on the heap: a
// live heap of 287-304 MiB at the peak of the 1 M province (1,003,000
// people, 1.62 M source rows), 2,739 MiB at 14 M (14,042,000 people,
// 22.7 M source rows), every stage between 2.5 and 2.8 GiB there. With
// 20 B a source row the two give 163 B a person beside 123 MB of fixed
// part; rounded up to 175 B and 128 MiB, both peaks are under the
// estimate (342 MB and 3.05 GB). Mapping the people takes their 72 B off
// the heap ("The register leaves the heap", RESULTS.md: 219-223 MiB live
// at 1 M, 1,683-1,810 MiB at 14 M, against 257 and 1,940 estimated).
const (
	SpilledBytesPerPerson    = 175 - MappedBytesPerPerson // on the heap; add MappedBytesPerPerson where nothing is mapped
	SpilledBytesPerSourceRow = 20
	SpilledBytesFixed        = 128 << 20 // BytesFixed and the readers' and spill files' buffers
	MappedBytesPerPerson     = int64(match.PersonSize)
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
	// Spilled with Config.Spill set, beside the Mapped bytes of the
	// register mapped from the temporary directory (0 where files are not
	// mapped): memory that is the kernel's to page, in RAM while the
	// machine has room for it.
	Bytes   int64
	Spilled int64
	Mapped  int64
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
	e.budget()
	return e
}

// budget sets Bytes and Spilled from People and SourceRows.
func (e *MemoryEstimate) budget() {
	e.Bytes = BytesFixed + BytesPerPerson*e.People + BytesPerSourceRow*e.SourceRows
	// Never more than in memory: the larger fixed part is buffers (spill
	// files, the findings' batches) that a small run does not fill.
	perPerson := int64(SpilledBytesPerPerson)
	e.Mapped = 0
	if spill.CanMap {
		e.Mapped = MappedBytesPerPerson * e.People
	} else {
		perPerson += MappedBytesPerPerson // the people stay on the heap
	}
	e.Spilled = min(e.Bytes, SpilledBytesFixed+perPerson*e.People+SpilledBytesPerSourceRow*e.SourceRows)
}
