package s3store

import (
	"fmt"
	"net/url"
	"strings"
)

// s3URL is a parsed s3://bucket/key location.
type s3URL struct {
	Bucket string
	Key    string
}

// child returns the object of file rel under the prefix u.
func (u s3URL) child(rel string) s3URL {
	return s3URL{Bucket: u.Bucket, Key: strings.TrimSuffix(u.Key, "/") + "/" + rel}
}

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
