package atomicfile

import (
	"os"

	"golang.org/x/sys/unix"
)

// syncFSAvailable says whether SyncFS makes a whole file system durable in
// one call.
const syncFSAvailable = true

// SyncFS makes every file and directory of the file system holding path
// durable in one call (syncfs(2)): one journal commit for any number of
// files, where an fsync per file costs one each.
func SyncFS(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	for {
		err = unix.Syncfs(int(f.Fd()))
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		return &os.PathError{Op: "syncfs", Path: path, Err: err}
	}
	return nil
}

// syncFileSystems syncs, once each, the file systems holding dirs.
func syncFileSystems(dirs []string) error {
	done := map[uint64]bool{}
	for _, dir := range dirs {
		var st unix.Stat_t
		if err := unix.Stat(dir, &st); err != nil {
			return &os.PathError{Op: "stat", Path: dir, Err: err}
		}
		if done[st.Dev] {
			continue
		}
		done[st.Dev] = true
		if err := SyncFS(dir); err != nil {
			return err
		}
	}
	return nil
}
