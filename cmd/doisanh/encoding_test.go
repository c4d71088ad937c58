package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/doisanh/doisanh/normalize"
)

// TestReconcileEncodingFlag: --encoding reaches the reader (a TCVN3 file
// read as tcvn3 rejects no row) and an unknown value is a usage error.
func TestReconcileEncodingFlag(t *testing.T) {
	dir := t.TempDir()
	pop := filepath.Join(dir, "population.csv")
	csv := "person_id,full_name,birth_date,gender,address,commune_code\n" +
		"040085000001,Nguyễn Văn An,12/03/1985,Nam,\"Xóm 1, Xã Hải Lộc, Tỉnh Nghệ An\",17833\n" +
		"040187000002,Trần Thị Bình,05/07/1987,Nữ,\"Xóm 1, Xã Hải Lộc, Tỉnh Nghệ An\",17833\n"
	if err := os.WriteFile(pop, []byte(normalize.EncodeLegacy(csv, normalize.EncodingTCVN3)), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	code, _, stderr, err := recExec(context.Background(), "reconcile", "--population", pop, "--out", out, "--quiet", "--encoding", "tcvn3")
	if code != exitOK || err != nil {
		t.Fatalf("exit %d, %v\n%s", code, err, stderr)
	}
	rejects, err := os.ReadFile(filepath.Join(out, "rejects.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(strings.TrimSpace(string(rejects)), "\n"); lines != 0 {
		t.Errorf("rows rejected:\n%s", rejects)
	}
	code, _, _, err = recExec(context.Background(), "reconcile", "--population", pop, "--out", filepath.Join(dir, "out2"), "--quiet", "--encoding", "latin1")
	if code != exitUsage || err == nil || !strings.Contains(err.Error(), `unknown encoding "latin1"`) {
		t.Errorf("--encoding latin1: exit %d, %v", code, err)
	}
}
