package runner

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// withEnv replaces the runner's environment for one test.
func withEnv(env ...string) func(*Options) {
	return func(o *Options) { o.Environ = env }
}

func TestFetchHelperNotInstalled(t *testing.T) {
	dir := t.TempDir()
	st := sourceSpec(dir, "./corpus", "corpus", "file")
	// No helper beside the test binary, none on this PATH.
	res := execSpec(t, st, withEnv("PATH="+t.TempDir()))
	wantCode(t, res, CodeInput, "fetch helper wurzel-fetch is not installed", FetchHelperEnv)

	res = execSpec(t, st, withEnv("PATH=/usr/bin:/bin", FetchHelperEnv+"="+filepath.Join(dir, "nothing")))
	wantCode(t, res, CodeInput, "is not an executable file")
}

func TestFetchHelperFoundOnPATH(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "corpus", "a.txt"), "a")
	helperDir := filepath.Dir(testFetchHelper(t))
	st := sourceSpec(dir, "./corpus", "corpus", "file")
	res := execSpec(t, st, withEnv("PATH="+helperDir+":/usr/bin:/bin"))
	wantCode(t, res, 0)
	if got := readFile(t, filepath.Join(dir, "work", "corpus", "a.txt")); got != "a" {
		t.Fatalf("fetched %q", got)
	}
	if !strings.Contains(res.logs, `"getter":"file"`) || !strings.Contains(res.logs, `"files":1`) {
		t.Errorf("the fetch is not logged with its getter and size:\n%s", res.logs)
	}
}

// TestFetchHelperCrash: a helper that dies without an answer fails the input
// with what it printed, not with a decoding error.
func TestFetchHelperCrash(t *testing.T) {
	dir := t.TempDir()
	helper := filepath.Join(dir, "broken-helper")
	writeExecutable(t, helper, "#!/bin/sh\necho 'fatal: out of memory' >&2\nexit 3\n")
	st := sourceSpec(dir, "./corpus", "corpus", "file")
	res := execSpec(t, st, withEnv("PATH=/usr/bin:/bin", FetchHelperEnv+"="+helper))
	wantCode(t, res, CodeInput, "wurzel-fetch failed (exit status 3) without an answer: fatal: out of memory")
}

// TestFetchCancelledIsRetryable: cancelling a step mid-download stops the
// helper (SIGTERM to its process group) and reports a retryable failure.
func TestFetchCancelledIsRetryable(t *testing.T) {
	dir := t.TempDir()
	srv, started := stallingServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-started
		cancel()
	}()
	begin := time.Now()
	res := execSpecCtx(t, ctx, sourceSpec(dir, srv.URL+"/slow", "slow", "http"))
	wantCode(t, res, CodeRetryable, "download cancelled")
	if waited := time.Since(begin); waited > 20*time.Second {
		t.Errorf("the helper was not stopped: the step took %s", waited)
	}
	if exists(filepath.Join(dir, "work", "slow")) {
		t.Error("a cancelled download left a partial input")
	}
}

func TestHelperOutputBuffers(t *testing.T) {
	head := &cappedBuffer{max: 4}
	tail := &tailBuffer{max: 4}
	for _, w := range []string{"ab", "cde", "fg"} {
		if n, err := head.Write([]byte(w)); n != len(w) || err != nil {
			t.Fatalf("cappedBuffer.Write = %d, %v", n, err)
		}
		if n, err := tail.Write([]byte(w)); n != len(w) || err != nil {
			t.Fatalf("tailBuffer.Write = %d, %v", n, err)
		}
	}
	if head.String() != "abcd" || tail.String() != "defg" {
		t.Errorf("head %q, tail %q; want abcd, defg", head.String(), tail.String())
	}
	if got := lastLine("one\ntwo\n\n"); got != "two" {
		t.Errorf("lastLine = %q", got)
	}
	if got := lastLine(""); got != "no output" {
		t.Errorf("lastLine of nothing = %q", got)
	}
}
