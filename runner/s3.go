package runner

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// S3 defaults: the SDK's standard retryer (exponential backoff with jitter)
// with a few more attempts than its default, since a step's whole output
// hangs on them.
const (
	defaultS3Attempts   = 5
	defaultS3MaxBackoff = 20 * time.Second
)

// S3Settings tune the S3 client the runner builds from the environment.
type S3Settings struct {
	// MaxAttempts per request; zero means 5.
	MaxAttempts int
	// MaxBackoff between attempts; zero means 20s.
	MaxBackoff time.Duration
}

// NewS3Client builds an S3 client from the standard AWS environment in
// environ: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN,
// AWS_REGION (or AWS_DEFAULT_REGION; us-east-1 when unset), and
// AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, which also switch to path-style
// addressing as S3-compatible servers expect. Without keys in environ the
// SDK's default chain (profiles, web identity, instance roles) is used.
func NewS3Client(ctx context.Context, environ []string, set S3Settings) (*s3.Client, error) {
	env := envMap(environ)
	region := firstNonEmpty(env["AWS_REGION"], env["AWS_DEFAULT_REGION"], "us-east-1")
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
	if id := env["AWS_ACCESS_KEY_ID"]; id != "" {
		loadOpts = append(loadOpts, config.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(id, env["AWS_SECRET_ACCESS_KEY"], env["AWS_SESSION_TOKEN"])))
	}
	cfg, err := config.LoadDefaultConfig(ctx, loadOpts...)
	if err != nil {
		return nil, fmt.Errorf("loading the AWS configuration: %w", err)
	}
	endpoint := firstNonEmpty(env["AWS_ENDPOINT_URL_S3"], env["AWS_ENDPOINT_URL"])
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

// s3URL is a parsed s3://bucket/key location.
type s3URL struct {
	Bucket string
	Key    string
}

// child returns the object of file rel under the prefix u.
func (u s3URL) child(rel string) s3URL {
	return s3URL{Bucket: u.Bucket, Key: strings.TrimSuffix(u.Key, "/") + "/" + rel}
}

func isS3(loc string) bool { return strings.HasPrefix(loc, "s3://") }

func parseS3(loc string) (s3URL, error) {
	u, err := url.Parse(loc)
	if err != nil || u.Scheme != "s3" || u.Host == "" {
		return s3URL{}, fmt.Errorf("location %q is not an s3://bucket/key URL", loc)
	}
	key := strings.TrimPrefix(u.Path, "/")
	if key == "" || strings.HasSuffix(key, "/") && strings.Trim(key, "/") == "" {
		return s3URL{}, fmt.Errorf("location %q has no object key", loc)
	}
	return s3URL{Bucket: u.Host, Key: key}, nil
}

// isNotFound reports whether err is S3's answer for a missing object.
func isNotFound(err error) bool {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrorCode() {
		case "NoSuchKey", "NotFound", "NoSuchBucket":
			return true
		}
	}
	var re *smithyhttp.ResponseError
	return errors.As(err, &re) && re.HTTPStatusCode() == 404
}

// isTransient reports whether err is the kind of failure that running the
// step again may cure: a network error, a 5xx or throttling answer, or the
// retryer giving up on such errors.
func isTransient(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var maxErr *retry.MaxAttemptsError
	if errors.As(err, &maxErr) {
		return true
	}
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) && (re.HTTPStatusCode() >= 500 || re.HTTPStatusCode() == 429) {
		return true
	}
	if IsNetworkError(err) {
		return true
	}
	return errors.Is(err, context.DeadlineExceeded)
}

// storageCode is the exit code for a failed transfer: retryable when
// transient, fallback otherwise.
func storageCode(err error, fallback int) int {
	if isTransient(err) {
		return CodeRetryable
	}
	return fallback
}

func envMap(environ []string) map[string]string {
	m := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
