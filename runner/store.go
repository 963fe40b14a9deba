package runner

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wurzel-dev/wurzel/internal/atomicfile"
	"github.com/wurzel-dev/wurzel/internal/regularfile"
	"github.com/wurzel-dev/wurzel/runner/internal/datapath"
	"github.com/wurzel-dev/wurzel/runner/manifest"
	"github.com/wurzel-dev/wurzel/runner/objstore"
	"github.com/wurzel-dev/wurzel/runner/spec"
	"github.com/wurzel-dev/wurzel/runner/storehelper"
)

// errNotFound marks a location that does not exist (a missing manifest).
var errNotFound = errors.New("not found")

func isS3(loc string) bool { return strings.HasPrefix(loc, "s3://") }

// remoteStore returns the store for the step's s3:// locations: the one
// in Options, else the one registered with objstore (runner/s3store, when
// the program imports it, as tests do), else, when the step has such locations, the
// store helper: the fetch helper serving S3 (wurzel-fetch -store s3), so
// that the runner's binaries do not link the AWS SDK. A step whose helper
// cannot be found is refused before anything runs. close ends a helper
// started for this step.
func remoteStore(st *spec.Step, opts Options, getenv func(string) string) (store objstore.Store, close func(), err error) {
	if opts.ObjectStore != nil {
		return opts.ObjectStore, func() {}, nil
	}
	if store, ok := objstore.Open("s3", opts.Environ); ok {
		return store, func() {}, nil
	}
	locs := st.Locations()
	i := slices.IndexFunc(locs, isS3)
	if i < 0 {
		return nil, func() {}, nil
	}
	client, err := StoreHelper(opts.Executable, opts.Environ, getenv)
	if err != nil {
		return nil, nil, fmt.Errorf("location %s: %v", locs[i], err)
	}
	return client, func() { _ = client.Close() }, nil
}

// StoreHelper returns the store of s3:// locations that the fetch helper
// beside exe (else os.Executable()) or at $WURZEL_FETCH_HELPER or on PATH
// serves when first asked, in the environment environ. Close ends it.
func StoreHelper(exe string, environ []string, getenv func(string) string) (*storehelper.Client, error) {
	if exe == "" {
		exe, _ = os.Executable()
	}
	helper, err := FindFetchHelper(exe, getenv)
	if err != nil {
		return nil, fmt.Errorf("s3:// locations: %v", err)
	}
	return storehelper.New([]string{helper, "-store", "s3"}, environ), nil
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
