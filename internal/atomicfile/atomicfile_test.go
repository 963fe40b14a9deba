package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFileReplacesWithMode(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.txt")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, []byte("new"), 0o644, true); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != "new" {
		t.Fatalf("content %q, %v", got, err)
	}
	info, _ := os.Stat(path)
	if info.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", info.Mode().Perm())
	}
	assertOnlyFiles(t, dir, "f.txt")
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestCopyFailureKeepsOldContentAndNoTemp(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.txt")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Copy(path, failingReader{}, 0o644, false); err == nil {
		t.Fatal("want the reader's error")
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("content %q, want the old one", got)
	}
	assertOnlyFiles(t, dir, "f.txt")
}

func TestStagedFilesAppearOnlyOnCommit(t *testing.T) {
	dir := t.TempDir()
	a, err := Create(filepath.Join(dir, "a"), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Create(filepath.Join(dir, "b"), 0o755)
	if err != nil {
		t.Fatal(err)
	}
	a.Write([]byte("A"))
	b.Write([]byte("B"))
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "a")); !os.IsNotExist(err) {
		t.Fatalf("a is visible before commit: %v", err)
	}
	if err := a.Commit(false); err != nil {
		t.Fatal(err)
	}
	b.Abort()
	b.Abort() // twice is harmless
	if err := b.Commit(false); err == nil {
		t.Error("commit after abort must fail")
	}
	assertOnlyFiles(t, dir, "a")
}

func assertOnlyFiles(t *testing.T, dir string, want ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) != len(want) {
		t.Fatalf("files %v, want %v", names, want)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("files %v, want %v", names, want)
		}
	}
}

func TestBatchCommitsEveryFile(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "a"), []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	var b Batch
	for _, name := range []string{filepath.Join(dir, "a"), filepath.Join(sub, "b")} {
		if err := b.WriteFile(name, []byte("new "+filepath.Base(name)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "a")); string(got) != "old" {
		t.Fatalf("a changed before commit: %q", got)
	}
	n, err := b.Commit(true)
	if err != nil || n != 2 {
		t.Fatalf("commit: %d, %v", n, err)
	}
	for _, c := range []struct{ path, want string }{{filepath.Join(dir, "a"), "new a"}, {filepath.Join(sub, "b"), "new b"}} {
		got, err := os.ReadFile(c.path)
		if err != nil || string(got) != c.want {
			t.Errorf("%s: %q, %v", c.path, got, err)
		}
		if info, _ := os.Stat(c.path); info.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v", c.path, info.Mode().Perm())
		}
	}
	assertOnlyFiles(t, dir, "a", "sub")
	assertOnlyFiles(t, sub, "b")
}

func TestBatchAbortLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	var b Batch
	if err := b.WriteFile(filepath.Join(dir, "a"), []byte("a"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := b.WriteFile(filepath.Join(dir, "missing", "b"), []byte("b"), 0o644); err == nil {
		t.Fatal("creating in a missing directory must fail")
	}
	b.Abort()
	assertOnlyFiles(t, dir)
}

func TestBatchFailedRenameCountsWhatWasWritten(t *testing.T) {
	dir := t.TempDir()
	// A non-empty directory where the second file goes: its rename fails.
	if err := os.MkdirAll(filepath.Join(dir, "b", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	var b Batch
	for _, name := range []string{"a", "b", "c"} {
		if err := b.WriteFile(filepath.Join(dir, name), []byte(name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	n, err := b.Commit(false)
	if err == nil || n != 1 {
		t.Fatalf("commit: %d, %v; want 1 and an error", n, err)
	}
	assertOnlyFiles(t, dir, "a", "b")
}

func TestSyncTree(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a", "sub/b", "sub/deeper/c"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := SyncTree(dir, []string{"a", "sub/b", "sub/deeper/c"}); err != nil {
		t.Fatal(err)
	}
	if err := SyncTree(filepath.Join(dir, "missing"), nil); err == nil {
		t.Error("syncing a missing tree must fail")
	}
}

func TestWriteFileUnsyncedReplacesWithMode(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "manifest.json")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileUnsynced(path, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	fi, serr := os.Stat(path)
	if err != nil || serr != nil || string(got) != "new" || fi.Mode().Perm() != 0o644 {
		t.Errorf("content %q (%v), mode %v (%v); want new, 0644", got, err, fi.Mode(), serr)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
	if err := SyncFile(path); err != nil {
		t.Errorf("SyncFile after WriteFileUnsynced: %v", err)
	}
	if err := WriteFileUnsynced(filepath.Join(dir, "missing", "m.json"), []byte("x"), 0o644); err == nil {
		t.Error("a missing directory is not an error")
	}
}

func TestSyncFiles(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for _, name := range []string{"a", "b", "c"} {
		p := filepath.Join(dir, name)
		if err := WriteFileUnsynced(p, []byte(name), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	gone := filepath.Join(dir, "gone", "m.json")
	for _, ps := range [][]string{paths, paths[:1], append(paths, gone), {gone}, nil} {
		if err := SyncFiles(ps); err != nil {
			t.Errorf("SyncFiles(%v): %v", ps, err)
		}
	}
}
