package local

import (
	"os"
	"os/exec"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/ir"
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
	// command is the process to start; specPath is where the spec is on
	// this machine.
	command(specPath string) *exec.Cmd
	// signal delivers an interrupt to the started process.
	signal(p *os.Process, sig sigKind)
	// finish releases what the attempt holds once its process has exited;
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
	return hostLauncher{e: e, s: s}, nil
}

// hostLauncher runs the runner as a process on this machine, in the
// pipeline directory, with the executor's environment.
type hostLauncher struct {
	e *executor
	s *ir.Step
}

func (h hostLauncher) spec() *spec.Step { return backend.StepSpec(h.e.p, h.s, h.e.layout) }

func (h hostLauncher) command(specPath string) *exec.Cmd {
	cmd := exec.Command(h.e.opts.Executable, "step", "exec", "--spec", specPath, "--run-id", h.e.runID)
	cmd.Dir = h.e.pipelineDir
	cmd.Env = h.e.opts.Environ
	if cmd.Env == nil {
		cmd.Env = []string{}
	}
	return cmd
}

// signal signals the runner's process group: the runner forwards SIGTERM
// to its command, and SIGKILL reaches them all.
func (hostLauncher) signal(p *os.Process, sig sigKind) { signalGroup(p.Pid, sig) }

func (hostLauncher) finish(bool) {}

func (hostLauncher) engineFailure(int, string) string { return "" }
