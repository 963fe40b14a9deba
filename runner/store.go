package runner

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/wurzel-dev/wurzel/internal/atomicfile"
	"github.com/wurzel-dev/wurzel/internal/regularfile"
	"github.com/wurzel-dev/wurzel/runner/internal/datapath"
	"github.com/wurzel-dev/wurzel/runner/manifest"
	"github.com/wurzel-dev/wurzel/runner/objstore"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

// errNotFound marks a location that does not exist (a missing manifest).
var errNotFound = errors.New("not found")

func isS3(loc string) bool { return strings.HasPrefix(loc, "s3://") }

// remoteStore returns the store for the step's s3:// locations: the one
// in Options, else the one registered with objstore (runner/s3store, when
// the program imports it). A step that has such locations and no store
// for them is refused before anything runs.
func remoteStore(st *spec.Step, opts Options) (objstore.Store, error) {
	if opts.ObjectStore != nil {
		return opts.ObjectStore, nil
	}
	if store, ok := objstore.Open("s3", opts.Environ); ok {
		return store, nil
	}
	for _, loc := range st.Locations() {
		if isS3(loc) {
			return nil, errors.New("location " + loc + ": this runner has no store for s3:// locations " +
				"(wurzel-step leaves S3 out: run the step with `wurzel step exec`; a Go program adds it by importing runner/s3store)")
		}
	}
	return nil, nil
}

// maxSmall bounds a small document.
const maxSmall = 64 << 20

// readSmall reads a small document (a manifest) from a local path or an
// s3:// URL; a missing one is errNotFound.
func (r *run) readSmall(ctx context.Context, loc string) ([]byte, error) {
	var data []byte
	var err error
	if isS3(loc) {
		data, err = r.remote.ReadSmall(ctx, loc, maxSmall)
	} else {
		data, err = regularfile.ReadFile(r.abs(loc), maxSmall)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errNotFound
	}
	return data, err
}

// writeSmall writes a small document atomically: S3 objects appear whole;
// local files are written to a temporary name, synced and renamed.
func (r *run) writeSmall(ctx context.Context, loc string, data []byte) error {
	if isS3(loc) {
		return r.remote.WriteSmall(ctx, loc, data)
	}
	// The manifest's own directory entry is not synced: losing it in a
	// crash only makes the step run again, and it saves a step a few
	// milliseconds. Its content is synced before the rename, so it is
	// never seen half-written.
	return writeFileAtomic(r.abs(loc), bytes.NewReader(data), false)
}

// remove deletes a document if it exists.
func (r *run) remove(ctx context.Context, loc string) error {
	if isS3(loc) {
		return r.remote.Remove(ctx, loc)
	}
	err := os.Remove(r.abs(loc))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// storageCode is the exit code for a failed transfer: retryable when the
// store says the failure is transient, fallback otherwise.
func storageCode(err error, fallback int) int {
	if objstore.IsTransient(err) {
		return CodeRetryable
	}
	return fallback
}

// writeFileAtomic writes r to path (making its directory) so that readers
// see the old content or the new, never a part. syncParent also syncs the
// directory, so that the new name survives a crash.
func writeFileAtomic(path string, src io.Reader, syncParent bool) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return atomicfile.Copy(path, src, 0o644, syncParent)
}

// copyVerified copies src to the new file dst while hashing, and fails if
// the result does not match want.
func copyVerified(dst string, src io.Reader, want manifest.File) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	h := sha256.New()
	// Read at most one byte more than expected: enough to notice a larger
	// file without copying an unbounded one.
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(src, want.Size+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return datapath.CheckFile(n, hex.EncodeToString(h.Sum(nil)), want)
}

func randomSuffix() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
