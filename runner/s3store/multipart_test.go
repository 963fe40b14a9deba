package s3store

import (
	"bytes"
	"context"
	"errors"
	"hash/crc32"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/wurzel-dev/wurzel/internal/gwtest"
)

// largeFile writes a file of parts and a half parts of varied bytes, so
// that a part sent from the wrong offset changes the object.
func largeFile(t *testing.T, parts float64) (string, []byte) {
	t.Helper()
	data := make([]byte, int(parts*PartSize))
	for i := range data {
		data[i] = byte(i*7 + i>>12)
	}
	path := filepath.Join(t.TempDir(), "big.bin")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, data
}

// bodyWatcher records the bodies fileBodies gives the HTTP client.
type bodyWatcher struct {
	next   s3.HTTPClient
	mu     sync.Mutex
	bodies []*partBody
}

func (w *bodyWatcher) Do(req *http.Request) (*http.Response, error) {
	if b, ok := req.Body.(*partBody); ok {
		w.mu.Lock()
		w.bodies = append(w.bodies, b)
		w.mu.Unlock()
	}
	return w.next.Do(req)
}

func testUploadClient(t *testing.T, gw *gwtest.Server, watch *bodyWatcher) uploadClient {
	t.Helper()
	client, err := NewClient(context.Background(), gw.Environ(), Settings{MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	if watch != nil {
		client = s3.New(client.Options(), func(o *s3.Options) {
			watch.next = o.HTTPClient
			o.HTTPClient = watch
		})
	}
	return newUploadClient(client)
}

func openSized(t *testing.T, path string) (*os.File, int64) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	return f, fi.Size()
}

func unfinishedUploads(t *testing.T, gw *gwtest.Server, bucket string) int {
	t.Helper()
	out, err := gw.Client().ListMultipartUploads(context.Background(), &s3.ListMultipartUploadsInput{Bucket: aws.String(bucket)})
	if err != nil {
		t.Fatal(err)
	}
	return len(out.Uploads)
}

// TestUploadLargeSendsPartsFromTheFile: a file of 3.5 parts arrives whole,
// with the sha256 of its bytes, and over plain HTTP no byte of it passes
// through the process: the parts go from the file with sendfile.
func TestUploadLargeSendsPartsFromTheFile(t *testing.T) {
	gw := gwtest.Start(t)
	bucket := gw.CreateBucket(t, "wurzel")
	path, data := largeFile(t, 3.5)
	watch := &bodyWatcher{}
	c := testUploadClient(t, gw, watch)
	f, size := openSized(t, path)
	got, err := uploadLarge(context.Background(), c, f, size, s3URL{Bucket: bucket, Key: "big.bin"})
	if err != nil {
		t.Fatal(err)
	}
	if want := sha256Hex(data); got.SHA256 != want || got.Size != size {
		t.Errorf("uploadLarge = %d bytes %s, want %d bytes %s", got.Size, got.SHA256, size, want)
	}
	if on, err := os.ReadFile(gw.ObjectPath(bucket, "big.bin")); err != nil || !bytes.Equal(on, data) {
		t.Fatalf("the object differs from the file (err %v)", err)
	}
	head, err := gw.Client().HeadObject(context.Background(), &s3.HeadObjectInput{
		Bucket: aws.String(bucket), Key: aws.String("big.bin"), ChecksumMode: types.ChecksumModeEnabled,
	})
	if err != nil {
		t.Fatal(err)
	}
	if head.ChecksumCRC32C == nil {
		t.Error("the server recorded no CRC32C of the parts")
	}
	if len(watch.bodies) != 4 {
		t.Fatalf("%d part bodies from the file, want 4", len(watch.bodies))
	}
	if runtime.GOOS == "linux" {
		for _, b := range watch.bodies {
			if b.read != 0 {
				t.Errorf("%d bytes of a part were read through the process, not sent with sendfile", b.read)
			}
		}
	}
}

// TestUploadLargeAbortsAChangedFile: a file cut shorter or grown after the
// upload took its size fails the upload, which is aborted, not completed.
func TestUploadLargeAbortsAChangedFile(t *testing.T) {
	gw := gwtest.Start(t)
	bucket := gw.CreateBucket(t, "wurzel")
	c := testUploadClient(t, gw, nil)
	for _, tc := range []struct {
		name   string
		change func(path string, size int64) error
	}{
		{"shorter", func(path string, size int64) error { return os.Truncate(path, size-PartSize) }},
		{"longer", func(path string, size int64) error { return os.Truncate(path, size+1) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path, _ := largeFile(t, 2.5)
			f, size := openSized(t, path)
			if err := tc.change(path, size); err != nil {
				t.Fatal(err)
			}
			_, err := uploadLarge(context.Background(), c, f, size, s3URL{Bucket: bucket, Key: tc.name})
			if err == nil {
				t.Fatal("the upload of a changed file succeeded")
			}
			if tc.name == "longer" && !errors.Is(err, errChanged) {
				t.Errorf("err = %v, want %v", err, errChanged)
			}
			if _, err := os.Stat(gw.ObjectPath(bucket, tc.name)); !os.IsNotExist(err) {
				t.Errorf("an object was completed from the changed file (stat: %v)", err)
			}
			if n := unfinishedUploads(t, gw, bucket); n != 0 {
				t.Errorf("%d multipart uploads left unfinished", n)
			}
		})
	}
}

// TestFilePartOpensOnlyTheSameFile: a part whose file's name now names
// another file is not opened again (the SDK's own body then goes).
func TestFilePartOpensOnlyTheSameFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f")
	if err := os.WriteFile(path, []byte("0123456789"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p := &filePart{f: f, off: 3, n: 4}
	b, err := p.open()
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if _, err := got.ReadFrom(b); err != nil || got.String() != "3456" {
		t.Errorf("the part reads %q (err %v), want %q", got.String(), err, "3456")
	}
	b.Close()
	if err := os.Rename(filepath.Join(dir, "f"), filepath.Join(dir, "g")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("another file"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := p.open(); err == nil {
		b.Close()
		t.Error("a part opened the file that took its file's name")
	}
}

// TestHashPartsWaitsForClaimedParts: the hash reads no part before its
// upload is claimed, and covers the whole file once all are, handing each
// part's CRC32C to its upload.
func TestHashPartsWaitsForClaimedParts(t *testing.T) {
	path, data := largeFile(t, 0.25)
	f, size := openSized(t, path)
	l := partLayout{size: size, partSize: size/3 + 1, n: 3}
	claimed := make(chan struct{}, 3)
	claimed <- struct{}{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan hashResult)
	go func() { done <- hashParts(ctx, f, l, claimed, newPartCRCs(3, false)) }()
	select {
	case r := <-done:
		t.Fatalf("the hash finished with one part of three claimed: %+v", r)
	case <-time.After(50 * time.Millisecond):
	}
	cancel()
	if r := <-done; !errors.Is(r.err, context.Canceled) {
		t.Fatalf("err = %v, want %v", r.err, context.Canceled)
	}
	claimed = make(chan struct{}, 3)
	for range 3 {
		claimed <- struct{}{}
	}
	crcs := newPartCRCs(3, true)
	r := hashParts(context.Background(), f, l, claimed, crcs)
	if r.err != nil || r.file.SHA256 != sha256Hex(data) || r.file.Size != size {
		t.Errorf("hashParts = %+v, want %d bytes %s", r, size, sha256Hex(data))
	}
	for i := range 3 {
		off, n := l.part(i)
		got, err := crcs.wait(context.Background(), i)
		if want := encodeCRC(crc32.Checksum(data[off:off+n], castagnoli)); err != nil || got == nil || *got != want {
			t.Errorf("part %d: CRC32C %v (err %v), want %s", i, got, err, want)
		}
	}
}

func TestLayout(t *testing.T) {
	for _, tc := range []struct {
		size     int64
		partSize int64
		n        int
	}{
		{PartSize, PartSize, 1},
		{PartSize + 1, PartSize, 2},
		{256 << 20, PartSize, 16},
		{maxParts * PartSize, maxParts*PartSize/maxParts + 1, maxParts},
		{5 << 40, 5<<40/maxParts + 1, maxParts},
	} {
		l := layout(tc.size)
		if l.partSize != tc.partSize || l.n != tc.n {
			t.Errorf("layout(%d) = %d parts of %d, want %d of %d", tc.size, l.n, l.partSize, tc.n, tc.partSize)
		}
		if off, n := l.part(l.n - 1); off+n != tc.size || n <= 0 || n > l.partSize {
			t.Errorf("layout(%d): the last part is %d bytes at %d", tc.size, n, off)
		}
		if l.n > maxParts {
			t.Errorf("layout(%d) has %d parts, more than S3 takes", tc.size, l.n)
		}
	}
}
