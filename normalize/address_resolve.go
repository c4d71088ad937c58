package normalize

import (
	"fmt"
	"slices"
	"strings"

	"github.com/doisanh/doisanh/admin"
)

// addrState is the work of one Parse call.
type addrState struct {
	p               *AddressParser
	t               *addrTokens
	units           []addrUnit
	com, dist, prov int // unit indexes, -1 when absent
	notes           []string
	conf            float64
}

// match helpers look a token range up in the parser's indexes.

func (s *addrState) provinceRef(a, b int) (addrProvRef, bool) {
	var sb [128]byte
	r, ok := s.p.provByKey[string(s.t.appendKey(sb[:0], a, b))]
	return r, ok
}

func (s *addrState) isDistrict(a, b int) bool {
	var sb [128]byte
	_, ok := s.p.distByKey[string(s.t.appendKey(sb[:0], a, b))]
	return ok
}

func (s *addrState) isCommune(a, b int) bool {
	var sb [128]byte
	k := s.t.appendKey(sb[:0], a, b)
	if _, ok := s.p.lists[admin.Legacy].byKey[string(k)]; ok {
		return true
	}
	_, ok := s.p.lists[admin.Current].byKey[string(k)]
	return ok
}

// addrSplit is a decomposition of the end of a token run into a commune, a
// district and a province name (each possibly empty).
type addrSplit struct {
	cut, cEnd, dEnd, end int
}

func (sp addrSplit) parts() int {
	n := 0
	for _, ok := range []bool{sp.cEnd > sp.cut, sp.dEnd > sp.cEnd, sp.end > sp.dEnd} {
		if ok {
			n++
		}
	}
	return n
}

// splitTail finds how tokens [minCut, b) end with names of a commune (when
// wantCom), a district (wantDist) and a province (wantProv), in that order,
// the tokens before the cut satisfying prefixOK. It prefers more names, then
// the shortest prefix. needCom requires the commune.
func (s *addrState) splitTail(minCut, b int, wantCom, needCom, wantDist, wantProv bool, prefixOK func(cut int) bool) (addrSplit, bool) {
	const maxWords = 6
	best, found := addrSplit{}, false
	for lp := 0; lp <= maxWords && b-lp >= minCut; lp++ {
		if lp > 0 {
			if !wantProv {
				break
			}
			if _, ok := s.provinceRef(b-lp, b); !ok {
				continue
			}
		}
		dEnd := b - lp
		for ld := 0; ld <= maxWords && dEnd-ld >= minCut; ld++ {
			if ld > 0 && (!wantDist || !s.isDistrict(dEnd-ld, dEnd)) {
				if !wantDist {
					break
				}
				continue
			}
			cEnd := dEnd - ld
			for lc := 0; lc <= maxWords && cEnd-lc >= minCut; lc++ {
				if lc > 0 && (!wantCom || !s.isCommune(cEnd-lc, cEnd)) {
					if !wantCom {
						break
					}
					continue
				}
				if needCom && lc == 0 {
					continue
				}
				sp := addrSplit{cut: cEnd - lc, cEnd: cEnd, dEnd: dEnd, end: b}
				if sp.parts() == 0 || !prefixOK(sp.cut) {
					continue
				}
				if !found || sp.parts() > best.parts() || (sp.parts() == best.parts() && sp.cut < best.cut) {
					best, found = sp, true
				}
			}
		}
	}
	return best, found
}

// applySplit cuts unit i at sp: the unit keeps [.., sp.cut) and implicit
// units with roles are inserted after it for the names found. It returns
// whether unit i is left empty (and was removed).
func (s *addrState) applySplit(i int, sp addrSplit) (removed bool) {
	u := &s.units[i]
	var add [3]addrUnit
	n := 0
	for _, r := range []struct {
		a, b int
		role addrKind
	}{{sp.cut, sp.cEnd, addrCommune}, {sp.cEnd, sp.dEnd, addrDistrict}, {sp.dEnd, sp.end, addrProvince}} {
		if r.b > r.a {
			add[n] = addrUnit{kind: addrNone, w0: r.a, w1: r.a, n1: r.b, role: r.role}
			n++
		}
	}
	u.n1 = sp.cut
	removed = u.n1 <= u.w1 && !u.explicit
	at := i + 1
	if removed {
		s.units = slices.Delete(s.units, i, i+1)
		at = i
	}
	s.units = slices.Insert(s.units, at, add[:n]...)
	return removed
}

// assignRoles decides, right to left, which units are the commune, the
// district and the province. A unit whose name runs on into higher units
// (comma-less text) is split first.
func (s *addrState) assignRoles() {
	for i := len(s.units) - 1; i >= 0; i-- {
		u := &s.units[i]
		if u.role != addrNone {
			s.setRole(i)
			continue
		}
		if u.n1 <= u.w1 {
			continue
		}
		a, b := u.w1, u.n1
		var sp addrSplit
		split := false
		switch u.kind {
		case addrProvince, addrCity:
			if s.prov < 0 && s.dist < 0 && s.com < 0 {
				if _, ok := s.provinceRef(a, b); ok || u.kind == addrProvince {
					u.role = addrProvince
					break
				}
			}
			if u.kind == addrCity && s.dist < 0 && s.com < 0 {
				u.role = addrDistrict
				if !s.isDistrict(a, b) {
					sp, split = s.splitTail(a+1, b, false, false, false, s.prov < 0, func(cut int) bool { return s.isDistrict(a, cut) })
				}
			}
		case addrDistrict:
			if s.dist < 0 && s.com < 0 {
				u.role = addrDistrict
				if !s.isDistrict(a, b) {
					sp, split = s.splitTail(a+1, b, false, false, false, s.prov < 0, func(cut int) bool { return s.isDistrict(a, cut) })
				}
			}
		case addrCommune:
			if s.com < 0 {
				u.role = addrCommune
				if !s.isCommune(a, b) {
					sp, split = s.splitTail(a+1, b, false, false, s.dist < 0, s.prov < 0, func(cut int) bool { return s.isCommune(a, cut) })
				}
			}
		case addrVillage, addrStreet, addrNone:
			if s.com >= 0 {
				break
			}
			if u.kind == addrNone {
				if _, ok := s.provinceRef(a, b); ok && s.prov < 0 && s.dist < 0 {
					u.role = addrProvince
				} else if s.dist < 0 && s.isDistrict(a, b) {
					u.role = addrDistrict
				} else if s.isCommune(a, b) {
					u.role = addrCommune
				}
				if u.role != addrNone {
					break
				}
			}
			minCut := a
			if u.kind != addrNone {
				minCut = a + 1 // a village or street keeps a name
			}
			sp, split = s.splitTail(minCut, b, true, u.kind != addrNone, s.dist < 0, s.prov < 0, func(int) bool { return true })
		}
		if !split {
			s.setRole(i)
			continue
		}
		// Revisit from the last inserted unit; the loop's i-- lands there.
		n := sp.parts()
		if s.applySplit(i, sp) {
			i += n
		} else {
			i += n + 1
		}
	}
	// "Hưng Nguyên, Nghệ An": a bare name read as a legacy district when no
	// commune follows is the 2025 commune of that name.
	if s.com < 0 && s.dist >= 0 {
		if u := &s.units[s.dist]; u.kind == addrNone && s.isCommune(u.w1, u.n1) {
			u.role, s.com, s.dist = addrCommune, s.dist, -1
		}
	}
}

// setRole records unit i's role in com, dist or prov.
func (s *addrState) setRole(i int) {
	switch s.units[i].role {
	case addrCommune:
		s.com = i
	case addrDistrict:
		s.dist = i
	case addrProvince:
		s.prov = i
	}
}

func (s *addrState) note(format string, args ...any) {
	s.notes = append(s.notes, fmt.Sprintf(format, args...))
}

func (s *addrState) resolve() AddressResult {
	s.com, s.dist, s.prov, s.conf = -1, -1, -1, 1
	s.assignRoles()
	// Roles are final; indexes may have moved while splitting.
	s.com, s.dist, s.prov = -1, -1, -1
	for i := range s.units {
		s.setRole(i)
	}
	var res AddressResult
	s.fillParts(&res.Parts)
	if s.com < 0 {
		res.Status, res.Reason = AddressUnresolved, "không tìm thấy tên xã/phường/thị trấn"
		if s.prov < 0 && s.dist < 0 {
			res.Reason = "không tìm thấy tên xã, quận/huyện hay tỉnh/thành phố nào"
		}
		return res
	}
	p := s.p
	// Province scope.
	var provLeg, provCur string
	if s.prov >= 0 {
		u := s.units[s.prov]
		if ref, ok := s.provinceRef(u.w1, u.n1); ok {
			provLeg, provCur = ref[admin.Legacy], ref[admin.Current]
			if provCur == "" {
				provCur = p.legToCur[provLeg]
			}
		} else {
			s.conf -= 0.1
			s.note("không rõ tỉnh/thành phố %q", res.Parts.Province)
		}
	}
	// District scope (legacy only).
	var distBuf [8]string
	dists := distBuf[:0]
	if s.dist >= 0 {
		u := s.units[s.dist]
		var sb [128]byte
		for _, d := range p.distByKey[string(s.t.appendKey(sb[:0], u.w1, u.n1))] {
			dd := p.districts[d]
			if (provLeg == "" || dd.province == provLeg) && (provCur == "" || p.legToCur[dd.province] == provCur) {
				dists = append(dists, dd.code)
			}
		}
		if len(dists) == 0 {
			s.conf -= 0.2
			s.note("không rõ quận/huyện %q", res.Parts.District)
		}
	}
	cu := s.units[s.com]
	var kb [128]byte
	key := s.t.appendKey(kb[:0], cu.w1, cu.n1)
	list, idx := s.candidates(string(key), cu.level, provLeg, provCur, dists)
	if len(idx) == 0 && len(key) >= 4 && !s.t.toks[cu.w1].digit {
		if alt, ok := s.typo(string(key), cu.level, provLeg, provCur); ok {
			list, idx = s.candidates(alt, cu.level, provLeg, provCur, dists)
			s.conf -= 0.15
			s.note("đọc %q là %q", string(key), alt)
		}
	}
	name := s.t.text(cu.w1, cu.n1)
	idx = s.exact(list, idx, name)
	if len(idx) == 0 {
		res.Status, res.Confidence = AddressUnresolved, 0
		res.Reason = fmt.Sprintf("không có xã/phường/thị trấn tên %q", name)
		switch {
		case provLeg != "":
			res.Reason += " ở " + p.provName[admin.Legacy][provLeg]
		case provCur != "":
			res.Reason += " ở " + p.provName[admin.Current][provCur]
		}
		return res
	}
	// No province in the text: prefer the default province.
	if s.prov < 0 && p.defProv != "" {
		al := &p.lists[list]
		in := 0
		for _, i := range idx {
			if al.curProv[i] == p.defProv {
				idx[in] = i
				in++
			}
		}
		switch {
		case in > 0 && in < len(idx):
			idx = idx[:in]
			s.conf -= 0.05
		case in == 0:
			s.conf -= 0.2
			s.note("không thuộc tỉnh mặc định %s", p.provName[admin.Current][p.defProv])
		}
	} else if s.prov < 0 {
		s.conf -= 0.1
	}
	if cu.kind == addrNone {
		s.conf -= 0.1 // no unit word: the name was recognised by position
	}
	al := &p.lists[list]
	if list == admin.Current {
		res.Current = make([]admin.Commune, len(idx))
		for j, i := range idx {
			res.Current[j] = al.communes[i]
		}
	} else {
		res.Legacy = make([]admin.Commune, len(idx))
		cur := &p.lists[admin.Current]
		for j, i := range idx {
			res.Legacy[j] = al.communes[i]
			for _, c := range p.conv[i] {
				if !slices.ContainsFunc(res.Current, func(x admin.Commune) bool { return x.Code == cur.communes[c].Code }) {
					res.Current = append(res.Current, cur.communes[c])
				}
			}
		}
		s.conf -= 0.05
	}
	switch {
	case len(res.Current) == 1:
		res.Status = AddressResolved
	case len(res.Legacy) == 1:
		res.Status = AddressAmbiguous
		l := res.Legacy[0]
		s.notes = append([]string{fmt.Sprintf("%s (%s, %s) đã được chia cho %d xã/phường năm 2025", l.Name, l.DistrictName, l.ProvinceName, len(res.Current))}, s.notes...)
	default:
		res.Status = AddressAmbiguous
		n := len(res.Current)
		if list == admin.Legacy {
			n = len(res.Legacy)
		}
		s.notes = append([]string{fmt.Sprintf("chưa rõ: có %d xã/phường tên %q", n, name)}, s.notes...)
	}
	if res.Status == AddressAmbiguous {
		s.conf = min(s.conf, 0.5) / float64(len(res.Current))
	}
	res.Confidence = max(0, min(1, float64(int(s.conf*100+0.5))/100))
	res.Reason = strings.Join(s.notes, "; ")
	return res
}

// candidates returns the communes named key: legacy ones in the district when
// the text names one, else 2025 ones, else legacy ones; each narrowed by the
// province and, when that leaves any, by the level word.
func (s *addrState) candidates(key, level, provLeg, provCur string, dists []string) (admin.List, []int32) {
	p := s.p
	filter := func(l admin.List, dist bool) []int32 {
		al := &p.lists[l]
		var out []int32
		levelOK := 0
		for _, i := range al.byKey[key] {
			c := &al.communes[i]
			if provCur != "" && al.curProv[i] != provCur {
				continue
			}
			if l == admin.Legacy && provLeg != "" && c.ProvinceCode != provLeg {
				continue
			}
			if dist && !slices.Contains(dists, c.DistrictCode) {
				continue
			}
			out = append(out, i)
			if level != "" && c.Level == level {
				levelOK++
			}
		}
		if levelOK > 0 && levelOK < len(out) {
			n := 0
			for _, i := range out {
				if al.communes[i].Level == level {
					out[n] = i
					n++
				}
			}
			out = out[:n]
		}
		return out
	}
	if len(dists) > 0 {
		if idx := filter(admin.Legacy, true); len(idx) > 0 {
			return admin.Legacy, idx
		}
	}
	if idx := filter(admin.Current, false); len(idx) > 0 {
		return admin.Current, idx
	}
	idx := filter(admin.Legacy, false)
	if len(idx) > 0 && len(dists) > 0 {
		s.conf -= 0.2
		s.note("xã/phường không thuộc quận/huyện ghi trong địa chỉ")
	}
	return admin.Legacy, idx
}

// exact narrows communes sharing a key to the one whose name is written
// with the same accents ("Sa Pa" and "Sa Pả" in one district), if one is.
func (s *addrState) exact(l admin.List, idx []int32, written string) []int32 {
	if len(idx) < 2 {
		return idx
	}
	al := &s.p.lists[l]
	hit := -1
	for j, i := range idx {
		c := &al.communes[i]
		if strings.EqualFold(strings.TrimPrefix(c.Name, c.Level+" "), written) {
			if hit >= 0 {
				return idx
			}
			hit = j
		}
	}
	if hit < 0 {
		return idx
	}
	return idx[hit : hit+1]
}

// typo returns the one commune key within one edit of key among the
// communes of the level and province scope, found through the matcher's
// index of names one letter apart.
func (s *addrState) typo(key, level, provLeg, provCur string) (string, bool) {
	found, ambiguous := "", false
	s.p.nearNames(squashKey(key), func(name string, _ bool) {
		for _, e := range s.p.match.names[name].es {
			if e.kind != mCommune || e.initial {
				continue
			}
			al := &s.p.lists[e.list]
			i := e.idx
			if provCur != "" && al.curProv[i] != provCur {
				continue
			}
			if e.list == admin.Legacy && provLeg != "" && al.communes[i].ProvinceCode != provLeg {
				continue
			}
			if level != "" && al.communes[i].Level != level {
				continue
			}
			k := al.keys[i]
			if k == found || !addrWithin1(key, k) {
				continue
			}
			if found != "" {
				ambiguous = true // two names are one typo away
			}
			found = k
		}
	})
	return found, found != "" && !ambiguous
}

// addrWithin1 reports whether a and b are at most one insertion, deletion,
// substitution or transposition of adjacent bytes apart.
func addrWithin1(a, b string) bool {
	if a == b {
		return true
	}
	la, lb := len(a), len(b)
	if la-lb > 1 || lb-la > 1 {
		return false
	}
	i := 0
	for i < la && i < lb && a[i] == b[i] {
		i++
	}
	switch {
	case la == lb:
		if a[i+1:] == b[i+1:] {
			return true
		}
		return i+1 < la && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	case la == lb+1:
		return a[i+1:] == b[i:]
	default:
		return a[i:] == b[i+1:]
	}
}

// fillParts copies the units' text into the address parts.
func (s *addrState) fillParts(a *Address) {
	level := ""
	if s.com >= 0 {
		level = s.units[s.com].level
	}
	set := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	for i, u := range s.units {
		v := s.t.text(u.w0, u.n1)
		switch u.role {
		case addrCommune:
			a.Commune = v
			continue
		case addrDistrict:
			a.District = v
			continue
		case addrProvince:
			a.Province = v
			continue
		}
		if s.com >= 0 && i > s.com {
			continue
		}
		switch u.kind {
		case addrHouse:
			set(&a.House, v)
		case addrStreet:
			if a.Street != "" {
				a.Street += ", " + v // "ngõ 5, đường Lê Duẩn"
			} else {
				a.Street = v
			}
		case addrVillage:
			set(&a.Village, v)
		case addrNone:
			if a.House != "" || level == "Phường" || level == "Thị trấn" {
				set(&a.Street, v)
			} else {
				set(&a.Village, v)
			}
		case addrCommune, addrDistrict, addrCity, addrProvince:
			// A second commune or district word: keep the first as written.
		}
	}
}
