package s3store

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/wurzel-dev/wurzel/runner/spec"
)

// S3 defaults: the SDK's standard retryer (exponential backoff with jitter)
// with a few more attempts than its default, since a step's whole output
// hangs on them.
const (
	defaultS3Attempts   = 5
	defaultS3MaxBackoff = 20 * time.Second
)

// Settings tune the S3 client the store builds from the environment.
type Settings struct {
	// MaxAttempts per request; zero means 5.
	MaxAttempts int
	// MaxBackoff between attempts; zero means 20s.
	MaxBackoff time.Duration
}

// NewClient builds an S3 client from the standard AWS environment in
// environ: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN,
// AWS_REGION (or AWS_DEFAULT_REGION; us-east-1 when unset), and
// AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, which also switch to path-style
// addressing as S3-compatible servers expect. Without keys in environ the
// SDK's default chain (profiles, web identity, instance roles) is used.
func NewClient(ctx context.Context, environ []string, set Settings) (*s3.Client, error) {
	env := func(key string) string { return spec.Getenv(environ, key) }
	region := firstNonEmpty(env("AWS_REGION"), env("AWS_DEFAULT_REGION"), "us-east-1")
	attempts := set.MaxAttempts
	if attempts <= 0 {
		attempts = defaultS3Attempts
	}
	maxBackoff := set.MaxBackoff
	if maxBackoff <= 0 {
		maxBackoff = defaultS3MaxBackoff
	}
	loadOpts := []func(*config.LoadOptions) error{
		config.WithRegion(region),
		config.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = attempts
				o.MaxBackoff = maxBackoff
				o.Backoff = retry.NewExponentialJitterBackoff(maxBackoff)
			})
		}),
	}
	if id := env("AWS_ACCESS_KEY_ID"); id != "" {
		loadOpts = append(loadOpts, config.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(id, env("AWS_SECRET_ACCESS_KEY"), env("AWS_SESSION_TOKEN"))))
	}
	cfg, err := config.LoadDefaultConfig(ctx, loadOpts...)
	if err != nil {
		return nil, fmt.Errorf("loading the AWS configuration: %w", err)
	}
	endpoint := firstNonEmpty(env("AWS_ENDPOINT_URL_S3"), env("AWS_ENDPOINT_URL"))
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
			o.UsePathStyle = true
		}
		// S3-compatible servers differ in their support of the newer
		// flexible checksums; the runner verifies sha256 itself.
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
	}), nil
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
