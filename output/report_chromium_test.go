package output

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

const chromium = "/usr/bin/chromium"

// runChromium runs headless Chromium with args and returns its stdout and
// stderr.
func runChromium(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	base := []string{"--headless", "--disable-gpu", "--no-sandbox", "--enable-logging=stderr", "--v=0",
		"--user-data-dir=" + t.TempDir(), "--virtual-time-budget=3000"}
	cmd := exec.CommandContext(ctx, chromium, append(base, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, errb.String())
	}
	return out.String(), errb.String()
}

// TestReportRendersInChromium opens report.html in headless Chromium and
// checks that the script ran (it sorts the commune table and marks it) and
// that nothing failed or tried to load.
func TestReportRendersInChromium(t *testing.T) {
	if _, err := os.Stat(chromium); err != nil {
		t.Skip("no headless Chromium at " + chromium + " (apt-get install chromium)")
	}
	if testing.Short() {
		t.Skip("Chromium is slow; skipped with -short")
	}
	out := writeRun(t, t.TempDir(), testFindings(), false)
	url := "file://" + filepath.Join(out, "report.html")

	dom, stderr := runChromium(t, "--dump-dom", url)
	for _, line := range strings.Split(stderr, "\n") {
		if strings.Contains(line, "Uncaught") || strings.Contains(line, "ERR_") {
			t.Errorf("chromium: %s", line)
		}
	}
	if !strings.Contains(dom, `data-js="ready"`) {
		t.Fatalf("the script did not run: no data-js=\"ready\" in\n%.2000s", dom)
	}
	// The script sorted the communes by findings per 1,000 residents,
	// highest first, and ranked them; the unknown commune is apart.
	re := regexp.MustCompile(`<tr data-rank="(\d+)"><td>([^<]*)</td>`)
	var got []string
	for _, m := range re.FindAllStringSubmatch(dom, -1) {
		got = append(got, m[1]+" "+m[2])
	}
	want := []string{"1 Phường Vinh Phú", "2 Xã Nghi Phong", "3 Xã Quỳnh Lưu"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("commune rows after the script = %q, want %q", got, want)
	}

	if !strings.Contains(dom, `id="unknown-commune"`) {
		t.Errorf("no separate line for the unknown commune")
	}
}

// overflowProbe, added to a copy of report.html, lists the elements that
// reach beyond the viewport once the page has loaded.
const overflowProbe = `<script>
window.addEventListener("load", function () {
  if (location.hash === "#print") { // apply the print rules, as printing would
    Array.prototype.forEach.call(document.styleSheets, function (sheet) {
      Array.prototype.forEach.call(sheet.cssRules, function (rule) {
        if (rule.media && rule.media.mediaText === "print") {
          Array.prototype.forEach.call(rule.cssRules, function (r) {
            if (r.selectorText) { sheet.insertRule(r.cssText, sheet.cssRules.length); }
          });
        }
      });
    });
  }
  var vw = document.documentElement.clientWidth, bad = [];
  document.querySelectorAll("body *").forEach(function (e) {
    var r = e.getBoundingClientRect();
    if (r.width > 0 && (r.right > vw + 0.5 || r.left < -0.5)) {
      bad.push(e.tagName + (e.id ? "#" + e.id : "") + "=" + Math.round(r.right));
    }
  });
  parent.postMessage({vw: String(window.innerWidth), client: String(vw), scroll: String(document.documentElement.scrollWidth), over: bad.slice(0, 12).join(" ")}, "*");
});
</script>
</body>`

// probeFrame shows the probed page in a frame of the width under test
// (headless Chromium will not make a window narrower than 500 px) and
// copies what the probe found onto its own body.
const probeFrame = `<!DOCTYPE html><html><body style="margin:0">
<iframe src="probe.html%s" style="border:0;width:%dpx;height:900px"></iframe>
<script>
window.addEventListener("message", function (e) {
  document.body.setAttribute("data-vw", e.data.vw);
  document.body.setAttribute("data-client", e.data.client);
  document.body.setAttribute("data-scroll", e.data.scroll);
  document.body.setAttribute("data-overflow", e.data.over);
});
</script></body></html>`

// TestReportFitsPhoneAndDesktop renders report.html at 390 px (a phone) and
// 1440 px wide and checks that no element is wider than the viewport; it
// also takes a screenshot at each width.
func TestReportFitsPhoneAndDesktop(t *testing.T) {
	if _, err := os.Stat(chromium); err != nil {
		t.Skip("no headless Chromium at " + chromium + " (apt-get install chromium)")
	}
	if testing.Short() {
		t.Skip("Chromium is slow; skipped with -short")
	}
	fs := testFindings()
	// Long values: a long commune name and a long input path.
	fs[5].CommuneName = "Phường Vinh Phú Có Một Tên Rất Dài Để Thử Xuống Dòng Trên Điện Thoại"
	out := writeRun(t, t.TempDir(), fs, false)
	page, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "probe.html"), []byte(strings.Replace(string(page), "</body>", overflowProbe, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	attr := func(dom, name string) string {
		m := regexp.MustCompile(name + `="([^"]*)"`).FindStringSubmatch(dom)
		if m == nil {
			return "?"
		}
		return m[1]
	}
	// A4 portrait less 12 mm margins is 186 mm: 703 CSS pixels.
	for _, c := range []struct {
		width int
		print bool
	}{{390, false}, {1440, false}, {703, true}} {
		width, hash := c.width, ""
		if c.print {
			hash = "#print"
		}
		size := fmt.Sprintf("--window-size=%d,900", max(width, 500)+20)
		frame := filepath.Join(dir, fmt.Sprintf("frame-%d.html", width))
		if err := os.WriteFile(frame, fmt.Appendf(nil, probeFrame, hash, width), 0o644); err != nil {
			t.Fatal(err)
		}
		dom, _ := runChromium(t, "--dump-dom", size, "file://"+frame)
		vw, client, scroll, over := attr(dom, "data-vw"), attr(dom, "data-client"), attr(dom, "data-scroll"), attr(dom, "data-overflow")
		if vw != strconv.Itoa(width) {
			t.Fatalf("%d px: the probe saw a viewport of %s px", width, vw)
		}
		// The page must fit the viewport less its scroll bar.
		if over != "" || scroll != client {
			t.Errorf("%d px: viewport %s (%s without scroll bar), page %s wide; elements beyond it: %s", width, vw, client, scroll, over)
		}
		png := filepath.Join(t.TempDir(), fmt.Sprintf("report-%d.png", width))
		runChromium(t, "--screenshot="+png, size, "file://"+frame)
		data, err := os.ReadFile(png)
		if err != nil {
			t.Fatal(err)
		}
		if len(data) < 10_000 || !bytes.HasPrefix(data, []byte("\x89PNG")) {
			t.Errorf("%d px: screenshot is %d bytes; want a non-trivial PNG", width, len(data))
		}
		if dir := os.Getenv("DOISANH_SCREENSHOTS"); dir != "" {
			os.WriteFile(filepath.Join(dir, filepath.Base(png)), data, 0o644)
		}
	}

	// Printed, it is A4.
	pdf := filepath.Join(dir, "report.pdf")
	runChromium(t, "--no-pdf-header-footer", "--print-to-pdf="+pdf, "file://"+filepath.Join(out, "report.html"))
	data, err := os.ReadFile(pdf)
	if err != nil {
		t.Fatal(err)
	}
	if boxes := regexp.MustCompile(`/MediaBox \[0 0 (\d+)\.?\d* (\d+)\.?\d*\]`).FindAllSubmatch(data, -1); len(boxes) == 0 {
		t.Errorf("printed report has no page")
	} else {
		for _, b := range boxes {
			if string(b[1]) != "594" || string(b[2]) != "841" {
				t.Errorf("printed page is %sx%s pt, want A4 portrait (595x842)", b[1], b[2])
			}
		}
	}
}
