package privdir

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

const lockSuffix = ".lock"

// Dir is a private directory, held until Close.
type Dir struct {
	// Path is the directory, mode 0700.
	Path string
	lock *os.File
}

// Area is the per-user area under base that holds the directories.
func Area(base string) string {
	return filepath.Join(base, "wurzel-"+strconv.Itoa(os.Getuid()))
}

// New sweeps the area under base of what dead processes left there and
// makes a new private directory in it.
func New(base string) (*Dir, error) {
	area := Area(base)
	if err := ensureArea(area); err != nil {
		return nil, err
	}
	Sweep(area)
	for attempt := 0; attempt < 10; attempt++ {
		name, err := randomName()
		if err != nil {
			return nil, err
		}
		lock, ok, err := takeLock(filepath.Join(area, name+lockSuffix))
		if err != nil {
			return nil, err
		}
		if !ok {
			continue // a sweep took the fresh lock file for a stale one
		}
		dir := filepath.Join(area, name)
		if err := os.Mkdir(dir, 0o700); err != nil {
			releaseLock(lock)
			return nil, err
		}
		return &Dir{Path: dir, lock: lock}, nil
	}
	return nil, fmt.Errorf("%s: could not make a private directory", area)
}

// Paths are what the directory occupies: the directory and its lock file.
func (d *Dir) Paths() []string {
	return []string{d.Path, d.lock.Name()}
}

// Close removes the directory and its lock file.
func (d *Dir) Close() error {
	err := os.RemoveAll(d.Path)
	releaseLock(d.lock)
	return err
}

// releaseLock removes a lock file while still holding it, so that no
// sweep can take it for a stale one in between, then lets it go.
func releaseLock(f *os.File) {
	_ = os.Remove(f.Name())
	_ = f.Close()
}

// ensureArea makes the per-user area or checks that the existing one is
// private: a directory, not a link, owned by this user, mode 0700. The
// area's parent is often shared (/tmp, /dev/shm), where another user could
// have made it first.
func ensureArea(area string) error {
	if err := os.Mkdir(area, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	fi, err := os.Lstat(area)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a directory", area)
	}
	if !ownedByMe(fi) {
		return fmt.Errorf("%s belongs to another user", area)
	}
	if fi.Mode().Perm() != 0o700 {
		return os.Chmod(area, 0o700)
	}
	return nil
}

// Sweep removes, in area, every directory whose lock no process holds.
func Sweep(area string) {
	entries, err := os.ReadDir(area)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		switch {
		case strings.HasSuffix(name, lockSuffix):
			sweepLocked(area, strings.TrimSuffix(name, lockSuffix))
		case e.IsDir():
			// A directory is made only once its lock is held, and its
			// lock file removed only after it: alone, it is stale.
			if _, err := os.Lstat(filepath.Join(area, name+lockSuffix)); errors.Is(err, fs.ErrNotExist) {
				_ = os.RemoveAll(filepath.Join(area, name))
			}
		}
	}
}

// sweepLocked removes directory name and its lock file when the lock is
// free.
func sweepLocked(area, name string) {
	f, err := os.OpenFile(filepath.Join(area, name+lockSuffix), os.O_RDWR, 0)
	if err != nil {
		return
	}
	if !tryLock(f) {
		f.Close()
		return
	}
	_ = os.RemoveAll(filepath.Join(area, name))
	releaseLock(f)
}

// takeLock creates the lock file path and locks it. ok is false when a
// sweep removed the new file before it was locked.
func takeLock(path string) (f *os.File, ok bool, err error) {
	f, err = os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_RDWR, 0o600)
	if err != nil {
		return nil, false, err
	}
	if !tryLock(f) {
		f.Close()
		return nil, false, nil
	}
	held, err1 := f.Stat()
	named, err2 := os.Stat(path)
	if err1 != nil || err2 != nil || !os.SameFile(held, named) {
		f.Close()
		return nil, false, nil
	}
	return f, true, nil
}

func randomName() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}
