package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"

	"github.com/doisanh/doisanh/pipeline"
)

// heapProfiles writes heap profiles of a run for benchmarks/ (reconcile
// --memprofile): one after each stage and one once the outputs are
// written, each after a collection, so that its in-use figures are what
// the stage left live. The files are PREFIX.N-STAGE.pprof.
type heapProfiles struct {
	prefix string
	n      int
	err    error
}

// wrap returns a progress callback that calls next and writes a profile
// when a stage has finished.
func (h *heapProfiles) wrap(next func(pipeline.Progress)) func(pipeline.Progress) {
	return func(p pipeline.Progress) {
		next(p)
		if p.Finished && p.Source == "" {
			h.write(p.Stage)
		}
	}
}

// write writes the profile named after stage; the first error is kept.
func (h *heapProfiles) write(stage string) {
	if h.err != nil {
		return
	}
	h.n++
	name := fmt.Sprintf("%s.%d-%s.pprof", h.prefix, h.n, strings.ReplaceAll(stage, " ", "-"))
	f, err := os.Create(name)
	if err != nil {
		h.err = fmt.Errorf("--memprofile: %w", err)
		return
	}
	runtime.GC()
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		h.err = fmt.Errorf("--memprofile: %w", err)
	}
	if err := f.Close(); err != nil && h.err == nil {
		h.err = fmt.Errorf("--memprofile: %w", err)
	}
}

// startCPUProfile starts a CPU profile written to path (the hidden
// --cpuprofile of reconcile and generate: for benchmarks/ and for the
// build's default.pgo); stop ends it. An empty path profiles nothing.
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
