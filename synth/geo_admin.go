package synth

import (
	"fmt"
	"strings"

	"github.com/doisanh/doisanh/admin"
)

// loadGeography returns the 2025 communes of a province with the legacy
// communes merged into each, from package admin.
func loadGeography(province string) (*geography, error) {
	units := admin.Default()
	code, name, ok := units.Province(admin.Current, province)
	if !ok {
		return nil, fmt.Errorf("province %q: not a province of the 2025 list (a code such as 40, a name, or all)", province)
	}
	g := &geography{provinceCode: code, provinceFull: name}
	g.provinceName = trimLevel(name)
	if _, legacy, ok := units.Province(admin.Legacy, code); ok && legacy != name {
		g.birthName = trimLevel(legacy)
	}
	for _, c := range units.Communes(admin.Current, code) {
		p := place{code: c.Code, name: splitLevel(c.Name, c.Level), level: c.Level}
		for _, s := range units.Sources(c.Code) {
			p.legacy = append(p.legacy, legacyPlace{
				code:     s.Code,
				name:     splitLevel(s.Name, s.Level),
				level:    s.Level,
				district: s.DistrictName,
				province: s.ProvinceName,
				divided:  len(units.Convert(s.Code)) > 1,
			})
		}
		g.places = append(g.places, p)
	}
	if err := g.finish(); err != nil {
		return nil, err
	}
	return g, nil
}

// trimLevel removes a province's level word: "Tỉnh Nghệ An" → "Nghệ An".
func trimLevel(name string) string {
	return strings.TrimPrefix(strings.TrimPrefix(name, "Tỉnh "), "Thành phố ")
}
