package output

import (
	"strings"
	"testing"
)

func TestSlug(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Phường Hoàng Mai", "phuong-hoang-mai"},
		{"Xã Nghi Phong", "xa-nghi-phong"},
		{"Đặk Đoa", "dak-doa"},
		{"đường Điện Biên Phủ", "duong-dien-bien-phu"},
		{"Phu\u031Bo\u031B\u0300ng Vinh Phu\u0301", "phuong-vinh-phu"}, // NFD
		{"Thị trấn  Quỳnh   Lưu", "thi-tran-quynh-luu"},
		{"  Phường 12 (Quận 3) ", "phuong-12-quan-3"},
		{"Xã Ea H'leo", "xa-ea-h-leo"},
		{"Chưa xác định", "chua-xac-dinh"},
		{"Ỷ La", "y-la"},
		{"../../etc/passwd", "etc-passwd"},
		{"", ""},
		{"---", ""},
		{"北京", ""},
		{"ABC123", "abc123"},
	}
	for _, tt := range tests {
		if got := Slug(tt.in); got != tt.want {
			t.Errorf("Slug(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	long := strings.Repeat("Nguyễn Văn An ", 20)
	if got := Slug(long); len(got) > maxSlug || strings.HasSuffix(got, "-") || !strings.HasPrefix(got, "nguyen-van-an-nguyen") {
		t.Errorf("Slug(long) = %q", got)
	}
}

func TestSafeCode(t *testing.T) {
	tests := []struct{ in, def, want string }{
		{"40", "00", "40"},
		{"", "00", "00"},
		{"../..", "00", "00"},
		{"16 681", "00000", "16681"},
		{"a/b", "x", "ab"},
	}
	for _, tt := range tests {
		if got := safeCode(tt.in, tt.def); got != tt.want {
			t.Errorf("safeCode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzSlug(f *testing.F) {
	for _, s := range []string{"Phường Hoàng Mai", "Đặk Đoa", "Phu\u031Bo\u031B\u0300ng", "a--b", "\xff\xfe", "Ỷ La 12"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Slug(s)
		if len(got) > maxSlug {
			t.Errorf("Slug(%q) = %q is too long", s, got)
		}
		if strings.HasPrefix(got, "-") || strings.HasSuffix(got, "-") || strings.Contains(got, "--") {
			t.Errorf("Slug(%q) = %q has stray dashes", s, got)
		}
		for _, r := range got {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				t.Fatalf("Slug(%q) = %q has %q", s, got, r)
			}
		}
		if again := Slug(got); again != got {
			t.Errorf("Slug is not idempotent: %q -> %q -> %q", s, got, again)
		}
	})
}
