package ingest

import (
	"path/filepath"
	"testing"

	"github.com/doisanh/doisanh/record"
)

func fixture(name string) string { return filepath.Join("..", "testdata", "ingest", name) }

// readFile reads every row of path and checks that the counts reconcile.
func readFile[T any](t testing.TB, path string, schema record.Schema[T], opts Options) ([]T, Stats, []record.Reject, error) {
	t.Helper()
	var rejects []record.Reject
	opts.OnReject = func(r record.Reject) { rejects = append(rejects, r) }
	rows, st, err := ReadAll(path, schema, opts)
	if st.Read != st.Used+st.Rejected {
		t.Errorf("%s: Read %d != Used %d + Rejected %d", path, st.Read, st.Used, st.Rejected)
	}
	if int64(len(rows)) != st.Used {
		t.Errorf("%s: %d rows returned, Stats.Used = %d", path, len(rows), st.Used)
	}
	if int64(len(rejects)) != st.Rejected {
		t.Errorf("%s: %d rejects reported, Stats.Rejected = %d", path, len(rejects), st.Rejected)
	}
	return rows, st, rejects, err
}
