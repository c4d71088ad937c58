package output

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/doisanh/doisanh/record"
)

// WriteFindings writes everything a run produces from its findings:
// findings.parquet, findings.csv (UTF-8 with BOM), one fix list per commune
// under fixlists/<province_code>/<commune_code>-<slug>.csv (and .xlsx with
// Options.XLSX), summary.json, report.html and, last, manifest.json. The
// findings are not modified. When WriteRejects was not called, empty reject
// files are written so that a run directory is always complete. Unless the
// summary has a "write" stage already, one is added with the time spent
// writing rejects, findings and fix lists.
func (d *Dir) WriteFindings(fs []record.Finding, s Summary) error {
	if d.writeStart.IsZero() {
		d.writeStart = time.Now()
	}
	if !d.wroteRejects {
		if err := d.WriteRejects(nil); err != nil {
			return err
		}
	}
	if s.Version == "" {
		s.Version = d.opts.Version
	}
	if s.Finished.IsZero() {
		s.Finished = d.opts.Now()
	}
	// The findings tables and the fix lists only read fs: they are
	// written side by side.
	communes := groupCommunes(fs)
	describeRun(&s, fs)
	info := listInfo{Province: s.ProvinceName, Period: s.Period, RunID: s.RunID, RunDate: s.Started,
		Version: s.Version, Now: d.opts.Now()}
	if s.Verification != nil {
		info.Notes = s.Verification.Notes
	}
	var wg sync.WaitGroup
	errs := make([]error, 3)
	wg.Go(func() {
		errs[0] = d.writeFile("findings.parquet", func(f *os.File) error { return writeParquet(f, fs) })
	})
	wg.Go(func() {
		errs[1] = d.writeFile("findings.csv", func(f *os.File) error {
			return writeCSV(f, findingColumns, fs, findingRow)
		})
	})
	wg.Go(func() { _, errs[2] = d.writeFixlists(fs, communes, info) })
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	d.progress("wrote %d findings", len(fs))
	if !slices.ContainsFunc(s.Stages, func(st Stage) bool { return st.Name == "write" }) {
		s.Stages = append(s.Stages, Stage{Name: "write", Seconds: time.Since(d.writeStart).Seconds(), Rows: int64(len(fs))})
	}
	summarize(&s, fs, communes, d.rejects)
	if err := d.writeJSON("summary.json", &s); err != nil {
		return err
	}
	if err := d.writeFile("report.html", func(f *os.File) error { return writeReport(f, &s) }); err != nil {
		return err
	}
	return d.writeManifest(&s)
}

func (d *Dir) writeJSON(rel string, v any) error {
	return d.writeFile(rel, func(f *os.File) error { return encodeJSON(f, v) })
}

func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// manifest is the content of manifest.json.
type manifest struct {
	// Tool is always "doisanh" (output.Tool): a later run replaces a
	// directory only when it holds doisanh's manifest.
	Tool     string          `json:"tool"`
	Version  string          `json:"version"`
	RunID    string          `json:"run_id"`
	Started  time.Time       `json:"started"`
	Finished time.Time       `json:"finished"`
	Options  map[string]any  `json:"options"`
	Inputs   []manifestInput `json:"inputs"`
	Files    []manifestFile  `json:"files"`
}

type manifestInput struct {
	Source string `json:"source"`
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
	Rows   int64  `json:"rows"` // rows read
}

type manifestFile struct {
	Path   string `json:"path"` // slash-separated, relative to the run directory
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256,omitempty"` // hex; absent in manifests written before it was added
}

// writeManifest lists the inputs and every file written so far, with its
// size and SHA-256.
func (d *Dir) writeManifest(s *Summary) error {
	m := manifest{Tool: Tool, Version: s.Version, RunID: s.RunID, Started: s.Started, Finished: s.Finished, Options: s.Options}
	for _, in := range s.Inputs {
		m.Inputs = append(m.Inputs, manifestInput{in.Source, in.Path, in.Size, in.SHA256, in.Read})
	}
	err := filepath.WalkDir(d.tmp, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		fi, err := e.Info()
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(d.tmp, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		d.sumsMu.Lock()
		sum, ok := d.sums[rel] // summed as it was written
		d.sumsMu.Unlock()
		if !ok {
			if sum, err = fileSum(p); err != nil {
				return err
			}
		}
		m.Files = append(m.Files, manifestFile{rel, fi.Size(), sum})
		return nil
	})
	if err != nil {
		return fmt.Errorf("output: listing %s: %w", d.tmp, err)
	}
	slices.SortFunc(m.Files, func(a, b manifestFile) int {
		if a.Path < b.Path {
			return -1
		}
		if a.Path > b.Path {
			return 1
		}
		return 0
	})
	return d.writeJSON("manifest.json", &m)
}
