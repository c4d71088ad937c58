package normalize

import (
	"encoding/csv"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/doisanh/doisanh/admin"
)

type corpusRow struct{ class, address, code, note string }

// addressCorpusPath is the corpus read by TestAddressCorpus; the environment
// variable DOISANH_ADDRESS_CORPUS names another file of the same columns
// (to measure a set that cannot be committed).
func addressCorpusPath() string {
	if p := os.Getenv("DOISANH_ADDRESS_CORPUS"); p != "" {
		return p
	}
	return "../testdata/addresses/messy.tsv"
}

func readAddressCorpus(t testing.TB) []corpusRow {
	t.Helper()
	f, err := os.Open(addressCorpusPath())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = '\t'
	r.LazyQuotes = true
	r.FieldsPerRecord = 4
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var rows []corpusRow
	for _, rec := range recs[1:] {
		rows = append(rows, corpusRow{rec[0], rec[1], rec[2], rec[3]})
	}
	return rows
}

// confidentAt is the confidence from which an answer counts as confident:
// the pipeline may act on it without an officer looking.
const confidentAt = 0.8

// TestAddressCorpus resolves the messy addresses of testdata/addresses: at
// least 90 % must name their labelled legacy commune, and at least 99 % of
// the answers given with confidence >= confidentAt must be right.
func TestAddressCorpus(t *testing.T) {
	p := testAddressParser(t, "")
	rows := readAddressCorpus(t)
	if len(rows) < 300 && os.Getenv("DOISANH_ADDRESS_CORPUS") == "" {
		t.Fatalf("corpus has %d rows, want >= 300", len(rows))
	}
	type stat struct{ n, ok, conf, confOK int }
	by := map[string]*stat{}
	var all stat
	for _, row := range rows {
		r := p.Parse(row.address)
		ok := len(r.Legacy) == 1 && r.Legacy[0].Code == row.code
		st := by[row.class]
		if st == nil {
			st = &stat{}
			by[row.class] = st
		}
		for _, s := range []*stat{st, &all} {
			s.n++
			if ok {
				s.ok++
			}
			if r.Confidence >= confidentAt {
				s.conf++
				if ok {
					s.confOK++
				}
			}
		}
		if !ok {
			got := ""
			for _, c := range r.Legacy {
				got += " " + c.Code + " " + c.Name + "/" + c.DistrictName
			}
			t.Logf("MISS %-9s %q want %s: %v %.2f%s; %s", row.class, row.address, row.code, r.Status, r.Confidence, got, r.Reason)
		} else if r.Confidence >= confidentAt && testing.Verbose() {
			t.Logf("ok   %-9s %q %.2f %s", row.class, row.address, r.Confidence, r.Reason)
		}
	}
	// How often an answer is right at each confidence.
	var buckets [4]struct{ n, ok int }
	for _, row := range rows {
		r := p.Parse(row.address)
		ok := len(r.Legacy) == 1 && r.Legacy[0].Code == row.code
		i := 0
		switch {
		case r.Confidence >= 0.9:
			i = 3
		case r.Confidence >= confidentAt:
			i = 2
		case r.Confidence >= 0.5:
			i = 1
		}
		buckets[i].n++
		if ok {
			buckets[i].ok++
		}
	}
	var cb strings.Builder
	cb.WriteString("| confidence | answers | right |\n|---|---|---|\n")
	for i, name := range []string{"< 0.5", "0.5-0.8", "0.8-0.9", ">= 0.9"} {
		fmt.Fprintf(&cb, "| %s | %d | %d |\n", name, buckets[i].n, buckets[i].ok)
	}
	t.Log("\n" + cb.String())
	classes := make([]string, 0, len(by))
	for c := range by {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	var b strings.Builder
	fmt.Fprintf(&b, "| class | rows | right commune | confident | right when confident |\n|---|---|---|---|---|\n")
	for _, c := range append(classes, "all") {
		s := by[c]
		if c == "all" {
			s = &all
		}
		fmt.Fprintf(&b, "| %s | %d | %d (%.1f %%) | %d | %d (%.1f %%) |\n", c, s.n, s.ok, 100*float64(s.ok)/float64(s.n), s.conf, s.confOK, 100*float64(s.confOK)/float64(max(1, s.conf)))
	}
	t.Log("\n" + b.String())
	if all.ok*100 < all.n*90 {
		t.Errorf("%d of %d addresses resolved to their commune (%.1f %%), want >= 90 %%", all.ok, all.n, 100*float64(all.ok)/float64(all.n))
	}
	if all.confOK*100 < all.conf*99 {
		t.Errorf("%d of %d confident answers right (%.1f %%), want >= 99 %%", all.confOK, all.conf, 100*float64(all.confOK)/float64(all.conf))
	}
}

// BenchmarkParseAddressCorpus is the per-address cost over the messy corpus:
// "cold" parses every address afresh (the memo off), "memo" parses the
// corpus again and again the way the pipeline meets repeated addresses.
func BenchmarkParseAddressCorpus(b *testing.B) {
	rows := readAddressCorpus(b)
	for _, bc := range []struct {
		name string
		memo int
	}{{"cold", -1}, {"memo", 0}} {
		p := NewAddressParser(admin.Default(), AddressOptions{MemoSize: bc.memo})
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				addrSink = p.Parse(rows[i%len(rows)].address)
				i++
			}
		})
	}
}
