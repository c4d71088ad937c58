package synth

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// markName is the file Generate writes first into its directory, so that
// the directory of a Generate interrupted before generate.json is known as
// its own; markText is its content.
const (
	markName = ".doisanh-generate"
	markText = "written by doisanh generate: population, tax, insurance, civil and truth files of a synthetic province\n"
)

// dirFiles are the files Generate writes into its directory.
var dirFiles = func() []string {
	names := []string{markName, "generate.json"}
	for _, n := range fileNames {
		names = append(names, n+".parquet", n+".csv")
	}
	return names
}()

// ForeignDirError is the error of a directory Generate must not write
// into: it holds files of the names Generate writes that an earlier
// Generate did not write.
type ForeignDirError struct {
	Dir   string
	Files []string // the files that would be overwritten
}

func (e *ForeignDirError) Error() string {
	return fmt.Sprintf("%s holds %s, which are not the output of doisanh generate (no generate.json of it): "+
		"writing there would overwrite them; give a new or empty directory", e.Dir, strings.Join(e.Files, ", "))
}

// Vietnamese is the message in Vietnamese.
func (e *ForeignDirError) Vietnamese() string {
	return fmt.Sprintf("%s có %s không phải do doisanh generate tạo (không có generate.json của nó): "+
		"ghi vào đó sẽ ghi đè các tệp này; hãy chọn một thư mục mới hoặc trống", e.Dir, strings.Join(e.Files, ", "))
}

// CheckDir reports whether Generate may write into dir without
// overwriting what it did not write: dir is new, holds none of the files
// Generate writes, or is the output of an earlier Generate (its mark
// .doisanh-generate, written first, or a generate.json of it). It returns a *ForeignDirError otherwise, and an
// error for a dir that is a file. Files of other names are never touched
// and never matter.
func CheckDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	var ours []string
	for _, e := range entries {
		if slices.Contains(dirFiles, e.Name()) {
			ours = append(ours, e.Name())
		}
	}
	if len(ours) == 0 || isReport(filepath.Join(dir, "generate.json")) || isMark(filepath.Join(dir, markName)) {
		return nil
	}
	return &ForeignDirError{Dir: dir, Files: ours}
}

// IsOutput reports whether dir holds only files Generate writes (any of
// them, as an interrupted Generate leaves), so that a caller that made it
// may remove it whole.
func IsOutput(dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if e.IsDir() || !IsFileName(e.Name()) {
			return false
		}
	}
	return true
}

// IsFileName reports whether name is the name of a file Generate writes.
func IsFileName(name string) bool { return slices.Contains(dirFiles, name) }

// isMark reports whether path is the mark Generate writes first.
func isMark(path string) bool {
	b, err := os.ReadFile(path)
	return err == nil && string(b) == markText
}

// isReport reports whether path is a generate.json that Generate wrote.
func isReport(path string) bool {
	b, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	var r struct {
		Options *struct {
			People int `json:"people"`
		} `json:"options"`
		Files []FileCount `json:"files"`
	}
	return json.Unmarshal(b, &r) == nil && r.Options != nil && r.Options.People > 0 && len(r.Files) > 0
}
