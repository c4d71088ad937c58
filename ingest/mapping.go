package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"unicode"

	"github.com/doisanh/doisanh/record"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/unicode/norm"
)

// Mapping renames input headers to canonical column names: the key is a
// header as written in a file (for example "HO_TEN" or "Họ và tên"), the value
// a canonical name (for example "full_name"). Keys are compared after
// folding, so case, surrounding spaces and Vietnamese diacritics do not
// matter.
type Mapping map[string]string

// LoadMapping reads a mapping file: a flat YAML map from input header to
// canonical column name (see MAPPING.md). Errors name the file and line.
// Every value must be a canonical column of one of the sources, and no two
// keys may be equal after folding.
func LoadMapping(path string) (Mapping, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read mapping: %w", err)
	}
	return parseMapping(path, data)
}

// parseMapping parses the YAML text of a mapping file named path.
func parseMapping(path string, data []byte) (Mapping, error) {
	m := Mapping{}
	if len(bytes.TrimSpace(data)) == 0 {
		return m, nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %s", path, Printable(strings.Join(strings.Fields(strings.TrimPrefix(err.Error(), "yaml: ")), " ")))
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return m, nil
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return m, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s:%d: want a map of input header to column name (HO_TEN: full_name)", path, root.Line)
	}
	canonical := canonicalNames()
	seen := map[string]int{} // folded key -> line
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("%s:%d: a header must be plain text", path, k.Line)
		}
		if v.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("%s:%d: value of %q must be a column name, not a list or map (the file is one flat map for all sources)", path, v.Line, k.Value)
		}
		key := foldHeader(k.Value)
		if key == "" {
			return nil, fmt.Errorf("%s:%d: empty header", path, k.Line)
		}
		val := strings.ToLower(strings.TrimSpace(v.Value))
		if !canonical[val] {
			return nil, fmt.Errorf("%s:%d: %q is not a column name (header %q); known columns: %s", path, v.Line, v.Value, k.Value, strings.Join(sortedKeys(canonical), ", "))
		}
		if line, ok := seen[key]; ok {
			return nil, fmt.Errorf("%s:%d: header %q is already mapped on line %d", path, k.Line, k.Value, line)
		}
		seen[key] = k.Line
		m[k.Value] = val
	}
	return m, nil
}

// canonicalNames returns the set of canonical column names of all sources.
func canonicalNames() map[string]bool {
	names := map[string]bool{}
	add := func(cols []string) {
		for _, c := range cols {
			names[c] = true
		}
	}
	add(columnNames(record.PersonSchema))
	add(columnNames(record.TaxSchema))
	add(columnNames(record.InsuranceSchema))
	add(columnNames(record.CivilSchema))
	return names
}

func columnNames[T any](s record.Schema[T]) []string {
	names := make([]string, len(s.Columns))
	for i, c := range s.Columns {
		names[i] = c.Name
	}
	return names
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// foldHeader returns the form in which headers and mapping keys are
// compared: lower case, Vietnamese diacritics removed ("Đ" becomes "d"), a
// leading byte order mark dropped, and every run of white space, '_' and '-'
// made one '_' with none at either end. "Họ và Tên ", "HO_VA_TEN" and
// "ho-va-ten" all fold to "ho_va_ten"; "Full Name" folds to "full_name".
func foldHeader(s string) string {
	s = strings.TrimPrefix(s, "\uFEFF")
	var b strings.Builder
	b.Grow(len(s))
	sep := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsSpace(r) || r == '_' || r == '-':
			sep = true
			continue
		case r == 'đ' || r == 'Đ':
			r = 'd'
		default:
			r = unicode.ToLower(r)
		}
		if sep && b.Len() > 0 {
			b.WriteByte('_')
		}
		sep = false
		b.WriteRune(r)
	}
	return b.String()
}

var errEmptyFile = errors.New("empty file (no header)")

// HeaderAlias is a canonical column and the headers recognised for it
// without a mapping file.
type HeaderAlias struct {
	Column  string
	Headers []string
}

// Headers common to the sources that carry a person.
var (
	aliasName    = []string{"Họ và tên", "Họ tên", "Họ, tên", "Tên công dân"}
	aliasBirth   = []string{"Ngày sinh", "Ngày tháng năm sinh", "Ngày, tháng, năm sinh", "NTNS"}
	aliasGender  = []string{"Giới tính", "Phái"}
	aliasAddress = []string{"Địa chỉ", "Địa chỉ thường trú", "Nơi thường trú", "Nơi cư trú", "Địa chỉ cư trú", "Nơi ở hiện tại"}
	aliasCommune = []string{"Mã xã", "Mã xã/phường", "Mã phường/xã", "Mã ĐVHC", "Mã đơn vị hành chính"}
	aliasStatus  = []string{"Trạng thái", "Tình trạng"}
	aliasID      = []string{"Số định danh", "Số định danh cá nhân", "Mã định danh", "Số CCCD", "CCCD", "Số căn cước",
		"Số căn cước công dân", "Số CMND/CCCD", "Số CCCD/CMND", "Số giấy tờ tùy thân"}
	aliasFather = []HeaderAlias{{"father_id", []string{"Số định danh cha", "Số định danh bố", "CCCD cha"}},
		{"father_name", []string{"Họ tên cha", "Họ và tên cha", "Họ tên bố", "Tên cha"}}}
	aliasMother = []HeaderAlias{{"mother_id", []string{"Số định danh mẹ", "CCCD mẹ"}},
		{"mother_name", []string{"Họ tên mẹ", "Họ và tên mẹ", "Tên mẹ"}}}
)

// builtinHeaders are the Vietnamese headers of each source recognised
// without a mapping file (doisanh columns lists them). A mapping file and
// the canonical names themselves take precedence.
var builtinHeaders = map[record.Source][]HeaderAlias{
	record.Population: append([]HeaderAlias{
		{"person_id", aliasID},
		{"old_id", []string{"Số CMND", "CMND", "Số CMND cũ", "Số chứng minh nhân dân"}},
		{"full_name", aliasName},
		{"birth_date", aliasBirth},
		{"gender", aliasGender},
		{"birth_reg_province", []string{"Nơi đăng ký khai sinh", "Tỉnh đăng ký khai sinh"}},
		{"household_id", []string{"Mã hộ", "Số hộ", "Mã hộ gia đình", "Số sổ hộ khẩu"}},
		{"relation", []string{"Quan hệ với chủ hộ", "Quan hệ chủ hộ"}},
		{"spouse_id", []string{"Số định danh vợ/chồng", "CCCD vợ/chồng"}},
		{"spouse_name", []string{"Họ tên vợ/chồng", "Tên vợ/chồng"}},
		{"address", aliasAddress},
		{"commune_code", aliasCommune},
		{"residence_type", []string{"Loại cư trú", "Hình thức cư trú"}},
		{"status", aliasStatus},
	}, append(aliasFather, aliasMother...)...),
	record.Tax: {
		{"tax_code", []string{"Mã số thuế", "MST", "Mã số thuế cá nhân"}},
		{"id_number", append(slices.Clone(aliasID), "Số CMND", "CMND")},
		{"full_name", append(slices.Clone(aliasName), "Tên người nộp thuế")},
		{"birth_date", aliasBirth},
		{"gender", aliasGender},
		{"address", aliasAddress},
		{"commune_code", aliasCommune},
		{"status", append(slices.Clone(aliasStatus), "Trạng thái MST")},
	},
	record.Insurance: {
		{"insurance_code", []string{"Mã số BHXH", "Mã BHXH", "Mã số bảo hiểm xã hội", "Số sổ BHXH"}},
		{"id_number", append(slices.Clone(aliasID), "Số CMND", "CMND")},
		{"full_name", aliasName},
		{"birth_date", aliasBirth},
		{"gender", aliasGender},
		{"address", aliasAddress},
		{"commune_code", aliasCommune},
		{"card_number", []string{"Số thẻ BHYT", "Mã thẻ BHYT"}},
		{"status", aliasStatus},
	},
	record.Civil: append([]HeaderAlias{
		{"event_id", []string{"Số đăng ký", "Số hồ sơ", "Mã hồ sơ"}},
		{"event_type", []string{"Loại sự kiện", "Loại việc", "Loại đăng ký"}},
		{"event_date", []string{"Ngày đăng ký"}},
		{"reg_commune_code", []string{"Mã xã đăng ký", "Mã nơi đăng ký"}},
		{"subject_id", append(slices.Clone(aliasID), "Số định danh người được đăng ký")},
		{"subject_name", append(slices.Clone(aliasName), "Họ tên người được đăng ký")},
		{"subject_birth_date", aliasBirth},
		{"subject_gender", aliasGender},
		{"partner_id", []string{"Số định danh vợ/chồng", "Số định danh người kết hôn"}},
		{"partner_name", []string{"Họ tên vợ/chồng", "Họ tên người kết hôn"}},
	}, append(aliasFather, aliasMother...)...),
}

// builtinIndex is builtinHeaders by source and folded header.
var builtinIndex = func() map[record.Source]map[string]string {
	idx := map[record.Source]map[string]string{}
	for src, aliases := range builtinHeaders {
		m := map[string]string{}
		for _, a := range aliases {
			for _, h := range a.Headers {
				m[foldHeader(h)] = a.Column
			}
		}
		idx[src] = m
	}
	return idx
}()

// BuiltinHeaders returns the headers recognised for src's columns without
// a mapping file, in schema order.
func BuiltinHeaders(src record.Source) []HeaderAlias {
	return builtinHeaders[src]
}

// builtinColumn returns the canonical column that the folded header names
// in src's built-in headers.
func builtinColumn(src record.Source, folded string) (string, bool) {
	c, ok := builtinIndex[src][folded]
	return c, ok
}
