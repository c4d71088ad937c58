package normalize

import (
	"strings"
	"sync"
	"testing"

	"github.com/doisanh/doisanh/admin"
)

func TestSplitGlued(t *testing.T) {
	tests := []struct{ in, want string }{
		{"XNghi Phong, HNghi Lộc", "X Nghi Phong, H Nghi Lộc"},
		{"Thạch LongThạch HàT.Hà Tĩnh", "Thạch Long Thạch Hà T Hà Tĩnh"},
		{"TỉnhNghệAn", "Tỉnh Nghệ An"},
		{"TTCàng Long", "TT Càng Long"},
		{"TP.HCM", "TP HCM"},
		{"HCMC", "HCMC"},
		{"Gò Dầ6u", "Gò Dầu"},
		{"Xã 7Sơn Hà", "Xã Sơn Hà"},
		{"Lạng5 Sơn", "Lạng Sơn"},
		{"P7, Q10", "P7, Q10"},
		{"BR-VT", "BR VT"},
	}
	for _, tt := range tests {
		if got := splitGlued(tt.in); got != tt.want {
			t.Errorf("splitGlued(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestParseAddressMessy covers each class of messy address the matcher is
// for, with the legacy commune expected and what the reason must say.
func TestParseAddressMessy(t *testing.T) {
	p := testAddressParser(t, "")
	tests := []struct {
		in, legacy, reason string
		confident          bool
	}{
		// glued prefixes, no commas, typing slips
		{"XNghi Phong, HNghi Lộc, T Nghệ An", "17902", "không thuộc quận/huyện ghi trong địa chỉ", false},
		{"PTrường Thi Tp.vinh Nghệ An", "16690", "", true},
		{"Thạch LongThạch HàT.Hà Tĩnh", "18607", "", true},
		{"XĐông Sơn,h.Đô Lương,TỉnhNghệAn", "17653", "", true},
		{"XThạnh Đức, HGò Dầ6u, T Tây Ninh", "25657", "", true},
		// bare numbered wards with the district
		{"P7, PN, TP. Hồ Chí Minh", "27052", `"PN" là chữ viết tắt của Quận Phú Nhuận`, true},
		{"Phường 2 Quận 5", "27307", "", true},
		// old names from merges, a district absorbed by a city
		{"P. Nghi Hương Thị xã Cửa Lò, Nghệ An", "16732", `"Cửa Lò" là tên cũ trước sáp nhập năm 2024`, true},
		{"Thôn Đông, Phú Sơn, Tĩnh Gia, Thanh Hóa", "16603", `"Tĩnh Gia" là tên cũ trước sáp nhập`, true},
		// a 2025 commune named like the old district
		{"Nà Làng Phú Bình, Chiêm Hoá, Tuyên Quang", "02332", "đọc theo địa chỉ cũ", true},
		// short forms
		{"Tân Hòa, BMT, ĐăkLăk", "24121", `"BMT" là chữ viết tắt của Thành phố Buôn Ma Thuột`, true},
	}
	for _, tt := range tests {
		r := p.Parse(tt.in)
		if len(r.Legacy) != 1 || r.Legacy[0].Code != tt.legacy {
			t.Errorf("%q: legacy %s (%v %.2f %q), want %s", tt.in, addrCodes(r.Legacy), r.Status, r.Confidence, r.Reason, tt.legacy)
			continue
		}
		if !strings.Contains(r.Reason, tt.reason) {
			t.Errorf("%q: reason %q, want it to contain %q", tt.in, r.Reason, tt.reason)
		}
		if got := r.Confidence >= confidentAt; got != tt.confident {
			t.Errorf("%q: confidence %.2f, want confident=%v", tt.in, r.Confidence, tt.confident)
		}
	}
	// Every unresolved address says why, in Vietnamese.
	for _, in := range []string{"Atlantis", "Yên Bái", "Xã Không Có, Nghệ An", "", "12/3"} {
		r := p.Parse(in)
		if r.Status != AddressUnresolved || !strings.ContainsAny(r.Reason, "ãạảáàâấầẫậêếềệìíịóòôốồộơớờợúùủưứừựýỳđ") {
			t.Errorf("%q: %v %q, want unresolved with a Vietnamese reason", in, r.Status, r.Reason)
		}
	}
}

// The memo returns what a fresh parse returns, also under concurrent use.
func TestParseAddressMemo(t *testing.T) {
	rows := readAddressCorpus(t)
	cold := NewAddressParser(admin.Default(), AddressOptions{MemoSize: -1})
	warm := NewAddressParser(admin.Default(), AddressOptions{MemoSize: 64}) // smaller than the corpus: shards are emptied
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for pass := 0; pass < 2; pass++ {
				for _, row := range rows {
					a, b := cold.Parse(row.address), warm.Parse(row.address)
					if a.Status != b.Status || a.Reason != b.Reason || a.Confidence != b.Confidence || addrCodes(a.Legacy) != addrCodes(b.Legacy) || addrCodes(a.Current) != addrCodes(b.Current) || a.Parts != b.Parts {
						select {
						case errs <- row.address:
						default:
						}
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for a := range errs {
		t.Errorf("memoised result of %q differs from a fresh parse", a)
	}
}
