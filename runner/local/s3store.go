package local

import (
	"context"
	"fmt"
	"strings"

	"github.com/wurzel-dev/wurzel/runner/objstore"
)

// s3Store is a store under an S3 prefix. The executor only reads manifests
// from it, through the object store its steps' runners write with (see
// executor.objectStore), so that it reads exactly what they wrote.
type s3Store struct {
	root    string // s3://bucket/prefix without a trailing slash
	objects objstore.Store
}

// newS3Store is the store at spec, read through the store objects gives.
func newS3Store(spec string, objects func() (objstore.Store, error)) (*s3Store, error) {
	bucket, _, err := splitS3(spec)
	if err != nil {
		return nil, err
	}
	if bucket == "" {
		return nil, fmt.Errorf("store %q: missing bucket name", spec)
	}
	store, err := objects()
	if err != nil {
		return nil, fmt.Errorf("store %s: %v", spec, err)
	}
	return &s3Store{root: strings.TrimSuffix(spec, "/"), objects: store}, nil
}

func (s *s3Store) location(elem ...string) string { return s3Join(s.root, elem...) }

func (s *s3Store) String() string { return s.root }

// maxManifest bounds a manifest read from the store, as the runner does.
const maxManifest = 64 << 20

func (s *s3Store) read(ctx context.Context, loc string) ([]byte, error) {
	data, err := s.objects.ReadSmall(ctx, loc, maxManifest)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", loc, err)
	}
	return data, nil
}

// splitS3 splits s3://bucket/key.
func splitS3(loc string) (bucket, key string, err error) {
	rest, ok := strings.CutPrefix(loc, "s3://")
	if !ok {
		return "", "", fmt.Errorf("%q is not an s3:// URL", loc)
	}
	bucket, key, _ = strings.Cut(rest, "/")
	return bucket, key, nil
}
