package pipeline

import (
	"cmp"
	"fmt"
	"github.com/doisanh/doisanh/internal/numfmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/doisanh/doisanh/record"
)

// DefaultMaxRejectRate is the share of a source's rows that may be rejected
// before the run fails (Config.MaxRejectRate).
const DefaultMaxRejectRate = 0.05

// NoRejectsAllowed, as Config.MaxRejectRate, fails a run on the first
// rejected row of any source (the command line's --max-reject-rate 0).
const NoRejectsAllowed = -1

// maxReasons is how many reasons an UnusableSourceError keeps.
const maxReasons = 5

// UnusableSourceError is the error of a run in which a source given to it
// is of no use: the file has no data row, no row of it could be used, or
// more of its rows were rejected than Config.MaxRejectRate allows. Such a
// run returns no Result, so that a header-only file, an export with the
// wrong columns or a file in an unexpected encoding does not replace a good
// result with one in which every finding looks fixed.
//
// Error is in English; Vietnamese is the same in Vietnamese. Both name the
// file, the columns and the commonest reasons with their counts, and say
// how to see every rejected row.
type UnusableSourceError struct {
	Source string // "population", "tax", "insurance" or "civil"
	File   string
	// Columns are the file's columns that the run reads, by canonical name.
	Columns []string
	// Read, Used and Rejected are the source's rows (Read = Used + Rejected).
	Read, Used, Rejected int64
	// Limit is the Config.MaxRejectRate applied (0 when no reject was
	// allowed); the rate check is off when it is 1 or more.
	Limit float64
	// Reasons are the commonest reasons for rejecting rows, commonest
	// first, at most five.
	Reasons []RejectReason
}

// RejectReason is one kind of reject of an UnusableSourceError: the rows of
// a column rejected for the same reason, values aside.
type RejectReason struct {
	Column string // canonical column name, "" when the row as a whole (CSV syntax)
	Reason string // the reason with quoted values and what follows ": " left out
	Count  int64
	// FirstRow and Example are the first row rejected so, and its reason
	// in full.
	FirstRow int64
	Example  string
}

// Kind tells which check an UnusableSourceError failed.
func (e *UnusableSourceError) Kind() string {
	switch {
	case e.Read == 0:
		return "no rows"
	case e.Used == 0:
		return "no usable row"
	}
	return "reject rate"
}

// Rate is the share of the source's rows rejected.
func (e *UnusableSourceError) Rate() float64 {
	if e.Read == 0 {
		return 0
	}
	return float64(e.Rejected) / float64(e.Read)
}

func (e *UnusableSourceError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s file %s: ", e.Source, e.File)
	switch e.Kind() {
	case "no rows":
		fmt.Fprintf(&b, "no data rows, only a header (columns %s)", strings.Join(e.Columns, ", "))
	case "no usable row":
		fmt.Fprintf(&b, "no usable row: all %d rows rejected", e.Read)
	default:
		fmt.Fprintf(&b, "%d of %d rows rejected (%.1f %%), more than --max-reject-rate allows (%.1f %%)",
			e.Rejected, e.Read, 100*e.Rate(), 100*max(e.Limit, 0))
	}
	if len(e.Reasons) > 0 {
		b.WriteString("; commonest reasons:")
		for _, r := range e.Reasons {
			fmt.Fprintf(&b, "\n  %s: %s: %d rows (first: row %d, %s)", columnOrRow(r.Column, "column ", "row"), r.Reason,
				r.Count, r.FirstRow, r.Example)
		}
	}
	b.WriteString("\nNothing was written to --out.")
	if e.Used > 0 {
		b.WriteString(" To see every rejected row in rejects.csv, run again with --max-reject-rate 1 and another --out.")
	} else if e.Read > 0 {
		b.WriteString(" Check the columns (doisanh columns " + e.Source + "), --mapping and --encoding.")
	}
	return b.String()
}

// Vietnamese is Error in Vietnamese, with counts grouped as the outputs
// write them (1.000) and the decimal comma.
func (e *UnusableSourceError) Vietnamese() string {
	var b strings.Builder
	fmt.Fprintf(&b, "tệp %s %s: ", sourceVI(e.Source), e.File)
	switch e.Kind() {
	case "no rows":
		fmt.Fprintf(&b, "không có dòng dữ liệu nào, chỉ có dòng tiêu đề (các cột %s)", strings.Join(e.Columns, ", "))
	case "no usable row":
		fmt.Fprintf(&b, "không dòng nào dùng được: cả %s dòng bị loại", numfmt.VI(e.Read))
	default:
		fmt.Fprintf(&b, "bị loại %s/%s dòng (%s %%), vượt ngưỡng --max-reject-rate (%s %%)",
			numfmt.VI(e.Rejected), numfmt.VI(e.Read), percentVI(e.Rate()), percentVI(max(e.Limit, 0)))
	}
	if len(e.Reasons) > 0 {
		b.WriteString("; lý do thường gặp nhất:")
		for _, r := range e.Reasons {
			fmt.Fprintf(&b, "\n  %s: %s: %s dòng (đầu tiên: dòng %s, %s)", columnOrRow(r.Column, "cột ", "cả dòng"),
				r.Reason, numfmt.VI(r.Count), strconv.FormatInt(r.FirstRow, 10), r.Example)
		}
	}
	b.WriteString("\nKhông ghi gì vào --out, kết quả cũ (nếu có) được giữ nguyên.")
	if e.Used > 0 {
		b.WriteString(" Để xem mọi dòng bị loại trong rejects.csv, chạy lại với --max-reject-rate 1 và một --out khác.")
	} else if e.Read > 0 {
		b.WriteString(" Kiểm tra tên cột (doisanh columns " + e.Source + "), --mapping và --encoding.")
	}
	return b.String()
}

// columnOrRow names a reason's column ("column full_name"), or the row
// as a whole when the reason has no column.
func columnOrRow(column, prefix, row string) string {
	if column == "" {
		return row
	}
	return prefix + column
}

// sourceVI names a source in Vietnamese.
func sourceVI(source string) string {
	switch source {
	case "population":
		return "dân cư"
	case "tax":
		return "thuế"
	case "insurance":
		return "BHXH"
	case "civil":
		return "hộ tịch"
	}
	return source
}

// percentVI writes a share as a percentage with one decimal and the
// decimal comma: 0.0512 is "5,1".
func percentVI(x float64) string {
	return strings.Replace(strconv.FormatFloat(100*x, 'f', 1, 64), ".", ",", 1)
}

// RejectLimit is the share of a source's rows that may be rejected under
// cfg.MaxRejectRate: 0 (none) for NoRejectsAllowed or any negative value,
// DefaultMaxRejectRate for 0; 1 or more means no limit.
func (cfg Config) RejectLimit() float64 {
	switch {
	case cfg.MaxRejectRate < 0:
		return 0
	case cfg.MaxRejectRate == 0:
		return DefaultMaxRejectRate
	}
	return cfg.MaxRejectRate
}

// checkUsable returns an *UnusableSourceError when a source is of no use:
// no data row, no usable row, or a share of rejected rows above limit
// (strictly; a limit of 1 or more turns this check off). rejects are the
// source's rejects, in row order.
func checkUsable(c Counts, columns []string, rejects []record.Reject, limit float64) error {
	rate := 0.0
	if c.Read > 0 {
		rate = float64(c.Rejected) / float64(c.Read)
	}
	if c.Read > 0 && c.Used > 0 && (limit >= 1 || rate <= limit) {
		return nil
	}
	return &UnusableSourceError{Source: c.Source, File: c.File, Columns: columns, Read: c.Read, Used: c.Used,
		Rejected: c.Rejected, Limit: limit, Reasons: rejectReasons(rejects)}
}

// valueInReason matches what a reject reason quotes of the value: a quoted
// string.
var valueInReason = regexp.MustCompile(`\s*"(?:[^"\\]|\\.)*"`)

// reasonKind is a reject reason without the value it quotes: "unreadable
// birth date: month 13" and "unknown gender \"X\"" become "unreadable
// birth date" and "unknown gender".
func reasonKind(reason string) string {
	if i := strings.Index(reason, ": "); i >= 0 {
		reason = reason[:i]
	}
	return strings.TrimSpace(valueInReason.ReplaceAllString(reason, ""))
}

// rejectReasons groups rejects by column and reason kind, commonest first
// (then by first row), and keeps maxReasons of them.
func rejectReasons(rejects []record.Reject) []RejectReason {
	type key struct{ column, reason string }
	at := map[key]int{}
	var out []RejectReason
	for i := range rejects {
		rj := &rejects[i]
		k := key{rj.Column, reasonKind(rj.Reason)}
		if j, ok := at[k]; ok {
			out[j].Count++
			continue
		}
		at[k] = len(out)
		out = append(out, RejectReason{Column: k.column, Reason: k.reason, Count: 1, FirstRow: rj.RowNumber,
			Example: rj.Reason})
	}
	slices.SortStableFunc(out, func(a, b RejectReason) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.FirstRow, b.FirstRow))
	})
	return out[:min(len(out), maxReasons)]
}

// blankColumns tracks which columns of a file have held a value in no row
// so far.
type blankColumns[T any] struct {
	cols []record.Column[T] // the columns not yet seen with a value
	rows int64
}

// newBlankColumns tracks the columns of schema that the file has (names).
func newBlankColumns[T any](schema record.Schema[T], names []string) *blankColumns[T] {
	b := &blankColumns[T]{}
	for _, c := range schema.Columns {
		if slices.Contains(names, c.Name) {
			b.cols = append(b.cols, c)
		}
	}
	return b
}

// see looks at one row.
func (b *blankColumns[T]) see(row *T) {
	b.rows++
	for i := 0; i < len(b.cols); {
		if strings.TrimSpace(*b.cols[i].Field(row)) != "" {
			b.cols = slices.Delete(b.cols, i, i+1)
			continue
		}
		i++
	}
}

// minBlankRows is the fewest rows in which a blank column is worth a
// warning: in a smaller file an optional column (old_id, the parents) is
// often blank in every row and says nothing about the export.
const minBlankRows = 100

// names returns the columns blank in every row seen, none when fewer than
// minBlankRows rows were seen.
func (b *blankColumns[T]) names() []string {
	if b.rows < minBlankRows {
		return nil
	}
	out := make([]string, len(b.cols))
	for i, c := range b.cols {
		out[i] = c.Name
	}
	return out
}
