//go:build unix

package datapath

import (
	"errors"
	"hash"
	"os"
	"runtime/debug"

	"golang.org/x/sys/unix"
)

// HashRange adds the bytes [off, end) of f to h. It hashes them where they
// lie in the page cache, through a read-only mapping, instead of copying
// them into a buffer first: for a large output the hash is the slowest
// part of committing it, and the copy was an eighth of its time. A file
// that cannot be mapped is read instead, through *bufp (see readRange).
func HashRange(h hash.Hash, f *os.File, off, end int64, bufp *[]byte) (err error) {
	if end <= off {
		return nil
	}
	data, merr := unix.Mmap(int(f.Fd()), off, int(end-off), unix.PROT_READ, unix.MAP_SHARED)
	if merr != nil {
		return readRange(h, f, off, end, bufp)
	}
	defer unix.Munmap(data)
	_ = unix.Madvise(data, unix.MADV_SEQUENTIAL)
	// A file truncated under the mapping faults on access (SIGBUS): that
	// is a file that changed while it was copied, not a crash.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if recover() != nil {
			err = errors.New("the file changed while it was copied")
		}
	}()
	h.Write(data)
	return nil
}
