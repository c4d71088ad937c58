package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestExitCodes runs command lines as main does and checks the documented
// exit codes and messages.
func TestExitCodes(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	tmp := t.TempDir()
	tests := []struct {
		name string
		ctx  context.Context
		args []string
		code int
		want string // in stdout or stderr
	}{
		{"help", context.Background(), []string{"--help"}, exitOK, "Examples:"},
		{"version", context.Background(), []string{"version"}, exitOK, "doisanh " + version},
		{"unknown command", context.Background(), []string{"reconcle"}, exitUsage, "Did you mean this?\n\treconcile"},
		{"unknown flag", context.Background(), []string{"diff", "--nope", "a", "b"}, exitUsage, "unknown flag"},
		{"missing argument", context.Background(), []string{"diff", "a"}, exitUsage, "doisanh --help"},
		{"interrupted in English", canceled, []string{"demo", "--lang", "en", "--people", "100", "--dir", filepath.Join(tmp, "demo-en"), "--quiet"}, exitInterrupted, "stopped (Ctrl-C)"},
		{"usage hint in English", context.Background(), []string{"--lang=en", "diff", "a"}, exitUsage, `See "doisanh --help"`},
		{"bad language", context.Background(), []string{"columns", "--lang", "fr"}, exitUsage, "want vi or en"},
		{"unknown source", context.Background(), []string{"columns", "thue"}, exitUsage, "unknown source"},
		{"failed", context.Background(), []string{"diff", tmp, tmp}, exitFail, "findings.parquet"},
		{"interrupted", canceled, []string{"demo", "--people", "100", "--dir", filepath.Join(tmp, "demo"), "--quiet"}, exitInterrupted, "Ctrl-C"},
	}
	for _, tt := range tests {
		var out, errb bytes.Buffer
		code := runWith(tt.ctx, tt.args, &out, &errb)
		if code != tt.code || !strings.Contains(out.String()+errb.String(), tt.want) {
			t.Errorf("%s: doisanh %v: exit %d, want %d with %q\nstdout:\n%s\nstderr:\n%s", tt.name, tt.args, code, tt.code, tt.want, out.String(), errb.String())
		}
	}
}

func TestVersionFromLinkerFlags(t *testing.T) {
	commit, buildDate = "0123456789abcdef0123", "2026-11-29T02:00:00Z"
	defer func() { commit, buildDate = "", "" }()
	var out bytes.Buffer
	readBuildInfo().write(&out)
	if !strings.Contains(out.String(), "commit 0123456789ab") || !strings.Contains(out.String(), "29/11/2026 02:00 UTC") {
		t.Errorf("version = %q", out.String())
	}
}

func TestColumnsCommand(t *testing.T) {
	var out, errb bytes.Buffer
	if code := runWith(context.Background(), []string{"columns"}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"Dân cư (population)", "* person_id", "Số định danh", "Mã số thuế", "Mã số BHXH", "Hộ tịch (civil)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("columns lacks %q", want)
		}
	}
}
