package main

import (
	"fmt"
	"io"
	"regexp"
	"strings"
)

// viWarnings rewrites the warnings of pipeline.Result, which it writes in
// English (as summary.json keeps them), for the terminal in Vietnamese.
// A warning no pattern matches is shown in English.
var viWarnings = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`^(\S+) file (.+): column (\S+) is blank in all (\d+) rows; every check that needs it sees it missing \(check the export and --mapping\)$`),
		"tệp $1 $2: cột $3 trống ở cả $4 dòng; mọi kiểm tra cần cột này đều coi như thiếu (kiểm tra lại tệp xuất và --mapping)"},
	{regexp.MustCompile(`^(.+): (\d+) of (\d+) rows repeat an earlier row \(same person_id, name and birth date; first at data rows ([^)]*)\): (a person entered twice under one number\?|was the file, or part of it, given twice\?) Each person is checked once\.$`),
		"$1: $2 trong $3 dòng lặp lại một dòng trước (cùng person_id, họ tên và ngày sinh; lần đầu ở các dòng $4): $5 Mỗi người chỉ được kiểm tra một lần."},
	{regexp.MustCompile(`^(\S+) file (.+): only (\d+) of (\d+) usable records \(([\d.]+)%\) link to the register of province (\S+); it does not look like this province's extract \((\d+) records name communes of province (.+)\)\. Its record findings \((.*)\) are left out\.$`),
		"tệp $1 $2: chỉ $3 trong $4 bản ghi dùng được ($5%) liên kết được với dữ liệu dân cư của tỉnh $6; tệp có vẻ không phải của tỉnh này ($7 bản ghi ghi xã/phường của tỉnh $8). Các phát hiện theo bản ghi của tệp ($9) không được đưa ra."},
	{regexp.MustCompile(`^(\S+) file (.+): only (\d+) of (\d+) usable records \(([\d.]+)%\) link to the register of province (\S+); it does not look like this province's extract\. Its record findings \((.*)\) are left out\.$`),
		"tệp $1 $2: chỉ $3 trong $4 bản ghi dùng được ($5%) liên kết được với dữ liệu dân cư của tỉnh $6; tệp có vẻ không phải của tỉnh này. Các phát hiện theo bản ghi của tệp ($7) không được đưa ra."},
	{regexp.MustCompile(`^(.+): the register has more rows than counted, and its people could not be given a larger mapped file \((.*)\): the rest of the run keeps them in memory$`),
		"$1: dữ liệu dân cư có nhiều dòng hơn số đã đếm, và không tạo được tệp ánh xạ lớn hơn cho danh sách công dân ($2): phần còn lại của lần chạy giữ chúng trong bộ nhớ"},
	{regexp.MustCompile(`^--workers (\d+) is more than (\d+) per core on (\d+) cores: using (\d+)$`),
		"--workers $1 nhiều hơn $2 mỗi lõi trên $3 lõi: dùng $4"},
}

// viWords are the parts of a translated warning still in English: the
// sources' names ("tệp tax" becomes "tệp thuế") and the questions of a
// repeated row.
var viWords = strings.NewReplacer("tệp population ", "tệp dân cư ", "tệp tax ", "tệp thuế ",
	"tệp insurance ", "tệp BHXH ", "tệp civil ", "tệp hộ tịch ",
	"a person entered twice under one number?", "một người được nhập hai lần với cùng một số?",
	"was the file, or part of it, given twice?", "tệp, hoặc một phần của tệp, bị đưa vào hai lần?")

// printWarnings writes warnings on w, one line each, in lang.
func printWarnings(w io.Writer, warnings []string, lang string) {
	label := "warning"
	if lang == langVI {
		label = "cảnh báo"
	}
	for _, msg := range warnings {
		if lang == langVI {
			msg = warningVI(msg)
		}
		fmt.Fprintf(w, "doisanh: %s: %s\n", label, msg)
	}
}

// warningVI is a warning in Vietnamese, or as it is when no pattern knows it.
func warningVI(msg string) string {
	for _, t := range viWarnings {
		if t.re.MatchString(msg) {
			return viWords.Replace(t.re.ReplaceAllString(msg, t.repl))
		}
	}
	return msg
}
