package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoLanguages: the demo's closing lines in the language asked for.
func TestDemoLanguages(t *testing.T) {
	for _, tt := range []struct {
		lang string
		want []string
	}{
		{langVI, []string{"Đối sánh xong trong", "Tổng cộng", "Độ chính xác so với lỗi đã cài sẵn", "Dữ liệu mẫu: ", "Tiếp theo: mở "}},
		{langEN, []string{"Reconciled in", "Total", "Precision and recall against the injected defects", "Demo data: ", "Next: open "}},
	} {
		dir := filepath.Join(t.TempDir(), "demo")
		code, stdout, _, err := recExec(context.Background(), "demo", "--people", "300", "--dir", dir, "--quiet", "--lang", tt.lang)
		if code != exitOK {
			t.Fatalf("--lang %s: exit %d, %v", tt.lang, code, err)
		}
		for _, w := range tt.want {
			if !strings.Contains(stdout, w) {
				t.Errorf("--lang %s: output lacks %q:\n%s", tt.lang, w, stdout)
			}
		}
	}
}
