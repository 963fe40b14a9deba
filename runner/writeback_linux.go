package runner

import (
	"os"

	"golang.org/x/sys/unix"
)

// startWriteback starts writing the bytes [off, off+n) of f to its disk
// without waiting for them: a large copy's data then reaches the disk while
// the rest is copied, and the fsync at its end has little left to wait for.
// It is a hint; an error only means the fsync does all the work.
func startWriteback(f *os.File, off, n int64) {
	_ = unix.SyncFileRange(int(f.Fd()), off, n, unix.SYNC_FILE_RANGE_WRITE)
}
