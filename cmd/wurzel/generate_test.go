package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wurzel-dev/wurzel/backend"
)

// TestWriteFilesAtomicallyLeavesNothingOnFailure makes the second of two
// files impossible to write and checks that the first was not written
// either and that no temporary file is left behind.
func TestWriteFilesAtomicallyLeavesNothingOnFailure(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "blocker"), []byte("a file, not a directory"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := writeFilesAtomically(dir, []backend.File{
		{Path: "dvc.yaml", Data: []byte("stages: {}\n")},
		{Path: "blocker/spec.json", Data: []byte("{}")},
	})
	if err == nil {
		t.Fatal("writing under a file succeeded")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "blocker" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("the directory holds %v after a failed write, want only the blocker", names)
	}
}

func TestWriteFilesAtomicallyReplacesFiles(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "sub", "out.yaml")
	for _, content := range []string{"first\n", "second\n"} {
		if err := writeFilesAtomically(dir, []backend.File{{Path: "sub/out.yaml", Data: []byte(content)}}); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(target)
		if err != nil || string(got) != content {
			t.Fatalf("got %q, %v; want %q", got, err, content)
		}
	}
	if info, err := os.Stat(target); err != nil || info.Mode().Perm() != 0o644 {
		t.Fatalf("mode %v, %v", info.Mode(), err)
	}
}

// TestWriteFilesAtomicallyKeepsUnchangedFiles regenerates two files of which
// one changed: the unchanged one must be the same file as before (not
// rewritten), the changed one replaced.
func TestWriteFilesAtomicallyKeepsUnchangedFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(a, b string) {
		t.Helper()
		if err := writeFilesAtomically(dir, []backend.File{{Path: "a", Data: []byte(a)}, {Path: "b", Data: []byte(b)}}); err != nil {
			t.Fatal(err)
		}
	}
	write("same\n", "old\n")
	before := map[string]os.FileInfo{}
	for _, name := range []string{"a", "b"} {
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		before[name] = info
	}
	write("same\n", "new!\n")
	if info, _ := os.Stat(filepath.Join(dir, "a")); !os.SameFile(info, before["a"]) {
		t.Error("the unchanged file was rewritten")
	}
	if info, _ := os.Stat(filepath.Join(dir, "b")); os.SameFile(info, before["b"]) {
		t.Error("the changed file was not replaced")
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "b")); string(got) != "new!\n" {
		t.Errorf("b holds %q", got)
	}
}

func TestCheckRelativeRefusesEscapes(t *testing.T) {
	for _, bad := range []string{"", "../x", "/etc/passwd", "a/../../b", ".."} {
		if checkRelative(bad) == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	for _, good := range []string{"dvc.yaml", "steps/a.json", "a/../b"} {
		if err := checkRelative(good); err != nil {
			t.Errorf("%q refused: %v", good, err)
		}
	}
}
