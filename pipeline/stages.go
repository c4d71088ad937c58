package pipeline

import (
	"context"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/doisanh/doisanh/admin"
	"github.com/doisanh/doisanh/ingest"
	"github.com/doisanh/doisanh/match"
	"github.com/doisanh/doisanh/normalize"
	"github.com/doisanh/doisanh/record"
	"github.com/doisanh/doisanh/rules"
)

const batchSize = 4096

// maxValueLen bounds every input value: longer values are rejected rather
// than held (no real name, ID or address comes near it).
const maxValueLen = 4096

// batches returns a next function for ordered that yields fresh batches
// from rd, starting with the already-read first batch.
func batches[T any](rd *ingest.Reader[T], first []T) func() ([]T, bool, error) {
	done := false
	return func() ([]T, bool, error) {
		if first != nil {
			b := first
			first = nil
			return b, true, nil
		}
		for !done {
			b := make([]T, batchSize)
			n, err := rd.Next(b)
			if errors.Is(err, io.EOF) {
				done = true
			} else if err != nil {
				return nil, false, err
			}
			if n > 0 {
				return b[:n], true, nil
			}
		}
		return nil, false, nil
	}
}

// rawRow renders a typed row as text for a reject.
func rawRow[T any](schema record.Schema[T], row *T) string {
	vals := make([]string, len(schema.Columns))
	for i, c := range schema.Columns {
		vals[i] = *c.Field(row)
	}
	return ingest.Printable(strings.Join(vals, ","))
}

// tooLong returns the first column of row whose value exceeds maxValueLen.
func tooLong[T any](schema record.Schema[T], row *T) (string, bool) {
	for _, c := range schema.Columns {
		if len(*c.Field(row)) > maxValueLen {
			return c.Name, true
		}
	}
	return "", false
}

// inferProvince returns the province most of the rows' commune codes
// belong to, in the 2025 list (else the legacy one); "" when none do.
func inferProvince(units *admin.Units, rows []record.Person) string {
	count := map[string]int{}
	for i := range rows {
		code, ok := digits(rows[i].CommuneCode)
		if !ok || code == "" {
			continue
		}
		for len(code) < 5 {
			code = "0" + code
		}
		if c, ok := units.Commune(admin.Current, code); ok {
			count[c.ProvinceCode]++
		} else if c, ok := units.Commune(admin.Legacy, code); ok {
			if next := units.Convert(c.Code); len(next) > 0 {
				count[next[0].ProvinceCode]++
			}
		}
	}
	best, n := "", 0
	for p, c := range count {
		if c > n || (c == n && p < best) {
			best, n = p, c
		}
	}
	return best
}

func (r *run) readPopulation(ctx context.Context) (int64, error) {
	rd, err := open(r, r.cfg.Population, record.PersonSchema)
	if err != nil {
		return 0, err
	}
	defer rd.Close()
	next := batches(rd, nil)
	first, ok, err := next()
	if err != nil {
		return 0, err
	}
	province := r.cfg.Province
	if province == "" {
		province = inferProvince(r.units, first)
	}
	r.res.Province = province
	r.chk = rules.NewChecker(r.units, province)
	r.builder = match.NewPopulationBuilder(int(max(rd.RowsHint(), int64(len(first)))))
	if ok {
		next = batches(rd, first)
	}
	var later int64
	type batch struct {
		rows []record.Person
		outs []personOut
	}
	err = ordered(ctx, r.cfg.Workers, func() (batch, bool, error) {
		rows, ok, err := next()
		return batch{rows: rows}, ok, err
	}, func(b batch) batch {
		b.outs = make([]personOut, len(b.rows))
		for i := range b.rows {
			if col, long := tooLong(record.PersonSchema, &b.rows[i]); long {
				b.outs[i].reject, b.outs[i].column = "value longer than 4096 bytes", col
				continue
			}
			normalizePerson(r.chk, &b.rows[i], &b.outs[i])
		}
		return b
	}, func(b batch) error {
		for i := range b.outs {
			o := &b.outs[i]
			if o.reject != "" {
				later++
				r.reject(record.Reject{Source: record.Population.String(), File: r.cfg.Population,
					RowNumber: b.rows[i].Row, Column: o.column, Reason: o.reject,
					Raw: rawRow(record.PersonSchema, &b.rows[i])})
				continue
			}
			r.builder.Add(&o.in)
			r.res.Findings = append(r.res.Findings, o.findings...)
		}
		r.progressRows("population", rd.Stats().Read)
		return nil
	})
	if err != nil {
		return 0, err
	}
	st := rd.Stats()
	r.counts(record.Population, r.cfg.Population, st, later)
	return st.Read, nil
}

func (r *run) progressRows(what string, n int64) {
	if n/100_000 != (n-batchSize)/100_000 {
		r.progressf("  %s: %d rows", what, n)
	}
}

func (r *run) index(context.Context) (int64, error) {
	r.pop = r.builder.Build()
	r.builder = nil
	r.chk.Pop = r.pop
	return int64(r.pop.Len()), nil
}

// readSources reads and normalises the tax, insurance and civil files.
func (r *run) readSources(ctx context.Context) (int64, error) {
	var total int64
	if r.cfg.Tax != "" {
		n, err := readSource(ctx, r, r.cfg.Tax, record.TaxSchema, func(t *record.TaxRecord) sourceFields {
			return sourceFields{record.Tax, t.TaxCode, t.IDNumber, t.FullName, t.BirthDate, t.Gender, t.Address, t.CommuneCode, t.Status}
		}, &r.tax)
		if err != nil {
			return 0, err
		}
		total += n
	}
	if r.cfg.Insurance != "" {
		n, err := readSource(ctx, r, r.cfg.Insurance, record.InsuranceSchema, func(t *record.InsuranceRecord) sourceFields {
			return sourceFields{record.Insurance, t.InsuranceCode, t.IDNumber, t.FullName, t.BirthDate, t.Gender, t.Address, t.CommuneCode, t.Status}
		}, &r.insurance)
		if err != nil {
			return 0, err
		}
		total += n
	}
	if r.cfg.Civil != "" {
		n, err := r.readCivil(ctx)
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

func readSource[T any](ctx context.Context, r *run, path string, schema record.Schema[T],
	fields func(*T) sourceFields, dst *[]rules.SourceRecord) (int64, error) {
	rd, err := open(r, path, schema)
	if err != nil {
		return 0, err
	}
	defer rd.Close()
	if n := rd.RowsHint(); n > 0 && *dst == nil {
		*dst = make([]rules.SourceRecord, 0, n)
	}
	var later int64
	type out struct {
		recs    []rules.SourceRecord
		reasons []string
		columns []string
	}
	type batch struct {
		rows []T
		out
	}
	next := batches(rd, nil)
	err = ordered(ctx, r.cfg.Workers, func() (batch, bool, error) {
		rows, ok, err := next()
		return batch{rows: rows}, ok, err
	}, func(b batch) batch {
		b.recs = make([]rules.SourceRecord, len(b.rows))
		b.reasons = make([]string, len(b.rows))
		b.columns = make([]string, len(b.rows))
		for i := range b.rows {
			if col, long := tooLong(schema, &b.rows[i]); long {
				b.reasons[i], b.columns[i] = "value longer than 4096 bytes", col
				continue
			}
			b.reasons[i], b.columns[i] = normalizeSource(r.chk, fields(&b.rows[i]), &b.recs[i])
		}
		return b
	}, func(b batch) error {
		for i := range b.rows {
			if b.reasons[i] != "" {
				later++
				r.reject(record.Reject{Source: schema.Source.String(), File: path,
					RowNumber: rowOf(schema, &b.rows[i]), Column: b.columns[i], Reason: b.reasons[i],
					Raw: rawRow(schema, &b.rows[i])})
				continue
			}
			*dst = append(*dst, b.recs[i])
		}
		r.progressRows(schema.Source.String(), rd.Stats().Read)
		return nil
	})
	if err != nil {
		return 0, err
	}
	st := rd.Stats()
	r.counts(schema.Source, path, st, later)
	return st.Read, nil
}

// rowOf returns a typed row's data row number.
func rowOf[T any](_ record.Schema[T], row *T) int64 {
	switch v := any(row).(type) {
	case *record.Person:
		return v.Row
	case *record.TaxRecord:
		return v.Row
	case *record.InsuranceRecord:
		return v.Row
	case *record.CivilEvent:
		return v.Row
	}
	return 0
}

// civilEvent is a normalised civil-status event.
type civilEvent struct {
	ev               record.CivilEvent
	date             normalize.Date
	subject, partner match.Record
	commune          string
}

func (r *run) readCivil(ctx context.Context) (int64, error) {
	rd, err := open(r, r.cfg.Civil, record.CivilSchema)
	if err != nil {
		return 0, err
	}
	defer rd.Close()
	if n := rd.RowsHint(); n > 0 {
		r.civil = make([]civilEvent, 0, n)
	}
	var later int64
	type batch struct {
		rows    []record.CivilEvent
		evs     []civilEvent
		reasons []string
		columns []string
	}
	next := batches(rd, nil)
	err = ordered(ctx, r.cfg.Workers, func() (batch, bool, error) {
		rows, ok, err := next()
		return batch{rows: rows}, ok, err
	}, func(b batch) batch {
		b.evs = make([]civilEvent, len(b.rows))
		b.reasons = make([]string, len(b.rows))
		b.columns = make([]string, len(b.rows))
		for i := range b.rows {
			if col, long := tooLong(record.CivilSchema, &b.rows[i]); long {
				b.reasons[i], b.columns[i] = "value longer than 4096 bytes", col
				continue
			}
			b.reasons[i], b.columns[i] = normalizeCivil(r.chk, &b.rows[i], &b.evs[i])
		}
		return b
	}, func(b batch) error {
		for i := range b.rows {
			if b.reasons[i] != "" {
				later++
				r.reject(record.Reject{Source: record.Civil.String(), File: r.cfg.Civil,
					RowNumber: b.rows[i].Row, Column: b.columns[i], Reason: b.reasons[i],
					Raw: rawRow(record.CivilSchema, &b.rows[i])})
				continue
			}
			r.civil = append(r.civil, b.evs[i])
		}
		r.progressRows("civil", rd.Stats().Read)
		return nil
	})
	if err != nil {
		return 0, err
	}
	st := rd.Stats()
	r.counts(record.Civil, r.cfg.Civil, st, later)
	return st.Read, nil
}

// normalizeCivil normalises one civil event.
func normalizeCivil(chk *rules.Checker, e *record.CivilEvent, out *civilEvent) (reason, column string) {
	typ := strings.ToLower(strings.TrimSpace(e.EventType))
	switch typ {
	case record.EventBirth, "khai sinh", "khai_sinh":
		typ = record.EventBirth
	case record.EventMarriage, "kết hôn", "ket hon", "ket_hon":
		typ = record.EventMarriage
	case record.EventDeath, "khai tử", "khai tu", "khai_tu":
		typ = record.EventDeath
	case record.EventDivorce, "ly hôn", "ly hon", "ly_hon":
		typ = record.EventDivorce
	default:
		return "unknown event type " + quote(e.EventType), "event_type"
	}
	date, err := normalize.ParseDate(e.EventDate)
	if err != nil && strings.TrimSpace(e.EventDate) != "" {
		return "unreadable event date: " + err.Error(), "event_date"
	}
	birth, err := normalize.ParseDate(e.SubjectBirthDate)
	if err != nil && strings.TrimSpace(e.SubjectBirthDate) != "" {
		return "unreadable birth date: " + err.Error(), "subject_birth_date"
	}
	gender, ok := normalize.ParseGender(e.SubjectGender)
	if !ok {
		return "unknown gender " + quote(e.SubjectGender), "subject_gender"
	}
	commune := sourceCommune(chk, e.RegCommuneCode, "")
	subjectName, shown, reason := readName(e.SubjectName)
	if reason != "" && e.SubjectName != "" {
		return reason, "subject_name"
	}
	for _, c := range [...]struct{ value, column string }{
		{e.PartnerName, "partner_name"}, {e.FatherName, "father_name"}, {e.MotherName, "mother_name"}} {
		if _, _, reason := readName(c.value); reason != "" && !utf8.ValidString(c.value) {
			return reason, c.column
		}
	}
	id, kind := sourceID(e.SubjectID)
	*out = civilEvent{ev: *e, date: date, commune: commune,
		subject: match.Record{ID: id, IDKind: kind, NameKey: subjectName.Key, Phonetic: subjectName.Phonetic,
			Birth: birth, Gender: gender, Commune: commune}}
	out.ev.EventType = typ
	out.ev.SubjectName = shown // decoded when legacy-encoded
	if typ == record.EventMarriage || typ == record.EventDivorce {
		pid, pkind := sourceID(e.PartnerID)
		pn, _, _ := readName(e.PartnerName)
		out.partner = match.Record{ID: pid, IDKind: pkind, NameKey: pn.Key, Phonetic: pn.Phonetic}
	}
	return "", ""
}
