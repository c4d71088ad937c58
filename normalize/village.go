package normalize

import "strings"

// villageUnits are the words that name the kind of a village-level unit
// (thôn, xóm, ấp, bản, tổ dân phố, khu phố, ...) or a number's "số", folded.
// They are dropped by VillageKey: a register writes the same hamlet as
// "Xóm 3", "xom 03", "Thôn 3" or "TDP số 3".
var villageUnits = map[string]bool{
	"thon": true, "xom": true, "ap": true, "ban": true, "buon": true, "lang": true, "to": true,
	"dan": true, "pho": true, "tdp": true, "khu": true, "kp": true, "khoi": true, "cum": true,
	"doi": true, "so": true, "tt": true, "x": true, "t": true,
}

// VillageKey returns the comparison key of a village-level address part
// (AddressResult.Parts.Village): folded, punctuation dropped, the unit
// words dropped and the leading zeros of numbers removed, so "Xóm 03",
// "xom 3" and "Thôn 3" all give "3" and "Xóm Đông Hồ" gives "dong ho".
// The key means something only within one commune. It is "" when the
// part names no village.
func VillageKey(village string) string {
	f := Fold(village)
	words := strings.FieldsFunc(f, func(r rune) bool {
		return !('a' <= r && r <= 'z' || '0' <= r && r <= '9')
	})
	out := words[:0]
	for _, w := range words {
		if villageUnits[w] && len(out) == 0 {
			continue // unit words lead the name; "Xóm Đông" keeps "dong"
		}
		if w[0] >= '0' && w[0] <= '9' {
			if t := strings.TrimLeft(w, "0"); t != "" {
				w = t
			} else {
				w = "0"
			}
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}
