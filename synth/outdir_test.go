package synth

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestCheckDir(t *testing.T) {
	report := `{"options": {"people": 100}, "files": [{"file": "population", "rows": 100}]}`
	tests := []struct {
		name    string
		files   map[string]string // name: content; a name ending in / is a directory
		ok      bool
		foreign []string
		output  bool // IsOutput
	}{
		{"new", nil, true, nil, false},
		{"empty", map[string]string{}, true, nil, true},
		{"other files only", map[string]string{"notes.txt": "x", "real.parquet": "x"}, true, nil, false},
		{"previous output", map[string]string{"generate.json": report, "population.parquet": "x", "truth.csv": "x"}, true, nil, true},
		{"previous output with a reconcile result", map[string]string{"generate.json": report, "population.parquet": "x", "out/": ""}, true, nil, false},
		{"interrupted output", map[string]string{markName: markText, "population.parquet": "x", "tax.parquet": "x"}, true, nil, true},
		{"generate's names without its mark", map[string]string{"population.parquet": "x", "tax.parquet": "x"}, false,
			[]string{"population.parquet", "tax.parquet"}, true},
		{"a foreign mark", map[string]string{markName: "x", "population.parquet": "real"}, false,
			[]string{markName, "population.parquet"}, true},
		{"someone's extracts", map[string]string{"population.parquet": "real", "tax.csv": "real", "notes.txt": "x"}, false,
			[]string{"population.parquet", "tax.csv"}, false},
		{"a foreign generate.json", map[string]string{"generate.json": `{"name": "x"}`, "civil.parquet": "real"}, false,
			[]string{"civil.parquet", "generate.json"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "d")
			if tt.files != nil {
				if err := os.Mkdir(dir, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			for name, content := range tt.files {
				p := filepath.Join(dir, name)
				if name[len(name)-1] == '/' {
					os.Mkdir(p, 0o755)
					continue
				}
				if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			err := CheckDir(dir)
			var fe *ForeignDirError
			switch {
			case tt.ok && err != nil:
				t.Errorf("CheckDir: %v, want nil", err)
			case !tt.ok && !errors.As(err, &fe):
				t.Errorf("CheckDir: %v, want a *ForeignDirError", err)
			case !tt.ok && !slices.Equal(fe.Files, tt.foreign):
				t.Errorf("CheckDir names %v, want %v", fe.Files, tt.foreign)
			}
			if got := IsOutput(dir); got != tt.output {
				t.Errorf("IsOutput = %v, want %v", got, tt.output)
			}
		})
	}
}

// TestCheckDirAcceptsGenerated: a directory Generate wrote may be
// written again, and is one IsOutput recognises.
func TestCheckDirAcceptsGenerated(t *testing.T) {
	dir := t.TempDir()
	opts := DefaultOptions()
	opts.People, opts.Format = 300, FormatBoth
	if _, err := Generate(context.Background(), dir, opts); err != nil {
		t.Fatal(err)
	}
	if err := CheckDir(dir); err != nil {
		t.Errorf("CheckDir of a generated directory: %v", err)
	}
	if !IsOutput(dir) {
		t.Error("IsOutput of a generated directory: false")
	}
}
