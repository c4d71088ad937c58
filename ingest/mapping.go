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
		return nil, fmt.Errorf("%s: %s", path, strings.TrimPrefix(err.Error(), "yaml: "))
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
