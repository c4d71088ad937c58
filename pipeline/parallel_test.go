package pipeline

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func TestOrdered(t *testing.T) {
	for _, workers := range []int{1, 2, 7} {
		i := 0
		next := func() (int, bool, error) {
			if i == 1000 {
				return 0, false, nil
			}
			i++
			return i, true, nil
		}
		var got []int
		err := ordered(context.Background(), workers, next, func(n int) int { return n * n },
			func(n int) error { got = append(got, n); return nil })
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1000 {
			t.Fatalf("workers=%d: got %d results", workers, len(got))
		}
		for k, v := range got {
			if v != (k+1)*(k+1) {
				t.Fatalf("workers=%d: result %d = %d, out of order", workers, k, v)
			}
		}
	}
}

func TestOrderedErrors(t *testing.T) {
	boom := errors.New("boom")
	i := 0
	next := func() (int, bool, error) {
		i++
		if i == 50 {
			return 0, false, boom
		}
		return i, true, nil
	}
	err := ordered(context.Background(), 3, next, func(n int) int { return n }, func(int) error { return nil })
	if !errors.Is(err, boom) {
		t.Errorf("read error: got %v", err)
	}
	j := 0
	next2 := func() (int, bool, error) { j++; return j, j < 100, nil }
	err = ordered(context.Background(), 3, next2, func(n int) int { return n }, func(n int) error {
		if n == 10 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Errorf("emit error: got %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	k := 0
	next3 := func() (int, bool, error) { k++; return k, true, nil }
	if err := ordered(ctx, 2, next3, func(n int) int { return n }, func(int) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v", err)
	}
}

// TestOrderedWaitsForReader cancels while next is still reading and the
// worker is finishing an item: ordered must not return before next does,
// so that the caller may then close what next reads (a Reader's Close must
// never run beside its Next). A worker that sees the cancellation when it
// hands its result over may stop (select picks at random), so the case is
// tried several times.
func TestOrderedWaitsForReader(t *testing.T) {
	for round := range 12 {
		ctx, cancel := context.WithCancel(context.Background())
		var reading atomic.Bool
		calls := 0
		next := func() (int, bool, error) {
			reading.Store(true)
			defer reading.Store(false)
			calls++
			if calls == 3 {
				cancel() // while the worker is still on item 2
				time.Sleep(60 * time.Millisecond)
			}
			return calls, true, nil
		}
		work := func(n int) int {
			if n == 2 {
				time.Sleep(15 * time.Millisecond)
			}
			return n
		}
		err := ordered(ctx, 1, next, work, func(int) error { return nil })
		if reading.Load() {
			t.Fatalf("round %d: ordered returned while next was running", round)
		}
		if !errors.Is(err, context.Canceled) {
			t.Errorf("round %d: got %v", round, err)
		}
		cancel()
	}
}
