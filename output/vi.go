package output

import (
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
)

// viPhrase rewrites one English detail that normalize and rules append to
// a suggestion ("digit 4 is 3 (Nữ), gender Nam") into Vietnamese. The
// catalogue's own text is Vietnamese; only these generated details are not.
type viPhrase struct {
	re   *regexp.Regexp
	repl func(m []string) string
}

// mustContain returns the longest literal text every match of pattern
// holds: the longest literal of a top-level concatenation, so that
// vietnamese runs a phrase's expression only on a text holding it (each
// expression scans the whole suggestion, twice per finding: fix list CSV
// and workbook). "" when the pattern has no such literal.
func mustContain(pattern string) string {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return ""
	}
	re = re.Simplify()
	lit := func(r *syntax.Regexp) string {
		if r.Op == syntax.OpLiteral && r.Flags&syntax.FoldCase == 0 {
			return string(r.Rune)
		}
		return ""
	}
	if re.Op != syntax.OpConcat {
		return lit(re)
	}
	best := ""
	for _, sub := range re.Sub {
		if l := lit(sub); len(l) > len(best) {
			best = l
		}
	}
	return best
}

// viNeed is mustContain of each of viPhrases, in their order.
var viNeed = func() []string {
	need := make([]string, len(viPhrases))
	for i, p := range viPhrases {
		need[i] = mustContain(p.re.String())
	}
	return need
}()

// centuryRange is "1900–1999" for the decade-style "1900s".
func centuryRange(s string) string {
	n, err := strconv.Atoi(s)
	if err != nil {
		return s
	}
	return strconv.Itoa(n) + "–" + strconv.Itoa(n+99)
}

// viPhrases are tried in order; each replaces every match. Quoted values
// (%q in the producer) are kept as written.
var viPhrases = []viPhrase{
	// normalize.CheckPersonID
	{regexp.MustCompile(`province code (\d+) does not exist`), func(m []string) string {
		return "mã tỉnh " + m[1] + " không tồn tại"
	}},
	{regexp.MustCompile(`province code (\d+) \(([^()]*)\), birth registered in (\d+) \(([^()]*)\)`), func(m []string) string {
		return "mã tỉnh " + m[1] + " (" + m[2] + "), nơi đăng ký khai sinh " + m[3] + " (" + m[4] + ")"
	}},
	{regexp.MustCompile(`digit 4 is (\d): born in the (\d+)s`), func(m []string) string {
		return "chữ số thứ 4 là " + m[1] + ": sinh trong các năm " + centuryRange(m[2])
	}},
	{regexp.MustCompile(`digit 4 is (\d) \(born in the (\d+)s\), birth year (\d+)`), func(m []string) string {
		return "chữ số thứ 4 là " + m[1] + " (sinh trong các năm " + centuryRange(m[2]) + "), năm sinh " + m[3]
	}},
	{regexp.MustCompile(`digit 4 is (\d) \(([^()]*)\), gender (\S+)`), func(m []string) string {
		return "chữ số thứ 4 là " + m[1] + " (" + m[2] + "), giới tính " + m[3]
	}},
	{regexp.MustCompile(`digits 5-6 are (\d+), birth year (\d+)`), func(m []string) string {
		return "chữ số thứ 5-6 là " + m[1] + ", năm sinh " + m[2]
	}},
	// normalize.ParsePersonID, ParseOldID
	{regexp.MustCompile(`(person ID|CMND) ("(?:[^"\\]|\\.)*"): 9 digits is an old CMND number, not a 12-digit personal ID`), func(m []string) string {
		return idWord(m[1]) + " " + m[2] + ": 9 chữ số là số CMND cũ, không phải số định danh 12 chữ số"
	}},
	{regexp.MustCompile(`(person ID|CMND) ("(?:[^"\\]|\\.)*"): 12 digits is a personal ID \(CCCD\), not a CMND`), func(m []string) string {
		return idWord(m[1]) + " " + m[2] + ": 12 chữ số là số định danh (CCCD), không phải CMND"
	}},
	{regexp.MustCompile(`\(not an ID of provinces 001-009 that lost two leading zeros\)`), fixed("(không phải số định danh của các tỉnh 001-009 bị mất hai số 0 đầu)")},
	{regexp.MustCompile(`(person ID|CMND) ("(?:[^"\\]|\\.)*"): (\d+) digits, want (\d+)`), func(m []string) string {
		return idWord(m[1]) + " " + m[2] + ": có " + m[3] + " chữ số, cần " + m[4]
	}},
	{regexp.MustCompile(`(person ID|CMND) ("(?:[^"\\]|\\.)*"): no digits`), func(m []string) string {
		return idWord(m[1]) + " " + m[2] + ": không có chữ số"
	}},
	{regexp.MustCompile(`(person ID|CMND) ("(?:[^"\\]|\\.)*"): unexpected ('(?:[^'\\]|\\.)*')`), func(m []string) string {
		return idWord(m[1]) + " " + m[2] + ": có ký tự lạ " + m[3]
	}},
	// normalize address resolution
	{regexp.MustCompile(`no commune, district or province name`), fixed("địa chỉ không có tên xã, huyện hoặc tỉnh")},
	{regexp.MustCompile(`no commune word`), fixed("địa chỉ không ghi rõ xã/phường")},
	{regexp.MustCompile(`empty address`), fixed("địa chỉ trống")},
	{regexp.MustCompile(`unknown commune name ("(?:[^"\\]|\\.)*")`), func(m []string) string {
		return "không có xã/phường tên " + m[1]
	}},
	{regexp.MustCompile(`unknown province ("(?:[^"\\]|\\.)*")`), func(m []string) string { return "không có tỉnh " + m[1] }},
	{regexp.MustCompile(`unknown district ("(?:[^"\\]|\\.)*")`), func(m []string) string { return "không có huyện " + m[1] }},
	{regexp.MustCompile(`read ("(?:[^"\\]|\\.)*") as ("(?:[^"\\]|\\.)*")`), func(m []string) string {
		return "đọc " + m[1] + " là " + m[2]
	}},
	{regexp.MustCompile(`not in the default province ([^;()]+)`), func(m []string) string {
		return "không thuộc tỉnh mặc định " + m[1]
	}},
	{regexp.MustCompile(`legacy ([^(;]+) \(([^()]*)\) was divided between (\d+) communes`), func(m []string) string {
		return "xã cũ " + m[1] + " (" + m[2] + ") đã chia cho " + m[3] + " xã"
	}},
	{regexp.MustCompile(`ambiguous: (\d+) communes named ("(?:[^"\\]|\\.)*")`), func(m []string) string {
		return "có " + m[1] + " xã cùng tên " + m[2]
	}},
	{regexp.MustCompile(`commune not in the district written`), fixed("xã không thuộc huyện ghi trong địa chỉ")},
}

func fixed(s string) func([]string) string { return func([]string) string { return s } }

func idWord(w string) string {
	if w == "CMND" {
		return "số CMND"
	}
	return "số định danh"
}

// englishHint is a quick test that a text may hold one of viPhrases' English
// patterns, so that Vietnamese-only text skips the regular expressions.
var englishHint = []string{"digit", "province code", "person ID", "CMND ", "commune", "address", "unknown ", "read ", "legacy ", "ambiguous"}

// vietnamese returns s with the English details of viPhrases rewritten.
func vietnamese(s string) string {
	hit := false
	for _, h := range englishHint {
		if strings.Contains(s, h) {
			hit = true
			break
		}
	}
	if !hit {
		return s
	}
	for i, p := range viPhrases {
		if !strings.Contains(s, viNeed[i]) {
			continue
		}
		s = p.re.ReplaceAllStringFunc(s, func(m string) string { return p.repl(p.re.FindStringSubmatch(m)) })
	}
	return s
}
