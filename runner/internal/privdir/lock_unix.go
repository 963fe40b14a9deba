//go:build unix

package privdir

import (
	"io/fs"
	"os"
	"syscall"
)

// tryLock takes an exclusive flock on f without waiting. The kernel lets
// it go when the process ends, however it ends.
func tryLock(f *os.File) bool {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil
}

func ownedByMe(fi fs.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Geteuid()
}
