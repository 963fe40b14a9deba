package datapath

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"os"

	"github.com/wurzel-dev/wurzel/runner/manifest"
)

// Chunk is the unit in which a large file is copied or read for its hash:
// the copy hands HashBehind one chunk at a time.
const Chunk = 8 << 20

// HashLag is how many chunks the hash of a large file may trail its copy
// or upload: enough for the hash of the last ones to overlap the fsync,
// few enough that they are still in the page cache, so that each is read
// from the disk once.
const HashLag = 16

// HashBehind hashes in up to each offset it receives, in order, and
// returns the size and sha256 of what it hashed. After a failure it only
// drains offsets, so that the copy never waits for it.
func HashBehind(in *os.File, copiedTo <-chan int64) (manifest.File, error) {
	h := sha256.New()
	var buf []byte // for HashRange, if it must read
	var off int64
	var err error
	for end := range copiedTo {
		if err == nil {
			err = HashRange(h, in, off, end, &buf)
			off = end
		}
	}
	if err != nil {
		return manifest.File{}, err
	}
	return manifest.File{Size: off, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// Follower hashes a file on its own goroutine just behind a copy or an
// upload of it (HashBehind): the mover reports each offset it reached with
// Reached, then calls Done for the size and sha256 of the file.
type Follower struct {
	reached chan int64
	done    chan struct{}
	file    manifest.File
	err     error
}

// Follow starts hashing in behind a mover that reads it from its start.
func Follow(in *os.File) *Follower {
	f := &Follower{reached: make(chan int64, HashLag), done: make(chan struct{})}
	go func() {
		defer close(f.done)
		f.file, f.err = HashBehind(in, f.reached)
	}()
	return f
}

// Reached says the mover has read the file up to offset end.
func (f *Follower) Reached(end int64) { f.reached <- end }

// Done waits for the hash of everything reached and returns it. moved is
// how many bytes the mover moved; what, the verb for a message ("copied"):
// a file whose hash covers another size changed meanwhile.
func (f *Follower) Done(moved int64, what string) (manifest.File, error) {
	close(f.reached)
	<-f.done
	if f.err == nil && f.file.Size != moved {
		return f.file, errors.New("the file changed while it was " + what)
	}
	return f.file, f.err
}

// readRange adds the bytes [off, end) of f to h, read through *bufp,
// which it allocates (Chunk bytes) on first use and keeps for the next
// call.
func readRange(h hash.Hash, f *os.File, off, end int64, bufp *[]byte) error {
	if *bufp == nil {
		*bufp = make([]byte, Chunk)
	}
	buf := *bufp
	for off < end {
		n, err := f.ReadAt(buf[:min(int64(len(buf)), end-off)], off)
		h.Write(buf[:n])
		off += int64(n)
		if err == io.EOF && off < end {
			return errors.New("the file changed while it was copied")
		}
		if err != nil && err != io.EOF {
			return err
		}
	}
	return nil
}
