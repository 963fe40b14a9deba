//go:build unix

package regularfile

import (
	"os"
	"syscall"
)

// openNonblocking opens path with O_NONBLOCK, which makes opening a FIFO
// return at once; reads of a regular file are unaffected by it.
func openNonblocking(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
