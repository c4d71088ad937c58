package normalize

import (
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/doisanh/doisanh/admin"
)

var (
	addrParsersOnce sync.Once
	addrParsers     map[string]*AddressParser // by default province
)

func testAddressParser(t testing.TB, province string) *AddressParser {
	t.Helper()
	addrParsersOnce.Do(func() {
		addrParsers = map[string]*AddressParser{}
		for _, p := range []string{"", "40", "79"} {
			addrParsers[p] = NewAddressParser(admin.Default(), AddressOptions{Province: p})
		}
	})
	return addrParsers[province]
}

func addrCodes(cs []admin.Commune) string {
	var s []string
	for _, c := range cs {
		s = append(s, c.Code)
	}
	return strings.Join(s, " ")
}

func TestParseAddress(t *testing.T) {
	tests := []struct {
		in       string
		province string // AddressOptions.Province
		status   AddressStatus
		legacy   string // legacy codes, space-separated
		current  string // 2025 codes
		parts    Address
		reason   string // substring of Reason
	}{
		// Legacy style, with district: Nghi Phong moved to TP Vinh before 2025.
		{in: "Xóm 3, X. Nghi Phong, H. Nghi Lộc, T. Nghệ An", province: "40", legacy: "17902", current: "16708",
			parts:  Address{Village: "Xóm 3", Commune: "X. Nghi Phong", District: "H. Nghi Lộc", Province: "T. Nghệ An"},
			reason: "không thuộc quận/huyện"},
		{in: "Xã Nghi Phong Huyện Nghi Lộc Tỉnh Nghệ An", legacy: "17902", current: "16708",
			parts: Address{Commune: "Xã Nghi Phong", District: "Huyện Nghi Lộc", Province: "Tỉnh Nghệ An"}},
		{in: "xom 3 nghi phong nghi loc nghe an", legacy: "17902", current: "16708",
			parts: Address{Village: "xom 3", Commune: "nghi phong", District: "nghi loc", Province: "nghe an"}},
		{in: "XÃ NGHI PHONG, TP. VINH, NGHỆ AN", legacy: "17902", current: "16708",
			parts: Address{Commune: "XÃ NGHI PHONG", District: "TP. VINH", Province: "NGHỆ AN"}},
		{in: "Nghi Phong - Vinh - Nghệ An", legacy: "17902", current: "16708"},
		{in: norm.NFD.String("Xã Nghi Phong, Thành phố Vinh, Tỉnh Nghệ An"), legacy: "17902", current: "16708"},
		{in: "Xã  Nghi   Phong ,Vinh,   Nghệ An", legacy: "17902", current: "16708",
			parts: Address{Commune: "Xã Nghi Phong", District: "Vinh", Province: "Nghệ An"}},
		{in: "Nghi Phong", province: "40", legacy: "17902", current: "16708"},
		{in: "Thị trấn Quán Hành, Nghi Lộc", province: "40", legacy: "17827", current: "17827"},
		{in: "TT. Quán Hành", province: "40", legacy: "17827", current: "17827"},
		{in: "Số nhà 12, ngõ 5, đường Lê Duẩn, phường Trung Đô, TP Vinh, tỉnh Nghệ An", legacy: "16699", current: "16690",
			parts: Address{House: "Số nhà 12", Street: "ngõ 5, đường Lê Duẩn", Commune: "phường Trung Đô", District: "TP Vinh", Province: "tỉnh Nghệ An"}},
		{in: "Tổ dân phố 5, P. Trung Đô, TP. Vinh, Nghệ An", legacy: "16699", current: "16690",
			parts: Address{Village: "Tổ dân phố 5", Commune: "P. Trung Đô", District: "TP. Vinh", Province: "Nghệ An"}},
		{in: "Khối 3 Phường Trung Đô Thành phố Vinh", province: "40", legacy: "16699", current: "16690",
			parts: Address{Village: "Khối 3", Commune: "Phường Trung Đô", District: "Thành phố Vinh"}},
		// 2025 style: no district.
		{in: "Xã Hải Lộc, Nghệ An", current: "17833", parts: Address{Commune: "Xã Hải Lộc", Province: "Nghệ An"}},
		{in: "Xóm Đông, xã Hải Lộc, tỉnh Nghệ An", current: "17833", parts: Address{Village: "Xóm Đông", Commune: "xã Hải Lộc", Province: "tỉnh Nghệ An"}},
		{in: "Hưng Nguyên, Nghệ An", current: "18001"}, // also a legacy district name
		{in: "Phường Vinh Lộc, Nghệ An", current: "16708"},
		{in: "Xa Dak Pek, Quang Ngai", current: "23341"},
		{in: "Xã Đăk Pék, Tỉnh Quảng Ngãi", current: "23341"},
		{in: "Xã Đắk Pék, Quảng Ngãi", current: "23341"},
		{in: "Ea H'leo, Đắk Lắk", current: "24184"},
		{in: "Xã Ea H’Leo, Huyện Ea H'leo, Tỉnh Đắk Lắk", legacy: "24184", current: "24184"},
		{in: "xa ea hleo, dak lak", current: "24184"},
		// Ho Chi Minh City numbered wards.
		{in: "12 Nguyễn Trãi, F1, Q5, HCM", legacy: "27325", current: "27301",
			parts: Address{House: "12", Street: "Nguyễn Trãi", Commune: "F1", District: "Q5", Province: "HCM"}},
		{in: "P1, Q.Phú Nhuận, TP.HCM", legacy: "27058", current: "27058"},
		{in: "Phường 01, Quận Phú Nhuận, Thành phố Hồ Chí Minh", legacy: "27058", current: "27058"},
		{in: "p.1 q. phu nhuan tp hcm", legacy: "27058", current: "27058"},
		{in: "Phường 1, Quận 5", province: "79", legacy: "27325", current: "27301"},
		{in: "Phường Bến Thành, Quận 1, Thành phố Hồ Chí Minh", legacy: "26743", current: "26743"},
		{in: "Số 5 Lê Lợi Bến Thành Quận 1 TP HCM", legacy: "26743", current: "26743",
			parts: Address{House: "Số 5", Street: "Lê Lợi", Commune: "Bến Thành", District: "Quận 1", Province: "TP HCM"}},
		// Hà Nội; old/new tone placement.
		{in: "Phường Xuân Phương, Nam Từ Liêm, Hà Nội", legacy: "00622", current: "00622"},
		{in: "Phường Xuân Phương Nam Từ Liêm Hà Nội", legacy: "00622", current: "00622"},
		{in: "P. Yên Hòa, Q. Cầu Giấy, Hà Nội", status: AddressAmbiguous, legacy: "00172", reason: "đã được chia"},
		{in: "P. Yên Hoà, Q. Cầu Giấy, HN", status: AddressAmbiguous, legacy: "00172", reason: "đã được chia"},
		{in: "Phường Quan Hoa, Quận Cầu Giấy, Hà Nội", status: AddressAmbiguous, legacy: "00169"},
		{in: "Phường Sa Pả, Thị xã Sa Pa, Lào Cai", legacy: "03002"},
		{in: "Phường Sa Pa, Thị Xã Sa Pa, Lào Cai", legacy: "03001"},
		{in: "Xã Bản Máy, Hoàng Su Phì, Hà Giang", legacy: "01024"},
		{in: "Phường Buôn Hồ, Đắk Lắk", current: "24305"},
		{in: "Xã Xa Dung, Điện Biên", current: "03208"},
		// One typo.
		{in: "Xã Nghi Phongg", province: "40", legacy: "17902", current: "16708", reason: "đọc"},
		{in: "Xã Hải Lôc, Nghệ An", current: "17833"},
		{in: "Xã Hảii Lộc, Nghệ An", current: "17833", reason: "đọc"},
		// Divided legacy commune and names found in several places.
		{in: "Phường Cống Vị, Ba Đình, Hà Nội", status: AddressAmbiguous, legacy: "00007", current: "00008 00025", reason: "đã được chia"},
		{in: "Xã Tân Phú", status: AddressAmbiguous, reason: "chưa rõ"},
		{in: "Xã Tân Phú", province: "40", current: "17272"},
		{in: "Tân Phú, Đồng Nai", current: "26116"},
		{in: "P.1, TP.HCM", status: AddressAmbiguous, reason: "xã/phường tên"},
		// Unresolved.
		{in: "", status: AddressUnresolved, reason: "trống"},
		{in: " ,, . ", status: AddressUnresolved, reason: "trống"},
		{in: "Atlantis", status: AddressUnresolved, reason: "không tìm thấy"},
		{in: "Yên Bái", status: AddressUnresolved, reason: "không tìm thấy tên xã", parts: Address{Province: "Yên Bái"}},
		{in: "Xã Không Có, Nghệ An", status: AddressUnresolved, reason: `không có xã/phường/thị trấn tên "Không Có" ở Nghệ An`},
		{in: "Xã Hòa Bình, Yên Bái", status: AddressUnresolved, reason: "ở Yên Bái"},
		{in: "Phường Zzzz", province: "40", status: AddressUnresolved, reason: "không có xã"},
	}
	for _, tt := range tests {
		p := testAddressParser(t, tt.province)
		r := p.Parse(tt.in)
		name := tt.in + " [" + tt.province + "]"
		if r.Status != tt.status {
			t.Errorf("%s: status %v (%q), want %v", name, r.Status, r.Reason, tt.status)
			continue
		}
		if tt.legacy != "" && addrCodes(r.Legacy) != tt.legacy {
			t.Errorf("%s: legacy %q, want %q", name, addrCodes(r.Legacy), tt.legacy)
		}
		if tt.current != "" && addrCodes(r.Current) != tt.current {
			t.Errorf("%s: current %q, want %q", name, addrCodes(r.Current), tt.current)
		}
		if tt.parts != (Address{}) && r.Parts != tt.parts {
			t.Errorf("%s: parts\n got %+v\nwant %+v", name, r.Parts, tt.parts)
		}
		if !strings.Contains(r.Reason, tt.reason) {
			t.Errorf("%s: reason %q, want it to contain %q", name, r.Reason, tt.reason)
		}
		switch r.Status {
		case AddressResolved:
			if len(r.Current) != 1 || r.Confidence <= 0.5 || r.Confidence > 1 {
				t.Errorf("%s: resolved with %d communes, confidence %v", name, len(r.Current), r.Confidence)
			}
		case AddressAmbiguous:
			if len(r.Current) < 2 || r.Confidence > 0.5 {
				t.Errorf("%s: ambiguous with %d communes, confidence %v", name, len(r.Current), r.Confidence)
			}
		case AddressUnresolved:
			if len(r.Current) != 0 || r.Confidence != 0 || r.Reason == "" {
				t.Errorf("%s: unresolved with %d communes, confidence %v, reason %q", name, len(r.Current), r.Confidence, r.Reason)
			}
		}
		// A legacy match must agree with the conversion table.
		if len(r.Legacy) == 1 {
			if got, want := addrCodes(r.Current), addrCodes(admin.Default().Convert(r.Legacy[0].Code)); got != want {
				t.Errorf("%s: current %q, but legacy %s converts to %q", name, got, r.Legacy[0].Code, want)
			}
		}
	}
}

// Every official commune name, written as "<name>, <province>", must find
// its commune among the candidates.
func TestParseAddressOfficialNames(t *testing.T) {
	p := testAddressParser(t, "")
	u := admin.Default()
	resolved := 0
	all := u.Communes(admin.Current, "")
	for _, c := range all {
		r := p.Parse(c.Name + ", " + c.ProvinceName)
		found := false
		for _, x := range r.Current {
			found = found || x.Code == c.Code
		}
		if !found {
			t.Errorf("%s, %s (%s): got %s %v %q", c.Name, c.ProvinceName, c.Code, addrCodes(r.Current), r.Status, r.Reason)
		}
		if r.Status == AddressResolved {
			resolved++
		}
	}
	if resolved < len(all)*99/100 {
		t.Errorf("only %d of %d 2025 communes resolved by name and province", resolved, len(all))
	}
	legacy := u.Communes(admin.Legacy, "")
	bad := 0
	for _, c := range legacy {
		r := p.Parse(c.Name + ", " + c.DistrictName + ", " + c.ProvinceName)
		found := false
		for _, x := range r.Legacy {
			found = found || x.Code == c.Code
		}
		if !found {
			if bad++; bad <= 10 {
				t.Errorf("%s, %s, %s (%s): legacy %s %v %q", c.Name, c.DistrictName, c.ProvinceName, c.Code, addrCodes(r.Legacy), r.Status, r.Reason)
			}
		}
	}
	if bad > 1 { // "Thị trấn N.T Phong Hải" has a dot in its name
		t.Errorf("%d of %d legacy communes not found by full name", bad, len(legacy))
	}
}

func TestAddressStatusString(t *testing.T) {
	for s, want := range map[AddressStatus]string{
		AddressResolved: "resolved", AddressAmbiguous: "ambiguous", AddressUnresolved: "unresolved", 9: "AddressStatus(9)",
	} {
		if got := s.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", s, got, want)
		}
	}
}

func TestAddrWithin1(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"nghi phong", "nghi phong", true},
		{"nghi phong", "nghi phongg", true},
		{"nghi phong", "ngi phong", true},
		{"nghi phong", "nghi pong", true},
		{"nghi phong", "nghi phnog", true},
		{"nghi phong", "nhgi phong", true},
		{"nghi phong", "nghi phang", true},
		{"nghi phong", "nghi phnogg", false},
		{"nghi phong", "nghi", false},
		{"ab", "ba", true},
		{"abc", "cba", false},
		{"", "a", true},
		{"", "ab", false},
	}
	for _, tt := range tests {
		if got := addrWithin1(tt.a, tt.b); got != tt.want {
			t.Errorf("addrWithin1(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := addrWithin1(tt.b, tt.a); got != tt.want {
			t.Errorf("addrWithin1(%q, %q) = %v, want %v", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestParseAddressConcurrent(t *testing.T) {
	p := testAddressParser(t, "40")
	want := p.Parse("Xóm 3, X. Nghi Phong, H. Nghi Lộc, T. Nghệ An")
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				if got := p.Parse("Xóm 3, X. Nghi Phong, H. Nghi Lộc, T. Nghệ An"); got.Parts != want.Parts || addrCodes(got.Current) != addrCodes(want.Current) {
					t.Error("concurrent Parse differs")
					return
				}
			}
		}()
	}
	wg.Wait()
}

func FuzzParseAddress(f *testing.F) {
	for _, s := range []string{
		"Xóm 3, X. Nghi Phong, H. Nghi Lộc, T. Nghệ An", "12 Nguyễn Trãi, F1, Q5, HCM", "P.10 Q.3 TP.HCM",
		"Ea H'leo, Đắk Lắk", "Số nhà 12, ngõ 5, đường Lê Duẩn", "Tổ dân phố", "xa", "thi tran, ,", "\xff\xfe",
		"Phường 0000000000000000001", norm.NFD.String("Thị trấn Quán Hành"), strings.Repeat("Xã Tân Phú ", 200),
		"XNghi Phong, HNghi Lộc, T Nghệ An", "Thạch LongThạch HàT.Hà Tĩnh", "P7, PN, TP. Hồ Chí Minh", "XThạnh Đức, HGò Dầ6u",
		"P. Nghi Hương Thị xã Cửa Lò", "7Sơn", "A1B2C3", "ĐăkLăk BMT", strings.Repeat("XA", 300),
	} {
		f.Add(s)
	}
	p := testAddressParser(f, "40")
	f.Fuzz(func(t *testing.T, s string) {
		r := p.Parse(s)
		for _, v := range []string{r.Parts.House, r.Parts.Street, r.Parts.Village, r.Parts.Commune, r.Parts.District, r.Parts.Province, r.Reason} {
			if utf8.ValidString(s) && !utf8.ValidString(v) {
				t.Fatalf("Parse(%q): invalid UTF-8 %q", s, v)
			}
		}
		if r.Confidence < 0 || r.Confidence > 1 {
			t.Fatalf("Parse(%q): confidence %v", s, r.Confidence)
		}
		if (r.Status == AddressResolved) != (len(r.Current) == 1 && r.Status != AddressAmbiguous) {
			t.Fatalf("Parse(%q): status %v with %d communes", s, r.Status, len(r.Current))
		}
		if r.Status == AddressUnresolved && r.Reason == "" {
			t.Fatalf("Parse(%q): unresolved without a reason", s)
		}
	})
}

var addrSink AddressResult

func BenchmarkParseAddress(b *testing.B) {
	p := testAddressParser(b, "40")
	for _, bc := range []struct{ name, in string }{
		{"legacy", "Xóm 3, X. Nghi Phong, H. Nghi Lộc, T. Nghệ An"},
		{"current", "Xóm Đông, xã Hải Lộc, tỉnh Nghệ An"},
		{"hcm", "12 Nguyễn Trãi, F1, Q5, HCM"},
		{"commaless", "xom 3 nghi phong nghi loc nghe an"},
		{"typo", "Xã Hảii Lộc, Nghệ An"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				addrSink = p.Parse(bc.in)
			}
		})
	}
}
