package runner

import (
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

// memoryDir is a new directory in a tmpfs, /dev/shm, removed when b ends;
// where /dev/shm is not a tmpfs, a directory in TMPDIR, and b says so.
func memoryDir(b *testing.B) string {
	var st unix.Statfs_t
	if err := unix.Statfs("/dev/shm", &st); err != nil || st.Type != unix.TMPFS_MAGIC {
		b.Logf("/dev/shm is not a tmpfs (%v): the pod's files are in TMPDIR", err)
		return b.TempDir()
	}
	dir, err := os.MkdirTemp("/dev/shm", "wurzel-bench-")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}
