package synth

import "fmt"

// testGeography is a small made-up province for tests that do not need
// the real admin units.
func testGeography() *geography {
	g := &geography{provinceCode: "40", provinceName: "Nghệ An"}
	for i := range 30 {
		code := fmt.Sprintf("%05d", 16700+i*3)
		p := place{code: code, name: fmt.Sprintf("Nghi Phong %d", i), level: "Xã"}
		if i%5 == 0 {
			p.level = "Phường"
		}
		p.legacy = []legacyPlace{
			{code: code, name: fmt.Sprintf("Nghi Phong %d", i), level: "Xã", district: "Huyện Nghi Lộc"},
			{code: fmt.Sprintf("%05d", 16701+i*3), name: fmt.Sprintf("Nghi Thái %d", i), level: "Xã", district: "Huyện Nghi Lộc"},
		}
		g.places = append(g.places, p)
	}
	if err := g.finish(); err != nil {
		panic(err)
	}
	return g
}
