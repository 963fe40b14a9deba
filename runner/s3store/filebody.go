package s3store

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"syscall"

	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// filePart is the part of a file an upload request sends: n bytes at off.
type filePart struct {
	f      *os.File
	off, n int64
}

type filePartKey struct{}

// withFilePart tells fileBodies that the request made with ctx sends p.
func withFilePart(ctx context.Context, p *filePart) context.Context {
	return context.WithValue(ctx, filePartKey{}, p)
}

// useFileBodies is a request option that sends the request through
// fileBodies over the client's own HTTP client.
func useFileBodies(o *s3.Options) { o.HTTPClient = fileBodies{next: o.HTTPClient} }

// fileBodies sends the body of a request whose context carries a filePart
// (withFilePart) straight from the file. Over plain HTTP, net/http then
// hands it to the kernel with sendfile, which sends it from the page cache,
// where the SDK's body, read through the process, costs two copies of every
// byte (from the page cache, and into the socket). Over TLS the body is read
// and encrypted anyway, so it goes as the SDK has it, as does one the file
// cannot be opened again for.
type fileBodies struct{ next s3.HTTPClient }

func (c fileBodies) Do(req *http.Request) (*http.Response, error) {
	p, ok := req.Context().Value(filePartKey{}).(*filePart)
	if !ok || req.URL.Scheme != "http" || req.ContentLength != p.n {
		return c.next.Do(req)
	}
	body, err := p.open()
	if err != nil {
		return c.next.Do(req)
	}
	req = req.Clone(req.Context())
	// net/http closes the body once sent. A retry is the SDK's, through Do
	// again.
	req.Body, req.GetBody = body, nil
	return c.next.Do(req)
}

// partBody is a request body that reads a file from its offset up to end.
// net/http copies a body of known length to a TCP connection as the
// connection's ReadFrom asks: a body that is a syscall.Conn under an
// io.LimitedReader goes with sendfile, from the file's offset, which moves
// it. Then net/http reads on to check that the body has no more bytes: so
// the limit is the file's offset, not a count of what Read returned.
type partBody struct {
	f    *os.File
	end  int64
	read int64 // bytes Read returned, which sendfile did not send
}

func (b *partBody) Read(p []byte) (int, error) {
	pos, err := b.f.Seek(0, io.SeekCurrent)
	if err != nil {
		return 0, err
	}
	if pos >= b.end {
		return 0, io.EOF
	}
	if int64(len(p)) > b.end-pos {
		p = p[:b.end-pos]
	}
	n, err := b.f.Read(p)
	b.read += int64(n)
	return n, err
}

// SyscallConn is what lets net.TCPConn send the body with sendfile.
func (b *partBody) SyscallConn() (syscall.RawConn, error) { return b.f.SyscallConn() }

func (b *partBody) Close() error { return b.f.Close() }

// open opens the part's file again, for an offset of its own, at the
// part's start. A file that is no longer at its name is not opened.
func (p *filePart) open() (*partBody, error) {
	g, err := os.Open(p.f.Name())
	if err != nil {
		return nil, err
	}
	if !sameFile(p.f, g) {
		g.Close()
		return nil, errMoved
	}
	if _, err := g.Seek(p.off, io.SeekStart); err != nil {
		g.Close()
		return nil, err
	}
	return &partBody{f: g, end: p.off + p.n}, nil
}

// errMoved says a file's name now names another file.
var errMoved = errors.New("the file is no longer at its name")

// sameFile says whether f and g are one file.
func sameFile(f, g *os.File) bool {
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	gi, err := g.Stat()
	return err == nil && os.SameFile(fi, gi)
}
