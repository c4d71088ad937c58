package output

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Tool is the value of manifest.json's "tool" field: it marks a directory
// as a doisanh result, which a later run may replace.
const Tool = "doisanh"

// lockSuffix names the lock file beside the output directory.
const lockSuffix = ".lock"

var (
	errLockHeld   = errors.New("lock held")
	errNoExchange = errors.New("atomic exchange not supported")
)

// ForeignKind says why an output directory may not be replaced.
type ForeignKind uint8

const (
	NotDirectory ForeignKind = iota // a file, not a directory
	Symlink                         // a symbolic link
	NoManifest                      // files, but no manifest.json: not a doisanh result
	NotOurs                         // a manifest.json doisanh did not write
	OtherFiles                      // a doisanh result with files added that doisanh did not write
	Changed                         // a doisanh result whose files were changed since
)

// ForeignDirError is returned by Create and Commit when the output
// directory exists and is neither empty nor an unchanged doisanh result.
// Nothing in it was touched.
type ForeignDirError struct {
	Dir   string
	Kind  ForeignKind
	Files []string // up to five of the entries at fault, relative to Dir
}

func (e *ForeignDirError) Error() string {
	var why string
	switch e.Kind {
	case NotDirectory:
		why = "exists and is not a directory"
	case Symlink:
		why = "is a symbolic link; give the directory it points to"
	case NoManifest:
		why = "holds files and no manifest.json, so it is not a doisanh result"
	case NotOurs:
		why = "holds a manifest.json that doisanh did not write"
	case OtherFiles:
		why = "holds files that doisanh did not write"
	case Changed:
		why = "holds files changed since doisanh wrote them"
	}
	return fmt.Sprintf("output %s %s%s; doisanh replaces only an empty directory or an unchanged doisanh result, "+
		"and left this one untouched: choose another --out (a new directory), or move the files away yourself",
		e.Dir, why, e.files())
}

// Vietnamese is the message in Vietnamese, for the officers' terminal.
func (e *ForeignDirError) Vietnamese() string {
	var why string
	switch e.Kind {
	case NotDirectory:
		why = "đã có và không phải là thư mục"
	case Symlink:
		why = "là một liên kết (symlink); hãy dùng đường dẫn của chính thư mục mà nó trỏ tới"
	case NoManifest:
		why = "có tệp nhưng không có manifest.json, nên không phải kết quả của doisanh"
	case NotOurs:
		why = "có manifest.json không phải do doisanh ghi"
	case OtherFiles:
		why = "có tệp không phải do doisanh ghi"
	case Changed:
		why = "có tệp đã bị sửa sau khi doisanh ghi"
	}
	return fmt.Sprintf("thư mục kết quả %s %s%s; doisanh chỉ thay thế thư mục trống hoặc kết quả cũ nguyên vẹn của doisanh, "+
		"và không động đến thư mục này: hãy chọn --out khác (một thư mục mới), hoặc tự chuyển các tệp đi nơi khác",
		e.Dir, why, e.files())
}

func (e *ForeignDirError) files() string {
	if len(e.Files) == 0 {
		return ""
	}
	return " (" + strings.Join(e.Files, ", ") + ")"
}

// LockedError is returned by Create when another run is writing to the
// same output directory.
type LockedError struct {
	Dir  string
	Lock string // the lock file
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("output %s: another doisanh run is writing there (it holds %s); wait for it to finish or choose another --out", e.Dir, e.Lock)
}

// Vietnamese is the message in Vietnamese.
func (e *LockedError) Vietnamese() string {
	return fmt.Sprintf("thư mục kết quả %s đang được một lần chạy doisanh khác ghi (khóa %s); hãy đợi lần chạy đó xong hoặc chọn --out khác", e.Dir, e.Lock)
}

// maxNamed is how many entries a ForeignDirError names.
const maxNamed = 5

// osJunk are files an operating system's file browser leaves in any
// directory it shows; they do not make a result foreign.
var osJunk = map[string]bool{".DS_Store": true, "Thumbs.db": true, "desktop.ini": true}

// inspect says whether the output directory dir may be replaced: it does
// not exist (exists false, mode 0755 for the new one), is an empty
// directory, or holds a doisanh result (its manifest.json has Tool, or is
// of the format before Tool was added) with no file added or changed
// since (sizes, and SHA-256 when the manifest has them). Otherwise it
// returns a *ForeignDirError. mode is the permissions to give the new
// result: the previous directory's.
func inspect(dir string) (exists bool, mode fs.FileMode, err error) {
	fi, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return false, 0o755, nil
	}
	if err != nil {
		return false, 0, fmt.Errorf("output %s: %w", dir, err)
	}
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		return true, 0, &ForeignDirError{Dir: dir, Kind: Symlink}
	case !fi.IsDir():
		return true, 0, &ForeignDirError{Dir: dir, Kind: NotDirectory}
	}
	mode = fi.Mode().Perm()
	es, err := os.ReadDir(dir)
	if err != nil {
		return true, 0, fmt.Errorf("output %s: %w", dir, err)
	}
	var names []string
	for _, e := range es {
		if !osJunk[e.Name()] {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		return true, mode, nil
	}
	m, err := readManifest(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return true, 0, &ForeignDirError{Dir: dir, Kind: NoManifest, Files: names[:min(len(names), maxNamed)]}
	}
	if err != nil || !m.ours() {
		return true, 0, &ForeignDirError{Dir: dir, Kind: NotOurs, Files: []string{"manifest.json"}}
	}
	other, changed, err := m.compare(dir)
	if err != nil {
		return true, 0, fmt.Errorf("output %s: %w", dir, err)
	}
	if len(other) > 0 {
		return true, 0, &ForeignDirError{Dir: dir, Kind: OtherFiles, Files: other}
	}
	if len(changed) > 0 {
		return true, 0, &ForeignDirError{Dir: dir, Kind: Changed, Files: changed}
	}
	return true, mode, nil
}

// readManifest reads dir/manifest.json.
func readManifest(dir string) (*manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, err
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	return &m, nil
}

// ours reports whether doisanh wrote the manifest: it says so, or it has
// the fields of the format before "tool" was added.
func (m *manifest) ours() bool {
	if m.Tool != "" {
		return m.Tool == Tool
	}
	return m.Version != "" && m.RunID != "" && len(m.Files) > 0
}

// compare walks dir against the manifest's file list: other are the
// entries the manifest does not list (OS junk and manifest.json aside),
// changed the listed files whose size or checksum differs; a listed file
// that is missing is neither (nothing of the user's would be lost). Each
// list is cut to maxNamed.
func (m *manifest) compare(dir string) (other, changed []string, err error) {
	listed := make(map[string]manifestFile, len(m.Files))
	for _, f := range m.Files {
		listed[f.Path] = f
	}
	err = filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir || e.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if rel == "manifest.json" || osJunk[e.Name()] {
			return nil
		}
		f, ok := listed[rel]
		if !ok || !e.Type().IsRegular() {
			if len(other) < maxNamed {
				other = append(other, rel)
			}
			return nil
		}
		if len(changed) >= maxNamed {
			return nil
		}
		same, err := f.matches(p)
		if err != nil {
			return err
		}
		if !same {
			changed = append(changed, rel)
		}
		return nil
	})
	return other, changed, err
}

// matches reports whether the file at p has the size and checksum the
// manifest lists.
func (f manifestFile) matches(p string) (bool, error) {
	fi, err := os.Stat(p)
	if err != nil {
		return false, err
	}
	if fi.Size() != f.Size {
		return false, nil
	}
	if f.SHA256 == "" {
		return true, nil
	}
	sum, err := fileSum(p)
	return sum == f.SHA256, err
}

// fileSum is the hex SHA-256 of the file at p.
func fileSum(p string) (string, error) {
	r, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer r.Close()
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return "", fmt.Errorf("%s: %w", p, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// VerifyResult checks that dir is a complete doisanh result: its
// manifest.json is doisanh's and every file it lists is there with its
// size and checksum, and nothing else is. Tests of interrupted runs use
// it; it is exported for tools that check a result before sending it on.
func VerifyResult(dir string) error { return checkComplete(dir, true) }

// checkComplete is VerifyResult; without strict it also takes a manifest
// of the format before "tool" and the checksums.
func checkComplete(dir string, strict bool) error {
	m, err := readManifest(dir)
	if err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	if strict && m.Tool != Tool || !m.ours() {
		return fmt.Errorf("%s: manifest.json has tool %q, want %q", dir, m.Tool, Tool)
	}
	other, changed, err := m.compare(dir)
	if err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	if len(other) > 0 || len(changed) > 0 {
		return fmt.Errorf("%s: files not in manifest.json %v, differing from it %v", dir, other, changed)
	}
	for _, f := range m.Files {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(f.Path))); err != nil {
			return fmt.Errorf("%s: listed in manifest.json but %w", dir, err)
		}
	}
	return nil
}
