package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/internal/testbin"
)

// TestCopyBinary runs the built wurzel's copy-binary as the Argo init
// container does: wurzel-step and wurzel-fetch, found beside wurzel, land in
// the destination, byte for byte and executable; without wurzel-step beside
// wurzel or on PATH it fails and says so.
func TestCopyBinary(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "bin", "wurzel-step")
	if err := os.Mkdir(filepath.Dir(dest), 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(testbin.Wurzel(t), "copy-binary", dest).CombinedOutput(); err != nil {
		t.Fatalf("copy-binary: %v\n%s", err, out)
	}
	for copied, from := range map[string]string{dest: testbin.Step(t), filepath.Join(dir, "bin", "wurzel-fetch"): testbin.FetchHelper(t)} {
		want, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(copied)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s is not a copy of %s (%v)", copied, from, err)
		}
		if fi, err := os.Stat(copied); err != nil || fi.Mode().Perm() != 0o555 {
			t.Errorf("%s: mode %v, %v; want 0555", copied, fi.Mode(), err)
		}
	}
	if out, err := exec.Command(dest, "--version").Output(); err != nil || !strings.HasPrefix(string(out), "wurzel-step ") {
		t.Errorf("the copied wurzel-step --version: %q, %v", out, err)
	}

	alone := filepath.Join(t.TempDir(), "wurzel")
	data, err := os.ReadFile(testbin.Wurzel(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(alone, data, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(alone, "copy-binary", filepath.Join(t.TempDir(), "wurzel-step"))
	cmd.Env = append(os.Environ(), "PATH="+t.TempDir(), "WURZEL_FETCH_HELPER="+testbin.FetchHelper(t))
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "the step runner wurzel-step is not installed") {
		t.Errorf("copy-binary without wurzel-step: %v\n%s", err, out)
	}
}
