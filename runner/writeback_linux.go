package runner

import (
	"os"

	"golang.org/x/sys/unix"
)

// startWriteback starts writing the given range of f to disk without
// waiting for it (sync_file_range(2)), so that a large copy is mostly on
// disk by the time it is synced. A failure only leaves the work to the sync.
func startWriteback(f *os.File, off, n int64) {
	_ = unix.SyncFileRange(int(f.Fd()), off, n, unix.SYNC_FILE_RANGE_WRITE)
}
