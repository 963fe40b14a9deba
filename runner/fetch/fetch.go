package fetch

import (
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	getter "github.com/hashicorp/go-getter"
	urlhelper "github.com/hashicorp/go-getter/helper/url"
	"github.com/wurzel-dev/wurzel/runner"
	"github.com/wurzel-dev/wurzel/runner/manifest"
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

func (p *sourcePolicy) decompressors() map[string]getter.Decompressor {
	limit := int64(0)
	if p.maxBytes > 0 {
		limit = p.maxBytes + 1
	}
	return getter.LimitedDecompressors(maxArchiveFiles, limit)
}

// Fetch downloads req.Source to req.Dst under req.Policy and verifies what
// arrived. It always returns a result; a failed fetch has Error set, with
// URL credentials redacted, and leaves nothing at Dst.
func Fetch(ctx context.Context, req *spec.FetchRequest) spec.FetchResult {
	pol := newSourcePolicy(req.Policy)
	res, err := pol.check(req.Source, req.Pwd)
	if err != nil {
		return failed(err)
	}
	ctx, cancel := context.WithTimeout(ctx, pol.timeout)
	defer cancel()
	client := &getter.Client{
		Ctx:             ctx,
		Src:             req.Source,
		Dst:             req.Dst,
		Pwd:             req.Pwd,
		Getters:         pol.getters(),
		Decompressors:   pol.decompressors(),
		DisableSymlinks: true,
		Umask:           0o022,
	}
	if err := client.Configure(); err != nil {
		return failed(err)
	}
	mode, err := clientMode(res, client)
	if err != nil {
		return failed(err)
	}
	client.Mode = mode
	if err := os.MkdirAll(filepath.Dir(req.Dst), 0o755); err != nil {
		return failed(err)
	}
	if err := client.Get(); err != nil {
		// go-getter may leave a partial file or tree behind.
		_ = os.RemoveAll(req.Dst)
		return downloadFailed(ctx, pol, err)
	}
	out := spec.FetchResult{Getter: res.getter}
	out.Files, out.Bytes, err = verifyTree(req.Dst, pol.maxBytes)
	if err != nil {
		_ = os.RemoveAll(req.Dst)
		return failed(err)
	}
	if mode != getter.ClientModeFile {
		return out
	}
	if err := recheckChecksum(res.url, req.Dst); err != nil {
		_ = os.RemoveAll(req.Dst)
		return failed(err)
	}
	// The digest of what the step actually reads, for provenance.
	sum, err := manifest.HashFile(req.Dst)
	if err != nil {
		return failed(err)
	}
	out.SHA256 = sum.SHA256
	return out
}

// failed is a permanent failure: running the step again will not help.
func failed(err error) spec.FetchResult {
	return spec.FetchResult{Error: runner.RedactURLs(err.Error())}
}

// downloadFailed sorts a getter's failure into permanent and retryable.
func downloadFailed(ctx context.Context, pol *sourcePolicy, err error) spec.FetchResult {
	msg := err.Error()
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return spec.FetchResult{Error: fmt.Sprintf("download timed out after %s", pol.timeout)}
	case errors.Is(ctx.Err(), context.Canceled):
		return spec.FetchResult{Error: "download cancelled", Retryable: true}
	case strings.Contains(msg, "bad response code: 5") || strings.Contains(msg, "bad response code: 429") || runner.IsNetworkError(err):
		return spec.FetchResult{Error: runner.RedactURLs(msg), Retryable: true}
	}
	return failed(err)
}

// clientMode decides whether the source is one file or a tree before the
// download, so that dst is exactly the file or the directory the step
// declared.
func clientMode(res *resolved, c *getter.Client) (getter.ClientMode, error) {
	if res.subdir != "" {
		return getter.ClientModeDir, nil
	}
	archive := res.url.Query().Get("archive")
	if b, err := strconv.ParseBool(archive); err == nil && !b {
		archive = "-"
	}
	if archive == "" {
		for k := range c.Decompressors {
			if strings.HasSuffix(res.url.Path, "."+k) && len(k) > len(archive) {
				archive = k
			}
		}
	}
	if _, ok := c.Decompressors[archive]; ok {
		if singleStream[archive] {
			return getter.ClientModeFile, nil
		}
		return getter.ClientModeDir, nil
	}
	g, ok := c.Getters[res.getter]
	if !ok {
		return 0, fmt.Errorf("no getter for %q", res.getter)
	}
	u := *res.url
	q := u.Query()
	q.Del("checksum")
	q.Del("archive")
	u.RawQuery = q.Encode()
	return g.ClientMode(&u)
}

// verifyTree walks what a getter produced and refuses symbolic links that
// lead outside it and anything larger than maxBytes (when set). It returns
// the number of files and their total size.
func verifyTree(root string, maxBytes int64) (files int, size int64, err error) {
	real, err := filepath.EvalSymlinks(root)
	if err != nil {
		return 0, 0, err
	}
	err = filepath.WalkDir(real, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(real, p)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			if err := checkLink(real, p); err != nil {
				return fmt.Errorf("symbolic link %s: %w", filepath.ToSlash(rel), err)
			}
		case d.Type().IsRegular():
			fi, err := d.Info()
			if err != nil {
				return err
			}
			files++
			size += fi.Size()
			if maxBytes > 0 && size > maxBytes {
				return fmt.Errorf("download is larger than max_bytes (%d bytes)", maxBytes)
			}
		case d.IsDir():
		default:
			return fmt.Errorf("%s is not a regular file or directory", filepath.ToSlash(rel))
		}
		return nil
	})
	return files, size, err
}

// checkLink refuses a link whose target, lexically or once resolved, is
// outside root.
func checkLink(root, link string) error {
	target, err := os.Readlink(link)
	if err != nil {
		return err
	}
	if !filepath.IsAbs(target) {
		target = filepath.Join(filepath.Dir(link), target)
	}
	if !within(root, target) {
		return errors.New("points outside the input")
	}
	if resolved, err := filepath.EvalSymlinks(link); err == nil && !within(root, resolved) {
		return errors.New("points outside the input")
	}
	return nil
}

func within(root, p string) bool {
	rel, err := filepath.Rel(root, filepath.Clean(p))
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// recheckChecksum verifies a `?checksum=type:value` again on the final file,
// independently of go-getter.
func recheckChecksum(u *url.URL, path string) error {
	cs := u.Query().Get("checksum")
	if cs == "" || strings.HasPrefix(cs, "file:") {
		return nil
	}
	typ, want, ok := strings.Cut(cs, ":")
	if !ok {
		typ, want = "", cs
	}
	h := newHash(typ, len(want))
	if h == nil {
		return fmt.Errorf("checksum %q: unsupported type", typ)
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := io.Copy(h, f); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); !strings.EqualFold(got, want) {
		return fmt.Errorf("checksum mismatch: got %s, want %s", got, want)
	}
	return nil
}

func newHash(typ string, hexLen int) hash.Hash {
	if typ == "" {
		typ = map[int]string{32: "md5", 40: "sha1", 64: "sha256", 128: "sha512"}[hexLen]
	}
	switch typ {
	case "md5":
		return md5.New()
	case "sha1":
		return sha1.New()
	case "sha256":
		return sha256.New()
	case "sha512":
		return sha512.New()
	}
	return nil
}
