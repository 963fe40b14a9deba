package runner

import (
	"os"
	"runtime"

	"github.com/wurzel-dev/wurzel/runner/internal/guard"
	"github.com/wurzel-dev/wurzel/runner/internal/privdir"
)

// Guardian is a guardian process shared by the steps that one long-lived
// process runs (Options.Guardian): `wurzel run` runs its host steps
// in-process, and one guardian for the whole run replaces one per step.
// If that process dies, the guardian kills every step's process group
// still running and removes every step's private directories.
type Guardian struct{ g *guard.Guard }

// StartGuardian starts a guardian for the calling process. Close it once
// no step that uses it runs any more.
func StartGuardian() (*Guardian, error) {
	g, err := guard.Start()
	if err != nil {
		return nil, err
	}
	return &Guardian{g: g}, nil
}

// Close tells the guardian that the process ends normally.
func (g *Guardian) Close() {
	if g != nil {
		g.g.Close()
	}
}

// startGuard starts the guardian, which kills the step's process groups
// and removes its private directories if the runner dies without doing it
// itself. It starts while the runner reads secrets and fetches inputs, and
// is closed last, once everything it guards is gone. A shared guardian
// (Options.Guardian) is used instead when there is one. A contained step
// (spec.Step.Contained) has none: its container's end kills and discards
// what the runner leaves, and r.guard, nil, does nothing.
func (r *run) startGuard() error {
	if r.opts.Guardian != nil {
		r.guard = r.opts.Guardian.g
		return nil
	}
	if r.spec.Contained {
		return nil
	}
	g, err := guard.Start()
	if err != nil {
		return err
	}
	r.guard = g
	r.cleanup = append(r.cleanup, g.Close)
	return nil
}

// guardReady waits until the guardian runs: no process may start that
// only it could stop. A guardian that cannot start fails the step as a
// failure of the runner's surroundings, which a retry may not see.
func (r *run) guardReady() error {
	if err := r.guard.Ready(); err != nil {
		return fail(CodeRetryable, "%v", err)
	}
	return nil
}

// privateDir makes a private directory (mode 0700) under base, removed when
// the step ends, by the guardian if the runner dies, and by the next
// runner's sweep if the guardian dies too.
func (r *run) privateDir(base string) (string, error) {
	d, err := privdir.New(base)
	if err != nil {
		return "", err
	}
	paths := d.Paths()
	for _, p := range paths {
		r.guard.Remove(p)
	}
	r.cleanup = append(r.cleanup, func() {
		_ = d.Close()
		for _, p := range paths {
			r.guard.Forget(p)
		}
	})
	return d.Path, nil
}

// secretBases are where secret key files read from the environment may go,
// best first: a memory file system when there is one (the user's
// XDG_RUNTIME_DIR, then Linux's /dev/shm), so that they never reach a disk;
// else the temporary directory.
func (r *run) secretBases() []string {
	var bases []string
	if d := r.env["XDG_RUNTIME_DIR"]; d != "" && isDir(d) {
		bases = append(bases, d)
	}
	if runtime.GOOS == "linux" && isDir("/dev/shm") {
		bases = append(bases, "/dev/shm")
	}
	return append(bases, r.tempDir())
}

// secretsDir makes the private directory for key files in the first of
// secretBases that takes it: an XDG_RUNTIME_DIR of another user (after
// sudo, say) is skipped.
func (r *run) secretsDir() (string, error) {
	var err error
	for _, base := range r.secretBases() {
		var dir string
		if dir, err = r.privateDir(base); err == nil {
			return dir, nil
		}
	}
	return "", err
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// tempDir is the temporary directory of the runner's environment, which is
// not the process's own when the runner runs in-process (wurzel run).
func (r *run) tempDir() string {
	if d := r.env["TMPDIR"]; d != "" && runtime.GOOS != "windows" {
		return d
	}
	return os.TempDir()
}
