package main

import (
	"fmt"
	"github.com/doisanh/doisanh/internal/numfmt"
	"io"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/doisanh/doisanh/pipeline"
)

// Languages of the messages on the terminal.
const (
	langVI = "vi"
	langEN = "en"
)

// viMessages are the Vietnamese forms of the progress messages, keyed by
// their English format. A message without an entry is shown in English.
var viMessages = map[string]string{
	"read population":                       "đọc dữ liệu dân cư",
	"index":                                 "lập chỉ mục",
	"train":                                 "học mô hình liên kết",
	"link sources":                          "liên kết các nguồn",
	"rules":                                 "áp dụng quy tắc",
	"addresses":                             "tìm địa chỉ của người có phát hiện",
	"population":                            "dân cư",
	"tax":                                   "thuế",
	"insurance":                             "BHXH",
	"civil":                                 "hộ tịch",
	"%s...":                                 "%s...",
	"%s: %s rows in %s":                     "%s: %s dòng trong %s",
	"%s: %s rows":                           "%s: %s dòng",
	"reading %s: %s rows (%d%%)":            "đọc %s: %s dòng (%d%%)",
	"reading %s: %s rows":                   "đọc %s: %s dòng",
	"reading %s":                            "đọc %s",
	"writing %s findings and %s rejects...": "đang ghi %s phát hiện và %s dòng bị loại...",
	"verified: %s findings confirmed not errors not raised again":                                                     "sổ xác minh: %s trường hợp đã xác minh không phải lỗi không đưa lại",
	"could not remove %s: %v":                                                                                         "không xóa được %s: %v",
	"run did not finish; the previous result in %s (if any) is untouched":                                             "lần chạy chưa xong; kết quả cũ trong %s (nếu có) được giữ nguyên",
	"generating a synthetic province of %s people into %s":                                                            "đang sinh dữ liệu mẫu %s người vào %s",
	"memory: limit %s; this run needs about %s (%s people, %s source rows)":                                           "bộ nhớ: giới hạn %s; lần chạy này cần khoảng %s (%s người, %s dòng của các nguồn khác)",
	"memory: part of the run is kept in temporary files on disk (--spill %s); in memory alone it would need about %s": "bộ nhớ: một phần dữ liệu được ghi tạm ra đĩa (--spill %s); nếu giữ toàn bộ trong bộ nhớ sẽ cần khoảng %s",
	"temporary files: %s":                          "tệp tạm: %s",
	"removed %s, left by a run that was killed":    "đã xóa %s, do một lần chạy bị dừng đột ngột để lại",
	"temporary files: at most %s on disk, removed": "tệp tạm: tối đa %s trên đĩa, đã xóa",
	"could not remove the temporary files %s: %v":  "không xóa được tệp tạm %s: %v",
	"memory: the register's people (%s) are mapped from a temporary file: the system keeps them in RAM while it has room":                                 "bộ nhớ: danh sách công dân (%s) được ánh xạ từ một tệp tạm: hệ điều hành giữ trong RAM khi còn chỗ",
	"memory: with the mapped register the run may hold more than the limit (up to %s); the system can take the mapped part back when it needs the memory": "bộ nhớ: cùng phần ánh xạ, lần chạy có thể giữ quá giới hạn (tới %s); hệ điều hành lấy lại được phần ánh xạ khi cần bộ nhớ",
	"%s: %s sorted": "%s: đã sắp xếp %s",
	"%s: %s done":   "%s: xong %s",
	"memory: the Go heap is held to %s, leaving the rest to the mapped register":                                                                                                  "bộ nhớ: vùng nhớ Go được giữ trong %s, phần còn lại dành cho phần ánh xạ",
	"memory: the run needs more than %d%% of the limit; the garbage collector will work hard and the run be slower (a larger --memory-limit, if the machine has it, avoids that)": "bộ nhớ: lần chạy cần hơn %d%% giới hạn; bộ thu gom rác sẽ làm việc nhiều và chạy chậm hơn (đặt --memory-limit lớn hơn nếu máy đủ bộ nhớ)",
}

// viOutput rewrites the messages of output.Dir, which arrive formatted.
var viOutput = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`^wrote (\S+) fix lists$`), "đã ghi $1 danh sách xã/phường"},
	{regexp.MustCompile(`^wrote (\S+) findings$`), "đã ghi $1 phát hiện"},
	{regexp.MustCompile(`^wrote (\S+) rejects$`), "đã ghi $1 dòng bị loại"},
	{regexp.MustCompile(`^wrote (.+)$`), "đã ghi $1"},
	{regexp.MustCompile(`^removed (.+), left by an interrupted run$`), "đã xóa $1, do một lần chạy bị ngắt để lại"},
	{regexp.MustCompile(`^restored the previous result from (.+)$`), "đã khôi phục kết quả cũ từ $1"},
	// synth, for demo and generate
	{regexp.MustCompile(`^model: (\d+) people, (\d+) households, (\d+) tax, (\d+) insurance, (\d+) civil events \((.*)\)$`),
		"mô hình: $1 người, $2 hộ, $3 bản ghi thuế, $4 BHXH, $5 sự kiện hộ tịch ($6)"},
	{regexp.MustCompile(`^defects: (\d+) injected, (\d+) fixed in the field \((.*)\)$`), "lỗi cài sẵn: $1, đã sửa tại địa bàn: $2 ($3)"},
	{regexp.MustCompile(`^shard (\d+)/(\d+): (\d+) people, (\d+) households, (\d+) defects \(model (\S+), defects (\S+), write (\S+); (\S+) in all\)$`),
		"phần $1/$2: $3 người, $4 hộ, $5 lỗi cài sẵn (mô hình $6, cài lỗi $7, ghi $8; tổng $9)"},
	{regexp.MustCompile(`^write: (.*) \((.*)\)$`), "ghi tệp: $1 ($2)"},
	{regexp.MustCompile(`^done in (\S+): (.*)$`), "xong trong $1: $2"},
}

// progressUI shows a run's progress on w: a bar with percentage and time
// left for each file read when w is a terminal, plain lines otherwise
// (piped, redirected, in tests). Nil w shows nothing.
type progressUI struct {
	w    io.Writer
	lang string
	tty  bool

	mu      sync.Mutex
	bar     *progressbar.ProgressBar
	source  string // source of the bar or of the last line
	lastPct int64  // last percentage printed as a line
	lastN   int64
	// began is when the current stage began: the parts of a stage
	// (pipeline.Progress.Part) are shown only once it has run partAfter.
	began time.Time
}

// partAfter is how long a stage runs before the parts it has done are
// shown: a stage of a second says nothing more than its start and end.
const partAfter = 5 * time.Second

func newProgressUI(w io.Writer, lang string) *progressUI {
	p := &progressUI{w: w, lang: lang}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.tty = true
	}
	return p
}

// tr returns the message format in the UI's language.
func (p *progressUI) tr(format string) string {
	if p.lang == langVI {
		if s, ok := viMessages[format]; ok {
			return s
		}
	}
	return format
}

// count formats a count for a reader of lang: 4.524 in Vietnamese, 4,524
// in English, so that a count and a size ("4.0 GB") on one English line do
// not read alike.
func count[T ~int | ~int64](lang string, n T) string {
	if lang == langEN {
		return numfmt.EN(n)
	}
	return numfmt.VI(n)
}

// seconds formats a duration in seconds with the decimal comma in Vietnamese.
func (p *progressUI) seconds(s float64) string { return seconds(p.lang, s) }

// seconds formats a duration in seconds for a reader of lang: "1,5 giây", "1.5s".
func seconds(lang string, s float64) string {
	if lang == langVI {
		return strings.Replace(fmt.Sprintf("%.1f giây", s), ".", ",", 1)
	}
	return fmt.Sprintf("%.1fs", s)
}

// say prints one message line (format is the English key of viMessages).
func (p *progressUI) say(format string, args ...any) {
	if p == nil || p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.finishBar()
	p.source = ""
	fmt.Fprintf(p.w, "doisanh: "+p.tr(format)+"\n", args...)
}

// bareNumber is a count of four digits or more standing alone in a message.
var bareNumber = regexp.MustCompile(`(^|[ (])(\d{4,})([ ,;)]|$)`)

// groupNumbers writes the bare counts of a message with the grouping of
// every other count in lang: 50150 becomes 50.150 (50,150 in English).
func groupNumbers(msg, lang string) string {
	return bareNumber.ReplaceAllStringFunc(msg, func(m string) string {
		sub := bareNumber.FindStringSubmatch(m)
		var n int64
		fmt.Sscan(sub[2], &n)
		return sub[1] + count(lang, n) + sub[3]
	})
}

// output shows a message of output.Dir or synth, which arrive formatted.
func (p *progressUI) output(msg string) {
	if p == nil || p.w == nil {
		return
	}
	if p.lang == langVI {
		for _, m := range viOutput {
			if m.re.MatchString(msg) {
				msg = m.re.ReplaceAllString(msg, m.repl)
				break
			}
		}
	}
	msg = groupNumbers(msg, p.lang)
	p.say("%s", msg)
}

func (p *progressUI) finishBar() {
	if p.bar != nil {
		p.bar.Finish()
		fmt.Fprintln(p.w)
		p.bar = nil
	}
}

// event shows one pipeline progress event.
func (p *progressUI) event(e pipeline.Progress) {
	if p == nil || p.w == nil {
		return
	}
	switch {
	case e.Part != "" && time.Since(p.began) < partAfter:
	case e.Part != "" && e.Stage == "index":
		p.say("%s: %s sorted", p.tr(e.Stage), e.Part)
	case e.Part != "":
		p.say("%s: %s done", p.tr(e.Stage), e.Part)
	case e.Source == "" && !e.Finished:
		p.began = time.Now()
		p.say("%s...", p.tr(e.Stage))
	case e.Source == "":
		p.say("%s: %s rows in %s", p.tr(e.Stage), count(p.lang, e.Done), p.seconds(e.Seconds))
	default:
		p.rows(e)
	}
}

// rows shows rows of a source read so far.
func (p *progressUI) rows(e pipeline.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	src := p.tr(e.Source)
	if e.Source != p.source {
		p.finishBar()
		p.source, p.lastPct, p.lastN = e.Source, -1, 0
		if p.tty {
			total := e.Total
			if total <= 0 {
				total = -1 // unknown: a spinner
			}
			p.bar = progressbar.NewOptions64(total,
				progressbar.OptionSetWriter(p.w),
				progressbar.OptionSetDescription(fmt.Sprintf(p.tr("reading %s"), src)),
				progressbar.OptionSetPredictTime(true),
				progressbar.OptionShowElapsedTimeOnFinish(),
				progressbar.OptionSetWidth(30),
				progressbar.OptionThrottle(100*time.Millisecond),
			)
		}
	}
	if p.bar != nil {
		p.bar.Set64(e.Done)
		if e.Total > 0 {
			p.bar.Describe(fmt.Sprintf(p.tr("reading %s: %s rows"), src, count(p.lang, e.Done)+"/"+count(p.lang, e.Total)))
		} else {
			p.bar.Describe(fmt.Sprintf(p.tr("reading %s: %s rows"), src, count(p.lang, e.Done)))
		}
		return
	}
	// Plain lines: every 10 % of a file of known size, else every 100.000 rows.
	if e.Total > 0 {
		pct := e.Done * 100 / e.Total
		if pct/10 != p.lastPct/10 || e.Done == e.Total && p.lastPct != 100 {
			p.lastPct = pct
			fmt.Fprintf(p.w, "doisanh: "+p.tr("reading %s: %s rows (%d%%)")+"\n", src, count(p.lang, e.Done)+"/"+count(p.lang, e.Total), pct)
		}
		return
	}
	if e.Done/100_000 != p.lastN/100_000 {
		fmt.Fprintf(p.w, "doisanh: "+p.tr("reading %s: %s rows")+"\n", src, count(p.lang, e.Done))
	}
	p.lastN = e.Done
}

// done ends a bar left open.
func (p *progressUI) done() {
	if p == nil || p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.finishBar()
}
