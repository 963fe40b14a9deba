package dvc

import (
	"net/url"
	"path"
	"strings"

	getter "github.com/hashicorp/go-getter"
)

// sourceKind says what DVC can know about a go-getter `source` input.
type sourceKind int

const (
	// remoteUnpinned: fetched from elsewhere with no checksum; DVC cannot see
	// a change, so the stage must always run.
	remoteUnpinned sourceKind = iota
	// remotePinned: fetched with a ?checksum=; the checksum is in the step
	// spec, which is a dep, so a new checksum re-runs the stage.
	remotePinned
	// localInside: a path inside the project, which DVC hashes as a dep.
	localInside
	// localOutside: a local path outside the project (absolute, or climbing
	// out with ".."), which DVC cannot track; without a checksum the stage
	// must always run.
	localOutside
)

// classifySource sorts a go-getter address the way the runner's go-getter
// reads it. For local paths it also returns the path, cleaned and without a
// query string, relative to the pipeline directory unless absolute.
func classifySource(src string) (sourceKind, string) {
	addr := src
	forced, rest, hasForced := strings.Cut(addr, "::")
	if hasForced && !strings.Contains(forced, "/") {
		if forced != "file" {
			return remote(addr), ""
		}
		addr = rest
	}
	if scheme, rest, ok := strings.Cut(addr, "://"); ok && !strings.ContainsAny(scheme, "/?") {
		if scheme != "file" {
			return remote(addr), ""
		}
		addr = rest // file:///abs/path
	} else if remoteShorthand(addr) {
		return remote(addr), ""
	}
	p, _, _ := strings.Cut(addr, "?")
	p = path.Clean(p)
	if projectPathProblem(p) != "" {
		if hasChecksum(src) {
			return remotePinned, p
		}
		return localOutside, p
	}
	return localInside, p
}

func remote(addr string) sourceKind {
	if hasChecksum(addr) {
		return remotePinned
	}
	return remoteUnpinned
}

// remoteShorthand reports whether go-getter reads addr, which has no
// scheme, as a remote address ("github.com/org/repo", "bucket.s3.amazonaws.com/key",
// "git@host:repo.git") rather than a local path. BitBucket's detector asks
// BitBucket's API, so its prefix is matched here instead.
func remoteShorthand(addr string) bool {
	if strings.HasPrefix(addr, "bitbucket.org/") {
		return true
	}
	for _, d := range []getter.Detector{
		new(getter.GitHubDetector), new(getter.GitLabDetector), new(getter.GitDetector),
		new(getter.S3Detector), new(getter.GCSDetector),
	} {
		if _, ok, _ := d.Detect(addr, ""); ok {
			return true
		}
	}
	return false
}

// hasChecksum reports whether a go-getter address carries a checksum
// parameter.
func hasChecksum(addr string) bool {
	_, query, ok := strings.Cut(addr, "?")
	if !ok {
		return false
	}
	values, err := url.ParseQuery(query)
	return err == nil && values.Get("checksum") != ""
}
