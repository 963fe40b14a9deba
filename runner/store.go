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
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	tmtypes "github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/wurzel-dev/wurzel/internal/atomicfile"
	"github.com/wurzel-dev/wurzel/internal/regularfile"
	"github.com/wurzel-dev/wurzel/runner/manifest"
)

// Transfer tuning: parts of 16 MiB, 4 at a time, a good fit for one step's
// outputs on a node (a 256 MiB output is 16 parts); a file smaller than one
// part goes up in a single PUT.
const (
	partSize    = 16 << 20
	concurrency = 4
)

// errNotFound marks a location that does not exist (a missing manifest).
var errNotFound = errors.New("not found")

func (r *run) s3(ctx context.Context) (*s3.Client, error) {
	r.s3once.Do(func() {
		if r.opts.S3Client != nil {
			r.s3client, r.s3err = r.opts.S3Client(ctx)
		} else {
			r.s3client, r.s3err = NewS3Client(ctx, r.opts.Environ, S3Settings{})
		}
	})
	return r.s3client, r.s3err
}

// maxSmall bounds a small document.
const maxSmall = 64 << 20

// readSmall reads a small document (a manifest) from a local path or an
// s3:// URL; a missing one is errNotFound.
func (r *run) readSmall(ctx context.Context, loc string) ([]byte, error) {
	if !isS3(loc) {
		data, err := regularfile.ReadFile(r.abs(loc), maxSmall)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, errNotFound
		}
		return data, err
	}
	u, err := parseS3(loc)
	if err != nil {
		return nil, err
	}
	client, err := r.s3(ctx)
	if err != nil {
		return nil, err
	}
	out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: &u.Bucket, Key: &u.Key})
	if err != nil {
		if isNotFound(err) {
			return nil, errNotFound
		}
		return nil, err
	}
	defer out.Body.Close()
	data, err := io.ReadAll(io.LimitReader(out.Body, maxSmall+1))
	if err == nil && len(data) > maxSmall {
		// Cut short, it would only fail to parse, saying less.
		err = fmt.Errorf("%s is larger than %d bytes", loc, maxSmall)
	}
	return data, err
}

// writeSmall writes a small document atomically: S3 objects appear whole;
// local files are written to a temporary name, synced and renamed.
func (r *run) writeSmall(ctx context.Context, loc string, data []byte) error {
	if !isS3(loc) {
		// The manifest's own directory entry is not synced: losing it in a
		// crash only makes the step run again, and it saves a step a few
		// milliseconds. Its content is synced before the rename, so it is
		// never seen half-written.
		return writeFileAtomic(r.abs(loc), bytes.NewReader(data), false)
	}
	u, err := parseS3(loc)
	if err != nil {
		return err
	}
	client, err := r.s3(ctx)
	if err != nil {
		return err
	}
	_, err = client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: &u.Bucket, Key: &u.Key, Body: bytes.NewReader(data),
		ContentType: aws.String("application/json"),
	})
	return err
}

// remove deletes a document if it exists.
func (r *run) remove(ctx context.Context, loc string) error {
	if !isS3(loc) {
		err := os.Remove(r.abs(loc))
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	u, err := parseS3(loc)
	if err != nil {
		return err
	}
	client, err := r.s3(ctx)
	if err != nil {
		return err
	}
	_, err = client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &u.Bucket, Key: &u.Key})
	if err != nil && isNotFound(err) {
		return nil
	}
	return err
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
	return checkFile(n, hex.EncodeToString(h.Sum(nil)), want)
}

func checkFile(size int64, sum string, want manifest.File) error {
	if size != want.Size {
		return fmt.Errorf("size %d does not match the manifest's %d", size, want.Size)
	}
	if sum != want.SHA256 {
		return fmt.Errorf("sha256 %s does not match the manifest's %s", sum, want.SHA256)
	}
	return nil
}

// downloadVerified fetches object u into dst with parallel ranged GETs and
// checks it against want.
func (r *run) downloadVerified(ctx context.Context, u s3URL, dst string, want manifest.File) error {
	client, err := r.s3(ctx)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(dst, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = transfers(client).DownloadObject(ctx, &transfermanager.DownloadObjectInput{
		Bucket: &u.Bucket, Key: &u.Key, WriterAt: f,
	})
	if err != nil {
		return err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	got, err := manifest.HashReader(f)
	if err != nil {
		return err
	}
	return checkFile(got.Size, got.SHA256, want)
}

// uploadOutput uploads the files of an output to u (a file output to u
// itself, a directory's files under it) and returns them, hashed. Each file
// is read once: hashed as the upload reads it. A directory's small files go
// up fileWorkers at a time; its large ones one after the other, each in
// parallel parts.
func (r *run) uploadOutput(ctx context.Context, out *output, u s3URL) ([]manifest.File, error) {
	client, err := r.s3(ctx)
	if err != nil {
		return nil, err
	}
	tm := transfers(client)
	files := make([]manifest.File, len(out.files))
	var large []int
	upload := func(i int) error {
		rel, dst := out.files[i], u
		if out.kind == manifest.KindDir {
			dst = u.child(rel)
		}
		f, err := uploadFile(ctx, tm, filepath.Join(out.path, filepath.FromSlash(rel)), dst)
		f.Path = rel
		files[i] = f
		return inFile(rel, err)
	}
	var small []int
	for i, rel := range out.files {
		if fi, err := os.Stat(filepath.Join(out.path, filepath.FromSlash(rel))); err == nil && fi.Size() >= partSize {
			large = append(large, i)
		} else {
			small = append(small, i)
		}
	}
	if err := eachFile(len(small), func(j int) error { return upload(small[j]) }); err != nil {
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
// digest (see uploadClient); a larger one is hashed just behind the
// transfer manager's reads of its parts, while they are in the page cache.
func uploadFile(ctx context.Context, tm *transfermanager.Client, src string, u s3URL) (manifest.File, error) {
	f, err := os.Open(src)
	if err != nil {
		return manifest.File{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return manifest.File{}, err
	}
	in := &transfermanager.UploadObjectInput{Bucket: &u.Bucket, Key: &u.Key}
	if fi.Size() < partSize {
		data, err := io.ReadAll(io.LimitReader(f, partSize))
		if err != nil {
			return manifest.File{}, err
		}
		sum := sha256.Sum256(data)
		got := manifest.File{Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])}
		in.Body = bytes.NewReader(data)
		_, err = tm.UploadObject(withPayloadDigest(ctx, got.SHA256), in)
		return got, err
	}
	// The hash follows the upload's reads on another goroutine (see
	// hashBehind), off the path that feeds the parts.
	readTo := make(chan int64, hashLag)
	hashed := make(chan manifest.File, 1)
	var hashErr error
	go func() {
		var h manifest.File
		h, hashErr = hashBehind(f, readTo)
		hashed <- h
	}()
	in.Body = &followedReader{f: f, readTo: readTo}
	in.ContentLength = aws.Int64(fi.Size())
	_, err = tm.UploadObject(ctx, in)
	close(readTo)
	got := <-hashed
	if err == nil {
		err = hashErr
	}
	if err == nil && got.Size != fi.Size() {
		err = errors.New("the file changed while it was uploaded")
	}
	return got, err
}

// followedReader reads f from its start, sending the offset reached after
// each read to readTo.
type followedReader struct {
	f      *os.File
	off    int64
	readTo chan<- int64
}

func (r *followedReader) Read(p []byte) (int, error) {
	n, err := r.f.Read(p)
	if n > 0 {
		r.off += int64(n)
		r.readTo <- r.off
	}
	return n, err
}

// transfers is the SDK's transfer manager over client, tuned as the
// constants above say. Checksums stay as the client has them (only where
// S3 requires one): the runner checks every file's sha256 itself, and
// S3-compatible servers differ in their support of the newer checksums.
func transfers(client *s3.Client) *transfermanager.Client {
	return transfermanager.New(newUploadClient(client), func(o *transfermanager.Options) {
		o.PartSizeBytes = partSize
		o.MultipartUploadThreshold = partSize
		o.Concurrency = concurrency
		o.GetObjectType = tmtypes.GetObjectRanges
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		o.DisableChecksumValidation = true
		// A failed multipart upload is aborted with a fresh context, so
		// that a cancelled or timed-out step does not leave its parts on
		// the server.
		o.FailTimeout = abortTimeout
	})
}

// abortTimeout bounds the abort of a failed multipart upload.
const abortTimeout = 30 * time.Second

func randomSuffix() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
