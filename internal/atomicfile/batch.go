package atomicfile

import (
	"os"
	"path/filepath"
	"sort"
)

// Batch writes several files, each of which appears whole or not at all,
// and makes them durable together. Where the system can sync a whole file
// system in one call (syncfs(2) on Linux), the batch costs one sync for its
// contents and one for its names, however many files it holds; elsewhere
// each file is synced as Temp does. Thousands of small files (a DVC
// project's step specs, a directory output) would otherwise cost one
// journal commit each.
type Batch struct {
	temps []*Temp
}

// Create opens a temporary file for final in the batch; see Create.
func (b *Batch) Create(final string, perm os.FileMode) (*Temp, error) {
	t, err := Create(final, perm)
	if err != nil {
		return nil, err
	}
	t.deferSync = syncFSAvailable
	b.temps = append(b.temps, t)
	return t, nil
}

// Commit closes every file, makes their contents durable, then renames them
// into place in the order they were created. With syncDirs the new names
// are made durable too. It returns how many files were renamed: before the
// first rename, a failure removes every temporary file, so that nothing of
// the batch appears; a failed rename leaves the files before it in place and
// removes the rest.
func (b *Batch) Commit(syncDirs bool) (int, error) {
	for _, t := range b.temps {
		if err := t.Close(); err != nil {
			b.Abort()
			return 0, err
		}
	}
	if syncFSAvailable {
		if err := syncFileSystems(b.dirs()); err != nil {
			b.Abort()
			return 0, err
		}
	}
	for i, t := range b.temps {
		if err := t.rename(); err != nil {
			b.Abort()
			return i, err
		}
	}
	if !syncDirs {
		return len(b.temps), nil
	}
	if syncFSAvailable {
		return len(b.temps), syncFileSystems(b.dirs())
	}
	for _, dir := range b.dirs() {
		if err := SyncDir(dir); err != nil {
			return len(b.temps), err
		}
	}
	return len(b.temps), nil
}

// Abort removes every file of the batch not yet renamed into place.
func (b *Batch) Abort() {
	for _, t := range b.temps {
		t.Abort()
	}
}

// dirs are the directories the batch writes into, sorted.
func (b *Batch) dirs() []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range b.temps {
		if d := filepath.Dir(t.final); !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	sort.Strings(out)
	return out
}
