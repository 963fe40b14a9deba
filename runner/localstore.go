package runner

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"

	"github.com/wurzel-dev/wurzel/internal/atomicfile"
	"github.com/wurzel-dev/wurzel/runner/manifest"
)

// publishLocal puts an output at the local path dst and returns its files,
// hashed. It first goes to a temporary sibling of dst: moved there when the
// output may move (see output.movable) and the two are on one file system,
// otherwise copied, each file read once and hashed as it is copied. Then
// its content is made durable, with one barrier for the whole output, and
// the sibling is renamed over dst: dst never holds a partial output. A moved
// output is no longer in the work directory.
func publishLocal(out *output, dst string) ([]manifest.File, error) {
	parent := filepath.Dir(dst)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	tmp := filepath.Join(parent, "."+filepath.Base(dst)+".tmp-"+randomSuffix())
	defer os.RemoveAll(tmp) // gone once renamed into place
	var files []manifest.File
	var err error
	if out.movable && os.Rename(out.path, tmp) == nil {
		files, err = hashDurably(tmp, out.kind, out.files)
	} else {
		files, err = copyDurably(out.path, tmp, out.kind, out.files)
	}
	if err != nil {
		return nil, err
	}
	if fi, err := os.Lstat(dst); err == nil && (fi.IsDir() || out.kind == manifest.KindDir) {
		if err := os.RemoveAll(dst); err != nil {
			return nil, err
		}
	}
	if err := os.Rename(tmp, dst); err != nil {
		return nil, err
	}
	return files, atomicfile.SyncDir(parent)
}

// hashDurably hashes a moved output while its content is made durable:
// the command wrote it moments ago, so most of it may not be on disk yet.
func hashDurably(root, kind string, rels []string) ([]manifest.File, error) {
	synced := make(chan error, 1)
	go func() { synced <- syncOutput(root, kind, rels) }()
	files, err := hashFiles(root, rels)
	if serr := <-synced; err == nil {
		err = serr
	}
	return files, err
}

// copyDurably copies the output at src to dst, hashing each file as it is
// copied, and makes the copy durable.
func copyDurably(src, dst, kind string, rels []string) ([]manifest.File, error) {
	if kind == manifest.KindFile {
		f, err := copyHashing(src, dst)
		f.Path = "."
		if err == nil {
			err = syncOutput(dst, kind, nil)
		}
		return []manifest.File{f}, err
	}
	if err := os.Mkdir(dst, 0o755); err != nil {
		return nil, err
	}
	files := make([]manifest.File, len(rels))
	err := eachFile(len(rels), func(i int) error {
		to := filepath.Join(dst, filepath.FromSlash(rels[i]))
		err := os.MkdirAll(filepath.Dir(to), 0o755)
		if err == nil {
			files[i], err = copyHashing(filepath.Join(src, filepath.FromSlash(rels[i])), to)
		}
		files[i].Path = rels[i]
		return inFile(rels[i], err)
	})
	if err == nil {
		err = syncOutput(dst, kind, rels)
	}
	return files, err
}

// syncOutput makes an output's files, and the names in it, durable: one
// fsync for a file, one barrier for a directory (atomicfile.SyncTree).
func syncOutput(root, kind string, rels []string) error {
	if kind == manifest.KindDir {
		return atomicfile.SyncTree(root, rels)
	}
	f, err := os.Open(root)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// copyChunk is how much copyHashing reads at a time; also how often it
// starts the writeback of what it wrote, so that the final sync finds
// little left to write.
const copyChunk = 4 << 20

// copyHashing copies the file src to the new file dst and returns its size
// and sha256, reading src once: each chunk is hashed on another goroutine
// while the next one is read and written.
func copyHashing(src, dst string) (manifest.File, error) {
	in, err := os.Open(src)
	if err != nil {
		return manifest.File{}, err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return manifest.File{}, err
	}
	n, sum, err := copyAndHash(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return manifest.File{Size: n, SHA256: sum}, err
}

// copyAndHash copies in to out, hashing what it copies. Small files are
// hashed in line; larger ones chunk by chunk on a second goroutine, with
// the writeback of each written chunk started at once.
func copyAndHash(out *os.File, in *os.File) (int64, string, error) {
	h := sha256.New()
	if fi, err := in.Stat(); err == nil && fi.Size() <= copyChunk {
		buf := make([]byte, max(fi.Size()+1, 512))
		n, err := io.CopyBuffer(io.MultiWriter(out, h), onlyReader{in}, buf)
		return n, hex.EncodeToString(h.Sum(nil)), err
	}
	const inFlight = 3 // one being read, one being hashed, one spare
	bufs := make(chan []byte, inFlight)
	for range inFlight {
		bufs <- nil
	}
	toHash := make(chan []byte, inFlight)
	hashed := make(chan struct{})
	go func() {
		for b := range toHash {
			h.Write(b)
			bufs <- b
		}
		close(hashed)
	}()
	var total int64
	var err error
	for {
		buf := <-bufs
		if buf == nil {
			buf = make([]byte, copyChunk)
		}
		var n int
		n, err = io.ReadFull(in, buf)
		if n > 0 {
			if _, werr := out.Write(buf[:n]); werr != nil {
				err = werr
				break
			}
			startWriteback(out, total, int64(n))
			total += int64(n)
			toHash <- buf[:n]
		}
		if err != nil {
			break
		}
	}
	close(toHash)
	<-hashed
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		err = nil
	}
	return total, hex.EncodeToString(h.Sum(nil)), err
}

// onlyReader hides the file's other methods from io.CopyBuffer, which would
// otherwise hand the copy to the kernel and skip the hash.
type onlyReader struct{ io.Reader }
