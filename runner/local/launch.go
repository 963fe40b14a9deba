package local

import (
	"context"
	"os"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/runner"
	"github.com/wurzel-dev/wurzel/runner/objstore"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

// launcher starts the runner of one attempt of a step: as a process on
// this machine, or in the step's container (isolation.go).
// specHandover is a launcher whose process runs as another user, who must
// be able to read the spec file.
type specHandover interface {
	handSpec(path string) error
}

type launcher interface {
	// spec is the runner's spec for the attempt.
	spec() *spec.Step
	// run runs the attempt's runner on its spec, which is at specPath on
	// this machine, with the step's logs, until it ends; cancelling ctx
	// interrupts it. The error says why it could not start.
	run(ctx context.Context, specPath string, stdout, stderr *os.File) (outcome, error)
	// finish releases what the attempt holds once its runner has ended;
	// interrupted is true when it was stopped by an interrupt or killed.
	finish(interrupted bool)
	// engineFailure says why the attempt failed when the runner never got
	// to run (the container engine could not start it); "" otherwise.
	engineFailure(code int, stderrPath string) string
}

// launcher returns how attempt number attempt of step s starts.
func (e *executor) launcher(s *ir.Step, attempt int) (launcher, error) {
	if e.containers != nil {
		return e.containerLauncher(s, attempt)
	}
	return hostLauncher{e: e, step: s.Name, st: backend.StepSpec(e.p, s, e.layout)}, nil
}

// hostLauncher runs the runner in this process, as `wurzel step exec`
// would in the pipeline directory with the executor's environment: the
// command is still a process, in a process group of its own. One guardian
// serves every step of the run (see guardian).
type hostLauncher struct {
	e    *executor
	step string // the step's name
	st   *spec.Step
}

func (h hostLauncher) spec() *spec.Step { return h.st }

func (h hostLauncher) run(ctx context.Context, _ string, stdout, stderr *os.File) (outcome, error) {
	g, err := h.e.guardian()
	if err != nil {
		return outcome{}, err
	}
	env := h.e.opts.Environ
	if env == nil {
		env = []string{} // none, as Options says; the runner's nil is ours
	}
	env = h.e.gpus.environ(h.step, env)
	err = runner.Exec(ctx, h.st, runner.Options{
		RunID:      h.e.runID,
		Stdout:     stdout,
		Stderr:     stderr,
		Environ:    env,
		Dir:        h.e.pipelineDir,
		KillGrace:  h.e.opts.GracePeriod,
		Guardian:   g,
		Executable: h.e.opts.Executable,
		// The lock's journal syncs the manifest (lockWriter.record).
		DeferManifestSync: true,
		ObjectStore:       h.objectStore(),
	})
	if err != nil {
		return exitOutcome(runner.ExitCode(err)), nil
	}
	return outcome{}, nil
}

// objectStore is the run's store of s3:// locations, or nil when it has
// none: the runner then says why, if the step needs one.
func (h hostLauncher) objectStore() objstore.Store {
	store, err := h.e.objectStore()
	if err != nil {
		return nil
	}
	return store
}

func (hostLauncher) finish(bool) {}

func (hostLauncher) engineFailure(int, string) string { return "" }

// objectStore is the store of s3:// locations for the executor and the
// steps run in this process, made on first use: the runner would otherwise
// start a store helper for each step, each with its own S3 client,
// configuration read and connections. It is the store registered with
// objstore when the program has one, else the store helper beside the
// executable, which starts when first asked.
func (e *executor) objectStore() (objstore.Store, error) {
	e.objectsOnce.Do(func() {
		if store, ok := objstore.Open("s3", e.opts.Environ); ok {
			e.objects = store
			return
		}
		client, err := runner.StoreHelper(e.opts.Executable, e.opts.Environ, func(k string) string { return envValue(e.opts.Environ, k) })
		if err != nil {
			e.objectsErr = err
			return
		}
		e.objects, e.closeObjects = client, func() { _ = client.Close() }
	})
	return e.objects, e.objectsErr
}

// guardian is the run's guardian, started with the first step that runs:
// if wurzel dies, it kills the process groups of the commands still
// running and removes the steps' private directories (secrets), as a
// runner's own guardian does when the runner dies. A run where every step
// is up to date starts none.
func (e *executor) guardian() (*runner.Guardian, error) {
	e.guardOnce.Do(func() {
		e.guard, e.guardErr = runner.StartGuardian()
	})
	return e.guard, e.guardErr
}
