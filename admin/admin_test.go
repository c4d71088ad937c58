package admin

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestCounts(t *testing.T) {
	u := Default()
	tests := []struct {
		list      List
		provinces int
		communes  int
	}{
		{Legacy, 63, 10035},
		{Current, 34, 3321},
	}
	for _, tt := range tests {
		codes, names := u.Provinces(tt.list)
		if len(codes) != tt.provinces || len(names) != tt.provinces {
			t.Errorf("%v: %d provinces, want %d", tt.list, len(codes), tt.provinces)
		}
		all := u.Communes(tt.list, "")
		if len(all) != tt.communes {
			t.Errorf("%v: %d communes, want %d", tt.list, len(all), tt.communes)
		}
		sum := 0
		for _, p := range codes {
			sum += len(u.Communes(tt.list, p))
		}
		if sum != tt.communes {
			t.Errorf("%v: communes by province sum to %d, want %d", tt.list, sum, tt.communes)
		}
		for _, c := range all {
			if len(c.Code) != 5 || len(c.ProvinceCode) != 2 || c.Name == "" || c.ProvinceName == "" {
				t.Fatalf("%v: malformed commune %+v", tt.list, c)
			}
			if (tt.list == Legacy) != (c.DistrictCode != "") {
				t.Fatalf("%v: district fields of %+v", tt.list, c)
			}
			if !strings.HasPrefix(c.Name, c.Level+" ") {
				t.Fatalf("%v: name %q does not start with level %q", tt.list, c.Name, c.Level)
			}
		}
	}
}

func TestCommune(t *testing.T) {
	u := Default()
	tests := []struct {
		list List
		code string
		want string // Name / DistrictName / ProvinceName
		ok   bool
	}{
		{Legacy, "00001", "Phường Phúc Xá/Quận Ba Đình/Thành phố Hà Nội", true},
		{Legacy, "1", "Phường Phúc Xá/Quận Ba Đình/Thành phố Hà Nội", true},
		{Current, "00004", "Phường Ba Đình//Thành phố Hà Nội", true},
		{Legacy, "00004", "Phường Trúc Bạch/Quận Ba Đình/Thành phố Hà Nội", true}, // same code, other list
		{Current, "00001", "", false},
		{Legacy, "17827", "Thị trấn Quán Hành/Huyện Nghi Lộc/Tỉnh Nghệ An", true},
		{Current, "17827", "Xã Nghi Lộc//Tỉnh Nghệ An", true},
		{Legacy, "27046", "Phường 5/Quận Phú Nhuận/Thành phố Hồ Chí Minh", true},
		{Legacy, "", "", false},
		{Legacy, "abcde", "", false},
		{Legacy, "999999", "", false},
		{List(7), "00001", "", false},
	}
	for _, tt := range tests {
		c, ok := u.Commune(tt.list, tt.code)
		got := ""
		if ok {
			got = c.Name + "/" + c.DistrictName + "/" + c.ProvinceName
		}
		if ok != tt.ok || got != tt.want {
			t.Errorf("Commune(%v, %q) = %q, %v; want %q, %v", tt.list, tt.code, got, ok, tt.want, tt.ok)
		}
		if has := u.Has(tt.list, tt.code); has != tt.ok {
			t.Errorf("Has(%v, %q) = %v, want %v", tt.list, tt.code, has, tt.ok)
		}
		if prov, ok := u.ProvinceOf(tt.list, tt.code); ok != tt.ok || prov != c.ProvinceCode {
			t.Errorf("ProvinceOf(%v, %q) = %q, %v; want %q, %v", tt.list, tt.code, prov, ok, c.ProvinceCode, tt.ok)
		}
	}
	if c, _ := u.Commune(Legacy, "27046"); c.Level != "Phường" {
		t.Errorf("Phường 5 level = %q, want Phường (source lists it as Xã)", c.Level)
	}
}

func names(cs []Commune) string {
	var s []string
	for _, c := range cs {
		s = append(s, c.Code+" "+c.Name)
	}
	return strings.Join(s, "; ")
}

func TestConvert(t *testing.T) {
	u := Default()
	tests := []struct {
		legacy string
		want   string
	}{
		// Nghệ An, Huyện Nghi Lộc: merged communes.
		{"17827", "17827 Xã Nghi Lộc"},    // Thị trấn Quán Hành
		{"17833", "17833 Xã Hải Lộc"},     // code kept by the new commune
		{"00001", "00097 Phường Hồng Hà"}, // Phường Phúc Xá
		// Phường Cống Vị (Ba Đình) was divided.
		{"00007", "00008 Phường Ngọc Hà; 00025 Phường Giảng Võ"},
		{"99999", ""},
	}
	for _, tt := range tests {
		if got := names(u.Convert(tt.legacy)); got != tt.want {
			t.Errorf("Convert(%q) = %q, want %q", tt.legacy, got, tt.want)
		}
	}
	// Every legacy commune goes somewhere, and Sources inverts Convert.
	for _, c := range u.Communes(Legacy, "") {
		to := u.Convert(c.Code)
		if len(to) == 0 {
			t.Fatalf("legacy %s %s converts to nothing", c.Code, c.Name)
		}
		for _, n := range to {
			found := false
			for _, s := range u.Sources(n.Code) {
				found = found || s.Code == c.Code
			}
			if !found {
				t.Fatalf("Sources(%s) lacks %s", n.Code, c.Code)
			}
		}
	}
	divided := 0
	for _, c := range u.Communes(Legacy, "") {
		if len(u.Convert(c.Code)) > 1 {
			divided++
		}
	}
	if divided < 400 || divided > 500 {
		t.Errorf("%d divided legacy communes, want about 441-472", divided)
	}
}

func TestSources(t *testing.T) {
	u := Default()
	src := u.Sources("17827") // Xã Nghi Lộc, Nghệ An, 2025
	if len(src) < 2 {
		t.Fatalf("Sources(17827) = %s, want several merged communes", names(src))
	}
	for _, c := range src {
		if c.ProvinceCode != "40" || c.DistrictName != "Huyện Nghi Lộc" {
			t.Errorf("source %s %s in %s, %s", c.Code, c.Name, c.DistrictName, c.ProvinceName)
		}
	}
	if got := u.Sources("99999"); got != nil {
		t.Errorf("Sources(unknown) = %v", got)
	}
}

func TestProvince(t *testing.T) {
	u := Default()
	tests := []struct {
		list       List
		in         string
		code, name string
	}{
		{Current, "40", "40", "Tỉnh Nghệ An"},
		{Current, "040", "40", "Tỉnh Nghệ An"},
		{Current, "Nghệ An", "40", "Tỉnh Nghệ An"},
		{Current, "Tỉnh Nghệ An", "40", "Tỉnh Nghệ An"},
		{Current, "nghe an", "40", "Tỉnh Nghệ An"},
		{Current, "  NGHỆ   AN ", "40", "Tỉnh Nghệ An"},
		{Current, "Nghe\u0323 An", "40", "Tỉnh Nghệ An"}, // decomposed mark
		{Current, "TP. Hồ Chí Minh", "79", "Thành phố Hồ Chí Minh"},
		{Current, "HCM", "79", "Thành phố Hồ Chí Minh"},
		{Current, "TP.HCM", "79", "Thành phố Hồ Chí Minh"},
		{Current, "tphcm", "79", "Thành phố Hồ Chí Minh"},
		{Current, "Hà Nội", "01", "Thành phố Hà Nội"},
		{Current, "1", "01", "Thành phố Hà Nội"},
		{Current, "Đắk Lắk", "66", "Tỉnh Đắk Lắk"},
		{Current, "Dak Lak", "66", "Tỉnh Đắk Lắk"},
		{Current, "Khánh Hoà", "56", "Tỉnh Khánh Hòa"},
		{Legacy, "Hòa Bình", "17", "Tỉnh Hoà Bình"},
		{Legacy, "Bà Rịa - Vũng Tàu", "77", "Tỉnh Bà Rịa - Vũng Tàu"},
		{Legacy, "BRVT", "77", "Tỉnh Bà Rịa - Vũng Tàu"},
		{Legacy, "Yên Bái", "15", "Tỉnh Yên Bái"},
		{Current, "15", "15", "Tỉnh Lào Cai"}, // code reused by the merged province
		{Legacy, "15", "15", "Tỉnh Yên Bái"},
		{Current, "Yên Bái", "", ""}, // merged into Lào Cai
		{Current, "Long An", "", ""},
		{Current, "", "", ""},
		{Current, "99", "", ""},
		{Current, "Atlantis", "", ""},
	}
	for _, tt := range tests {
		code, name, ok := u.Province(tt.list, tt.in)
		if code != tt.code || name != tt.name || ok != (tt.code != "") {
			t.Errorf("Province(%v, %q) = %q, %q, %v; want %q, %q", tt.list, tt.in, code, name, ok, tt.code, tt.name)
		}
	}
}

func TestConcurrentDefault(t *testing.T) {
	var wg sync.WaitGroup
	got := make([]*Units, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = Default()
			got[i].Commune(Current, "17827")
		}()
	}
	wg.Wait()
	for _, u := range got {
		if u != got[0] {
			t.Fatal("Default returned different units")
		}
	}
}

func TestCommunesIsCopy(t *testing.T) {
	u := Default()
	cs := u.Communes(Current, "40")
	if len(cs) == 0 {
		t.Fatal("no communes in 40")
	}
	cs[0].Name = "changed"
	if again := u.Communes(Current, "40"); again[0].Name == "changed" {
		t.Fatal("Communes returned the internal slice")
	}
	if n := len(u.Communes(Current, "Nghệ An")); n != len(cs) {
		t.Errorf("Communes by name: %d, by code: %d", n, len(cs))
	}
}

func BenchmarkCommune(b *testing.B) {
	u := Default()
	b.ReportAllocs()
	for b.Loop() {
		u.Commune(Current, "17827")
	}
}

func BenchmarkProvince(b *testing.B) {
	u := Default()
	b.ReportAllocs()
	for b.Loop() {
		u.Province(Current, "TP. Hồ Chí Minh")
	}
}

func TestOldNames(t *testing.T) {
	u := Default()
	olds := u.OldNames()
	if len(olds) < 3000 {
		t.Fatalf("%d old names, want the alias tables (~3,900)", len(olds))
	}
	found := map[string]OldName{}
	for _, o := range olds {
		if o.Key == "" || o.Code == "" {
			t.Fatalf("empty old name %+v", o)
		}
		found[o.Key+"/"+o.Code] = o
	}
	// Thị xã Cửa Lò was merged into Thành phố Vinh (Nghệ An) in 2025.
	vinh := ""
	for _, c := range u.Communes(Legacy, "40") {
		if c.DistrictName == "Thành phố Vinh" {
			vinh = c.DistrictCode
		}
	}
	if o, ok := found["cualo/"+vinh]; !ok || !o.District {
		t.Errorf("Cửa Lò -> Vinh (%s) missing: %+v", vinh, o)
	}
	years := 0
	for _, o := range olds {
		if o.Year != "" {
			years++
		}
	}
	if years < len(olds)*8/10 {
		t.Errorf("only %d of %d old names have a year", years, len(olds))
	}
}

func TestCurrentProvince(t *testing.T) {
	u := Default()
	tests := []struct{ in, code, name string }{
		{"40", "40", "Tỉnh Nghệ An"},
		{"040", "40", "Tỉnh Nghệ An"}, // as in a personal ID
		{"Nghệ An", "40", "Tỉnh Nghệ An"},
		{"15", "15", "Tỉnh Lào Cai"},       // a 2025 code first
		{"02", "08", "Tỉnh Tuyên Quang"},   // legacy Hà Giang
		{"002", "08", "Tỉnh Tuyên Quang"},  // legacy, 3 digits
		{"10", "15", "Tỉnh Lào Cai"},       // legacy Lào Cai
		{"45", "44", "Tỉnh Quảng Trị"},     // legacy Quảng Trị
		{"Yên Bái", "15", "Tỉnh Lào Cai"},  // legacy name
		{"Long An", "80", "Tỉnh Tây Ninh"}, // legacy name
		{"99", "", ""},
		{"0", "", ""},
		{"1234", "", ""},
		{"Atlantis", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		code, name, ok := u.CurrentProvince(tt.in)
		if code != tt.code || name != tt.name || ok != (tt.code != "") {
			t.Errorf("CurrentProvince(%q) = %q, %q, %v; want %q, %q", tt.in, code, name, ok, tt.code, tt.name)
		}
	}
}

// TestCommuneByNumber checks the array of 5-digit codes against the map of
// codes for every 5-digit code in both lists.
func TestCommuneByNumber(t *testing.T) {
	u := Default()
	for l := range u.lists {
		ul := &u.lists[l]
		found := 0
		for n := range 100000 {
			code := fmt.Sprintf("%05d", n)
			want, wok := ul.byCode[code]
			got, ok := u.commune(List(l), code)
			if ok != wok || (ok && got != want) {
				t.Fatalf("%s list: commune(%q) = %d, %v; the map has %d, %v", List(l), code, got, ok, want, wok)
			}
			if ok {
				found++
			}
		}
		if found != len(ul.communes) || found < 3000 {
			t.Errorf("%s list: %d codes found by number of %d communes", List(l), found, len(ul.communes))
		}
	}
}
