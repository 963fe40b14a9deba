//go:build unix

package privdir

import (
	"os"
	"path/filepath"
	"testing"
)

func TestNewAndClose(t *testing.T) {
	base := t.TempDir()
	d, err := New(base)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(d.Path)
	if err != nil || fi.Mode().Perm() != 0o700 || filepath.Dir(d.Path) != Area(base) {
		t.Fatalf("private directory %s: %v %v", d.Path, fi, err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(Area(base)); len(entries) != 0 {
		t.Fatalf("Close left %v", entries)
	}
}

// TestSweep: a directory whose lock is held stays, one whose lock is free
// or missing goes.
func TestSweep(t *testing.T) {
	base := t.TempDir()
	held, err := New(base)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	area := Area(base)
	stale := filepath.Join(area, "0123456789abcdef")
	orphan := filepath.Join(area, "fedcba9876543210")
	for _, dir := range []string{stale, orphan} {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "token"), []byte("s"), 0o400); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(stale+lockSuffix, nil, 0o600); err != nil { // nobody holds it
		t.Fatal(err)
	}
	Sweep(area)
	if !exists(held.Path) {
		t.Error("a held directory was swept")
	}
	for _, p := range []string{stale, stale + lockSuffix, orphan} {
		if exists(p) {
			t.Errorf("%s was not swept", p)
		}
	}
}

// TestAreaMustBePrivate: the area's parent is often shared, where another
// user could make it first or put a link there.
func TestAreaMustBePrivate(t *testing.T) {
	base := t.TempDir()
	elsewhere := t.TempDir()
	if err := os.Symlink(elsewhere, Area(base)); err != nil {
		t.Fatal(err)
	}
	if _, err := New(base); err == nil {
		t.Fatal("an area that is a symbolic link was used")
	}

	base = t.TempDir()
	if err := os.Mkdir(Area(base), 0o777); err != nil {
		t.Fatal(err)
	}
	d, err := New(base)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if fi, _ := os.Stat(Area(base)); fi.Mode().Perm() != 0o700 {
		t.Errorf("the area's mode is %v, want 0700", fi.Mode().Perm())
	}
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}
