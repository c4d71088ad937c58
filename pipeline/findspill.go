package pipeline

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"os"
	"strconv"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/doisanh/doisanh/internal/spill"
	"github.com/doisanh/doisanh/record"
	"github.com/doisanh/doisanh/rules"
)

// With a spill directory (Config.Spill) a run keeps its findings in files
// there instead of in memory, from the moment they are made (reading the
// register, linking, the cross rules) until the register, its indexes,
// the linker and the checker are dropped; then they are read back, in the
// order they were kept, for the addresses stage and Finish. What the run
// does to its findings in between is done without them:
//   - a foreign extract's findings dropped (linkSource, linkCivil): the
//     span of findings it kept is noted and skipped when reading back;
//   - rules.Checker.DropConsequences, which needs the population: it is
//     given, in order, a small copy of the findings of the rules it looks
//     at (consequenceRules), and the ones it drops are skipped too.
//
// The files are Arrow IPC streams of record batches, one column per field
// of record.Finding; their size and CRC-32C are kept in memory and checked
// when reading back, so that a file changed or cut short in between fails
// the run instead of losing findings.

// findingBatch is the number of findings a file's writer buffers before
// writing them as one record batch.
const findingBatch = 4096

// consequenceRules are the rules whose findings DropConsequences may drop
// (rules/precedence.go); the findings of the other rules it keeps, and
// only these are given to it in a spilled run.
var consequenceRules = [...]string{rules.IDInvalid, rules.DupPerson}

// findingSchema is the schema of a findings file: the string fields of
// record.Finding in the order of stringsOf, then the score.
var findingSchema = func() *arrow.Schema {
	names := [findingStrings]string{"finding_id", "rule", "subtype", "severity", "province_code", "commune_code",
		"commune_name", "person_id", "full_name", "birth_date", "source", "source_key", "related_person_id",
		"field", "population_value", "source_value", "suggestion", "address", "household_id"}
	fields := make([]arrow.Field, 0, findingStrings+1)
	for _, n := range names {
		fields = append(fields, arrow.Field{Name: n, Type: arrow.BinaryTypes.String})
	}
	fields = append(fields, arrow.Field{Name: "score", Type: arrow.PrimitiveTypes.Float64})
	return arrow.NewSchema(fields, nil)
}()

// summer passes writes on to w, counting them and adding them to a CRC.
type summer struct {
	w   io.Writer
	sum hash.Hash32
	n   int64
}

func (s *summer) Write(p []byte) (int, error) {
	n, err := s.w.Write(p)
	s.sum.Write(p[:n])
	s.n += int64(n)
	return n, err
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// findingFile is a findings file written: where it is, how many findings
// it holds, and its size and CRC-32C, to check when it is read back.
type findingFile struct {
	path string
	n    int
	size int64
	sum  uint32
}

// findingWriter writes findings to a new file, findingBatch at a time.
type findingWriter struct {
	path    string
	f       *os.File
	buf     *bufio.Writer
	out     *summer
	w       *ipc.Writer
	b       *array.RecordBuilder
	strs    [findingStrings]*array.StringBuilder
	score   *array.Float64Builder
	n       int // findings added
	pending int // of which in b, not yet written
	closed  bool
}

// createFindings creates the findings file path.
func createFindings(path string) (*findingWriter, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("findings file: %w", err)
	}
	fw := &findingWriter{path: path, f: f, buf: bufio.NewWriterSize(f, 1<<20)}
	fw.out = &summer{w: fw.buf, sum: crc32.New(castagnoli)}
	fw.w = ipc.NewWriter(fw.out, ipc.WithSchema(findingSchema))
	fw.b = array.NewRecordBuilder(memory.DefaultAllocator, findingSchema)
	for i := range fw.strs {
		fw.strs[i] = fw.b.Field(i).(*array.StringBuilder)
	}
	fw.score = fw.b.Field(findingStrings).(*array.Float64Builder)
	return fw, nil
}

// add appends f (its bytes are copied: f may share any memory).
func (fw *findingWriter) add(f *record.Finding) error {
	for i, s := range stringsOf(f) {
		fw.strs[i].Append(*s)
	}
	fw.score.Append(f.Score)
	fw.n++
	fw.pending++
	if fw.pending == findingBatch {
		return fw.flush()
	}
	return nil
}

// flush writes the buffered findings as one record batch.
func (fw *findingWriter) flush() error {
	if fw.pending == 0 {
		return nil
	}
	rec := fw.b.NewRecordBatch()
	defer rec.Release()
	fw.pending = 0
	if err := fw.w.Write(rec); err != nil {
		return fmt.Errorf("writing findings file %s: %w", fw.path, err)
	}
	return nil
}

// close writes what is buffered and closes the file; abandon closes it
// without writing more (the run failed).
func (fw *findingWriter) close() (findingFile, error) {
	err := fw.flush()
	fw.closed = true
	fw.b.Release()
	if err2 := fw.w.Close(); err == nil && err2 != nil {
		err = fmt.Errorf("writing findings file %s: %w", fw.path, err2)
	}
	if err2 := fw.buf.Flush(); err == nil && err2 != nil {
		err = fmt.Errorf("writing findings file %s: %w", fw.path, err2)
	}
	if err2 := fw.f.Close(); err == nil && err2 != nil {
		err = fmt.Errorf("writing findings file %s: %w", fw.path, err2)
	}
	return findingFile{path: fw.path, n: fw.n, size: fw.out.n, sum: fw.out.sum.Sum32()}, err
}

func (fw *findingWriter) abandon() {
	if !fw.closed {
		fw.closed = true
		fw.b.Release()
		fw.f.Close()
	}
}

// readFindings reads file back and calls each with every finding, in
// order; each's finding is only valid during the call (its strings share
// the batch's buffers). It fails, naming the file, when the file cannot be
// read, is not a findings file, or is not the one written (size, CRC or
// number of findings).
func readFindings(file findingFile, each func(*record.Finding)) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("reading back findings file %s: %w", file.path, err)
		}
	}()
	f, err := os.Open(file.path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if st.Size() != file.size {
		return fmt.Errorf("%d bytes, %d were written", st.Size(), file.size)
	}
	// The CRC first: what the IPC reader trusts (offsets, lengths) is
	// then what was written.
	sum := crc32.New(castagnoli)
	if _, err := io.Copy(sum, f); err != nil {
		return err
	}
	if got := sum.Sum32(); got != file.sum {
		return fmt.Errorf("CRC-32C %08x, %08x was written", got, file.sum)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	in := bufio.NewReaderSize(f, 1<<20)
	rd, err := ipc.NewReader(in, ipc.WithSchema(findingSchema))
	if err != nil {
		return err
	}
	defer rd.Release()
	n := 0
	var strs [findingStrings]*array.String
	for rd.Next() {
		rec := rd.RecordBatch()
		if int(rec.NumCols()) != findingStrings+1 {
			return fmt.Errorf("a batch of %d columns, want %d", rec.NumCols(), findingStrings+1)
		}
		for i := range strs {
			c, ok := rec.Column(i).(*array.String)
			if !ok {
				return fmt.Errorf("column %d is %s, want string", i, rec.Column(i).DataType())
			}
			strs[i] = c
		}
		score, ok := rec.Column(findingStrings).(*array.Float64)
		if !ok {
			return fmt.Errorf("column %d is %s, want float64", findingStrings, rec.Column(findingStrings).DataType())
		}
		for j := range int(rec.NumRows()) {
			var fd record.Finding
			for i, s := range stringsOf(&fd) {
				*s = strs[i].Value(j)
			}
			fd.Score = score.Value(j)
			each(&fd)
		}
		n += int(rec.NumRows())
	}
	if err := rd.Err(); err != nil {
		return err
	}
	if n != file.n {
		return fmt.Errorf("%d findings, %d were written", n, file.n)
	}
	return nil
}

// spillFiles are the findings files of one run and of its forks.
type spillFiles struct {
	dir  *spill.Dir
	mu   sync.Mutex
	seq  int
	open []*findingWriter
}

// create creates the run's next findings file.
func (sf *spillFiles) create() (*findingWriter, error) {
	sf.mu.Lock()
	defer sf.mu.Unlock()
	sf.seq++
	fw, err := createFindings(sf.dir.File("findings-" + strconv.Itoa(sf.seq) + ".arrow"))
	if err != nil {
		return nil, err
	}
	sf.open = append(sf.open, fw)
	return fw, nil
}

// abandon closes the files still open (a run that failed).
func (sf *spillFiles) abandon() {
	sf.mu.Lock()
	defer sf.mu.Unlock()
	for _, fw := range sf.open {
		fw.abandon()
	}
	sf.open = nil
}

// span is the findings [from, to) of a spilled run, by the order kept.
type span struct{ from, to int }

// consequenceKey is what DropConsequences reads of a finding, and where
// the finding is.
type consequenceKey struct {
	i                                     int // the finding's number, in the order kept
	rule, sourceKey, personID, relatedKey string
}

// spilled is where a run with a spill directory keeps its findings: the
// files written, the one being written, and what is dropped of them.
type spilled struct {
	files *spillFiles
	texts *texts // the keys' strings

	done []findingFile  // written, in order
	w    *findingWriter // the file being written, nil none
	n    int            // findings kept so far, dropped ones included
	skip []span         // findings dropped, ascending and disjoint
	keys []consequenceKey
	err  error // the first error: then nothing more is written
}

func newSpilled(files *spillFiles) *spilled {
	return &spilled{files: files, texts: &texts{}}
}

// fork returns an empty store writing files of its own (a fork of the run,
// run.join takes its findings back with join).
func (s *spilled) fork() *spilled { return newSpilled(s.files) }

// add keeps fs.
func (s *spilled) add(fs []record.Finding) {
	if s.err != nil || len(fs) == 0 {
		return
	}
	if s.w == nil {
		if s.w, s.err = s.files.create(); s.err != nil {
			return
		}
	}
	for i := range fs {
		f := &fs[i]
		for _, r := range consequenceRules {
			if f.Rule == r {
				t := s.texts
				s.keys = append(s.keys, consequenceKey{i: s.n, rule: r, sourceKey: t.own(f.SourceKey),
					personID: t.own(f.PersonID), relatedKey: t.own(f.RelatedPersonID)})
			}
		}
		s.n++
		if s.err = s.w.add(f); s.err != nil {
			return
		}
	}
}

// closeFile ends the file being written.
func (s *spilled) closeFile() {
	if s.w == nil {
		return
	}
	file, err := s.w.close()
	s.w = nil
	if s.err == nil {
		s.err = err
	}
	s.done = append(s.done, file)
}

// cut drops the findings kept from mark on (s.n at an earlier time).
func (s *spilled) cut(mark int) {
	if mark >= s.n {
		return
	}
	s.skip = append(s.skip, span{mark, s.n})
	k := len(s.keys)
	for k > 0 && s.keys[k-1].i >= mark {
		k--
	}
	s.keys = s.keys[:k]
}

// join appends the findings of sub (a fork) after s's.
func (s *spilled) join(sub *spilled) {
	s.closeFile()
	sub.closeFile()
	if s.err == nil {
		s.err = sub.err
	}
	for _, sp := range sub.skip {
		s.skip = append(s.skip, span{sp.from + s.n, sp.to + s.n})
	}
	for _, k := range sub.keys {
		k.i += s.n
		s.keys = append(s.keys, k)
	}
	s.done = append(s.done, sub.done...)
	s.n += sub.n
}

// dropConsequences applies chk.DropConsequences to the findings kept: it
// is given the consequenceKeys as findings, in order, each numbered in its
// FindingID (which Finish sets later and DropConsequences does not read),
// and the ones it leaves out are skipped when reading back.
func (s *spilled) dropConsequences(chk *rules.Checker) error {
	fs := make([]record.Finding, len(s.keys))
	for j, k := range s.keys {
		fs[j] = record.Finding{FindingID: strconv.Itoa(j), Rule: k.rule, SourceKey: k.sourceKey, PersonID: k.personID,
			RelatedPersonID: k.relatedKey}
	}
	var dropped []span
	next := 0
	for _, f := range chk.DropConsequences(fs) {
		j, err := strconv.Atoi(f.FindingID)
		if err != nil || j < next || j >= len(s.keys) {
			return fmt.Errorf("findings spill: DropConsequences did not keep its findings in order (%q after %d)", f.FindingID, next)
		}
		for ; next < j; next++ {
			dropped = append(dropped, span{s.keys[next].i, s.keys[next].i + 1})
		}
		next = j + 1
	}
	for ; next < len(s.keys); next++ {
		dropped = append(dropped, span{s.keys[next].i, s.keys[next].i + 1})
	}
	s.skip = mergeSpans(s.skip, dropped)
	s.keys, s.texts = nil, &texts{}
	return nil
}

// mergeSpans merges two ascending lists of disjoint spans.
func mergeSpans(a, b []span) []span {
	out := make([]span, 0, len(a)+len(b))
	for len(a) > 0 || len(b) > 0 {
		if len(b) == 0 || (len(a) > 0 && a[0].from < b[0].from) {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return out
}

// readBack closes the file being written, reads every file back in order
// and returns the findings not dropped, their strings copies in t; each
// file is removed once read. Nil when there are none.
func (s *spilled) readBack(t *texts) ([]record.Finding, error) {
	s.closeFile()
	if s.err != nil {
		return nil, s.err
	}
	kept := s.n
	for _, sp := range s.skip {
		kept -= sp.to - sp.from
	}
	if kept == 0 {
		return nil, s.remove()
	}
	out := make([]record.Finding, 0, kept)
	i, skip := 0, s.skip
	for _, file := range s.done {
		err := readFindings(file, func(f *record.Finding) {
			for len(skip) > 0 && skip[0].to <= i {
				skip = skip[1:]
			}
			if len(skip) == 0 || i < skip[0].from {
				t.finding(f)
				out = append(out, *f)
			}
			i++
		})
		if err != nil {
			return nil, err
		}
		if err := os.Remove(file.path); err != nil {
			return nil, fmt.Errorf("findings file: %w", err)
		}
	}
	if i != s.n || len(out) != kept {
		return nil, fmt.Errorf("findings spill: %d findings read back of %d kept (%d to keep, %d kept)", i, s.n, kept, len(out))
	}
	s.done = nil
	return out, nil
}

// remove removes the files written.
func (s *spilled) remove() error {
	var errs []error
	for _, file := range s.done {
		if err := os.Remove(file.path); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, fmt.Errorf("findings file: %w", err))
		}
	}
	s.done = nil
	return errors.Join(errs...)
}

// findingsMark returns where the run's findings end now, for dropFindingsFrom.
func (r *run) findingsMark() int {
	if r.spilled != nil {
		return r.spilled.n
	}
	return len(r.res.Findings)
}

// dropFindingsFrom drops the findings kept since findingsMark returned mark.
func (r *run) dropFindingsFrom(mark int) {
	if r.spilled != nil {
		r.spilled.cut(mark)
		return
	}
	r.res.Findings = r.res.Findings[:mark]
}

// joinFindings appends the findings of sub, a fork of r, to r's.
func (r *run) joinFindings(sub *run) {
	if r.spilled != nil {
		r.spilled.join(sub.spilled)
		return
	}
	r.res.Findings = append(r.res.Findings, sub.res.Findings...)
}

// dropConsequences applies r.chk.DropConsequences to the run's findings.
func (r *run) dropConsequences() error {
	if r.spilled != nil {
		if err := r.spilled.dropConsequences(r.chk); err != nil {
			return err
		}
		r.spilled.closeFile() // all kept: measured on disk after the stage
		return r.spilled.err
	}
	r.res.Findings = r.chk.DropConsequences(r.res.Findings)
	return nil
}

// addresses is the addresses stage: a spilled run's findings are read
// back first (the register is no longer held: crossRules dropped it),
// into texts of their own.
func (r *run) addresses(ctx context.Context) (int64, error) {
	if r.spilled != nil {
		r.texts = &texts{} // what it held (marriages' event IDs) is garbage
		fs, err := r.spilled.readBack(r.texts)
		if err != nil {
			return 0, err
		}
		r.res.Findings, r.spilled = fs, nil
	}
	return r.fillAddresses(ctx)
}
