package s3store

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"hash"
	"hash/crc32"

	"github.com/aws/smithy-go"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// partCRCs carries each part's CRC32C from the hash to the part's upload.
// Without checksums (a server that refused them) it hands out none and
// computes none.
type partCRCs struct {
	sums []chan string
}

func newPartCRCs(n int, checked bool) *partCRCs {
	if !checked {
		return &partCRCs{}
	}
	c := &partCRCs{sums: make([]chan string, n)}
	for i := range c.sums {
		c.sums[i] = make(chan string, 1)
	}
	return c
}

// hash is where a part's bytes go to be checksummed: nil when there are no
// checksums.
func (c *partCRCs) hash() hash.Hash32 {
	if c.sums == nil {
		return nil
	}
	return crc32.New(castagnoli)
}

// done hands part i's checksum, h, to its upload.
func (c *partCRCs) done(i int, h hash.Hash32) {
	if c.sums != nil {
		c.sums[i] <- encodeCRC(h.Sum32())
	}
}

// wait returns part i's CRC32C as S3 writes it, nil without checksums.
func (c *partCRCs) wait(ctx context.Context, i int) (*string, error) {
	if c.sums == nil {
		return nil, nil
	}
	select {
	case sum := <-c.sums[i]:
		return &sum, nil
	case <-ctx.Done():
		return nil, context.Cause(ctx)
	}
}

// encodeCRC writes a CRC32C as S3's headers carry it: base64 of its four
// bytes, big-endian.
func encodeCRC(sum uint32) string {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], sum)
	return base64.StdEncoding.EncodeToString(b[:])
}

// refusesRequest says whether err is the server refusing a request as
// such (400 or 501), as one that does not take the checksum does, rather
// than an answer about credentials, the bucket or its own health.
func refusesRequest(err error) bool {
	var re interface{ HTTPStatusCode() int }
	if !errors.As(err, &re) {
		return false
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		switch api.ErrorCode() {
		case "NoSuchBucket", "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch":
			return false
		}
	}
	return re.HTTPStatusCode() == 400 || re.HTTPStatusCode() == 501
}
