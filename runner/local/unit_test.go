package local

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/runner/storehelper"
)

func TestReasons(t *testing.T) {
	step := &ir.Step{
		Name:    "split",
		Command: []string{"python3", "split.py"},
		Inputs: []ir.Input{
			{Name: "pages", Path: "inputs/pages", From: &ir.OutputRef{Step: "read", Output: "pages"}},
			{Name: "remote", Path: "inputs/remote", Source: "https://example.com/x"},
		},
	}
	base := Fingerprint{Command: "c", Env: "e", Settings: "s", OutputDecl: "o", Inputs: map[string]string{"pages": "p1"}}
	old := &LockStep{Fingerprint: base}
	changed := base
	changed.Command, changed.Settings = "c2", "s2"
	changed.Inputs = map[string]string{"pages": "p2"}
	changed.Secrets = []string{"token"}
	got := reasons(step, old, changed)
	want := []string{"command changed", "settings changed", "secrets changed", "input pages changed", "input remote is remote and not pinned (no ?checksum=, no commit as ?ref=)"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("reasons (-want +got):\n%s", diff)
	}
	if got := reasons(step, nil, base); !cmp.Equal(got, []string{"never run"}) {
		t.Errorf("no previous run: %v", got)
	}
	step.Inputs = step.Inputs[:1]
	if got := reasons(step, old, base); len(got) != 0 {
		t.Errorf("unchanged step has reasons %v", got)
	}
	for _, tt := range []struct{ old, now, want string }{
		{"", "sha256:a", "runs in a container now"},
		{"sha256:a", "", "runs on the host now"},
		{"sha256:a", "sha256:b", "image content changed"},
	} {
		old := &LockStep{Fingerprint: base}
		old.ImageID = tt.old
		now := base
		now.ImageID = tt.now
		if got := reasons(step, old, now); !cmp.Equal(got, []string{tt.want}) {
			t.Errorf("image ID %q -> %q: reasons %v, want %q", tt.old, tt.now, got, tt.want)
		}
	}
}

func TestLockRoundTripIsStableAndAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, LockFileName)
	w := newLockWriter(path, &Lock{Version: LockVersion, Pipeline: "p", Steps: map[string]*LockStep{}})
	for _, name := range []string{"zeta", "alpha", "mid"} {
		w.record(name, &LockStep{RunID: "r", Fingerprint: Fingerprint{Command: name}, Manifest: "m", Outputs: map[string]LockOutput{"b": {"l2", "d2"}, "a": {"l1", "d1"}}}, "")
	}
	if err := w.close(); err != nil {
		t.Fatal(err)
	}
	first, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	l, err := ReadLock(path)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := l.Marshal()
	if string(first) != string(again) {
		t.Errorf("lock does not round-trip:\n%s\n%s", first, again)
	}
	if a, m, z := strings.Index(string(first), `"alpha"`), strings.Index(string(first), `"mid"`), strings.Index(string(first), `"zeta"`); !(a < m && m < z) {
		t.Errorf("steps are not sorted:\n%s", first)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left beside the lock: %v", entries)
	}
	if _, err := ReadLock(filepath.Join(dir, "missing.lock")); err != nil {
		t.Errorf("a missing lock is an empty one, got %v", err)
	}
	os.WriteFile(path, []byte(`{"version":"wurzel.dev/lock/v9"}`), 0o644)
	if _, err := ReadLock(path); err == nil || !strings.Contains(err.Error(), "not supported") {
		t.Errorf("unknown version: %v", err)
	}
}

func TestSourceDigests(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "corpus", "sub"), 0o755)
	os.WriteFile(filepath.Join(dir, "corpus", "a.md"), []byte("a"), 0o644)
	os.WriteFile(filepath.Join(dir, "corpus", "sub", "b.md"), []byte("b"), 0o644)
	os.WriteFile(filepath.Join(dir, "one.txt"), []byte("1"), 0o644)
	digest := func(src string) string {
		t.Helper()
		c := &sourceDigests{pipelineDir: dir}
		d, err := c.digest(src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		return d
	}
	d1 := digest("./corpus")
	if d1 == "" || digest("file::./corpus") != d1 || digest(filepath.Join(dir, "corpus")) != d1 {
		t.Errorf("the same local directory gives different digests")
	}
	os.WriteFile(filepath.Join(dir, "corpus", "sub", "b.md"), []byte("B"), 0o644)
	if digest("./corpus") == d1 {
		t.Error("a changed file does not change the digest")
	}
	if digest("./one.txt") == "" {
		t.Error("a local file has no digest")
	}
	if got := digest("https://example.com/a.tgz?checksum=sha256:abc"); got != "checksum:sha256:abc" {
		t.Errorf("remote with checksum: %q", got)
	}
	const commit = "0123456789abcdef0123456789abcdef01234567"
	if got := digest("git::https://example.com/r.git?ref=" + commit); got != "git-commit:"+commit {
		t.Errorf("commit-pinned git source digest = %q", got)
	}
	if got := digest("git::https://example.com/r.git?ref=main"); got != "" {
		t.Errorf("a branch has a digest: %q", got)
	}
	if got := digest("https://example.com/a.tgz"); got != "" {
		t.Errorf("remote without checksum: %q", got)
	}
	c := &sourceDigests{pipelineDir: dir}
	if _, err := c.digest("./nowhere"); err == nil {
		t.Error("a missing local source has a digest")
	}
}

func TestLockLocations(t *testing.T) {
	for _, loc := range []string{"/p/.wurzel/runs/r/a/manifest.json", "/elsewhere/x", "s3://b/k"} {
		got := absLocation("/p", lockLocation("/p", loc))
		if got != loc {
			t.Errorf("%s -> %s", loc, got)
		}
	}
	if got := lockLocation("/p", "/p/.wurzel/x"); got != ".wurzel/x" {
		t.Errorf("lockLocation = %q", got)
	}
	if got := lockLocation("/p", "/pq/x"); got != "/pq/x" {
		t.Errorf("a sibling directory became relative: %q", got)
	}
}

func TestRetryPolicy(t *testing.T) {
	cases := []struct {
		policy ir.RetryPolicy
		code   int
		want   bool
	}{
		{ir.RetryOnFailure, 1, true},
		{ir.RetryAlways, 122, true},
		{ir.RetryOnTransientError, 125, true},
		{ir.RetryOnTransientError, 1, false},
		{ir.RetryOnError, 123, true},
		{ir.RetryOnError, 1, false},
	}
	for _, c := range cases {
		if got := retryable(&ir.Retry{Attempts: 1, Policy: c.policy}, c.code); got != c.want {
			t.Errorf("retryable(%s, %d) = %v", c.policy, c.code, got)
		}
	}
	if retryable(nil, 1) {
		t.Error("a step without retry is retried")
	}
	r := &ir.Retry{Factor: 3, MaxBackoff: 10 * time.Second}
	if got := nextBackoff(r, 2*time.Second); got != 6*time.Second {
		t.Errorf("backoff 2s*3 = %v", got)
	}
	if got := nextBackoff(r, 6*time.Second); got != 10*time.Second {
		t.Errorf("capped backoff = %v", got)
	}
}

func TestMissingSecretMessages(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "s"), 0o755)
	p := &ir.Pipeline{
		Name: "p", Dir: dir,
		Secrets: []ir.Secret{
			{Name: "dir-secret", Keys: []string{"token"}, Local: &ir.LocalSecret{Dir: "s"}},
			{Name: "env-secret", Keys: []string{"token"}, Local: &ir.LocalSecret{Env: map[string]string{"token": "MY_TOKEN"}}},
			{Name: "k8s-only", Keys: []string{"token"}},
		},
		Steps: []ir.Step{{Name: "a", Secrets: []string{"dir-secret", "env-secret", "k8s-only"}}},
	}
	err := checkSecrets(p, []string{"OTHER=x"})
	if err == nil {
		t.Fatal("missing secrets pass")
	}
	for _, want := range []string{"secret dir-secret: key file " + filepath.Join(dir, "s", "token"), "secret env-secret: environment variable MY_TOKEN (key token) is not set", "secret k8s-only has no local source"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	os.WriteFile(filepath.Join(dir, "s", "token"), []byte("v"), 0o600)
	p.Steps[0].Secrets = p.Steps[0].Secrets[:2]
	if err := checkSecrets(p, []string{"MY_TOKEN=v"}); err != nil {
		t.Errorf("present secrets: %v", err)
	}
}

func TestSourceErrorsHideCredentials(t *testing.T) {
	c := &sourceDigests{pipelineDir: t.TempDir()}
	_, err := c.digest("file::https://user:hunter2@example.com/%zz?X-Amz-Signature=abc")
	if err == nil {
		t.Fatal("a malformed address has a digest")
	}
	if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "X-Amz-Signature=abc") {
		t.Errorf("credentials in %v", err)
	}
}

// TestSummaryOfAnUpToDateRun: a run that found every step up to date is
// summed up in one line; any other run gets the table.
func TestSummaryOfAnUpToDateRun(t *testing.T) {
	skipped := []StepResult{{Step: "a", Status: Skipped, Cached: true}, {Step: "b", Status: Skipped, Cached: true}}
	var out strings.Builder
	writeSummary(&out, &Result{RunID: "r1", Steps: skipped})
	if want := "run r1 ok: 2 skipped, every step up to date\n"; out.String() != want {
		t.Errorf("summary = %q, want %q", out.String(), want)
	}

	for _, r := range []*Result{
		{RunID: "r2", Steps: append(skipped, StepResult{Step: "c", Status: Succeeded})},
		{RunID: "r3", Steps: skipped, Interrupted: true},
	} {
		out.Reset()
		writeSummary(&out, r)
		if !strings.HasPrefix(out.String(), "STEP") || !strings.Contains(out.String(), "\nb ") {
			t.Errorf("summary of %s lacks its table:\n%s", r.RunID, out.String())
		}
	}
}

// TestHostStepsShareOneObjectStore: the executor and the steps run in this
// process get one store for s3:// locations, hence one store helper, one
// S3 client and one pool of connections for the whole run. Without the
// helper the store says where it looked.
func TestHostStepsShareOneObjectStore(t *testing.T) {
	helper := filepath.Join(t.TempDir(), "wurzel-fetch")
	if err := os.WriteFile(helper, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	e := &executor{opts: Options{Environ: []string{"AWS_REGION=eu-west-1", "WURZEL_FETCH_HELPER=" + helper}}}
	first, err := e.objectStore()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := first.(*storehelper.Client); !ok {
		t.Fatalf("the store is a %T, not the store helper", first)
	}
	if second, _ := e.objectStore(); second != first {
		t.Error("a second step got a store of its own")
	}

	missing := &executor{opts: Options{Executable: filepath.Join(t.TempDir(), "wurzel"), Environ: []string{"PATH=" + t.TempDir()}}}
	if _, err := missing.objectStore(); err == nil || !strings.Contains(err.Error(), "wurzel-fetch is not installed") {
		t.Errorf("without the helper: %v", err)
	}
}
