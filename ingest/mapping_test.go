package ingest

import (
	"maps"
	"strings"
	"testing"
)

func TestLoadMapping(t *testing.T) {
	tests := []struct {
		file    string
		want    Mapping
		wantErr []string // substrings of the error
	}{
		{file: "mapping.yaml", want: Mapping{
			"SO_DINH_DANH": "person_id", "HO_TEN": "full_name", "Ngày sinh": "birth_date",
			"GIOI_TINH": "gender", "MA_XA": "commune_code", "MST": "tax_code",
		}},
		{file: "mapping_unknown_column.yaml", wantErr: []string{"mapping_unknown_column.yaml:3:", `"birthdate" is not a column name`, "birth_date"}},
		{file: "mapping_nested.yaml", wantErr: []string{"mapping_nested.yaml:2:", "flat map"}},
		{file: "mapping_duplicate.yaml", wantErr: []string{"mapping_duplicate.yaml:2:", "already mapped on line 1"}},
		{file: "no_such_mapping.yaml", wantErr: []string{"no_such_mapping.yaml"}},
		{file: "empty.csv", want: Mapping{}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := LoadMapping(fixture(tt.file))
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("LoadMapping = %v, want an error", got)
				}
				for _, s := range tt.wantErr {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not contain %q", err, s)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, tt.want) {
				t.Errorf("LoadMapping = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseMapping(t *testing.T) {
	tests := []struct {
		name, text string
		want       Mapping
		wantErr    string
	}{
		{"flat", "A: full_name\nB: person_id\n", Mapping{"A": "full_name", "B": "person_id"}, ""},
		{"value case and space", "A: ' Full_Name '\n", Mapping{"A": "full_name"}, ""},
		{"comments only", "# nothing\n", Mapping{}, ""},
		{"null document", "~\n", Mapping{}, ""},
		{"list", "- a\n- b\n", nil, "m.yaml:1: want a map"},
		{"scalar", "full_name\n", nil, "m.yaml:1: want a map"},
		{"bad yaml", "a: [\n", nil, "m.yaml:"},
		{"list value", "A: full_name\nB: [x]\n", nil, "m.yaml:2:"},
		{"empty key", "'  ': full_name\n", nil, "m.yaml:1: empty header"},
		{"accent duplicate", "Họ tên: full_name\nHO TEN: full_name\n", nil, "m.yaml:2: header \"HO TEN\" is already mapped on line 1"},
		{"map key", "? [a]\n: full_name\n", nil, "m.yaml:1: a header must be plain text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseMapping("m.yaml", []byte(tt.text))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want it to contain %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "\n") {
					t.Errorf("error %q spans lines", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, tt.want) {
				t.Errorf("parseMapping = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestFoldHeader(t *testing.T) {
	tests := []struct{ in, want string }{
		{"full_name", "full_name"},
		{"FULL_NAME", "full_name"},
		{"  Full_Name\t", "full_name"},
		{"Full Name", "full_name"},
		{"full-name", "full_name"},
		{"_full__name_", "full_name"},
		{"\uFEFFperson_id", "person_id"},
		{"Họ và tên", "ho_va_ten"},
		{"HỌ  VÀ\tTÊN", "ho_va_ten"},
		{"HO_VA_TEN", "ho_va_ten"},
		{"Ho va te\u0302n", "ho_va_ten"}, // NFD input
		{"Địa chỉ", "dia_chi"},
		{"ĐỊA CHỈ", "dia_chi"},
		{"Giới tính", "gioi_tinh"},
		{"Số định danh", "so_dinh_danh"},
		{"", ""},
		{"   ", ""},
		{" _-_ ", ""},
		{"Mã_xã", "ma_xa"},
		{"a.b", "a.b"},
	}
	for _, tt := range tests {
		if got := foldHeader(tt.in); got != tt.want {
			t.Errorf("foldHeader(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzFoldHeader(f *testing.F) {
	for _, s := range []string{"Họ và tên", "ĐỊA CHỈ", " a  b ", "\uFEFFx", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := foldHeader(s)
		if again := foldHeader(got); again != got {
			t.Errorf("foldHeader not idempotent: %q -> %q -> %q", s, got, again)
		}
		if strings.HasPrefix(got, "_") || strings.HasSuffix(got, "_") || strings.Contains(got, "__") || strings.ContainsAny(got, " \t\n-") {
			t.Errorf("foldHeader(%q) = %q has stray separators", s, got)
		}
	})
}
