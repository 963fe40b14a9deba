package stepcmd

import (
	"context"
	"io"
	"os/signal"
	"syscall"

	"github.com/wurzel-dev/wurzel/runner"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

// Invocation is one step run as a process of its own: where its spec and
// run id come from (flags, else the environment) and where it writes.
type Invocation struct {
	SpecFile, SpecJSON, RunID string
	Environ                   []string
	Stdout, Stderr            io.Writer
}

// Run runs the step of inv under the runtime contract, as wurzel-step and
// `wurzel step exec` do, and returns the runner's exit status. When the
// spec cannot be read it returns runner.CodeBadSpec and the error, which
// the caller reports; the runner has logged any other failure itself.
//
// The set-up of signal handling (a thread of its own) goes on while the
// spec is read and decoded. The guardian (a fork and an exec of this
// program) starts once the spec is read, since a contained step (Argo's)
// has none, and goes on while Exec checks the spec and prepares the step.
func Run(ctx context.Context, inv Invocation) (int, error) {
	// SIGTERM (a pod's eviction, the local executor's Ctrl-C) and SIGINT
	// stop the step: the runner forwards SIGTERM to the command's group.
	type notified struct {
		ctx  context.Context
		stop context.CancelFunc
	}
	signals := make(chan notified, 1)
	go func() {
		c, stop := signal.NotifyContext(ctx, syscall.SIGTERM, syscall.SIGINT)
		signals <- notified{c, stop}
	}()
	st, err := spec.Load(inv.SpecFile, inv.SpecJSON, inv.Environ)
	sig := <-signals
	// Stopping the notification is a round trip to the runtime's signal
	// thread (0.15 ms); the process ends right after Run, and need not
	// wait for it.
	defer func() { go sig.stop() }()
	if err != nil {
		return runner.CodeBadSpec, err
	}
	var guardian *runner.Guardian
	if !st.Contained {
		// On failure, nil: Exec starts one of its own, and reports why it
		// cannot.
		guardian, _ = runner.StartGuardian()
		defer guardian.Close()
	}
	runID := inv.RunID
	if runID == "" {
		runID = spec.Getenv(inv.Environ, spec.EnvRunID)
	}
	err = runner.Exec(sig.ctx, st, runner.Options{
		RunID:    runID,
		Stdout:   inv.Stdout,
		Stderr:   inv.Stderr,
		Environ:  inv.Environ,
		Guardian: guardian,
	})
	return runner.ExitCode(err), nil
}
