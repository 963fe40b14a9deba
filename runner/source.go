package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/wurzel-dev/wurzel/runner/spec"
)

// FetchHelper is the program that downloads `source` inputs. It is a
// separate binary so that go-getter, which links the Google Cloud Storage
// and AWS SDKs, costs its start-up time only in steps that fetch a source,
// not in every step.
const FetchHelper = "wurzel-fetch"

// FetchHelperEnv names the fetch helper's path explicitly, overriding the
// search next to the running binary and on PATH.
const FetchHelperEnv = "WURZEL_FETCH_HELPER"

// maxHelperOutput bounds what is kept of the helper's stdout and stderr.
const maxHelperOutput = 1 << 20

// fetchSource has the fetch helper download a go-getter source input to dst.
func (r *run) fetchSource(ctx context.Context, in *spec.Input, dst string) error {
	src := r.redact.String(in.Source)
	exe := r.opts.Executable
	if exe == "" {
		exe, _ = os.Executable()
	}
	helper, err := FindFetchHelper(exe, func(k string) string { return r.env[k] })
	if err != nil {
		return fail(CodeInput, "input %q: source %s: %v", in.Name, src, err)
	}
	request, err := json.Marshal(spec.FetchRequest{
		Version: spec.FetchVersion, Source: in.Source, Dst: dst, Pwd: r.opts.Dir, Policy: r.spec.Sources,
	})
	if err != nil {
		return fail(CodeInput, "input %q: %v", in.Name, err)
	}
	r.log.Info("fetching input", "input", in.Name, "source", src)
	res, err := r.runFetchHelper(ctx, helper, request)
	if err != nil {
		return fail(CodeInput, "input %q: source %s: %v", in.Name, src, err)
	}
	if res.Error != "" {
		code := CodeInput
		if res.Retryable {
			code = CodeRetryable
		}
		return fail(code, "input %q: source %s: %s", in.Name, src, res.Error)
	}
	attrs := []any{"input", in.Name, "getter", res.Getter, "files", res.Files, "bytes", res.Bytes}
	if res.SHA256 != "" {
		attrs = append(attrs, "sha256", res.SHA256)
	}
	r.log.Info("input fetched", attrs...)
	return nil
}

// runFetchHelper runs the helper in its own process group with the
// runner's environment (cloud credentials, HOME for git), the request on
// its stdin, and stops it like a command when ctx is cancelled. Its
// temporary files go to a private directory: go-getter writes an address's
// SSH key to one, which a helper killed with the runner could not remove.
func (r *run) runFetchHelper(ctx context.Context, helper string, request []byte) (*spec.FetchResult, error) {
	stdout := &cappedBuffer{max: maxHelperOutput}
	stderr := &tailBuffer{max: maxHelperOutput}
	cmd := exec.Command(helper)
	cmd.Stdin = bytes.NewReader(request)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	tmp, err := r.helperTemp()
	if err != nil {
		return nil, err
	}
	cmd.Env = append(append([]string{}, r.opts.Environ...), "TMPDIR="+tmp)
	cmd.Dir = r.opts.Dir
	if err := r.guardReady(); err != nil {
		return nil, err
	}
	c, err := r.startGroup(cmd)
	if err != nil {
		return nil, fmt.Errorf("starting %s: %w", helper, err)
	}
	r.waitOrStop(ctx, c, 0)
	var res spec.FetchResult
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		if ctx.Err() != nil {
			return &spec.FetchResult{Error: "download cancelled", Retryable: true}, nil
		}
		return nil, fmt.Errorf("%s failed (%s) without an answer: %s", FetchHelper, c, lastLine(stderr.String()))
	}
	return &res, nil
}

// helperTemp is the fetch helpers' temporary directory, made on first use.
// It is on disk, not in memory: go-getter downloads archives there first.
func (r *run) helperTemp() (string, error) {
	if r.helperTmp == "" {
		dir, err := r.privateDir(r.tempDir())
		if err != nil {
			return "", fmt.Errorf("temporary directory for %s: %w", FetchHelper, err)
		}
		r.helperTmp = dir
	}
	return r.helperTmp, nil
}

// FindFetchHelper looks for the fetch helper where an installation puts it:
// at $WURZEL_FETCH_HELPER, next to exe (the wurzel binary; skipped when
// empty), then on PATH, with getenv reading the environment.
func FindFetchHelper(exe string, getenv func(string) string) (string, error) {
	if p := getenv(FetchHelperEnv); p != "" {
		if !isExecutableFile(p) {
			return "", fmt.Errorf("%s=%s is not an executable file", FetchHelperEnv, p)
		}
		return p, nil
	}
	p, where := FindInstalled(exe, FetchHelper, getenv)
	if p == "" {
		return "", errors.New("the fetch helper " + FetchHelper + " is not installed " + where +
			" (install it next to wurzel, or set " + FetchHelperEnv + ")")
	}
	return p, nil
}

// FindInstalled looks for the executable name of a wurzel installation
// next to exe (skipped when empty), then on the PATH getenv gives. It
// returns its path, or "" and where it looked, for a message.
func FindInstalled(exe, name string, getenv func(string) string) (path, where string) {
	var near string
	if exe != "" {
		near = filepath.Join(filepath.Dir(exe), name)
		if isExecutableFile(near) {
			return near, ""
		}
	}
	for _, dir := range filepath.SplitList(getenv("PATH")) {
		if p := filepath.Join(dir, name); dir != "" && filepath.IsAbs(p) && isExecutableFile(p) {
			return p, ""
		}
	}
	if near != "" {
		return "", "at " + near + " or on PATH"
	}
	return "", "on PATH"
}

func isExecutableFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}

// cappedBuffer keeps the first max bytes written to it and drops the rest,
// so that a runaway helper cannot exhaust the runner's memory.
type cappedBuffer struct {
	bytes.Buffer
	max int
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); room > 0 {
		b.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// tailBuffer keeps the last max bytes written to it: the end of a helper's
// stderr is where it says why it died.
type tailBuffer struct {
	buf []byte
	max int
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.max; over > 0 {
		b.buf = append(b.buf[:0], b.buf[over:]...)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string { return string(b.buf) }

// lastLine returns the last non-empty line of s, for error messages.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if last := strings.TrimSpace(lines[len(lines)-1]); last != "" {
		return last
	}
	return "no output"
}
