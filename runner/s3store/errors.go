package s3store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/wurzel-dev/wurzel/runner/internal/netfail"
	"github.com/wurzel-dev/wurzel/runner/objstore"
)

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
	if netfail.Is(err) {
		return true
	}
	return errors.Is(err, context.DeadlineExceeded)
}

// classify marks a transient failure for the runner (objstore.Transient)
// and a missing object as fs.ErrNotExist.
func classify(err error) error {
	switch {
	case err == nil:
		return nil
	case isTransient(err):
		return &objstore.Transient{Err: err}
	case isNotFound(err):
		return fmt.Errorf("%w: %w", fs.ErrNotExist, err)
	}
	return err
}
