package pipeline

import (
	"context"
	"errors"
	"testing"
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
