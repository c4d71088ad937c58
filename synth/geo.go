package synth

import (
	"fmt"
	"strings"

	"github.com/doisanh/doisanh/normalize"
)

// geography is the province the generator places people in.
type geography struct {
	provinceCode string // 2-digit 2025 code, e.g. "40"
	provinceName string // "Nghệ An"
	provinceFull string // "Tỉnh Nghệ An"
	// birthName is the province the ID code "0"+provinceCode stands for
	// (the legacy list's): the province's own name but for the 7 provinces
	// of 2025 that took the code of another they merged with (52, Gia Lai,
	// has the code of Bình Định); "" for provinceName.
	birthName string
	places    []place
	// allCodes holds every commune code of either list in the province,
	// to keep injected invalid codes invalid.
	allCodes map[string]bool
}

// place is one 2025 commune with the legacy communes merged into it.
type place struct {
	code   string // 5 digits
	name   string // without its level word: "Nghi Phong"
	level  string // Xã, Phường, Đặc khu
	legacy []legacyPlace
	// uniqueName: no other commune of the province has the same folded
	// name, so an address naming it resolves without a code.
	uniqueName bool
}

// legacyPlace is a commune before 1 July 2025.
type legacyPlace struct {
	code, name, level string
	district          string // with its level word: "Huyện Nghi Lộc"
	province          string // "Tỉnh Nghệ An"; "" for the geography's province
	divided           bool   // split between several 2025 communes
	current           bool   // the code is also a 2025 code
}

func (p *place) fullName() string { return p.level + " " + p.name }

// splitLevel removes a leading level word from a commune name.
func splitLevel(name, level string) string {
	if level != "" {
		if rest, ok := strings.CutPrefix(name, level+" "); ok {
			return rest
		}
	}
	return name
}

// finish fills the derived fields once places are set.
func (g *geography) finish() error {
	if len(g.places) == 0 {
		return fmt.Errorf("province %s: %w", g.provinceCode, errNoCommunes)
	}
	if g.provinceFull == "" {
		g.provinceFull = "Tỉnh " + g.provinceName
	}
	seen := make(map[string]int)
	current := make(map[string]bool)
	g.allCodes = make(map[string]bool)
	legacyUse := make(map[string]int)
	for _, p := range g.places {
		seen[normalize.Fold(p.name)]++
		current[p.code] = true
		g.allCodes[p.code] = true
		for _, l := range p.legacy {
			g.allCodes[l.code] = true
			legacyUse[l.code]++
		}
	}
	for i := range g.places {
		p := &g.places[i]
		p.uniqueName = seen[normalize.Fold(p.name)] == 1
		for j := range p.legacy {
			l := &p.legacy[j]
			l.current = current[l.code]
			l.divided = l.divided || legacyUse[l.code] > 1
		}
	}
	return nil
}
