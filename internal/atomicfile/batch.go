package atomicfile

import (
	"errors"
	"io/fs"
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

// WriteFile writes data to a temporary file for final, in final's
// directory (which must exist), and closes it: the batch holds names, not
// open files, so it is not bounded by the process's descriptor limit (a DVC
// project of 40,000 steps is 40,000 files). perm is the mode final gets.
// On failure the temporary file is removed; the batch's other files stay
// for Commit or Abort.
func (b *Batch) WriteFile(final string, data []byte, perm os.FileMode) error {
	t, err := writeTemp(final, data, perm, syncFSAvailable)
	if err != nil {
		return err
	}
	if err := t.Close(); err != nil {
		t.Abort()
		return err
	}
	b.temps = append(b.temps, t)
	return nil
}

// Commit makes the files' contents durable, then renames them into place
// in the order they were written. With syncDirs the new names
// are made durable too. It returns how many files were renamed: before the
// first rename, a failure removes every temporary file, so that nothing of
// the batch appears; a failed rename leaves the files before it in place and
// removes the rest.
func (b *Batch) Commit(syncDirs bool) (int, error) {
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

// SyncTree makes the files under root (slash-separated paths relative to
// root) and the directories that hold them durable: with one syncfs(2)
// where the system has it, else one fsync per file and per directory. A
// directory output of thousands of files then costs one barrier, not one
// per file.
func SyncTree(root string, files []string) error {
	if syncFSAvailable {
		return SyncFS(root)
	}
	dirs := map[string]bool{root: true}
	for _, rel := range files {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := SyncFile(p); err != nil {
			return err
		}
		for d := filepath.Dir(p); len(d) > len(root) && !dirs[d]; d = filepath.Dir(d) {
			dirs[d] = true
		}
	}
	for d := range dirs {
		if err := SyncDir(d); err != nil {
			return err
		}
	}
	return nil
}

// SyncFiles makes the files at paths durable, with their names: with one
// syncfs(2) per file system that holds them where the system has it and
// there is more than one file, else one fsync per file (the names then
// are durable only if the caller syncs their directories). A file that
// no longer exists needs nothing.
func SyncFiles(paths []string) error {
	if syncFSAvailable && len(paths) > 1 {
		var dirs []string
		for _, p := range paths {
			if _, err := os.Stat(filepath.Dir(p)); err == nil {
				dirs = append(dirs, filepath.Dir(p))
			}
		}
		return syncFileSystems(dirs)
	}
	for _, p := range paths {
		if err := SyncFile(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// SyncFile makes the file at path durable: opened, fsynced, closed.
func SyncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
