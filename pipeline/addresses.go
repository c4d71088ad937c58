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
	need := map[string][]int32{}
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
	buf := make([]record.Person, batchSize)
	var read int64
	total := max(rd.RowsHint(), 0)
	for {
		n, err := rd.Next(buf)
		for j := range buf[:n] {
			p := &buf[j]
			if len(rejected) > 0 && rejected[p.Row] {
				continue
			}
			id := personID(p.PersonID)
			if !wanted.has(id) {
				continue // most residents have no finding: not looked up in need
			}
			for _, i := range need[id] {
				f := &r.res.Findings[i]
				if f.Address == "" {
					addr := p.Address
					decodeText(p.UTF8, textColumn{&addr, "address"}) // legacy text shown decoded, as the first reading saw it
					// A copy: the row's text shares its batch's buffer.
					f.Address = r.texts.own(strings.TrimSpace(addr))
				}
				if f.HouseholdID == "" {
					f.HouseholdID = r.texts.own(strings.TrimSpace(p.HouseholdID))
				}
			}
		}
		read += int64(n)
		r.event(Progress{Source: record.Population.String(), Done: read, Total: total})
		if errors.Is(err, io.EOF) {
			return read, nil
		}
		if err != nil {
			return read, err
		}
		if err := ctx.Err(); err != nil {
			return read, err
		}
	}
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
