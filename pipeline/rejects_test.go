package pipeline

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/doisanh/doisanh/normalize"
	"github.com/doisanh/doisanh/record"
)

// writeMixedRejects writes a population CSV of n rows where every 7th row
// has a field too many (rejected by the reader) and every 5th row that is
// not one of those has an unreadable birth date (rejected by a worker). It
// returns the row numbers expected in rejects, in order.
func writeMixedRejects(t testing.TB, n int) (path string, want []int64) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "population.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "person_id,full_name,birth_date,gender")
	family := []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"}
	given := []string{"An", "Bình", "Cường", "Dung", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nga", "Phúc"}
	for i := 1; i <= n; i++ {
		name := family[i%len(family)] + " Văn " + given[(i/len(family))%len(given)]
		date := fmt.Sprintf("%02d/%02d/%d", 1+i%28, 1+(i/28)%12, 1940+(i/336)%70)
		switch {
		case i%7 == 0:
			fmt.Fprintf(w, "%012d,%s,%s,Nam,extra\n", i, name, date)
			want = append(want, int64(i))
		case i%5 == 0:
			fmt.Fprintf(w, "%012d,%s,99/99/1990,Nam\n", i, name)
			want = append(want, int64(i))
		default:
			fmt.Fprintf(w, "%012d,%s,%s,Nam\n", i, name, date)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path, want
}

// dateJob is a file job whose workers reject rows with an unreadable birth
// date, as readPopulation does, without the cost of normalising the rest.
func dateJob(path string, kept *int64, onKeep func()) fileJob[record.Person, int64] {
	return fileJob[record.Person, int64]{
		path:   path,
		schema: record.PersonSchema,
		work: func(rows []record.Person, outs []int64, verdicts []verdict) {
			for i := range rows {
				if verdicts[i].reason != "" {
					continue
				}
				if _, err := normalize.ParseDate(rows[i].BirthDate); err != nil {
					verdicts[i] = verdict{"unreadable birth date: " + err.Error(), "birth_date"}
					continue
				}
				outs[i] = rows[i].Row
			}
		},
		keep: func(*int64) {
			*kept++
			if onKeep != nil {
				onKeep()
			}
		},
	}
}

// TestReadFileMixedRejects reads reader rejects (wrong field count) and
// worker rejects (unreadable date) of one file on several workers; run it
// with -race. Every reject must be there exactly once, in row order, and
// the counts must add up, on every run.
func TestReadFileMixedRejects(t *testing.T) {
	n := 100_000
	if testing.Short() {
		n = 20_000
	}
	path, want := writeMixedRejects(t, n)
	for run := range 4 {
		r := &run_{Workers: 1 + run%3}
		var kept int64
		rows, err := readFile(context.Background(), r.run(), dateJob(path, &kept, nil))
		if err != nil {
			t.Fatal(err)
		}
		res := r.r.res
		if rows != int64(n) {
			t.Fatalf("run %d: read %d rows, want %d", run, rows, n)
		}
		c := res.Counts[0]
		if c.Read != c.Used+c.Rejected || c.Read != int64(n) {
			t.Fatalf("run %d: counts do not add up: %+v", run, c)
		}
		if c.Used != kept || c.Rejected != int64(len(res.Rejects)) {
			t.Fatalf("run %d: used %d kept %d, rejected %d written %d", run, c.Used, kept, c.Rejected, len(res.Rejects))
		}
		if len(res.Rejects) != len(want) {
			t.Fatalf("run %d: %d rejects, want %d", run, len(res.Rejects), len(want))
		}
		for i, rj := range res.Rejects {
			if rj.RowNumber != want[i] {
				t.Fatalf("run %d: reject %d is row %d, want %d (out of order or lost)", run, i, rj.RowNumber, want[i])
			}
			wantCol := "birth_date"
			if want[i]%7 == 0 {
				wantCol = ""
				if !strings.Contains(rj.Reason, "fields") {
					t.Fatalf("run %d: row %d: reason %q", run, rj.RowNumber, rj.Reason)
				}
			}
			if rj.Column != wantCol {
				t.Fatalf("run %d: row %d: column %q, want %q", run, rj.RowNumber, rj.Column, wantCol)
			}
		}
	}
}

// TestReadFileCancelled cancels a read half way: readFile must return the
// cancellation, and only after the reading goroutine is done (-race
// checks that Close does not run beside Next).
func TestReadFileCancelled(t *testing.T) {
	path, _ := writeMixedRejects(t, 30_000)
	for run := range 4 {
		ctx, cancel := context.WithCancel(context.Background())
		r := &run_{Workers: 1 + run%3}
		var kept int64
		var seen atomic.Int64
		_, err := readFile(ctx, r.run(), dateJob(path, &kept, func() {
			if seen.Add(1) == int64(1000*(run+1)) {
				cancel()
			}
		}))
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("run %d: got %v, want context.Canceled", run, err)
		}
		for i := 1; i < len(r.r.res.Rejects); i++ {
			if r.r.res.Rejects[i].RowNumber <= r.r.res.Rejects[i-1].RowNumber {
				t.Fatalf("run %d: rejects out of order at %d", run, i)
			}
		}
	}
}

// run_ builds the run state readFile needs.
type run_ struct {
	Workers int
	r       *run
}

func (x *run_) run() *run {
	x.r = &run{cfg: Config{Workers: x.Workers, MaxRejectRate: 1}, res: &Result{Links: map[string]int{}}}
	return x.r
}

// TestRunMixedRejects goes through Run: the population's counts and its
// rejects agree, in row order.
func TestRunMixedRejects(t *testing.T) {
	path, want := writeMixedRejects(t, 5000)
	for _, workers := range []int{1, 3} {
		res, err := Run(context.Background(), Config{Population: path, Workers: workers, MaxRejectRate: 1})
		if err != nil {
			t.Fatal(err)
		}
		c := res.Counts[0]
		if c.Read != 5000 || c.Read != c.Used+c.Rejected || c.Rejected != int64(len(res.Rejects)) {
			t.Fatalf("workers %d: counts %+v, %d rejects", workers, c, len(res.Rejects))
		}
		for i, rj := range res.Rejects {
			if rj.RowNumber != want[i] {
				t.Fatalf("workers %d: reject %d is row %d, want %d", workers, i, rj.RowNumber, want[i])
			}
		}
	}
}

// TestReadFileReusedBatches reads many batches whose arrays readFile uses
// again: a result work leaves unset, a verdict or a row of an earlier batch
// must never show through. Work sets a result only for every third row
// (batchSize is not a multiple of three, so the rows set move from batch
// to batch), and the spouse's name is blank in every eleventh row.
func TestReadFileReusedBatches(t *testing.T) {
	const n = 5*batchSize + 123
	path := filepath.Join(t.TempDir(), "population.csv")
	var b strings.Builder
	b.WriteString("person_id,full_name,birth_date,gender,spouse_name\n")
	for i := 1; i <= n; i++ {
		spouse := fmt.Sprintf("Trần Thị %d", i)
		if i%11 == 0 {
			spouse = ""
		}
		fmt.Fprintf(&b, "%012d,Nguyễn Văn %d,01/02/1990,Nam,%s\n", i, i, spouse)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	type out struct {
		row  int64
		name string
	}
	for _, workers := range []int{1, 3} {
		r := &run_{Workers: workers}
		var kept int64
		var bad []string
		_, err := readFile(context.Background(), r.run(), fileJob[record.Person, out]{
			path:   path,
			schema: record.PersonSchema,
			work: func(rows []record.Person, outs []out, verdicts []verdict) {
				for i := range rows {
					if verdicts[i].reason != "" {
						t.Errorf("row %d: verdict %q before any work", rows[i].Row, verdicts[i].reason)
					}
					if rows[i].Row%3 == 0 {
						outs[i] = out{rows[i].Row, rows[i].SpouseName}
					}
				}
			},
			keep: func(o *out) {
				kept++
				row := kept // every row is used, in file order
				want := out{}
				if row%3 == 0 {
					want = out{row, fmt.Sprintf("Trần Thị %d", row)}
					if row%11 == 0 {
						want.name = ""
					}
				}
				if *o != want && len(bad) < 5 {
					bad = append(bad, fmt.Sprintf("row %d: %+v, want %+v", row, *o, want))
				}
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		if kept != n || len(r.r.res.Rejects) != 0 {
			t.Fatalf("workers %d: kept %d of %d, %d rejects", workers, kept, n, len(r.r.res.Rejects))
		}
		if len(bad) > 0 {
			t.Fatalf("workers %d: results of an earlier batch show through:\n%s", workers, strings.Join(bad, "\n"))
		}
	}
}
