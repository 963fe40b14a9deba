// Package objstore is the contract between the runner and the object stores
// that hold a step's remote locations (s3://bucket/key). The runner moves
// bytes to and from local paths itself; for a remote location it asks the
// Store it is given or the one registered for the location's scheme. The
// S3 store (runner/s3store) registers itself when imported, so that a
// binary links the AWS SDK, and pays for its initialisation at every
// start, only if it asks for it: the fetch helper wurzel-fetch does, and
// serves it to wurzel and wurzel-step, which do not, through
// runner/storehelper.
package objstore

import (
	"context"
	"errors"
	"strings"
	"sync"

	"github.com/wurzel-dev/wurzel/runner/manifest"
)

// Store moves a step's data to and from one kind of object store. loc is
// always a full location, such as s3://bucket/key.
type Store interface {
	// ReadSmall reads a small object (a manifest) of at most max bytes. A
	// missing object is an error wrapping fs.ErrNotExist.
	ReadSmall(ctx context.Context, loc string, max int64) ([]byte, error)
	// WriteSmall writes a small object whole.
	WriteSmall(ctx context.Context, loc string, data []byte) error
	// Remove deletes an object; a missing one is not an error.
	Remove(ctx context.Context, loc string) error
	// Download fetches the object at loc, or, when rel is not empty, the
	// file rel (slash-separated) of the directory output stored under loc,
	// into the new file dst, and checks it against want.
	Download(ctx context.Context, loc, rel, dst string, want manifest.File) error
	// Upload sends the files rels (slash-separated, relative to root) of
	// an output of kind manifest.KindFile or KindDir: a file output's one
	// file (root itself, rels ["."]) to loc, a directory's files under
	// loc, each where Download with its rel finds it. It returns their
	// sizes and sha256 in the order of rels, each file read once.
	Upload(ctx context.Context, loc, root, kind string, rels []string) ([]manifest.File, error)
}

// Scheme returns the scheme of a remote location ("s3" for
// s3://bucket/key), or "" for a local path.
func Scheme(loc string) string {
	scheme, _, ok := strings.Cut(loc, "://")
	if !ok || scheme == "" || strings.ContainsAny(scheme, "/\\") {
		return ""
	}
	return scheme
}

// Opener makes the store of one scheme for a runner whose environment is
// environ (credentials, endpoints). It should not connect: the store is
// made before the step knows whether it will use it.
type Opener func(environ []string) Store

var (
	mu      sync.RWMutex
	openers = map[string]Opener{}
)

// Register makes open the opener of scheme's locations. Stores register
// from their package's init.
func Register(scheme string, open Opener) {
	mu.Lock()
	defer mu.Unlock()
	openers[scheme] = open
}

// Open makes the store registered for scheme; false when none is.
func Open(scheme string, environ []string) (Store, bool) {
	mu.RLock()
	open, ok := openers[scheme]
	mu.RUnlock()
	if !ok {
		return nil, false
	}
	return open(environ), true
}

// Transient marks a failure that running the step again may cure (a
// network error, a 5xx or throttling answer): the runner exits with its
// retryable code.
type Transient struct{ Err error }

func (e *Transient) Error() string { return e.Err.Error() }
func (e *Transient) Unwrap() error { return e.Err }

// IsTransient reports whether err is or wraps a Transient.
func IsTransient(err error) bool {
	var t *Transient
	return errors.As(err, &t)
}
