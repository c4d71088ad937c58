package synth

import "testing"

func TestLoadGeography(t *testing.T) {
	g, err := loadGeography("40")
	if err != nil {
		t.Fatal(err)
	}
	if g.provinceCode != "40" || g.provinceName != "Nghệ An" {
		t.Errorf("province = %q %q, want 40 Nghệ An", g.provinceCode, g.provinceName)
	}
	if len(g.places) < 100 {
		t.Fatalf("%d communes in Nghệ An, want about 130", len(g.places))
	}
	legacy, notCurrent := 0, 0
	for _, p := range g.places {
		if len(p.code) != 5 || p.level == "" || p.name == "" || p.name == p.fullName() {
			t.Errorf("bad place %+v", p)
		}
		for _, l := range p.legacy {
			legacy++
			if !l.current {
				notCurrent++
			}
			if l.district == "" {
				t.Errorf("legacy commune %s without district", l.code)
			}
		}
	}
	if legacy < len(g.places) || notCurrent == 0 {
		t.Errorf("legacy %d, not current %d: want legacy ≥ communes, some not current", legacy, notCurrent)
	}
	if _, err := loadGeography("00"); err == nil {
		t.Error("province 00: no error")
	}
}
