package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/doisanh/doisanh/internal/memlimit"
	"github.com/doisanh/doisanh/internal/spill"
	"github.com/doisanh/doisanh/pipeline"
)

// warnShare is the share of the memory limit past which a run is warned
// that the garbage collector will work hard (and the run be slower).
const warnShare = 0.8

// chooseMemoryLimit reads --memory-limit (flag, "" when not given) and
// GOMEMLIMIT; a bad value is a usage error.
func chooseMemoryLimit(flag string) (memlimit.Limit, error) {
	l, err := memlimit.Choose(flag, os.Getenv("GOMEMLIMIT"))
	if err != nil {
		return memlimit.Limit{}, usagef("%v", err)
	}
	return l, nil
}

// Spill modes of --spill.
const (
	spillAuto = "auto" // on disk when the run needs more than warnShare of the limit in memory
	spillOn   = "on"
	spillOff  = "off"
)

// memPlan is how a run uses memory: the estimate, whether it keeps part
// of its data on disk, and the function restoring the runtime's limit.
type memPlan struct {
	est     pipeline.MemoryEstimate
	spill   bool
	need    int64 // the live heap expected: est.Bytes, or est.Spilled when spilling
	restore func()
}

// memoryPlan compares the memory the run of cfg needs with the limit and
// decides, by --spill (mode), whether it keeps part of its data on disk:
// always (on), never (off), or when it needs more than warnShare of the
// limit in memory (auto). A run that cannot fit even so fails before it
// starts (with nothing written), one close to the limit is warned. It
// applies the limit as the Go runtime's soft limit, and lets the heap
// grow further between collections when it has room (memlimit.GCPercent).
func memoryPlan(cfg pipeline.Config, l memlimit.Limit, mode string, ui *progressUI) (memPlan, error) {
	est := pipeline.EstimateMemory(cfg)
	p := memPlan{est: est, need: est.Bytes, spill: mode == spillOn, restore: func() {}}
	limited := l.Bytes != memlimit.Off
	if mode == spillAuto && limited && float64(est.Bytes) > warnShare*float64(l.Heap()) {
		p.spill = true
	}
	if p.spill {
		p.need = est.Spilled
	}
	need := sizeText(p.need, ui.lang)
	if !est.Exact {
		need = "≥ " + need
	}
	ui.say("memory: limit %s; this run needs about %s (%s people, %s source rows)",
		limitText(l, ui.lang), need, count(ui.lang, est.People), count(ui.lang, est.SourceRows))
	if p.spill {
		ui.say("memory: part of the run is kept in temporary files on disk (--spill %s); in memory alone it would need about %s",
			mode, sizeText(est.Bytes, ui.lang))
		if est.Mapped > 0 {
			ui.say("memory: the register's people (%s) are mapped from a temporary file: the system keeps them in RAM while it has room",
				sizeText(est.Mapped, ui.lang))
		}
	}
	// The live heap is compared with what the runtime may use (the limit
	// less memlimit.Headroom), not with the whole limit.
	if limited && p.need > l.Heap() {
		return p, tooBig(est, p, l)
	}
	if limited && float64(p.need) > warnShare*float64(l.Heap()) {
		ui.say("memory: the run needs more than %d%% of the limit; the garbage collector will work hard and the run be slower (a larger --memory-limit, if the machine has it, avoids that)", int(warnShare*100))
	}
	if limited && p.spill && est.Mapped > 0 && p.need+est.Mapped > l.Heap() {
		ui.say("memory: with the mapped register the run may hold more than the limit (up to %s); the system can take the mapped part back when it needs the memory",
			sizeText(p.need+est.Mapped, ui.lang))
	}
	soft := goHeapLimit(l, p, est)
	if l.Heap()-soft >= l.Heap()/20 { // a mapping of a few per cent is not worth a line
		ui.say("memory: the Go heap is held to %s, leaving the rest to the mapped register", sizeText(soft, ui.lang))
	}
	restoreHeap := memlimit.ApplyHeap(soft)
	restoreGC := memlimit.ApplyGC(memlimit.GCPercent(soft, p.need))
	p.restore = func() { restoreGC(); restoreHeap() }
	return p, nil
}

// goHeapLimit is the Go runtime's soft limit for a run: what l leaves the
// heap (Limit.Heap), less the register mapped from disk when spilling, so
// that heap and mapped register together stay in the limit; but never
// below a quarter above the heap the run needs, since a heap held at its
// live size collects without end, and the mapped pages, unlike the heap,
// can be given back to the system. On a known machine the heap also
// leaves the mapped register and a tenth of the RAM (the system, the
// inputs' pages) in RAM, down to the heap the run needs: a heap that
// pushes the mapped pages out has them read back from disk one by one.
func goHeapLimit(l memlimit.Limit, p memPlan, est pipeline.MemoryEstimate) int64 {
	heap := l.Heap()
	if heap == memlimit.Off || !p.spill || est.Mapped == 0 {
		return heap
	}
	soft := min(heap, max(heap-est.Mapped, p.need+p.need/4))
	if l.Machine > 0 {
		soft = min(soft, max(p.need, l.Machine-est.Mapped-l.Machine/10))
	}
	return soft
}

// limitText is the limit described in the UI's language.
func limitText(l memlimit.Limit, lang string) string {
	if lang != langVI {
		return l.String()
	}
	switch {
	case l.Bytes == memlimit.Off:
		return "không giới hạn"
	case l.Source == memlimit.SourceDefault && l.Machine > 0:
		return fmt.Sprintf("%s (%.0f%% của %s RAM)", sizeText(l.Bytes, lang), memlimit.DefaultShare*100, sizeText(l.Machine, lang))
	case l.Source == memlimit.SourceEnv:
		return sizeText(l.Bytes, lang) + " (GOMEMLIMIT)"
	}
	return sizeText(l.Bytes, lang)
}

// sizeText is memlimit.Format with the decimal comma in Vietnamese, whose
// point groups thousands: "19,0 GB".
func sizeText(b int64, lang string) string {
	s := memlimit.Format(b)
	if lang == langVI {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// tooBig is the error of a run whose inputs need more memory than its limit.
func tooBig(est pipeline.MemoryEstimate, p memPlan, l memlimit.Limit) error {
	// A machine with 1/DefaultShare of the need (and the headroom) has it
	// under the default limit.
	size := int64(float64(p.need) / memlimit.DefaultShare / (1 - memlimit.Headroom))
	machine, máy := "unknown", "không rõ"
	if l.Machine > 0 {
		machine, máy = memlimit.Format(l.Machine), sizeText(l.Machine, langVI)
	}
	how, cách := "even with part of the run on disk (--spill)", "kể cả khi ghi tạm một phần ra đĩa (--spill)"
	if !p.spill {
		how, cách = "with everything in memory (--spill off)", "khi giữ toàn bộ trong bộ nhớ (--spill off)"
	}
	return localized{
		en: fmt.Sprintf("the inputs (%s people, %s source rows) need about %s of memory %s, more than the %s the memory limit of %s leaves for data (this machine: %s); "+
			"nothing was written. Give a larger --memory-limit if the machine has the memory, or run on a machine with at least %s of RAM",
			count(langEN, est.People), count(langEN, est.SourceRows), memlimit.Format(p.need), how, memlimit.Format(l.Heap()), memlimit.Format(l.Bytes), machine, memlimit.Format(size)),
		vi: fmt.Sprintf("dữ liệu đầu vào (%s người, %s dòng của các nguồn khác) cần khoảng %s bộ nhớ %s, vượt mức %s dành cho dữ liệu trong giới hạn %s (máy này: %s); "+
			"chưa ghi gì. Hãy đặt --memory-limit lớn hơn nếu máy đủ bộ nhớ, hoặc chạy trên máy có ít nhất %s RAM",
			count(langVI, est.People), count(langVI, est.SourceRows), sizeText(p.need, langVI), cách, sizeText(l.Heap(), langVI), sizeText(l.Bytes, langVI), máy, sizeText(size, langVI)),
	}
}

// memoryLimitValue is the limit as summary.json records it: bytes, or
// "off".
func memoryLimitValue(l memlimit.Limit) any {
	if l.Bytes == memlimit.Off {
		return "off"
	}
	return l.Bytes
}

// checkSpillMode is the usage check of --spill.
func checkSpillMode(mode string) error {
	switch mode {
	case "", spillAuto, spillOn, spillOff:
		return nil
	}
	return usagef("--spill %q: want on, off or auto", mode)
}

// openSpill creates the run's temporary directory under --tmp-dir (tmpDir),
// else under the output's temporary directory (outTmp, removed with it
// when a killed run left it). Under --tmp-dir it first removes what runs
// that were killed left there (only directories marked as doisanh's), and
// returns the warnings saying so.
func openSpill(tmpDir, outTmp string, ui *progressUI) (*spill.Dir, []string, error) {
	parent := outTmp
	var cleaned []string
	if tmpDir != "" {
		parent = tmpDir
		removed, err := spill.CleanStale(tmpDir)
		for _, p := range removed {
			w := fmt.Sprintf("removed %s, left by a run that was killed", p)
			if ui.lang == langVI {
				w = fmt.Sprintf("đã xóa %s, do một lần chạy bị dừng đột ngột để lại", p)
			}
			ui.say("%s", w)
			cleaned = append(cleaned, w)
		}
		if err != nil {
			return nil, cleaned, fmt.Errorf("--tmp-dir: %w", err)
		}
	}
	d, err := spill.Create(parent)
	if err != nil {
		if tmpDir != "" {
			return nil, cleaned, fmt.Errorf("--tmp-dir: %w", err)
		}
		return nil, cleaned, err
	}
	ui.say("temporary files: %s", d.Path())
	return d, cleaned, nil
}

// closeSpill removes the run's temporary directory, saying how large it
// grew; it may be called again (then it does nothing).
func closeSpill(d *spill.Dir, ui *progressUI) {
	if _, err := os.Stat(d.Path()); os.IsNotExist(err) {
		return
	}
	if err := d.Remove(); err != nil {
		ui.say("could not remove the temporary files %s: %v", d.Path(), err)
		return
	}
	ui.say("temporary files: at most %s on disk, removed", sizeText(d.Peak(), ui.lang))
}
