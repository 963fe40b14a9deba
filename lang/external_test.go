package lang

import (
	"os"
	"path/filepath"
	"testing"
)

// TestExternalFiles: a load records what it read outside the pipeline
// files, including what try() and can() failed to read, and each record
// stops holding when the file changes.
func TestExternalFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("p.wurzel.hcl", `
pipeline "p" {}
step "a" {
  command = ["echo", file("read.txt"), try(file("missing.txt"), "-"), tostring(can(file("latin1.txt")))]
  watch   = ["data"]
}
`)
	write("read.txt", "content")
	write("latin1.txt", "\xe9t\xe9")
	write("vars.hcl", "")
	if err := os.Mkdir(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	res := Load(dir, Options{RecordExternal: true, VarFiles: []string{filepath.Join(dir, "vars.hcl")}})
	if res.Pipeline == nil {
		t.Fatal(res.Diagnostics)
	}
	want := map[string]ExternalKind{
		"data": ExternalExists, "latin1.txt": ExternalContent, "missing.txt": ExternalUnreadable,
		"read.txt": ExternalContent, "vars.hcl": ExternalContent,
	}
	if len(res.External) != len(want) {
		t.Fatalf("recorded %+v, want %v", res.External, want)
	}
	for _, f := range res.External {
		name, _ := filepath.Rel(dir, f.Path)
		if want[name] != f.Kind || !f.Unchanged() {
			t.Errorf("%s: kind %d, unchanged %v; want kind %d, unchanged", name, f.Kind, f.Unchanged(), want[name])
		}
	}
	write("read.txt", "other content")
	write("missing.txt", "")
	write("latin1.txt", "utf-8 now")
	if err := os.Remove(filepath.Join(dir, "data")); err != nil {
		t.Fatal(err)
	}
	for _, f := range res.External {
		if name, _ := filepath.Rel(dir, f.Path); name != "vars.hcl" && f.Unchanged() {
			t.Errorf("%s changed, but Unchanged says it did not", name)
		}
	}
	if res := Load(dir, Options{}); res.External != nil {
		t.Errorf("recorded without RecordExternal: %v", res.External)
	}
}

// TestExternalLogConflict: a file seen in two states during one load
// gives a record that never holds.
func TestExternalLogConflict(t *testing.T) {
	x := newExternalLog(true)
	path := filepath.Join(t.TempDir(), "f")
	x.read(path, 10, []byte("one"), nil)
	x.exists(path)
	if got := x.list(); len(got) != 1 || got[0].Kind != ExternalContent {
		t.Fatalf("an existence check replaced a read: %+v", got)
	}
	x.read(path, 10, []byte("two"), nil)
	if got := x.list(); len(got) != 1 || got[0].Kind != 0 || got[0].Unchanged() {
		t.Fatalf("two contents of one file: %+v", got)
	}
}
