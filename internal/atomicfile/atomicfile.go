package atomicfile

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"
)

// Temp is a file being written under a temporary name beside its final path.
// Write to it, then Commit it into place or Abort it.
type Temp struct {
	f      *os.File
	final  string
	perm   os.FileMode
	closed bool
	done   bool
	// deferSync leaves the sync to a Batch, which makes all its files
	// durable at once.
	deferSync bool
}

// Create opens a temporary file in the directory of final, which must exist.
// perm is the mode the file gets when it is committed.
func Create(final string, perm os.FileMode) (*Temp, error) {
	f, err := os.CreateTemp(filepath.Dir(final), "."+filepath.Base(final)+".tmp-*")
	if err != nil {
		return nil, err
	}
	return &Temp{f: f, final: final, perm: perm}, nil
}

// Write writes to the temporary file.
func (t *Temp) Write(p []byte) (int, error) { return t.f.Write(p) }

// ReadFrom copies r into the temporary file (io.Copy uses it).
func (t *Temp) ReadFrom(r io.Reader) (int64, error) { return io.Copy(t.f, r) }

// Close sets the file's mode, syncs its content to disk and closes it, but
// leaves it under its temporary name: callers that write several files close
// them all before committing any.
func (t *Temp) Close() error {
	if t.closed {
		return nil
	}
	t.closed = true
	err := t.f.Chmod(t.perm)
	if err == nil && !t.deferSync {
		err = t.f.Sync()
	}
	if cerr := t.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// Commit closes the file if needed and renames it over the final path. With
// syncDir the directory is synced too, so that the new name itself survives a
// crash. On failure the temporary file is removed.
func (t *Temp) Commit(syncDir bool) error {
	if t.done {
		return errors.New("atomicfile: commit after commit or abort")
	}
	if err := t.Close(); err != nil {
		t.Abort()
		return err
	}
	if err := t.rename(); err != nil {
		return err
	}
	if syncDir {
		return SyncDir(filepath.Dir(t.final))
	}
	return nil
}

// rename moves the closed file into place; on failure it is removed.
func (t *Temp) rename() error {
	if err := os.Rename(t.f.Name(), t.final); err != nil {
		t.Abort()
		return err
	}
	t.done = true
	return nil
}

// Abort closes and removes the temporary file. It does nothing after Commit.
func (t *Temp) Abort() {
	if t.done {
		return
	}
	t.done = true
	if !t.closed {
		t.closed = true
		t.f.Close()
	}
	os.Remove(t.f.Name())
}

// WriteFile writes data to path atomically with mode perm.
func WriteFile(path string, data []byte, perm os.FileMode, syncDir bool) error {
	return Copy(path, bytes.NewReader(data), perm, syncDir)
}

// WriteFileUnsynced writes data to path atomically with mode perm, against
// the death of the process but not of the machine: it renames the file
// into place without syncing it. The caller makes it durable later
// (SyncFile), before anything durable depends on it; until then a crash
// of the machine may leave the file empty or missing.
func WriteFileUnsynced(path string, data []byte, perm os.FileMode) error {
	t, err := writeTemp(path, data, perm, true)
	if err != nil {
		return err
	}
	return t.Commit(false)
}

// writeTemp writes data to a new temporary file for final, which its Close
// syncs unless deferSync; on failure it is removed.
func writeTemp(final string, data []byte, perm os.FileMode, deferSync bool) (*Temp, error) {
	t, err := Create(final, perm)
	if err != nil {
		return nil, err
	}
	t.deferSync = deferSync
	if _, err := t.Write(data); err != nil {
		t.Abort()
		return nil, err
	}
	return t, nil
}

// Copy writes everything r yields to path atomically with mode perm.
func Copy(path string, r io.Reader, perm os.FileMode, syncDir bool) error {
	t, err := Create(path, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(t, r); err != nil {
		t.Abort()
		return err
	}
	return t.Commit(syncDir)
}

// SyncDir syncs a directory, making the names in it durable. File systems
// that cannot sync a directory (EINVAL) are not an error.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if errors.Is(err, os.ErrInvalid) || errors.Is(err, syscall.EINVAL) {
		err = nil
	}
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
