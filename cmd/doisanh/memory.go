package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/doisanh/doisanh/internal/memlimit"
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

// memoryPlan compares the memory the run of cfg needs with the limit: a
// run that cannot fit fails before it starts (with nothing written), one
// close to the limit is warned. It applies the limit as the Go runtime's
// soft limit and returns the function restoring the previous one.
func memoryPlan(cfg pipeline.Config, l memlimit.Limit, ui *progressUI) (pipeline.MemoryEstimate, func(), error) {
	est := pipeline.EstimateMemory(cfg)
	need := sizeText(est.Bytes, ui.lang)
	if !est.Exact {
		need = "≥ " + need
	}
	ui.say("memory: limit %s; this run needs about %s (%s people, %s source rows)",
		limitText(l, ui.lang), need, num(est.People), num(est.SourceRows))
	if l.Bytes != memlimit.Off && est.Bytes > l.Bytes {
		return est, nil, tooBig(est, l)
	}
	if l.Bytes != memlimit.Off && float64(est.Bytes) > warnShare*float64(l.Bytes) {
		ui.say("memory: the run needs more than %d%% of the limit; the garbage collector will work hard and the run be slower (a larger --memory-limit, if the machine has it, avoids that)", int(warnShare*100))
	}
	return est, memlimit.Apply(l), nil
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
func tooBig(est pipeline.MemoryEstimate, l memlimit.Limit) error {
	// A machine with 1/DefaultShare of the need has it under the default limit.
	size := int64(float64(est.Bytes) / memlimit.DefaultShare)
	machine, máy := "unknown", "không rõ"
	if l.Machine > 0 {
		machine, máy = memlimit.Format(l.Machine), sizeText(l.Machine, langVI)
	}
	return localized{
		en: fmt.Sprintf("the inputs (%s people, %s source rows) need about %s of memory, more than the memory limit of %s (this machine: %s); "+
			"nothing was written. Give a larger --memory-limit if the machine has the memory, or run on a machine with at least %s of RAM "+
			"(reconciling past the limit in partitions on disk is not available yet)",
			num(est.People), num(est.SourceRows), memlimit.Format(est.Bytes), memlimit.Format(l.Bytes), machine, memlimit.Format(size)),
		vi: fmt.Sprintf("dữ liệu đầu vào (%s người, %s dòng của các nguồn khác) cần khoảng %s bộ nhớ, vượt giới hạn %s (máy này: %s); "+
			"chưa ghi gì. Hãy đặt --memory-limit lớn hơn nếu máy đủ bộ nhớ, hoặc chạy trên máy có ít nhất %s RAM "+
			"(chưa hỗ trợ đối sánh từng phần trên đĩa khi vượt giới hạn)",
			num(est.People), num(est.SourceRows), sizeText(est.Bytes, langVI), sizeText(l.Bytes, langVI), máy, sizeText(size, langVI)),
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
