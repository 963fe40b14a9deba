//go:build !unix

package datapath

import (
	"hash"
	"os"
)

// HashRange adds the bytes [off, end) of f to h, read through *bufp (see
// readRange).
func HashRange(h hash.Hash, f *os.File, off, end int64, bufp *[]byte) error {
	return readRange(h, f, off, end, bufp)
}
