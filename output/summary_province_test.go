package output

import (
	"testing"

	"github.com/doisanh/doisanh/record"
)

// TestDescribeRunProvince: the province of a run and its name come from
// the options, else from the findings; a national register's is "all",
// named Toàn quốc.
func TestDescribeRunProvince(t *testing.T) {
	tests := []struct {
		option   string
		findings []string
		code     string
		name     string
	}{
		{"40", nil, "40", "Tỉnh Nghệ An"},
		{"", []string{"79", "79", "40"}, "79", "Thành phố Hồ Chí Minh"},
		{"all", []string{"79", "40", "01"}, "all", "Toàn quốc"},
	}
	for _, tt := range tests {
		s := &Summary{Options: map[string]any{}}
		if tt.option != "" {
			s.Options["province"] = tt.option
		}
		var fs []record.Finding
		for _, c := range tt.findings {
			fs = append(fs, record.Finding{ProvinceCode: c})
		}
		describeRun(s, fs)
		if s.Province != tt.code || s.ProvinceName != tt.name {
			t.Errorf("option %q, findings %v: %q %q, want %q %q", tt.option, tt.findings, s.Province, s.ProvinceName, tt.code, tt.name)
		}
	}
}
