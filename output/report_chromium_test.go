package output

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
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
	// The script sorted the communes by total, most first, and ranked them.
	re := regexp.MustCompile(`<tr data-rank="(\d+)"><td>([^<]*)</td>`)
	var got []string
	for _, m := range re.FindAllStringSubmatch(dom, -1) {
		got = append(got, m[1]+" "+m[2])
	}
	want := []string{"1 Xã Nghi Phong", "2 Phường Vinh Phú", "3 Chưa xác định", "4 Xã Quỳnh Lưu"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("commune rows after the script = %q, want %q", got, want)
	}

	png := filepath.Join(t.TempDir(), "report.png")
	runChromium(t, "--screenshot="+png, "--window-size=1200,1600", url)
	data, err := os.ReadFile(png)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) < 10_000 || !bytes.HasPrefix(data, []byte("\x89PNG")) {
		t.Errorf("screenshot is %d bytes; want a non-trivial PNG", len(data))
	}
}
