package pipeline

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/doisanh/doisanh/ingest"
	"github.com/doisanh/doisanh/match"
	"github.com/doisanh/doisanh/record"
)

// addressSchema is the register's columns the addresses stage reads.
var addressSchema = record.PersonSchema.Only("person_id", "address", "household_id")

// fillAddresses gives the findings about people on the register the
// address and household written on the register, so that an officer knows
// where to go. The population index keeps neither (it would cost the
// addresses of every resident); instead the population file is read once
// more and only the rows of people with findings are looked at. Findings
// that already carry an address (a residence finding, a record that links
// to nobody) keep it. It returns the rows read.
func (r *run) fillAddresses(ctx context.Context) (int64, error) {
	need := make(map[string][]int32, len(r.res.Findings))
	for i := range r.res.Findings {
		f := &r.res.Findings[i]
		if f.PersonID != "" && (f.Address == "" || f.HouseholdID == "") {
			need[f.PersonID] = append(need[f.PersonID], int32(i))
		}
	}
	if len(need) == 0 {
		return 0, nil
	}
	wanted := newIDFilter(len(need))
	for id := range need {
		wanted.add(id)
	}
	// Only the columns needed are read. A row the first reading rejected
	// (on any column, by the reader or the pipeline) is skipped by its data
	// row, so that it gives no finding an address; rejected rows were
	// reported then: no OnReject here.
	rejected := map[int64]bool{}
	for _, rj := range r.res.Rejects {
		if rj.Source == record.Population.String() && rj.RowNumber > 0 {
			rejected[rj.RowNumber] = true
		}
	}
	rd, err := ingest.Open(r.cfg.Population, addressSchema, ingest.Options{Mapping: r.mapping, LegacyText: legacyText,
		Encoding: r.cfg.Encoding})
	if err != nil {
		return 0, err
	}
	defer rd.Close()
	// The rows are looked up on every core, a batch each; the findings
	// are filled on this goroutine in the file's order, so that of rows
	// sharing an ID the first gives the address, whatever the workers.
	workers := max(r.cfg.Workers, 1)
	spare := make(chan *addressBatch, 2*workers+1) // batches filled, handed back for the next rows
	var read int64
	total := max(rd.RowsHint(), 0)
	done := false
	next := func() (*addressBatch, bool, error) {
		if done {
			return nil, false, nil
		}
		var b *addressBatch
		select {
		case b = <-spare:
		default:
			b = &addressBatch{rows: make([]record.Person, batchSize)}
		}
		n, err := rd.Next(b.rows[:batchSize])
		b.rows, b.hits = b.rows[:n], b.hits[:0]
		if errors.Is(err, io.EOF) {
			done = true
			return b, n > 0, nil
		}
		return b, err == nil, err
	}
	look := func(b *addressBatch) *addressBatch {
		for j := range b.rows {
			p := &b.rows[j]
			if len(rejected) > 0 && rejected[p.Row] {
				continue
			}
			id := personID(p.PersonID)
			if !wanted.has(id) {
				continue // most residents have no finding: not looked up in need
			}
			if fs, ok := need[id]; ok {
				decodeText(p.UTF8, textColumn{&p.Address, "address"}) // legacy text shown decoded, as the first reading saw it
				b.hits = append(b.hits, addressHit{row: int32(j), findings: fs})
			}
		}
		return b
	}
	fill := func(b *addressBatch) error {
		for _, h := range b.hits {
			p := &b.rows[h.row]
			for _, i := range h.findings {
				f := &r.res.Findings[i]
				if f.Address == "" {
					// A copy: the row's text shares its batch's buffer.
					f.Address = r.texts.own(strings.TrimSpace(p.Address))
				}
				if f.HouseholdID == "" {
					f.HouseholdID = r.texts.own(strings.TrimSpace(p.HouseholdID))
				}
			}
		}
		read += int64(len(b.rows))
		r.event(Progress{Source: record.Population.String(), Done: read, Total: total})
		clear(b.rows) // the batch's texts go with it
		select {
		case spare <- b:
		default:
		}
		return nil
	}
	if err := ordered(ctx, workers, next, look, fill); err != nil {
		return read, err
	}
	return read, ctx.Err()
}

// addressBatch is a batch of register rows the addresses stage reads and
// the rows among them whose ID has findings.
type addressBatch struct {
	rows []record.Person
	hits []addressHit
}

// addressHit is a row of an addressBatch and the findings about its ID.
type addressHit struct {
	row      int32
	findings []int32
}

// idFilter is a set of IDs that may answer "maybe" for an ID not in it but
// never "no" for one in it: a bit per hash, at least 16 bits per ID, so
// that about one ID in sixteen not in the set gets past it. Checking a
// register row against it costs one bit in a few hundred kilobytes to a
// few megabytes, where the map of the findings' IDs costs a probe of a
// table as large as the findings.
type idFilter struct {
	bits []uint64
	mask uint64
}

func newIDFilter(n int) idFilter {
	size := uint64(1 << 16)
	for size < 16*uint64(n) {
		size <<= 1
	}
	return idFilter{bits: make([]uint64, size/64), mask: size - 1}
}

func (f idFilter) add(id string) {
	h := match.HashString(id) & f.mask
	f.bits[h/64] |= 1 << (h % 64)
}

func (f idFilter) has(id string) bool {
	h := match.HashString(id) & f.mask
	return f.bits[h/64]&(1<<(h%64)) != 0
}
