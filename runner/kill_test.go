//go:build linux

package runner

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wurzel-dev/wurzel/internal/proctest"
	"github.com/wurzel-dev/wurzel/runner/internal/privdir"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

// The tests in this file kill a real runner process with SIGKILL, which
// gives it no chance to clean up, and look for what it left: processes
// (found through /proc, hence Linux) and secret files.

const killedSecret = "k1lled-runner-s3cret"

// startLogged starts child with its stdout and stderr in a file, whose
// path it returns. A file, not a pipe: processes that outlive the child
// would hold a pipe open, and Wait with it.
func startLogged(t *testing.T, child *exec.Cmd) string {
	t.Helper()
	logs, err := os.Create(filepath.Join(t.TempDir(), "runner.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logs.Close()
	child.Stdout, child.Stderr = logs, logs
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	return logs.Name()
}

// startRunner starts the test binary as `wurzel step exec` for st, with a
// from_env secret in its environment and XDG_RUNTIME_DIR at runtimeDir, and
// waits for ready to exist.
func startRunner(t *testing.T, st *spec.Step, runtimeDir, ready string, env ...string) *exec.Cmd {
	t.Helper()
	data, err := spec.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	child := exec.Command(exe, "-test.run=^$")
	child.Env = append([]string{childEnv + "=1", "WURZEL_STEP_SPEC=" + string(data), "PATH=" + os.Getenv("PATH"),
		"HOME=" + os.Getenv("HOME"), "XDG_RUNTIME_DIR=" + runtimeDir, "TOKEN_SOURCE=" + killedSecret}, env...)
	logs := startLogged(t, child)
	t.Cleanup(func() {
		_ = child.Process.Kill()
		_ = child.Wait()
	})
	deadline := time.Now().Add(30 * time.Second)
	for !exists(ready) {
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(logs)
			t.Fatalf("the step never got ready; runner log:\n%s", log)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return child
}

// killAndWatch sends SIGKILL to the runner and fails unless every process
// it had started is gone within a few seconds. It returns how many there
// were.
func killAndWatch(t *testing.T, runner *exec.Cmd) int {
	t.Helper()
	return len(proctest.KillAndWatch(t, runner))
}

// fileHolding returns a file under root whose content holds s, or "".
func fileHolding(root, s string) string {
	found := ""
	_ = filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() {
			if data, err := os.ReadFile(p); err == nil && strings.Contains(string(data), s) {
				found = p
			}
		}
		return nil
	})
	return found
}

// TestKilledRunnerLeavesNothing kills the runner while its command runs
// two grandchildren: none may survive it, and the from_env secret's key
// file must be gone.
func TestKilledRunnerLeavesNothing(t *testing.T) {
	dir, runtimeDir := t.TempDir(), t.TempDir()
	ready, secretDir := filepath.Join(dir, "ready"), filepath.Join(dir, "secret-dir")
	workFile := filepath.Join(dir, "workdir")
	st := newSpec(dir, "sh", "-c", `sleep 300 & sleep 300 &
printf %s "$WURZEL_SECRET_TOK_DIR" > `+secretDir+`
printf %s "$WURZEL_WORKDIR" > `+workFile+`
touch `+ready+`
wait`)
	st.Workdir = "" // a temporary one, which the runner would remove
	st.Secrets = []spec.Secret{{Name: "tok", Keys: []string{"token"}, FromEnv: map[string]string{"token": "TOKEN_SOURCE"}}}
	runner := startRunner(t, st, runtimeDir, ready)
	keyDir := readFile(t, secretDir)
	if !strings.HasPrefix(keyDir, privdir.Area(runtimeDir)) || readFile(t, filepath.Join(keyDir, "token")) != killedSecret {
		t.Fatalf("the secret's key file is not in the private area of XDG_RUNTIME_DIR: %q", keyDir)
	}
	// sh, two sleeps and the guardian.
	if n := killAndWatch(t, runner); n < 4 {
		t.Fatalf("the runner had %d processes below it, want at least 4", n)
	}
	deadline := time.Now().Add(5 * time.Second)
	for exists(keyDir) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if f := fileHolding(runtimeDir, killedSecret); f != "" || exists(keyDir) {
		t.Fatalf("the killed runner's secret is still on disk: %s %s", f, keyDir)
	}
	if work := readFile(t, workFile); work == "" || exists(work) {
		t.Errorf("the killed runner's temporary work directory %q is still there", work)
	}
}

// guardianOf finds the guardian among the processes below a runner.
func guardianOf(t *testing.T, runner *exec.Cmd) (pid int, procs map[int]string) {
	t.Helper()
	procs = proctest.Descendants(runner.Process.Pid)
	guardians := proctest.Guardians(procs)
	if len(guardians) != 1 {
		t.Fatalf("%d guardians among the runner's processes %v, want one", len(guardians), procs)
	}
	return guardians[0], procs
}

// TestContainedRunnerStartsNoGuardian: the runner of a contained step
// (Argo's pods, whose container's end kills what the runner leaves) starts
// no guardian; the same step not contained has one.
func TestContainedRunnerStartsNoGuardian(t *testing.T) {
	for _, contained := range []bool{false, true} {
		dir := t.TempDir()
		ready := filepath.Join(dir, "ready")
		st := newSpec(dir, "sh", "-c", "touch "+ready+"; sleep 300")
		st.Contained = contained
		runner := startRunner(t, st, t.TempDir(), ready)
		procs := proctest.Descendants(runner.Process.Pid)
		want := 1
		if contained {
			want = 0
		}
		if got := len(proctest.Guardians(procs)); got != want {
			t.Errorf("contained %v: %d guardians among the runner's processes %v, want %d", contained, got, procs, want)
		}
		// A stop, not a kill: without a guardian the sleep would outlive
		// the runner.
		if err := runner.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		if err := runner.Wait(); err == nil {
			t.Errorf("contained %v: the stopped step succeeded", contained)
		}
	}
}

// TestGuardianEnvironment: the guardian gets none of the runner's
// environment (a secret may be in it), only GOMAXPROCS=1, so that its start
// takes less of the CPU the step's own start needs.
func TestGuardianEnvironment(t *testing.T) {
	dir := t.TempDir()
	ready := filepath.Join(dir, "ready")
	st := newSpec(dir, "sh", "-c", "touch "+ready+"; sleep 300")
	runner := startRunner(t, st, t.TempDir(), ready)
	guardian, _ := guardianOf(t, runner)
	environ, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", guardian))
	if err != nil {
		t.Fatal(err)
	}
	if string(environ) != "GOMAXPROCS=1\x00" {
		t.Errorf("the guardian's environment is %q, want only GOMAXPROCS=1", environ)
	}
}

// TestLeftoverSecretsSweptAtStart: when the guardian dies with the runner
// (a kill of both, the OOM killer), the next runner of the same user
// removes the secret it left.
func TestLeftoverSecretsSweptAtStart(t *testing.T) {
	dir, runtimeDir := t.TempDir(), t.TempDir()
	ready, secretDir := filepath.Join(dir, "ready"), filepath.Join(dir, "secret-dir")
	st := newSpec(dir, "sh", "-c", `printf %s "$WURZEL_SECRET_TOK_DIR" > `+secretDir+`; touch `+ready+`; sleep 300`)
	st.Secrets = []spec.Secret{{Name: "tok", Keys: []string{"token"}, FromEnv: map[string]string{"token": "TOKEN_SOURCE"}}}
	runner := startRunner(t, st, runtimeDir, ready)
	guardian, procs := guardianOf(t, runner)
	_ = syscall.Kill(guardian, syscall.SIGKILL)
	for proctest.Alive(guardian) {
		time.Sleep(10 * time.Millisecond)
	}
	_ = runner.Process.Kill()
	for pid := range procs { // with the guardian gone, nobody else will
		_ = syscall.Kill(-pid, syscall.SIGKILL) // the command's group
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	_ = runner.Wait()
	keyDir := readFile(t, secretDir)
	if !exists(filepath.Join(keyDir, "token")) {
		t.Fatal("with its guardian killed first, the runner should have left its secret behind")
	}

	next := newSpec(t.TempDir(), "true")
	next.Secrets = st.Secrets
	wantCode(t, execSpec(t, next, func(o *Options) {
		o.Environ = append(o.Environ, "XDG_RUNTIME_DIR="+runtimeDir, "TOKEN_SOURCE=other")
	}), 0)
	if f := fileHolding(runtimeDir, killedSecret); f != "" || exists(keyDir) {
		t.Fatalf("the next runner did not sweep the dead one's secret: %s %s", f, keyDir)
	}
}

// TestKilledRunnerStopsTheFetchHelper kills the runner while git, started by
// the fetch helper, clones from a server that never answers: git and its
// remote helper must go too.
func TestKilledRunnerStopsTheFetchHelper(t *testing.T) {
	gitRepo(t, map[string]string{"a": "a"}, nil) // skips without git
	dir := t.TempDir()
	ready := filepath.Join(dir, "ready")
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := os.Create(ready); err != nil {
			t.Error(err)
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	st := newSpec(dir, "true")
	st.Inputs = []spec.Input{{Name: "repo", Path: "repo", Source: "git::" + srv.URL + "/repo.git"}}
	st.Sources = spec.SourcePolicy{AllowedSchemes: []string{"git", "http"}}
	runner := startRunner(t, st, t.TempDir(), ready, FetchHelperEnv+"="+testFetchHelper(t))
	// The helper, git, its remote helper and the guardian.
	if n := killAndWatch(t, runner); n < 4 {
		t.Fatalf("the runner had %d processes below it, want at least 4", n)
	}
}
