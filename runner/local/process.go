package local

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

// execute runs step s, retrying it as its retry block says. Back ends own
// retries (the runner only reports transient failures with a distinct exit
// code), so the local executor does what Argo would.
func (e *executor) execute(ctx context.Context, s *ir.Step, fp Fingerprint, res StepResult) StepResult {
	start := time.Now()
	attempts := 1
	var wait time.Duration
	if s.Retry != nil {
		attempts += s.Retry.Attempts
		wait = s.Retry.Backoff
	}
	for attempt := 1; ; attempt++ {
		res = e.attempt(ctx, s, fp, res, attempt)
		res.Duration = time.Since(start)
		if res.Status != Failed || attempt >= attempts || !retryable(s.Retry, res.ExitCode) {
			return res
		}
		e.progress.started(s.Name, []string{fmt.Sprintf("retry %d of %d after %s", attempt, attempts-1, firstLine(res.Err))})
		select {
		case <-ctx.Done():
			res.Status, res.Err = Cancelled, "interrupted"
			return res
		case <-time.After(wait):
		}
		wait = nextBackoff(s.Retry, wait)
	}
}

// retryable says whether a failure with the runner's exit code is retried
// under policy r: on_transient_error only for the runner's "retryable"
// code, on_error for the runner's own failures around the command (inputs,
// outputs, timeouts, secrets), on_failure and always for any failure.
func retryable(r *ir.Retry, code int) bool {
	if r == nil {
		return false
	}
	switch r.Policy {
	case ir.RetryOnTransientError:
		return code == spec.CodeRetryable
	case ir.RetryOnError:
		return code == 0 || (code >= spec.CodeSecret && code <= spec.CodeRetryable)
	default:
		return true
	}
}

func nextBackoff(r *ir.Retry, wait time.Duration) time.Duration {
	if r.Factor > 1 {
		wait *= time.Duration(r.Factor)
	}
	if r.MaxBackoff > 0 && wait > r.MaxBackoff {
		wait = r.MaxBackoff
	}
	return wait
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// attempt runs step s once through the runner: writes its spec, runs the
// runner (in this process, or `wurzel step exec` in a container: see
// launcher) with the step's logs as stdout and stderr, waits, and on
// success records the run.
func (e *executor) attempt(ctx context.Context, s *ir.Step, fp Fingerprint, res StepResult, attempt int) StepResult {
	start := time.Now()
	dir := e.layout.stepDir(s.Name)
	res.LogDir = dir
	fail := func(format string, args ...any) StepResult {
		res.Status, res.Err = Failed, fmt.Sprintf(format, args...)
		res.Duration = time.Since(start)
		return res
	}
	work := e.layout.Workdir(s)
	// Every attempt starts from a fresh work directory.
	if err := os.RemoveAll(work); err != nil {
		return fail("%v", err)
	}
	if err := os.MkdirAll(work, 0o755); err != nil {
		return fail("%v", err)
	}
	l, err := e.launcher(s, attempt)
	if err != nil {
		return fail("%v", err)
	}
	interrupted := false
	defer func() { l.finish(interrupted) }()
	data, err := spec.Marshal(l.spec())
	if err != nil {
		return fail("encoding the step spec: %v", err)
	}
	specPath := filepath.Join(dir, "spec.json")
	// Private: a source address in it may carry credentials.
	if err := os.WriteFile(specPath, data, 0o600); err != nil {
		return fail("%v", err)
	}
	if h, ok := l.(specHandover); ok {
		if err := h.handSpec(specPath); err != nil {
			return fail("handing the step spec to the step's user: %v", err)
		}
	}
	stdoutPath, stderrPath := filepath.Join(dir, "stdout.log"), filepath.Join(dir, "stderr.log")
	stdout, err := openLog(stdoutPath, attempt)
	if err != nil {
		return fail("%v", err)
	}
	defer stdout.Close()
	stderr, err := openLog(stderrPath, attempt)
	if err != nil {
		return fail("%v", err)
	}
	defer stderr.Close()

	out, err := l.run(ctx, specPath, stdout, stderr)
	res.Duration = time.Since(start)
	if err != nil || out.code != 0 {
		if ctx.Err() != nil {
			interrupted = err == nil
			res.Status, res.Err = Cancelled, "interrupted"
			return res
		}
		if err != nil {
			return fail("%v", err)
		}
		res.ExitCode = out.code
		interrupted = out.code < 0 // killed by a signal
		msg := out.msg
		if m := l.engineFailure(out.code, stderrPath); m != "" {
			msg = m
		}
		if t := failureDetail(stderrPath, 5); t != "" {
			msg += "\n" + t
		}
		return fail("%s", msg)
	}
	if err := e.recordRun(ctx, s, fp); err != nil {
		return fail("%v", err)
	}
	// The outputs were published to the store; the work directory only
	// holds copies. A failed step's is kept for debugging.
	os.RemoveAll(work)
	res.Status = Succeeded
	return res
}

// outcome is how an attempt's runner ended.
type outcome struct {
	// code is the runner's exit code; negative when its process was
	// killed by a signal.
	code int
	// msg says so for people: "exit status 1", "signal: killed".
	msg string
}

// exitOutcome is the outcome of a runner that ended with exit code code.
func exitOutcome(code int) outcome {
	return outcome{code: code, msg: fmt.Sprintf("exit status %d", code)}
}

// runProcess runs cmd, a runner's process, with the step's logs, in a
// process group of its own; an interrupt reaches it through signal. The
// error says why it could not start.
func (e *executor) runProcess(ctx context.Context, cmd *exec.Cmd, signal func(*os.Process, sigKind), stdout, stderr *os.File) (outcome, error) {
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.SysProcAttr = stepProcAttr()
	if err := e.procs.start(ctx, cmd, signal); err != nil {
		return outcome{}, fmt.Errorf("starting %s: %v", cmd.Path, err)
	}
	err := cmd.Wait()
	e.procs.remove(cmd.Process.Pid)
	var exit *exec.ExitError
	switch {
	case err == nil:
		return outcome{}, nil
	case errors.As(err, &exit):
		out := exitOutcome(exit.ExitCode())
		if out.code < 0 {
			out.msg = exit.String()
		}
		return out, nil
	}
	return outcome{}, err
}

// sigKind is the signal an interrupt sends.
type sigKind int

const (
	sigTerm sigKind = iota
	sigKill
)

// procTable tracks the running runner processes (of container steps) so
// that an interrupt reaches them all.
type procTable struct {
	mu          sync.Mutex
	procs       map[int]func(sigKind)
	interrupted sigKind
	stopping    bool
}

// start starts cmd and tracks it; signal is how an interrupt reaches it. A
// step started while an interrupt is being handled gets the signal at once.
func (t *procTable) start(ctx context.Context, cmd *exec.Cmd, signal func(*os.Process, sigKind)) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	if t.procs == nil {
		t.procs = map[int]func(sigKind){}
	}
	p := cmd.Process
	t.procs[p.Pid] = func(sig sigKind) { signal(p, sig) }
	if t.stopping {
		signal(p, t.interrupted)
	}
	return nil
}

func (t *procTable) remove(pid int) {
	t.mu.Lock()
	delete(t.procs, pid)
	t.mu.Unlock()
}

// signalAll signals every running step.
func (t *procTable) signalAll(sig sigKind) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.stopping, t.interrupted = true, sig
	for _, signal := range t.procs {
		signal(sig)
	}
}

// lockStore takes an exclusive lock on the local store so that two runs of
// the same pipeline never record steps over each other.
func lockStore(root string) (func(), error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("store %s: %v", root, err)
	}
	f, err := os.OpenFile(filepath.Join(root, "run.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("store %s: %v", root, err)
	}
	unlock, err := lockFile(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("store %s is in use by another wurzel run", root)
	}
	return func() {
		unlock()
		f.Close()
	}, nil
}

// attemptSeparator starts the part of a log that a retry writes.
const attemptSeparator = "--- wurzel: attempt "

// openLog opens a step's log for an attempt: truncated for the first, with
// a separator line for a retry.
func openLog(path string, attempt int) (*os.File, error) {
	if attempt == 1 {
		return os.Create(path)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err == nil {
		fmt.Fprintf(f, "%s%d ---\n", attemptSeparator, attempt)
	}
	return f, err
}
