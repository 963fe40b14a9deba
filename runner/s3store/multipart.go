package s3store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/wurzel-dev/wurzel/runner/internal/datapath"
	"github.com/wurzel-dev/wurzel/runner/manifest"
)

// maxParts is the most parts S3 takes in one multipart upload.
const maxParts = 10000

// errChanged fails an upload whose file changed while it was read.
var errChanged = errors.New("the file changed while it was uploaded")

// uploadLarge sends f, of size bytes, to object u as a multipart upload
// whose parts are read from the file itself, concurrency at a time: no part
// is copied into memory first, and over plain HTTP a part goes from the
// page cache to the socket with sendfile (see fileBodies). The sha256 for
// the manifest and each part's CRC32C are computed from the file beside
// the parts (hashParts); the server checks each part against its CRC32C
// (see createUpload). The upload is completed only once the hash has read
// the whole file and the file kept its size; otherwise, and on any error,
// it is aborted, so that no unfinished upload is left on the server.
func uploadLarge(ctx context.Context, c uploadClient, f *os.File, size int64, u s3URL) (manifest.File, error) {
	id, checked, err := createUpload(ctx, c, u)
	if err != nil {
		return manifest.File{}, err
	}
	l := layout(size)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	claimed := make(chan struct{}, l.n)
	crcs := newPartCRCs(l.n, checked)
	hashed := make(chan hashResult, 1)
	go func() {
		r := hashParts(ctx, f, l, claimed, crcs)
		if r.err != nil {
			cancel() // the parts that wait for their checksums
		}
		hashed <- r
	}()
	parts, err := uploadParts(ctx, c, f, l, u, id, claimed, crcs)
	if err != nil {
		cancel()
	}
	h := <-hashed
	if h.err != nil && (err == nil || errors.Is(err, context.Canceled)) {
		err = h.err // what cancelled the parts
	}
	if err == nil {
		err = sameSize(f, size)
	}
	if err == nil {
		_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
			Bucket: &u.Bucket, Key: &u.Key, UploadId: id,
			MultipartUpload: &types.CompletedMultipartUpload{Parts: parts},
		})
	}
	if err != nil {
		return manifest.File{}, errors.Join(err, abort(ctx, c, u, id))
	}
	return h.file, nil
}

// createUpload starts a multipart upload whose parts carry their CRC32C,
// which the server checks as each part arrives: a part damaged on its way
// is refused there, not only by the consumer that checks the manifest's
// sha256. It also spares a server that computes a checksum of every part
// anyway its default one (versitygw's CRC64NVME costs more CPU than the
// CRC32C the processor computes). A server that refuses the checksum
// (400 or 501) gets the upload without it; checked says which it was.
func createUpload(ctx context.Context, c uploadClient, u s3URL) (id *string, checked bool, err error) {
	created, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{
		Bucket: &u.Bucket, Key: &u.Key, ChecksumAlgorithm: types.ChecksumAlgorithmCrc32c,
	})
	if err == nil {
		return created.UploadId, true, nil
	}
	if !refusesRequest(err) {
		return nil, false, err
	}
	created, err = c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: &u.Bucket, Key: &u.Key})
	if err != nil {
		return nil, false, err
	}
	return created.UploadId, false, nil
}

// partLayout is how a file of size bytes is cut into n parts of partSize,
// the last one shorter.
type partLayout struct {
	size, partSize int64
	n              int
}

// layout cuts size bytes into parts of PartSize, or larger ones where
// there would be more than S3 takes.
func layout(size int64) partLayout {
	partSize := int64(PartSize)
	if size/partSize >= maxParts {
		partSize = size/maxParts + 1
	}
	return partLayout{size: size, partSize: partSize, n: int((size + partSize - 1) / partSize)}
}

// part is the offset and length of part i.
func (l partLayout) part(i int) (off, n int64) {
	off = int64(i) * l.partSize
	return off, min(l.partSize, l.size-off)
}

type hashResult struct {
	file manifest.File
	err  error
}

// hashParts hashes the file part by part, each once its upload has been
// claimed (a token on claimed), and hands each part's CRC32C to its upload
// (crcs): so the hash and the part read the same bytes at about the same
// time, and each byte comes from the disk once, whichever of the two reads
// it first, while at most concurrency parts and the hash's one are read. A
// file cut shorter meanwhile fails it.
func hashParts(ctx context.Context, f *os.File, l partLayout, claimed <-chan struct{}, crcs *partCRCs) hashResult {
	h := sha256.New()
	var buf []byte
	for i := range l.n {
		select {
		case <-claimed:
		case <-ctx.Done():
			return hashResult{err: ctx.Err()}
		}
		off, n := l.part(i)
		part, into := crcs.hash(), io.Writer(h)
		if part != nil {
			into = io.MultiWriter(h, part)
		}
		if err := datapath.HashRange(into, f, off, off+n, &buf); err != nil {
			if errors.Is(err, datapath.ErrShorter) {
				err = errChanged
			}
			return hashResult{err: err}
		}
		crcs.done(i, part)
	}
	return hashResult{file: manifest.File{Size: l.size, SHA256: hex.EncodeToString(h.Sum(nil))}}
}

// sameSize fails when f no longer has size bytes: it grew while it was
// read, and the upload and its hash cover only a part of it.
func sameSize(f *os.File, size int64) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if fi.Size() != size {
		return errChanged
	}
	return nil
}

// uploadParts uploads the parts of f, concurrency at a time, and returns
// them in order. It puts a token on claimed as it takes each part. The
// first error cancels the parts still to go.
func uploadParts(ctx context.Context, c uploadClient, f *os.File, l partLayout, u s3URL, id *string, claimed chan<- struct{}, crcs *partCRCs) ([]types.CompletedPart, error) {
	parts := make([]types.CompletedPart, l.n)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(concurrency, l.n) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < l.n && ctx.Err() == nil; i = int(next.Add(1) - 1) {
				claimed <- struct{}{}
				off, n := l.part(i)
				crc, err := crcs.wait(ctx, i)
				if err != nil {
					cancel(err)
					return
				}
				part, err := uploadPart(ctx, c, f, off, n, u, id, int32(i+1), crc)
				if err != nil {
					cancel(err)
					return
				}
				parts[i] = part
			}
		})
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	return parts, nil
}

// uploadPart uploads the n bytes of f at off as part number num, with its
// CRC32C when crc is not nil.
func uploadPart(ctx context.Context, c uploadClient, f *os.File, off, n int64, u s3URL, id *string, num int32, crc *string) (types.CompletedPart, error) {
	body := &filePart{f: f, off: off, n: n}
	out, err := c.UploadPart(withFilePart(ctx, body), &s3.UploadPartInput{
		Bucket: &u.Bucket, Key: &u.Key, UploadId: id, PartNumber: aws.Int32(num),
		Body: io.NewSectionReader(f, off, n), ContentLength: aws.Int64(n),
		ChecksumCRC32C: crc,
	}, useFileBodies)
	if err != nil {
		return types.CompletedPart{}, err
	}
	return types.CompletedPart{PartNumber: aws.Int32(num), ETag: out.ETag, ChecksumCRC32C: crc}, nil
}

// abort aborts the multipart upload id with a context of its own, so that
// a cancelled or timed-out step does not leave its parts on the server. Its
// failure is part of the step's error: the parts stay until a lifecycle
// rule removes them.
func abort(ctx context.Context, c uploadClient, u s3URL, id *string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), abortTimeout)
	defer cancel()
	_, err := c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: &u.Bucket, Key: &u.Key, UploadId: id})
	if err != nil {
		return fmt.Errorf("aborting the multipart upload %s: %w", aws.ToString(id), err)
	}
	return nil
}
