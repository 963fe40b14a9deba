package dvc

import (
	"net/url"
	"path"
	"strings"
)

// sourceKind says what DVC can know about a go-getter `source` input.
type sourceKind int

const (
	// remoteUnpinned: fetched from elsewhere with no checksum; DVC cannot see
	// a change, so the stage must always run.
	remoteUnpinned sourceKind = iota
	// remotePinned: fetched from elsewhere with a ?checksum=; the checksum is
	// in the step spec, which is a dep, so a new checksum re-runs the stage.
	remotePinned
	// localRelative: a path inside the project that DVC hashes as a dep.
	localRelative
)

// classifySource sorts a go-getter address into one of the kinds above. For
// local paths it also returns the project-relative path (cleaned, without a
// query string or a "//" subdirectory marker), which may start with ".."
// when the address leaves the project.
func classifySource(src string) (sourceKind, string) {
	addr := strings.TrimPrefix(src, "file::")
	pinned := hasChecksum(addr)
	if strings.HasPrefix(addr, "./") || strings.HasPrefix(addr, "../") || addr == "." || addr == ".." {
		p, _, _ := strings.Cut(addr, "?")
		return localRelative, path.Clean(p)
	}
	if pinned {
		return remotePinned, ""
	}
	return remoteUnpinned, ""
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
