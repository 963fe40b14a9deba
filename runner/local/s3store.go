package local

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/wurzel-dev/wurzel/runner/s3store"
)

// s3Store is a store under an S3 prefix. The executor only reads manifests
// from it; the runner writes outputs and manifests itself.
type s3Store struct {
	root   string // s3://bucket/prefix without a trailing slash
	client *s3.Client
}

// newS3Store uses the runner's S3 client, configured from the standard AWS
// environment in environ (path-style addressing when an endpoint URL is
// set), so that the executor reads exactly what the runner wrote.
func newS3Store(ctx context.Context, spec string, environ []string) (*s3Store, error) {
	bucket, _, err := splitS3(spec)
	if err != nil {
		return nil, err
	}
	if bucket == "" {
		return nil, fmt.Errorf("store %q: missing bucket name", spec)
	}
	client, err := s3store.NewClient(ctx, environ, s3store.Settings{})
	if err != nil {
		return nil, fmt.Errorf("store %s: %v", spec, err)
	}
	return &s3Store{root: strings.TrimSuffix(spec, "/"), client: client}, nil
}

func (s *s3Store) location(elem ...string) string { return s3Join(s.root, elem...) }

func (s *s3Store) String() string { return s.root }

func (s *s3Store) read(ctx context.Context, loc string) ([]byte, error) {
	bucket, key, err := splitS3(loc)
	if err != nil {
		return nil, err
	}
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		var nsk *types.NoSuchKey
		if errors.As(err, &nsk) {
			return nil, fmt.Errorf("%s: %w", loc, fs.ErrNotExist)
		}
		return nil, fmt.Errorf("reading %s: %v", loc, err)
	}
	defer out.Body.Close()
	return io.ReadAll(out.Body)
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
