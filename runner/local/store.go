package local

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/wurzel-dev/wurzel/runner/objstore"
)

// store is where outputs and manifests live: a local directory or an S3
// prefix. Work directories, specs and logs always stay on this machine.
type store interface {
	// location joins slash-separated elements onto the store's root.
	location(elem ...string) string
	// read returns the content at loc; an error wrapping fs.ErrNotExist when
	// there is nothing.
	read(ctx context.Context, loc string) ([]byte, error)
	// String names the store for messages.
	String() string
}

// dirStore is a store in a local directory.
type dirStore struct{ root string }

func (s dirStore) location(elem ...string) string {
	return filepath.Join(append([]string{s.root}, elem...)...)
}

func (s dirStore) read(_ context.Context, loc string) ([]byte, error) {
	return os.ReadFile(loc)
}

func (s dirStore) String() string { return s.root }

// isS3 reports whether loc is an s3:// URL.
func isS3(loc string) bool { return strings.HasPrefix(loc, "s3://") }

// openStore returns the store for the --store value spec: a directory
// (relative to the pipeline directory) or s3://bucket/prefix. The empty
// string means .wurzel beside the pipeline.
func openStore(spec, pipelineDir string, objects func() (objstore.Store, error)) (store, error) {
	if isS3(spec) {
		return newS3Store(spec, objects)
	}
	return dirStore{root: StateDir(spec, pipelineDir)}, nil
}

// StateDir is the local directory of a run's state for the store spec
// (Options.Store) of the pipeline in pipelineDir: the store's own
// directory, or .wurzel beside the pipeline when the store is an S3 bucket
// or not given. Outputs, logs and work directories of a local store live
// there, and so does what `wurzel run` keeps between runs.
func StateDir(spec, pipelineDir string) string {
	if spec == "" || isS3(spec) {
		spec = ".wurzel"
	}
	if !filepath.IsAbs(spec) {
		spec = filepath.Join(pipelineDir, spec)
	}
	return filepath.Clean(spec)
}

// lockLocation turns a location into its lock file form: paths under the
// pipeline directory become relative (slash-separated), so that the lock
// stays valid when the project moves.
func lockLocation(pipelineDir, loc string) string {
	if isS3(loc) {
		return loc
	}
	if rel, err := filepath.Rel(pipelineDir, loc); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(rel)
	}
	return loc
}

// absLocation is the inverse of lockLocation.
func absLocation(pipelineDir, loc string) string {
	if isS3(loc) || filepath.IsAbs(loc) {
		return loc
	}
	return filepath.Join(pipelineDir, filepath.FromSlash(loc))
}

// notExist reports whether err says that a location holds nothing.
func notExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }

// s3Join joins elements onto an s3:// URL with single slashes.
func s3Join(root string, elem ...string) string {
	return strings.TrimSuffix(root, "/") + "/" + path.Join(elem...)
}
