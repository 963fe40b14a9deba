package runner

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path"
	"path/filepath"
	"sync"

	"github.com/wurzel-dev/wurzel/internal/atomicfile"
	"github.com/wurzel-dev/wurzel/runner/internal/datapath"
	"github.com/wurzel-dev/wurzel/runner/manifest"
)

// publishLocal puts an output at the local path dst and returns its files,
// hashed. It first goes to a temporary sibling of dst: moved there when the
// output may move (see output.movable) and the two are on one file system,
// otherwise copied, each file read once and hashed as it is copied. Then
// its content is made durable, with one barrier for the whole output, and
// the sibling is renamed over dst: dst never holds a partial output. A moved
// output is no longer in the work directory, unless publishing fails.
func publishLocal(out *output, dst string) ([]manifest.File, error) {
	parent := filepath.Dir(dst)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	tmp := filepath.Join(parent, "."+filepath.Base(dst)+".tmp-"+randomSuffix())
	var files []manifest.File
	var err error
	if out.movable && os.Rename(out.path, tmp) == nil {
		files, err = hashDurably(tmp, out.kind, out.files)
		if err != nil {
			// Back where the command left it, as a copy would have.
			_ = os.Rename(tmp, out.path)
		}
	} else {
		files, err = copyDurably(out.path, tmp, out.kind, out.files)
	}
	if err == nil {
		err = replace(tmp, dst, out.kind)
	}
	if err != nil {
		_ = os.RemoveAll(tmp)
		return nil, err
	}
	return files, atomicfile.SyncDir(parent)
}

// replace renames tmp over dst, removing dst first when a rename cannot
// replace it (a directory, or a file where a directory goes).
func replace(tmp, dst, kind string) error {
	if fi, err := os.Lstat(dst); err == nil && (fi.IsDir() || kind == manifest.KindDir) {
		if err := os.RemoveAll(dst); err != nil {
			return err
		}
	}
	return os.Rename(tmp, dst)
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
// copied, and makes the copy durable: a file output with its own fsync,
// overlapping the end of its hash; a directory with one barrier
// (atomicfile.SyncTree) once every file is written.
func copyDurably(src, dst, kind string, rels []string) ([]manifest.File, error) {
	if kind == manifest.KindFile {
		f, err := copyHashing(src, dst, true)
		f.Path = "."
		return []manifest.File{f}, err
	}
	if err := makeDirs(dst, rels); err != nil {
		return nil, err
	}
	files := make([]manifest.File, len(rels))
	err := datapath.EachFile(len(rels), func(i int) error {
		f, err := copyHashing(filepath.Join(src, filepath.FromSlash(rels[i])), filepath.Join(dst, filepath.FromSlash(rels[i])), false)
		f.Path = rels[i]
		files[i] = f
		return datapath.InFile(rels[i], err)
	})
	if err == nil {
		err = atomicfile.SyncTree(dst, rels)
	}
	return files, err
}

// makeDirs makes root and the directories holding the files rels under it,
// each once, before the files are copied in parallel.
func makeDirs(root string, rels []string) error {
	if err := os.Mkdir(root, 0o755); err != nil {
		return err
	}
	made := map[string]bool{".": true}
	for _, rel := range rels {
		dir := path.Dir(rel)
		if made[dir] {
			continue
		}
		if err := os.MkdirAll(filepath.Join(root, filepath.FromSlash(dir)), 0o755); err != nil {
			return err
		}
		for ; !made[dir]; dir = path.Dir(dir) {
			made[dir] = true
		}
	}
	return nil
}

// syncOutput makes an output's files, and the names in it, durable: one
// fsync for a file, one barrier for a directory (atomicfile.SyncTree).
func syncOutput(root, kind string, rels []string) error {
	if kind == manifest.KindDir {
		return atomicfile.SyncTree(root, rels)
	}
	return atomicfile.SyncFile(root)
}

// copyChunk is the largest file copySmall copies through memory; larger
// ones go through copyLarge.
const copyChunk = datapath.Chunk

// copyHashing copies the file src to the new file dst and returns its size
// and sha256; with syncDst, dst is fsynced too.
func copyHashing(src, dst string, syncDst bool) (manifest.File, error) {
	in, err := os.Open(src)
	if err != nil {
		return manifest.File{}, err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return manifest.File{}, err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return manifest.File{}, err
	}
	var f manifest.File
	if fi.Size() <= copyChunk {
		f, err = copySmall(out, in, fi.Size())
		if err == nil && syncDst {
			err = out.Sync()
		}
	} else {
		f, err = copyLarge(out, in, fi.Size(), syncDst)
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return f, err
}

// smallBuffers holds the buffers of copySmall, one per file being copied.
var smallBuffers = sync.Pool{New: func() any { return new([]byte) }}

// copySmall reads the file (of about size bytes) whole, then writes and
// hashes it.
func copySmall(out, in *os.File, size int64) (manifest.File, error) {
	bp := smallBuffers.Get().(*[]byte)
	defer smallBuffers.Put(bp)
	// One byte more than expected, to see a file that grew.
	if int64(cap(*bp)) < size+1 {
		*bp = make([]byte, max(size+1, 64<<10))
	}
	buf := (*bp)[:cap(*bp)]
	var n int
	for {
		m, err := in.Read(buf[n:])
		n += m
		if err == io.EOF || m == 0 && err == nil {
			break
		}
		if err != nil {
			return manifest.File{}, err
		}
		if n == len(buf) {
			// Larger than it was: keep reading.
			buf = append(buf, make([]byte, len(buf))...)
			*bp = buf
		}
	}
	if _, err := out.Write(buf[:n]); err != nil {
		return manifest.File{}, err
	}
	sum := sha256.Sum256(buf[:n])
	return manifest.File{Size: int64(n), SHA256: hex.EncodeToString(sum[:])}, nil
}

// copyLarge copies in, of size bytes, to out and hashes it, one pass over
// the data: the kernel copies the file in one call (copy_file_range(2),
// which shares the data instead where the file system can, as XFS and
// Btrfs do) while a second goroutine hashes it where it lies, in the page
// cache. With syncDst, out is fsynced as soon as it is written, while the
// hash catches up.
//
// Both start at once and run side by side, as cp and a sha256 in two
// processes do: for 256 MiB, 206-213 ms against 225-245 ms when the copy
// went 8 MiB at a time, starting each chunk's writeback
// (sync_file_range(2)), and the hash followed it chunk by chunk. The
// writeback then competed with the hash for the second core, and the hash,
// the slower of the two, set the pace. A file that changes meanwhile is
// still an error: the hash covers size bytes and fails at an early end of
// the file, the copy goes on to the end, and Done compares the two. The
// copy is not held back for the hash: in a file larger than the page cache
// holds, a hash that falls behind reads what was dropped from the disk
// again, which it can only do where the disk is faster than the hash and
// so costs no time.
func copyLarge(out, in *os.File, size int64, syncDst bool) (manifest.File, error) {
	hash := datapath.Follow(in)
	hash.Reached(size)
	copied, err := out.ReadFrom(in)
	if err == nil && syncDst {
		err = out.Sync()
	}
	f, herr := hash.Done(copied, "copied")
	if err == nil {
		err = herr
	}
	return f, err
}
