package pipeline

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/doisanh/doisanh/admin"
	"github.com/doisanh/doisanh/match"
)

// A source file whose usable records mostly fail to link to the register
// is another province's extract (or another register's), not a list of
// thousands of corrections. On the project's generator 99.7% of tax and
// insurance records and 99.9% of civil events link; a real provincial
// extract also holds people registered elsewhere, but far fewer than half.
// An unrelated province's extract links only its namesakes: well under 10%.
const (
	// minLinkShare is the share of usable records that must link for a
	// file's record findings to be reported.
	minLinkShare = 0.5
	// minProvinceRows is the fewest usable records the share is judged on:
	// a handful of unlinked records are findings, not a wrong file.
	minProvinceRows = 50
)

// nationalShare is the share of a register's residents that one province
// must hold for the register to be that province's (national).
const nationalShare = 0.5

// National is the Config.Province and Result.Province of a register of
// the whole country, its people living in many provinces.
const National = admin.AllProvinces

// national reports whether a register's residents (by 2025 commune code,
// Result.Residents) live in more than one province, none of which holds
// half of those whose commune is known: a national register (or several
// provinces'), not one province's with people registered elsewhere.
func national(units *admin.Units, residents map[string]int64) bool {
	count := map[string]int64{}
	var known int64
	for code, n := range residents {
		if c, ok := units.Commune(admin.Current, code); ok {
			count[c.ProvinceCode] += n
			known += n
		}
	}
	if len(count) < 2 {
		return false
	}
	for _, n := range count {
		if float64(n) >= nationalShare*float64(known) {
			return false
		}
	}
	return true
}

// linkTally counts what became of one source file's records.
type linkTally struct {
	used, linked int64
	provinces    map[string]int64       // province code of the record's commune → records
	methods      map[match.Method]int64 // link method → records
}

// add counts one record: its link method and its 2025 commune code ("" unknown).
func (t *linkTally) add(units *admin.Units, m match.Method, commune string) {
	t.used++
	if t.methods == nil {
		t.methods = map[match.Method]int64{}
	}
	t.methods[m]++
	switch m {
	case match.LinkID, match.LinkOldID, match.LinkFuzzy:
		t.linked++
	}
	if commune == "" {
		return
	}
	if prov, ok := units.ProvinceOf(admin.Current, commune); ok {
		if t.provinces == nil {
			t.provinces = map[string]int64{}
		}
		t.provinces[prov]++
	}
}

// addLinks adds the records counted by link method to links (Result.Links),
// keyed prefix + method ("tax/id").
func (t *linkTally) addLinks(links map[string]int, prefix string) {
	for m, n := range t.methods {
		links[prefix+m.String()] += int(n)
	}
}

// foreign reports whether the file is not this province's extract.
func (t *linkTally) foreign() bool {
	return t.used >= minProvinceRows && float64(t.linked) < minLinkShare*float64(t.used)
}

// notThisProvince returns the warning for a foreign file: its link rate,
// the province most of its records name and the findings left out.
func (t *linkTally) notThisProvince(units *admin.Units, source, path, province, dropped string) string {
	register := "the register of province " + province
	if province == National {
		register = "the national register"
	}
	msg := fmt.Sprintf("%s file %s: only %d of %d usable records (%.1f%%) link to %s; "+
		"it does not look like this province's extract", source, path, t.linked, t.used,
		100*float64(t.linked)/float64(t.used), register)
	type count struct {
		code string
		n    int64
	}
	var cs []count
	for code, n := range t.provinces {
		cs = append(cs, count{code, n})
	}
	slices.SortFunc(cs, func(a, b count) int { return cmp.Or(cmp.Compare(b.n, a.n), cmp.Compare(a.code, b.code)) })
	if len(cs) > 0 && cs[0].code != province {
		name := cs[0].code
		if _, pname, ok := units.Province(admin.Current, cs[0].code); ok {
			name += " (" + pname + ")"
		}
		msg += fmt.Sprintf(" (%d records name communes of province %s)", cs[0].n, name)
	}
	return msg + ". Its record findings (" + dropped + ") are left out."
}
