package fetch

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	getter "github.com/hashicorp/go-getter"
	urlhelper "github.com/hashicorp/go-getter/helper/url"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

const (
	// defaultSourceTimeout bounds one download when the pipeline sets none.
	defaultSourceTimeout = 30 * time.Minute
	// maxArchiveFiles bounds the number of entries of an archive.
	maxArchiveFiles = 100_000
	// maxRedirects bounds HTTP redirect chains.
	maxRedirects = 10
)

// singleStream are the decompressors that produce one file, not a tree.
var singleStream = map[string]bool{"bz2": true, "gz": true, "xz": true, "zst": true}

var forcedPattern = regexp.MustCompile(`^([A-Za-z0-9]+)::(.+)$`)

// sourcePolicy is the pipeline's sources block as the runner enforces it.
type sourcePolicy struct {
	schemes  []string
	hosts    []string
	timeout  time.Duration
	maxBytes int64
}

func newSourcePolicy(p spec.SourcePolicy) *sourcePolicy {
	sp := &sourcePolicy{schemes: p.AllowedSchemes, hosts: p.AllowedHosts, maxBytes: p.MaxBytes,
		timeout: time.Duration(p.TimeoutSeconds) * time.Second}
	if len(sp.schemes) == 0 {
		sp.schemes = []string{"gcs", "git", "https", "s3"}
	}
	if sp.timeout <= 0 {
		sp.timeout = defaultSourceTimeout
	}
	return sp
}

func (p *sourcePolicy) allowed(scheme string) bool {
	return slices.Contains(p.schemes, strings.ToLower(scheme))
}

// hostAllowed matches a host name against allowed_hosts: exact names, and
// ".example.com" for any subdomain of example.com.
func (p *sourcePolicy) hostAllowed(host string) bool {
	host = strings.ToLower(host)
	for _, h := range p.hosts {
		h = strings.ToLower(h)
		if host == h || strings.HasPrefix(h, ".") && strings.HasSuffix(host, h) {
			return true
		}
	}
	return false
}

// resolved is a source address after go-getter's detection.
type resolved struct {
	forced string // the forced getter ("git" in git::https://...), or ""
	getter string // the getter that will run
	url    *url.URL
	subdir string
}

// check resolves src as go-getter will and refuses getters, transports and
// hosts the pipeline does not allow, before any byte is fetched.
func (p *sourcePolicy) check(src, pwd string) (*resolved, error) {
	detected, err := getter.Detect(src, pwd, getter.Detectors)
	if err != nil {
		return nil, err
	}
	res := &resolved{}
	rest := detected
	if m := forcedPattern.FindStringSubmatch(detected); m != nil {
		res.forced, rest = m[1], m[2]
	}
	rest, res.subdir = getter.SourceDirSubdir(rest)
	u, err := urlhelper.Parse(rest)
	if err != nil {
		return nil, err
	}
	res.url = u
	res.getter = res.forced
	if res.getter == "" {
		res.getter = u.Scheme
	}
	if !p.allowed(res.getter) {
		return nil, fmt.Errorf("scheme %q is not allowed (allowed: %s)", res.getter, strings.Join(p.schemes, ", "))
	}
	// A forced getter must not smuggle in a transport the pipeline refuses,
	// as git::file:// or git::http:// would.
	if res.forced != "" && (u.Scheme == "file" || u.Scheme == "http") && !p.allowed(u.Scheme) {
		return nil, fmt.Errorf("%s over %q is not allowed (allowed: %s)", res.forced, u.Scheme, strings.Join(p.schemes, ", "))
	}
	if host := u.Hostname(); host != "" && len(p.hosts) > 0 && !p.hostAllowed(host) {
		return nil, fmt.Errorf("host %q is not in allowed_hosts", host)
	}
	// A checksum file is fetched too: it obeys the same rules.
	if cs := u.Query().Get("checksum"); strings.HasPrefix(cs, "file:") {
		if _, err := p.checkPlain(strings.TrimPrefix(cs, "file:"), pwd); err != nil {
			return nil, fmt.Errorf("checksum file: %w", err)
		}
	}
	return res, nil
}

func (p *sourcePolicy) checkPlain(src, pwd string) (*resolved, error) {
	if strings.Contains(src, "checksum=file:") {
		return nil, errors.New("a checksum file may not name another checksum file")
	}
	return p.check(src, pwd)
}

// checkRedirect lets HTTP redirects go only where the policy allows: to an
// allowed host when allowed_hosts is set, to the same host otherwise, and
// never from https down to http unless http is allowed.
func (p *sourcePolicy) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fmt.Errorf("stopped after %d redirects", maxRedirects)
	}
	to := req.URL
	if to.Scheme != "https" && !(to.Scheme == "http" && p.allowed("http")) {
		return fmt.Errorf("redirect to %s: scheme %q is not allowed", to.Redacted(), to.Scheme)
	}
	if len(p.hosts) > 0 {
		if !p.hostAllowed(to.Hostname()) {
			return fmt.Errorf("redirect to %s: host %q is not in allowed_hosts", to.Redacted(), to.Hostname())
		}
		return nil
	}
	if to.Host != via[0].URL.Host {
		return fmt.Errorf("redirect to %s: another host than %q (list it in allowed_hosts)", to.Redacted(), via[0].URL.Host)
	}
	return nil
}

func (p *sourcePolicy) httpClient() *http.Client {
	tr := cleanhttp.DefaultPooledTransport()
	tr.DialContext = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	tr.ResponseHeaderTimeout = 60 * time.Second
	return &http.Client{Transport: tr, CheckRedirect: p.checkRedirect}
}

// getters returns only the getters the policy allows, configured not to
// follow anything the policy has not seen: no .netrc, no X-Terraform-Get
// indirection, local files copied rather than symlinked.
func (p *sourcePolicy) getters() map[string]getter.Getter {
	limit := int64(0)
	if p.maxBytes > 0 {
		// One byte over the cap: go-getter truncates silently at its
		// limit, so the size check after the download sees the overflow.
		limit = p.maxBytes + 1
	}
	httpGetter := &getter.HttpGetter{
		Client:                p.httpClient(),
		Netrc:                 false,
		XTerraformGetDisabled: true,
		MaxBytes:              limit,
		ReadTimeout:           p.timeout,
	}
	all := map[string]getter.Getter{
		"file":  &copyingFileGetter{},
		"http":  httpGetter,
		"https": httpGetter,
		"git":   new(getter.GitGetter),
		"s3":    new(getter.S3Getter),
		"gcs":   new(getter.GCSGetter),
	}
	out := map[string]getter.Getter{}
	for name, g := range all {
		if p.allowed(name) {
			out[name] = g
		}
	}
	// git and the object stores reach their servers over https themselves.
	return out
}

// decompressors are go-getter's, capped, with the members of every archive
// checked before extraction (see memberChecked).
func (p *sourcePolicy) decompressors() map[string]getter.Decompressor {
	limit := int64(0)
	if p.maxBytes > 0 {
		limit = p.maxBytes + 1
	}
	all := getter.LimitedDecompressors(maxArchiveFiles, limit)
	for ext, d := range all {
		if format, ok := archiveFormats[ext]; ok {
			all[ext] = memberChecked{Decompressor: d, format: format, maxFiles: maxArchiveFiles, maxBytes: limit}
		}
	}
	return all
}
