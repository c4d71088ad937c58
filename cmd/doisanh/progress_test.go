package main

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/doisanh/doisanh/pipeline"
)

// TestProgressLines: piped (not a terminal), progress is plain lines, in
// Vietnamese or English, numbers grouped one way.
func TestProgressLines(t *testing.T) {
	events := []pipeline.Progress{
		{Stage: "read population"},
		{Source: "population", Done: 4096, Total: 10000},
		{Source: "population", Done: 8192, Total: 10000},
		{Source: "population", Done: 10000, Total: 10000},
		{Stage: "read population", Done: 10000, Finished: true, Seconds: 1.25},
		{Source: "tax", Done: 150_000},
		{Source: "tax", Done: 250_000},
	}
	tests := []struct {
		lang string
		want []string
	}{
		{langVI, []string{
			"doisanh: đọc dữ liệu dân cư...",
			"doisanh: đọc dân cư: 4.096/10.000 dòng (40%)",
			"doisanh: đọc dân cư: 8.192/10.000 dòng (81%)",
			"doisanh: đọc dân cư: 10.000/10.000 dòng (100%)",
			"doisanh: đọc dữ liệu dân cư: 10.000 dòng trong 1,2 giây",
			"doisanh: đọc thuế: 150.000 dòng",
			"doisanh: đọc thuế: 250.000 dòng",
		}},
		{langEN, []string{
			"doisanh: read population...",
			"doisanh: reading population: 4,096/10,000 rows (40%)",
			"doisanh: reading population: 8,192/10,000 rows (81%)",
			"doisanh: reading population: 10,000/10,000 rows (100%)",
			"doisanh: read population: 10,000 rows in 1.2s",
			"doisanh: reading tax: 150,000 rows",
			"doisanh: reading tax: 250,000 rows",
		}},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		ui := newProgressUI(&buf, tt.lang)
		if ui.tty {
			t.Fatal("a buffer is not a terminal")
		}
		for _, e := range events {
			ui.event(e)
		}
		ui.output("wrote 1234 fix lists")
		ui.done()
		got := strings.Split(strings.TrimSpace(buf.String()), "\n")
		want := append(tt.want, map[string]string{langVI: "doisanh: đã ghi 1.234 danh sách xã/phường", langEN: "doisanh: wrote 1,234 fix lists"}[tt.lang])
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s:\n got %q\nwant %q", tt.lang, got, want)
		}
	}
}

// TestProgressParts: the parts of a stage are shown once it has run
// partAfter, not before.
func TestProgressParts(t *testing.T) {
	for _, tt := range []struct {
		lang string
		ran  time.Duration
		want []string
	}{
		{langEN, 0, []string{"doisanh: index...", "doisanh: rules..."}},
		{langEN, partAfter, []string{"doisanh: index...", "doisanh: index: 3/7 sorted", "doisanh: rules...", "doisanh: rules: DUP_ID done"}},
		{langVI, partAfter, []string{"doisanh: lập chỉ mục...", "doisanh: lập chỉ mục: đã sắp xếp 3/7", "doisanh: áp dụng quy tắc...",
			"doisanh: áp dụng quy tắc: xong DUP_ID"}},
	} {
		var buf bytes.Buffer
		ui := newProgressUI(&buf, tt.lang)
		for _, e := range []pipeline.Progress{{Stage: "index"}, {Stage: "index", Part: "3/7"}, {Stage: "rules"}, {Stage: "rules", Part: "DUP_ID", Done: 12}} {
			ui.event(e)
			if e.Part == "" {
				ui.began = ui.began.Add(-tt.ran) // the stage has run that long
			}
		}
		if got := strings.Split(strings.TrimSpace(buf.String()), "\n"); !slices.Equal(got, tt.want) {
			t.Errorf("%s, stages of %v: got %q, want %q", tt.lang, tt.ran, got, tt.want)
		}
	}
}

func TestGroupNumbersEN(t *testing.T) {
	in, want := "write: population 50150, tax 24685 (866ms)", "write: population 50,150, tax 24,685 (866ms)"
	if got := groupNumbers(in, langEN); got != want {
		t.Errorf("groupNumbers(%q, en) = %q, want %q", in, got, want)
	}
}

func TestGroupNumbers(t *testing.T) {
	for in, want := range map[string]string{
		"write: population 50150, tax 24685 (866ms)": "write: population 50.150, tax 24.685 (866ms)",
		"done in 1.369s: /tmp/d2024/x":               "done in 1.369s: /tmp/d2024/x",
		"12345":                                      "12.345",
		"wrote 999 rows (1000)":                      "wrote 999 rows (1.000)",
	} {
		if got := groupNumbers(in, langVI); got != want {
			t.Errorf("groupNumbers(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSynthLinesVI: the generator's lines, the one of each shard too, are
// shown in Vietnamese with numbers grouped.
func TestSynthLinesVI(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"shard 3/14: 1000000 people, 314575 households, 100609 defects (model 4.5s, defects 1.5s, write 7.1s; 53.2s in all)",
			"doisanh: phần 3/14: 1.000.000 người, 314.575 hộ, 100.609 lỗi cài sẵn (mô hình 4.5s, cài lỗi 1.5s, ghi 7.1s; tổng 53.2s)"},
		{"defects: 393014 injected, 0 fixed in the field (4.2s)", "doisanh: lỗi cài sẵn: 393.014, đã sửa tại địa bàn: 0 (4.2s)"},
	} {
		var buf bytes.Buffer
		ui := newProgressUI(&buf, langVI)
		ui.output(tc.in)
		if got := strings.TrimSpace(buf.String()); got != tc.want {
			t.Errorf("%q:\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}
