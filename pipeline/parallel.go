package pipeline

import (
	"context"
	"sync"
)

// ordered runs work on every item next yields, on workers goroutines, and
// hands the results to emit in the order the items came, so the output of a
// run does not depend on the number of workers. At most 2×workers items are
// in flight. next returns ok=false when there are no more items.
//
// next is called on one goroutine, never concurrently with itself, and
// ordered returns only after that goroutine has finished, on every path
// (end of input, a read or emit error, cancellation): once ordered
// returns, the caller may close what next reads from. emit is called on
// the caller's goroutine.
func ordered[In, Out any](ctx context.Context, workers int, next func() (In, bool, error),
	work func(In) Out, emit func(Out) error) error {
	if workers < 1 {
		workers = 1
	}
	type job struct {
		seq int
		in  In
	}
	type result struct {
		seq int
		out Out
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan job)
	results := make(chan result, workers)
	slots := make(chan struct{}, 2*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				select {
				case results <- result{j.seq, work(j.in)}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	var readErr error
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		defer close(jobs)
		for seq := 0; ; seq++ {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			in, ok, err := next()
			if err != nil {
				readErr = err
				cancel()
				return
			}
			if !ok {
				return
			}
			select {
			case jobs <- job{seq, in}:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()

	pending := map[int]Out{}
	want := 0
	var emitErr error
	for r := range results {
		if emitErr != nil {
			continue // drain
		}
		pending[r.seq] = r.out
		for {
			out, ok := pending[want]
			if !ok {
				break
			}
			delete(pending, want)
			want++
			<-slots
			if err := emit(out); err != nil {
				emitErr = err
				cancel()
				break
			}
		}
	}
	// The workers may all have stopped on cancellation while the reader
	// is still inside next: wait for it.
	<-readerDone
	switch {
	case readErr != nil:
		return readErr
	case emitErr != nil:
		return emitErr
	}
	return ctx.Err()
}
