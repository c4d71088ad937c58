package synth

import (
	"testing"

	"github.com/doisanh/doisanh/normalize"
)

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

// TestHomeBirthProvince: in every province of 2025, the birth_reg_province
// written for a person registered at home (as a code, a name or a full
// name) is the province of their ID prefix, also in the 7 provinces that
// took the code of another they merged with (52 Gia Lai: 052, Bình Định).
func TestHomeBirthProvince(t *testing.T) {
	geos, err := loadNational()
	if err != nil {
		t.Fatal(err)
	}
	renamed := 0
	for _, g := range geos {
		if g.birthName != "" {
			renamed++
		}
		m := newModel(DefaultOptions(), g)
		rd := newRenderer(m, saltPopulation)
		for style := range uint8(3) {
			p := &person{provStyle: style}
			text := rd.provinceText(p)
			if code, ok := normalize.ProvinceCode(text); !ok || code != "0"+g.provinceCode {
				t.Errorf("province %s (%s): birth_reg_province %q reads as %q %v, want 0%s", g.provinceCode, g.provinceName, text, code, ok, g.provinceCode)
			}
		}
	}
	if renamed != 7 {
		t.Errorf("%d provinces named otherwise than their code's, want 7", renamed)
	}
}
