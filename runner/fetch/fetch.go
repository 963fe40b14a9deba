package fetch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	getter "github.com/hashicorp/go-getter"
	"github.com/wurzel-dev/wurzel/runner"
	"github.com/wurzel-dev/wurzel/runner/internal/netfail"
	"github.com/wurzel-dev/wurzel/runner/manifest"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

// Fetch downloads req.Source to req.Dst under req.Policy and verifies what
// arrived. It always returns a result; a failed fetch has Error set, with
// URL credentials redacted, and leaves nothing at Dst.
func Fetch(ctx context.Context, req *spec.FetchRequest) spec.FetchResult {
	red := runner.NewRedactor(req.Source)
	failed := func(err error) spec.FetchResult { return spec.FetchResult{Error: red.String(err.Error())} }
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
		return downloadFailed(ctx, pol, red, err)
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

// downloadFailed sorts a getter's failure into permanent (running the step
// again will not help) and retryable.
func downloadFailed(ctx context.Context, pol *sourcePolicy, red *runner.Redactor, err error) spec.FetchResult {
	msg := red.String(err.Error())
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return spec.FetchResult{Error: fmt.Sprintf("download timed out after %s", pol.timeout)}
	case errors.Is(ctx.Err(), context.Canceled):
		return spec.FetchResult{Error: "download cancelled", Retryable: true}
	case strings.Contains(msg, "bad response code: 5") || strings.Contains(msg, "bad response code: 429") || netfail.Is(err):
		return spec.FetchResult{Error: msg, Retryable: true}
	}
	return spec.FetchResult{Error: msg}
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
