package s3store

import (
	"context"
	"net"
	"net/url"
	"slices"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go/middleware"
)

// uploadClient is the S3 client uploads go through. A
// signed request normally carries the sha256 of its body, which the SDK
// computes with one more pass over the data, on top of the runner's own
// hash for the manifest. So:
//
//   - over TLS or to a loopback address, where the transport already
//     protects the body, uploads go with an unsigned payload (as the SDK
//     itself does for checksummed uploads over TLS); the manifest's sha256,
//     checked by every consumer, covers the data end to end;
//   - elsewhere, a single PUT is signed with the digest the runner computed
//     for the manifest (withPayloadDigest) instead of hashing the body again;
//     the parts of a multipart upload are hashed by the SDK as before.
type uploadClient struct {
	*s3.Client
	unsigned bool
}

func newUploadClient(c *s3.Client) uploadClient {
	return uploadClient{Client: c, unsigned: transportProtects(c.Options().BaseEndpoint)}
}

// transportProtects says whether requests to endpoint (the default AWS
// endpoints, https, when nil) travel over TLS or stay on this machine.
func transportProtects(endpoint *string) bool {
	if endpoint == nil || *endpoint == "" {
		return true
	}
	u, err := url.Parse(*endpoint)
	if err != nil {
		return false
	}
	if u.Scheme == "https" {
		return true
	}
	host := u.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (c uploadClient) PutObject(ctx context.Context, in *s3.PutObjectInput, opts ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	switch sum := payloadDigest(ctx); {
	case c.unsigned:
		opts = append(opts, withAPIOption(v4.SwapComputePayloadSHA256ForUnsignedPayloadMiddleware))
	case sum != "":
		opts = append(opts, withAPIOption(presetPayloadHash(sum)))
	}
	return c.Client.PutObject(ctx, in, opts...)
}

func (c uploadClient) UploadPart(ctx context.Context, in *s3.UploadPartInput, opts ...func(*s3.Options)) (*s3.UploadPartOutput, error) {
	if c.unsigned {
		opts = append(opts, withAPIOption(v4.SwapComputePayloadSHA256ForUnsignedPayloadMiddleware))
	}
	return c.Client.UploadPart(ctx, in, opts...)
}

// withAPIOption adds fn to one request's middleware stack. The options are
// a copy per request, but their slice may share its array with the
// client's: it is copied before it grows.
func withAPIOption(fn func(*middleware.Stack) error) func(*s3.Options) {
	return func(o *s3.Options) {
		o.APIOptions = append(slices.Clip(o.APIOptions), fn)
	}
}

// presetPayloadHash makes the signer use sum as the body's sha256, which
// it would otherwise compute (it skips the hash when one is set).
func presetPayloadHash(sum string) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Finalize.Insert(middleware.FinalizeMiddlewareFunc("wurzelPresetPayloadHash",
			func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
				return next.HandleFinalize(v4.SetPayloadHash(ctx, sum), in)
			}), (*v4.ComputePayloadSHA256)(nil).ID(), middleware.Before)
	}
}

type payloadDigestKey struct{}

// withPayloadDigest carries the hex sha256 of a single PUT's body to
// uploadClient.
func withPayloadDigest(ctx context.Context, sum string) context.Context {
	return context.WithValue(ctx, payloadDigestKey{}, sum)
}

func payloadDigest(ctx context.Context) string {
	s, _ := ctx.Value(payloadDigestKey{}).(string)
	return s
}
