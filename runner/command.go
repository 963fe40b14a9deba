package runner

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// runCommand runs the step's command without a shell in its own process
// group, in the work directory, with the step's environment. Cancelling ctx
// forwards SIGTERM to the group; the step's timeout does the same and ends
// with CodeTimeout. The group gets SIGKILL after KillGrace either way, and
// from the guardian if the runner dies.
func (r *run) runCommand(ctx context.Context) error {
	for _, o := range r.spec.Outputs {
		// Commands may expect the parent of an output path to exist.
		if err := os.MkdirAll(filepath.Dir(r.inWork(o.Path)), 0o755); err != nil {
			return fail(CodeOutput, "output %q: %v", o.Name, err)
		}
		r.cmdEnv["WURZEL_OUTPUT_"+envName(o.Name)] = r.inWork(o.Path)
	}
	env := r.commandEnv()
	path, err := r.lookCommand(env)
	if err != nil {
		return err
	}
	cmd := exec.Command(path, r.spec.Command[1:]...)
	cmd.Args[0] = r.spec.Command[0]
	cmd.Dir = r.workdir
	cmd.Env = env
	cmd.Stdin = nil
	cmd.Stdout = r.opts.Stdout
	cmd.Stderr = r.opts.Stderr

	if err := r.guardReady(); err != nil {
		return err
	}
	start := r.opts.Now()
	r.log.Info("command started", "command", r.spec.Command[0], "args", len(r.spec.Command)-1, "workdir", r.workdir)
	c, err := r.startGroup(cmd)
	if err != nil {
		return r.startError(err)
	}
	timedOut := r.waitOrStop(ctx, c, time.Duration(r.spec.TimeoutSeconds)*time.Second)
	dur := r.opts.Now().Sub(start).String()
	if timedOut {
		r.log.Error("command timed out", "timeout_seconds", r.spec.TimeoutSeconds, "duration", dur)
		return fail(CodeTimeout, "step timed out after %ds", r.spec.TimeoutSeconds)
	}
	code := c.exitStatus()
	r.log.Info("command exited", "exit_code", code, "duration", dur)
	if code != 0 {
		return &failure{code: code, err: &exitErr{code: code, signaled: c.signaled()}}
	}
	return nil
}

// exitErr is the command's own failure; its code passes through.
type exitErr struct {
	code     int
	signaled bool
}

func (e *exitErr) Error() string {
	if e.signaled {
		return fmt.Sprintf("command was killed by signal %d", e.code-128)
	}
	return fmt.Sprintf("command exited with status %d", e.code)
}

func isExit(err error) bool {
	var e *exitErr
	return errors.As(err, &e)
}

// lookCommand resolves the command like a shell would, with the PATH the
// command gets, and maps failures to 127 and 126.
func (r *run) lookCommand(env []string) (string, error) {
	name := r.spec.Command[0]
	if strings.Contains(name, "/") {
		p := name
		if !filepath.IsAbs(p) {
			p = filepath.Join(r.workdir, p)
		}
		return p, r.checkExecutable(name, p)
	}
	pathVar := ""
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			pathVar = v
		}
	}
	for _, dir := range filepath.SplitList(pathVar) {
		if dir == "" {
			dir = "."
		}
		p := filepath.Join(dir, name)
		if !filepath.IsAbs(p) {
			p = filepath.Join(r.workdir, p)
		}
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fail(CodeNotFound, "command %q not found in PATH", name)
}

func (r *run) checkExecutable(name, p string) error {
	fi, err := os.Stat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fail(CodeNotFound, "command %q not found", name)
	case err != nil:
		return fail(CodeNotExecutable, "command %q cannot be executed: %s", name, describeFSError(err))
	case fi.IsDir() || fi.Mode()&0o111 == 0:
		return fail(CodeNotExecutable, "command %q is not executable", name)
	}
	return nil
}

func (r *run) startError(err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fail(CodeNotFound, "command %q not found: %v", r.spec.Command[0], err)
	default:
		return fail(CodeNotExecutable, "command %q cannot be executed: %v", r.spec.Command[0], err)
	}
}

// startGroup starts cmd as the leader of a new process group and has the
// guardian watch the group until waitOrStop is done with it. The guardian
// must be ready (guardReady).
func (r *run) startGroup(cmd *exec.Cmd) (*child, error) {
	cmd.SysProcAttr = processGroupAttr()
	c, err := start(cmd)
	if err != nil {
		return nil, err
	}
	r.guard.Group(c.pid)
	return c, nil
}

// waitOrStop waits for a process started by startGroup, stopping its
// process group when ctx is cancelled or timeout (when not zero) expires.
// It reports whether the timeout did it. Once the leader has exited,
// whatever it left running in its group gets SIGKILL: nothing a step
// started outlives it.
func (r *run) waitOrStop(ctx context.Context, c *child, timeout time.Duration) (timedOut bool) {
	pid := c.pid
	exited := make(chan struct{})
	go func() {
		awaitExit(c)
		close(exited)
	}()
	defer func() {
		// The leader is not reaped yet where awaitExit can tell (Linux):
		// its group id cannot have been reused.
		signalGroup(pid, true)
		c.reap()
		r.guard.Release(pid)
	}()
	var expired <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		expired = t.C
	}
	select {
	case <-exited:
		return false
	case <-ctx.Done():
		r.log.Warn("step cancelled; stopping the command", "signal", "SIGTERM", "command", c.name)
	case <-expired:
		timedOut = true
	}
	r.stopGroup(pid, exited)
	return timedOut
}

// stopGroup sends SIGTERM to the process group, then SIGKILL after the
// grace period if the leader has not exited.
func (r *run) stopGroup(pid int, exited <-chan struct{}) {
	signalGroup(pid, false)
	select {
	case <-exited:
	case <-time.After(r.opts.KillGrace):
		signalGroup(pid, true)
		<-exited
	}
}
