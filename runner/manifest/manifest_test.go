package manifest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDescribeAndRoundTrip(t *testing.T) {
	dir := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(dir, "out", "b"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "out", "b", "z.txt"), []byte("zz"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "out", "a.txt"), []byte("hello"), 0o644))
	kind, files, err := Describe(filepath.Join(dir, "out"))
	must(t, err)
	if kind != KindDir || len(files) != 2 || files[0].Path != "a.txt" || files[1].Path != "b/z.txt" {
		t.Fatalf("Describe = %s %+v", kind, files)
	}
	if files[0].SHA256 != "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824" || files[0].Size != 5 {
		t.Fatalf("hash of a.txt = %+v", files[0])
	}
	m := &Manifest{Version: Version, Pipeline: "p", Step: "s", RunID: "r",
		Outputs: []Output{{Name: "o", Path: "out", Kind: kind, Files: files}}}
	data, err := Marshal(m)
	must(t, err)
	back, err := Parse(data)
	must(t, err)
	if back.Output("o") == nil || len(back.Output("o").Files) != 2 || back.Output("x") != nil {
		t.Fatalf("round trip lost data: %+v", back)
	}
}

func TestDescribeRefusesSymlinks(t *testing.T) {
	dir := t.TempDir()
	must(t, os.Mkdir(filepath.Join(dir, "out"), 0o755))
	must(t, os.Symlink("/etc/passwd", filepath.Join(dir, "out", "link")))
	if _, _, err := Describe(filepath.Join(dir, "out")); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("Describe of a dir with a symlink: err = %v", err)
	}
}

func TestParseRefuses(t *testing.T) {
	for name, doc := range map[string]string{
		"version":   `{"version":"wurzel.dev/manifest/v0","outputs":[]}`,
		"json":      `{`,
		"kind":      `{"version":"wurzel.dev/manifest/v1","outputs":[{"name":"o","kind":"blob","files":[]}]}`,
		"traversal": `{"version":"wurzel.dev/manifest/v1","outputs":[{"name":"o","kind":"dir","files":[{"path":"../x","size":1,"sha256":"` + strings.Repeat("a", 64) + `"}]}]}`,
		"file":      `{"version":"wurzel.dev/manifest/v1","outputs":[{"name":"o","kind":"file","files":[]}]}`,
	} {
		if _, err := Parse([]byte(doc)); err == nil {
			t.Errorf("%s: Parse accepted %s", name, doc)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
