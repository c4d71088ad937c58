// Package verify reads fix lists returned from the field, with the officers'
// "Kết quả xác minh" filled in, into a verification ledger, and applies the
// ledger to the findings of a later run: findings confirmed not to be errors
// are not raised again, findings reported fixed that are still found are
// marked, and the officers' outcomes give each rule a measured precision.
//
// The ledger is a JSON Lines file (one Entry per line), appended to month
// after month; for a finding the latest entry wins.
package verify

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/agnivade/levenshtein"

	"github.com/doisanh/doisanh/normalize"
	"github.com/doisanh/doisanh/output"
	"github.com/doisanh/doisanh/record"
)

// Outcome is what an officer found for one finding.
type Outcome string

// Outcomes, in the order of output.Outcomes.
const (
	Fixed    Outcome = "fixed"     // Đúng là lỗi – đã sửa
	Open     Outcome = "open"      // Đúng là lỗi – chưa sửa
	NotError Outcome = "not_error" // Không phải lỗi
	NotFound Outcome = "not_found" // Không tìm thấy người
)

var outcomeOrder = []Outcome{Fixed, Open, NotError, NotFound}

// Label is the outcome as the fix list's drop-down writes it.
func (o Outcome) Label() string {
	if i := slices.Index(outcomeOrder, o); i >= 0 {
		return output.Outcomes[i]
	}
	return string(o)
}

// foldText is s without accents, lower case, with every run of characters
// other than letters and digits made one space.
func foldText(s string) string {
	f := normalize.AppendFold(nil, strings.ReplaceAll(strings.ReplaceAll(s, "đ", "d"), "Đ", "D"))
	var b strings.Builder
	space := false
	for _, c := range f {
		if 'a' <= c && c <= 'z' || '0' <= c && c <= '9' {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteByte(c)
			space = false
		} else {
			space = true
		}
	}
	return b.String()
}

// ParseOutcome reads an outcome as an officer wrote it: one of the
// drop-down's values, with or without accents, in any case, with typos
// (up to a quarter of the letters), or a common short form ("đã sửa",
// "không phải lỗi", "ko tìm thấy"). ok is false for an empty cell or text
// that matches no outcome well enough.
func ParseOutcome(s string) (o Outcome, ok bool) {
	f := foldText(s)
	if f == "" {
		return "", false
	}
	f = strings.NewReplacer("ko ", "khong ", "k ", "khong ", "kg ", "khong ").Replace(f + " ")
	f = strings.TrimSpace(f)
	switch {
	case strings.Contains(f, "khong phai loi") || f == "khong phai" || f == "sai" || f == "khong loi":
		return NotError, true
	case strings.Contains(f, "khong tim thay") || strings.Contains(f, "khong thay"):
		return NotFound, true
	case strings.Contains(f, "chua sua"):
		return Open, true
	case strings.Contains(f, "da sua") || f == "dung da sua":
		return Fixed, true
	}
	best, bestD := Outcome(""), 1<<30
	for i, label := range output.Outcomes {
		l := foldText(label)
		if d := levenshtein.ComputeDistance(f, l); d < bestD {
			best, bestD = outcomeOrder[i], d
		}
		// A short form: the part after "dung la loi".
		if short := strings.TrimPrefix(l, "dung la loi "); short != l {
			if d := levenshtein.ComputeDistance(f, short); d < bestD {
				best, bestD = outcomeOrder[i], d
			}
		}
	}
	if bestD*4 <= len(f) {
		return best, true
	}
	return "", false
}

// Entry is one verified finding in the ledger.
type Entry struct {
	FindingID string    `json:"finding_id"`
	Rule      string    `json:"rule"`
	Outcome   Outcome   `json:"outcome"`
	Written   string    `json:"written"` // the outcome as the officer wrote it
	Note      string    `json:"note,omitempty"`
	File      string    `json:"file"` // the returned list it came from
	Row       int       `json:"row"`  // 1-based row in its sheet or file
	Sheet     string    `json:"sheet,omitempty"`
	Imported  time.Time `json:"imported"`
}

// AppendLedger appends entries to the ledger at path, creating it.
func AppendLedger(path string, entries []Entry) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("ledger %s: %w", path, err)
	}
	bw := bufio.NewWriter(f)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for i := range entries {
		if err := enc.Encode(&entries[i]); err != nil {
			f.Close()
			return fmt.Errorf("ledger %s: %w", path, err)
		}
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("ledger %s: %w", path, err)
	}
	return f.Close()
}

// Ledger is the latest entry of every verified finding.
type Ledger map[string]Entry

// ReadLedger reads a ledger; for a finding the last entry wins.
func ReadLedger(path string) (Ledger, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("ledger %s: %w", path, err)
	}
	defer f.Close()
	return readLedger(f, path)
}

func readLedger(r io.Reader, path string) (Ledger, error) {
	l := Ledger{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var e Entry
		if err := json.Unmarshal(line, &e); err != nil {
			return nil, fmt.Errorf("ledger %s line %d: %w", path, n, err)
		}
		if e.FindingID == "" || !slices.Contains(outcomeOrder, e.Outcome) {
			return nil, fmt.Errorf("ledger %s line %d: no finding_id or unknown outcome %q", path, n, e.Outcome)
		}
		l[e.FindingID] = e
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("ledger %s: %w", path, err)
	}
	return l, nil
}

// Precision counts the officers' outcomes of one rule.
func (l Ledger) Precision() []output.RulePrecision {
	by := map[string]*output.RulePrecision{}
	for _, e := range l {
		p := by[e.Rule]
		if p == nil {
			p = &output.RulePrecision{Rule: e.Rule}
			by[e.Rule] = p
		}
		switch e.Outcome {
		case Fixed:
			p.Fixed++
		case Open:
			p.Open++
		case NotError:
			p.NotError++
		case NotFound:
			p.NotFound++
		}
	}
	var out []output.RulePrecision
	for _, p := range by {
		out = append(out, *p)
	}
	output.SortPrecision(out)
	return out
}

// Apply applies the ledger to the findings of a run: findings confirmed not
// to be errors are removed (and listed in the result's Dismissed), findings
// reported fixed that are found again get a note for the officer. It
// returns the findings kept, in their order, and the verification summary.
func Apply(fs []record.Finding, l Ledger, ledgerPath string) ([]record.Finding, *output.Verification) {
	v := &output.Verification{Ledger: ledgerPath, Entries: int64(len(l)), ByRule: l.Precision(), Notes: map[string]string{}}
	kept := fs[:0:0]
	for i := range fs {
		e, ok := l[fs[i].FindingID]
		switch {
		case ok && e.Outcome == NotError:
			v.Dismissed = append(v.Dismissed, fs[i].FindingID)
			continue
		case ok && e.Outcome == Fixed:
			v.Notes[fs[i].FindingID] = "Kỳ trước báo đã sửa (" + e.Imported.Local().Format("02/01/2006") + ") nhưng dữ liệu vẫn sai"
			v.ReRaised++
		case ok && e.Outcome == NotFound:
			v.Notes[fs[i].FindingID] = "Kỳ trước không tìm thấy người"
		}
		kept = append(kept, fs[i])
	}
	slices.Sort(v.Dismissed)
	return kept, v
}
