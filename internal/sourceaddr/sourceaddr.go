package sourceaddr

import (
	"net/url"
	"path/filepath"
	"strings"
)

// Addr is a source address as go-getter reads it.
type Addr struct {
	// Forced is the forced getter ("git" in git::https://...), or "".
	Forced string
	// Getter is the go-getter getter that reads the address: the forced
	// one, the one a shorthand implies ("git" for github.com/..., "s3" for
	// an amazonaws.com host), or the URL's scheme.
	Getter string
	// Local reports that go-getter's file getter reads the address: a path,
	// or a file:// URL.
	Local bool
	// Path is, for a local address, the path go-getter reads: resolved
	// against the directory Parse was given, with any `//subdir` joined on,
	// without the query string.
	Path string
	// Root is, for a local address, the file or directory go-getter
	// fetches before it takes the `//subdir`: Path without the subdir.
	Root string
	// Query is the address's query string (`?checksum=...`, `?ref=...`).
	Query url.Values
}

// Checksum returns the address's `checksum` parameter, or "".
func (a Addr) Checksum() string { return a.Query.Get("checksum") }

// Pin names the content of a remote address without fetching it, or returns
// "": its checksum, or the commit a git address names with ?ref=. A full
// commit id cannot move, unlike a branch, a tag or an abbreviated id.
func (a Addr) Pin() string {
	if cs := a.Checksum(); cs != "" {
		return "checksum:" + cs
	}
	if ref := a.Query.Get("ref"); a.Getter == "git" && isCommit(ref) {
		return "git-commit:" + strings.ToLower(ref)
	}
	return ""
}

// Parse reads src as go-getter's Detect and its client do, with the default
// detectors and relative paths resolved against pwd (made absolute first,
// as go-getter needs it). Otherwise it does no I/O: it never contacts a
// server (go-getter's BitBucket detector asks BitBucket's API; here any
// bitbucket.org/ shorthand is remote) and does not resolve a symbolic link at
// pwd as go-getter does.
//
// The error reports an address that is not a valid URL once detected. Other
// addresses go-getter refuses, such as a malformed GitHub shorthand, parse as
// remote, and the fetch helper reports them when it runs.
func Parse(src, pwd string) (Addr, error) {
	a := Addr{}
	rest := src
	if getter, r, _, ok := cutForced(src); ok {
		a.Forced, rest = getter, r
	}
	detectSrc, subdir := splitSubdir(rest)
	var detected string
	if u, err := url.Parse(detectSrc); err == nil && u.Scheme != "" {
		detected = rest // a URL: go-getter takes it as written
	} else if getter, ok := remoteShorthand(detectSrc); ok || detectSrc == "" {
		a.Query = queryOf(detectSrc)
		a.Getter = first(a.Forced, getter)
		return a, nil
	} else if detected, err = detectFile(detectSrc, subdir, pwd); err != nil {
		return a, err
	}
	raw, subdir := splitSubdir(detected)
	u, err := url.Parse(raw)
	if err != nil {
		return a, err
	}
	a.Query = u.Query()
	a.Getter = first(a.Forced, u.Scheme)
	if u.Scheme == "file" && (a.Forced == "" || a.Forced == "file") && u.Path != "" {
		a.Local = true
		a.Root = filepath.Clean(u.Path)
		a.Path = filepath.Join(u.Path, subdir)
	}
	return a, nil
}

// detectFile is go-getter's file detector followed by the rewriting its
// Detect applies: the path joined to pwd, made a file:// URL, and a subdir
// appended to that URL's path, which re-encodes it.
func detectFile(src, subdir, pwd string) (string, error) {
	if !filepath.IsAbs(src) {
		if pwd == "" {
			return "", errNoPwd
		}
		abs, err := filepath.Abs(pwd)
		if err != nil {
			return "", err
		}
		src = filepath.Join(abs, src)
	}
	result, detectedSubdir := splitSubdir("file:///" + strings.TrimPrefix(src, "/"))
	if detectedSubdir != "" {
		if subdir != "" {
			subdir = filepath.Join(detectedSubdir, subdir)
		} else {
			subdir = detectedSubdir
		}
	}
	if subdir == "" {
		return result, nil
	}
	u, err := url.Parse(result)
	if err != nil {
		return "", err
	}
	u.Path += "//" + subdir
	u.RawPath = u.Path
	return u.String(), nil
}

type parseError string

func (e parseError) Error() string { return string(e) }

const errNoPwd = parseError("a relative path needs a directory to resolve against")

// splitSubdir separates a `//subdir` from the address, as go-getter's
// SourceDirSubdir does: the query string stays with the address.
func splitSubdir(src string) (addr, subdir string) {
	stop := len(src)
	if i := strings.Index(src, "?"); i >= 0 {
		stop = i
	}
	offset := 0
	if i := strings.Index(src[:stop], "://"); i >= 0 {
		offset = i + 3
	}
	i := strings.Index(src[offset:stop], "//")
	if i < 0 {
		return src, ""
	}
	i += offset
	addr, subdir = src[:i], src[i+2:]
	if q := strings.Index(subdir, "?"); q >= 0 {
		addr += subdir[q:]
		subdir = subdir[:q]
	}
	return addr, subdir
}

// remoteShorthand reports whether one of go-getter's default detectors other
// than the file detector claims src, and which getter that detector picks:
// GitHub, GitLab and BitBucket shorthands and git@ SSH addresses (git), S3
// and GCS host names. A shorthand those detectors claim but refuse as
// malformed counts as remote too, since go-getter never reads it as a path.
func remoteShorthand(src string) (getter string, ok bool) {
	switch {
	case strings.HasPrefix(src, "github.com/"), strings.HasPrefix(src, "gitlab.com/"),
		strings.HasPrefix(src, "bitbucket.org/"):
		return "git", true
	case strings.Contains(src, ".amazonaws.com/"):
		return "s3", true
	case strings.Contains(src, ".googleapis.com/"):
		return "gcs", true
	}
	// go-getter's git detector claims scp-like SSH syntax with the user
	// "git". It parses the query of any scp-like address first, whatever
	// the user, and a query it cannot parse is an error: not a path either.
	user, _, path, ok := cutSCP(src)
	if !ok {
		return "", false
	}
	if _, query, ok := strings.Cut(path, "?"); ok {
		if _, err := url.ParseQuery(query); err != nil {
			return "", true
		}
	}
	if user == "git" {
		return "git", true
	}
	return "", false
}

func first(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// queryOf returns the query string of an address that is not a URL.
func queryOf(src string) url.Values {
	_, query, _ := strings.Cut(src, "?")
	v, _ := url.ParseQuery(query)
	return v
}
