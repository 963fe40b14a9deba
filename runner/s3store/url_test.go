package s3store

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/wurzel-dev/wurzel/runner/objstore"
)

func TestParseS3(t *testing.T) {
	for loc, want := range map[string]s3URL{
		"s3://bucket/key":         {"bucket", "key"},
		"s3://bucket/dir/a b.txt": {"bucket", "dir/a b.txt"},
		"s3://bucket/prefix/":     {"bucket", "prefix/"},
	} {
		if got, err := parseS3(loc); err != nil || got != want {
			t.Errorf("parseS3(%q) = %v, %v; want %v", loc, got, err, want)
		}
	}
	for _, loc := range []string{"s3://bucket", "s3://bucket/", "s3:///key", "gs://bucket/key", "bucket/key"} {
		if _, err := parseS3(loc); err == nil {
			t.Errorf("parseS3(%q) accepted", loc)
		}
	}
	if got := (s3URL{"b", "out/"}).child("x/y%41.txt"); got != (s3URL{"b", "out/x/y%41.txt"}) {
		t.Errorf("child = %v: the file's name must not be decoded", got)
	}
}

func response(status int) error {
	return &smithyhttp.ResponseError{Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status}}, Err: errors.New("answer")}
}

func TestClassify(t *testing.T) {
	for name, tc := range map[string]struct {
		err                 error
		transient, notFound bool
	}{
		"503":         {response(503), true, false},
		"429":         {response(429), true, false},
		"retries out": {&retry.MaxAttemptsError{Attempt: 5, Err: errors.New("x")}, true, false},
		"deadline":    {context.DeadlineExceeded, true, false},
		"404":         {response(404), false, true},
		"403":         {response(403), false, false},
		"cancelled":   {context.Canceled, false, false},
	} {
		err := classify(tc.err)
		if objstore.IsTransient(err) != tc.transient || errors.Is(err, fs.ErrNotExist) != tc.notFound {
			t.Errorf("%s: classify = %v (transient %v, not found %v); want transient %v, not found %v",
				name, err, objstore.IsTransient(err), errors.Is(err, fs.ErrNotExist), tc.transient, tc.notFound)
		}
		if !errors.Is(err, tc.err) {
			t.Errorf("%s: classify lost the error", name)
		}
	}
	if classify(nil) != nil {
		t.Error("classify(nil) is not nil")
	}
}
