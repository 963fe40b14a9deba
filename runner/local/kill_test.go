//go:build linux

package local_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wurzel-dev/wurzel/internal/proctest"
)

// killableSteps are two steps that each leave two grandchildren running
// in their process group, with a secret read from the environment.
const killableSteps = `
pipeline "killed" {}

secret "api" {
  keys = ["token"]
  local {
    env = { token = "API_TOKEN_FOR_TEST" }
  }
}

step "a" {
  command = ["sh", "-c", "sleep 300 & sleep 300 & printf %s \"$WURZEL_SECRET_API_DIR\" > @DIR@/a.secret-dir; touch @DIR@/a.ready; wait"]
  secrets = [secret.api]
}

step "b" {
  command = ["sh", "-c", "sleep 300 & sleep 300 & printf %s \"$WURZEL_SECRET_API_DIR\" > @DIR@/b.secret-dir; touch @DIR@/b.ready; wait"]
  secrets = [secret.api]
}
`

// TestKilledRunLeavesNothing kills wurzel run with SIGKILL while two
// steps run, each with grandchildren in its process group and a secret's
// key file on disk: the run's guardian must kill every process the steps
// started and remove the key files.
func TestKilledRunLeavesNothing(t *testing.T) {
	const value = "k1lled-executor-s3cret"
	p := newProject(t, killableSteps)
	runtimeDir := t.TempDir()
	cmd := p.command("-j", "2")
	cmd.Env = append(cmd.Env, "API_TOKEN_FOR_TEST="+value, "XDG_RUNTIME_DIR="+runtimeDir)
	logs, err := os.Create(filepath.Join(t.TempDir(), "run.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logs.Close()
	cmd.Stdout, cmd.Stderr = logs, logs // files: survivors would hold a pipe open
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	waitFor(t, func() bool { return exists(p.path("a.ready")) && exists(p.path("b.ready")) })
	var keyDirs []string
	for _, step := range []string{"a", "b"} {
		dir, err := os.ReadFile(p.path(step + ".secret-dir"))
		if err != nil || !strings.HasPrefix(string(dir), runtimeDir) || !exists(filepath.Join(string(dir), "token")) {
			t.Fatalf("step %s's key file is not in XDG_RUNTIME_DIR: %q (%v)", step, dir, err)
		}
		keyDirs = append(keyDirs, string(dir))
	}

	if guardians := proctest.Guardians(proctest.Descendants(cmd.Process.Pid)); len(guardians) != 1 {
		t.Errorf("the run has %d guardians, want one for the whole run", len(guardians))
	}
	// Two shells and four sleeps, and the guardian.
	if procs := proctest.KillAndWatch(t, cmd); len(procs) < 7 {
		t.Fatalf("wurzel had %d processes below it, want at least 7: %v", len(procs), procs)
	}
	deadline := time.Now().Add(5 * time.Second)
	for (exists(keyDirs[0]) || exists(keyDirs[1])) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	for _, dir := range keyDirs {
		if exists(dir) {
			t.Errorf("the killed run's secret is still on disk: %s", dir)
		}
	}
	filepath.WalkDir(runtimeDir, func(path string, d os.DirEntry, err error) error {
		if data, rerr := os.ReadFile(path); err == nil && !d.IsDir() && rerr == nil && strings.Contains(string(data), value) {
			t.Errorf("%s holds the secret", path)
		}
		return nil
	})
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
