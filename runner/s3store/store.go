package s3store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	tmtypes "github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/wurzel-dev/wurzel/runner/internal/datapath"
	"github.com/wurzel-dev/wurzel/runner/manifest"
	"github.com/wurzel-dev/wurzel/runner/objstore"
)

func init() {
	objstore.Register("s3", func(environ []string) objstore.Store { return New(environ, Settings{}) })
}

// Transfer tuning: parts and ranges of PartSize (16 MiB), 4 at a time, a
// good fit for one step's outputs on a node (a 256 MiB output is 16 parts);
// a file smaller than one part goes up in a single PUT.
const (
	PartSize    = 16 << 20
	concurrency = 4
)

// Store is an objstore.Store for s3:// locations. Its client is made from
// the environment on first use, so that a step that touches no s3://
// location never loads the AWS configuration.
type Store struct {
	newClient func(ctx context.Context) (*s3.Client, error)
	once      sync.Once
	client    *s3.Client
	err       error
}

// New returns the store whose client NewClient makes from environ and set.
func New(environ []string, set Settings) *Store {
	return &Store{newClient: func(ctx context.Context) (*s3.Client, error) { return NewClient(ctx, environ, set) }}
}

// WithClient returns the store that uses client.
func WithClient(client *s3.Client) *Store {
	return &Store{newClient: func(context.Context) (*s3.Client, error) { return client, nil }}
}

func (s *Store) s3(ctx context.Context) (*s3.Client, error) {
	s.once.Do(func() { s.client, s.err = s.newClient(ctx) })
	return s.client, s.err
}

// object parses loc and returns it with the client.
func (s *Store) object(ctx context.Context, loc string) (*s3.Client, s3URL, error) {
	u, err := parseS3(loc)
	if err != nil {
		return nil, s3URL{}, err
	}
	client, err := s.s3(ctx)
	return client, u, err
}

// ReadSmall reads a small object (a manifest) of at most max bytes.
func (s *Store) ReadSmall(ctx context.Context, loc string, max int64) ([]byte, error) {
	client, u, err := s.object(ctx, loc)
	if err != nil {
		return nil, err
	}
	out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: &u.Bucket, Key: &u.Key})
	if err != nil {
		return nil, classify(err)
	}
	defer out.Body.Close()
	data, err := io.ReadAll(io.LimitReader(out.Body, max+1))
	if err == nil && int64(len(data)) > max {
		// Cut short, it would only fail to parse, saying less.
		err = fmt.Errorf("%s is larger than %d bytes", loc, max)
	}
	return data, classify(err)
}

// WriteSmall writes a small object whole, as JSON.
func (s *Store) WriteSmall(ctx context.Context, loc string, data []byte) error {
	client, u, err := s.object(ctx, loc)
	if err != nil {
		return err
	}
	_, err = client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: &u.Bucket, Key: &u.Key, Body: bytes.NewReader(data),
		ContentType: aws.String("application/json"),
	})
	return classify(err)
}

// Remove deletes an object if it exists.
func (s *Store) Remove(ctx context.Context, loc string) error {
	client, u, err := s.object(ctx, loc)
	if err != nil {
		return err
	}
	_, err = client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &u.Bucket, Key: &u.Key})
	if err != nil && isNotFound(err) {
		return nil
	}
	return classify(err)
}

// Download fetches the object at loc, or its file rel when rel is not
// empty, into dst with parallel ranged GETs and checks it against want.
func (s *Store) Download(ctx context.Context, loc, rel, dst string, want manifest.File) error {
	client, u, err := s.object(ctx, loc)
	if err != nil {
		return err
	}
	if rel != "" {
		u = u.child(rel)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(dst, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = downloads(client).DownloadObject(ctx, &transfermanager.DownloadObjectInput{
		Bucket: &u.Bucket, Key: &u.Key, WriterAt: f,
	})
	if err != nil {
		return classify(err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	got, err := manifest.HashReader(f)
	if err != nil {
		return err
	}
	return datapath.CheckFile(got.Size, got.SHA256, want)
}

// Upload uploads the files of an output to loc (a file output to loc
// itself, a directory's files under it) and returns them, hashed. Each
// file is read once: hashed as the upload reads it. A directory's small
// files go up datapath.FileWorkers at a time; its large ones one after the
// other, each in parallel parts.
func (s *Store) Upload(ctx context.Context, loc, root, kind string, rels []string) ([]manifest.File, error) {
	client, base, err := s.object(ctx, loc)
	if err != nil {
		return nil, err
	}
	c := newUploadClient(client)
	files := make([]manifest.File, len(rels))
	upload := func(i int) error {
		rel, dst := rels[i], base
		if kind == manifest.KindDir {
			dst = base.child(rel)
		}
		f, err := uploadFile(ctx, c, filepath.Join(root, filepath.FromSlash(rel)), dst)
		f.Path = rel
		files[i] = f
		return datapath.InFile(rel, classify(err))
	}
	var small, large []int
	for i, rel := range rels {
		if fi, err := os.Stat(filepath.Join(root, filepath.FromSlash(rel))); err == nil && fi.Size() >= PartSize {
			large = append(large, i)
		} else {
			small = append(small, i)
		}
	}
	if err := datapath.EachFile(len(small), func(j int) error { return upload(small[j]) }); err != nil {
		return nil, err
	}
	for _, i := range large {
		if err := upload(i); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// uploadFile sends the local file src to object u and returns its size and
// sha256, computed from what the upload read. A file smaller than a part is
// read into memory and hashed first, so that a signed request reuses the
// digest (see uploadClient), and goes up in a single PUT; a larger one in
// parts read from the file (uploadLarge).
func uploadFile(ctx context.Context, c uploadClient, src string, u s3URL) (manifest.File, error) {
	f, err := os.Open(src)
	if err != nil {
		return manifest.File{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return manifest.File{}, err
	}
	if fi.Size() >= PartSize {
		return uploadLarge(ctx, c, f, fi.Size(), u)
	}
	data, err := io.ReadAll(io.LimitReader(f, PartSize))
	if err != nil {
		return manifest.File{}, err
	}
	if int64(len(data)) != fi.Size() {
		return manifest.File{}, errChanged
	}
	sum := sha256.Sum256(data)
	got := manifest.File{Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])}
	_, err = c.PutObject(withPayloadDigest(ctx, got.SHA256), &s3.PutObjectInput{
		Bucket: &u.Bucket, Key: &u.Key, Body: bytes.NewReader(data), ContentLength: aws.Int64(got.Size),
	})
	return got, err
}

// downloads is the SDK's transfer manager over client, for downloads: in
// ranges of PartSize, concurrency at a time. Response checksums stay as the
// client has them: the runner checks every file's sha256 itself.
func downloads(client *s3.Client) *transfermanager.Client {
	return transfermanager.New(client, func(o *transfermanager.Options) {
		o.PartSizeBytes = PartSize
		o.Concurrency = concurrency
		o.GetObjectType = tmtypes.GetObjectRanges
		o.DisableChecksumValidation = true
	})
}

// abortTimeout bounds the abort of a failed multipart upload.
const abortTimeout = 30 * time.Second
