package local

import (
	"path/filepath"
	"testing"
)

// writeLockWith writes a lock file at path recording the named steps.
func writeLockWith(t *testing.T, path string, steps ...string) {
	t.Helper()
	l := &Lock{Version: LockVersion, Pipeline: "p", Steps: map[string]*LockStep{}}
	for _, s := range steps {
		l.Steps[s] = journalRecord(s)
	}
	data, err := l.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if err := writeFileAtomic(path, data); err != nil {
		t.Fatal(err)
	}
}

// readAhead reads the lock at path ahead and waits for the reading.
func readAhead(path string) *LockAhead {
	a := ReadLockAhead(path)
	<-a.done
	return a
}

// TestLockAheadIsCurrent: a lock read ahead of a run gives the run the lock
// as it is when the run takes it, also when the lock file was replaced, or
// its journal appeared or grew, after the read ahead.
func TestLockAheadIsCurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), LockFileName)
	writeLockWith(t, path, "a")
	has := func(a *LockAhead, readPath string, steps ...string) {
		t.Helper()
		l, _, err := a.read(readPath)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range steps {
			if l.Steps[s] == nil {
				t.Fatalf("the lock read lacks step %s: %v", s, l.Steps)
			}
		}
	}
	has(readAhead(path), path, "a")

	ahead := readAhead(path)
	writeLockWith(t, path, "a", "b")
	has(ahead, path, "a", "b")

	ahead = readAhead(path)
	w := newLockWriter(path, &Lock{Version: LockVersion, Pipeline: "p", Steps: map[string]*LockStep{}})
	w.record("c", journalRecord("c"), "") // a run killed after one step
	has(ahead, path, "a", "b", "c")

	ahead = readAhead(path)
	w.record("d", journalRecord("d"), "")
	has(ahead, path, "a", "b", "c", "d")
	if err := w.close(); err != nil { // writes its own lock: c and d
		t.Fatal(err)
	}

	other := filepath.Join(t.TempDir(), LockFileName)
	writeLockWith(t, other, "e")
	has(readAhead(other), path, "c", "d") // read ahead for another path
}

// TestLockAheadMissingFile: no lock file is an empty lock, read ahead or
// not.
func TestLockAheadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), LockFileName)
	l, replayed, err := ReadLockAhead(path).read(path)
	if err != nil || replayed || len(l.Steps) != 0 {
		t.Fatalf("read = %v, %v, %v; want an empty lock", l, replayed, err)
	}
}
