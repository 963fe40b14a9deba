package local

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"

	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/runner/container"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

// setIsolation decides where this run's steps run: Options.Isolation, else
// the pipeline's default. A pipeline that asks for containers runs on the
// host, with a warning, where no engine is installed; a run told to use
// containers fails instead. In containers, every step's image is resolved
// now, so that a missing image stops the run before any step starts.
func (e *executor) setIsolation(ctx context.Context) error {
	isolation, fromPipeline := e.opts.Isolation, false
	if isolation == "" {
		isolation, fromPipeline = e.p.Isolation, true
	}
	switch isolation {
	case "", ir.IsolationHost:
		return nil
	case ir.IsolationContainer:
	default:
		return fmt.Errorf("isolation %q: use %q or %q", isolation, ir.IsolationHost, ir.IsolationContainer)
	}
	cfg := e.opts.Container
	cfg.RemoteStore = isS3(e.opts.Store)
	rt, err := container.New(ctx, e.p, cfg, e.opts.Executable, e.opts.Environ)
	if errors.Is(err, container.ErrNoEngine) && fromPipeline {
		fmt.Fprintf(e.opts.Progress, "wurzel: pipeline %s runs its steps in containers, but there is %v; they run on the host\n", e.p.Name, err)
		return nil
	}
	if err != nil {
		return err
	}
	e.containers = rt
	if !e.opts.DryRun {
		eng := rt.Engine()
		network := e.opts.Container.Network
		if network == "" {
			network = "the engine's default"
		}
		fmt.Fprintf(e.opts.Progress, "wurzel: steps run in containers through %s (%s), network %s\n", eng.Kind, eng.Path, network)
	}
	return nil
}

// imageID is the ID of step s's image when it runs in a container: part of
// its fingerprint, so that a step re-runs when its image's content changes
// behind the same name.
func (e *executor) imageID(s *ir.Step) string {
	if e.containers == nil {
		return ""
	}
	return e.containers.ImageID(s)
}

// containerLauncher runs an attempt in the step's container.
func (e *executor) containerLauncher(s *ir.Step, attempt int) (launcher, error) {
	st, err := e.containers.Prepare(s, e.layout, e.layout.stepDir(s.Name), e.runID, attempt)
	if err != nil {
		return nil, err
	}
	return containerLauncher{e: e, step: s.Name, st: st, engine: string(e.containers.Engine().Kind)}, nil
}

type containerLauncher struct {
	e      *executor
	step   string // the step's name
	st     *container.Step
	engine string
}

func (c containerLauncher) spec() *spec.Step { return c.st.Spec }

// run starts the container engine, whose container runs `wurzel step
// exec` on the spec mounted into it.
func (c containerLauncher) run(ctx context.Context, _ string, stdout, stderr *os.File) (outcome, error) {
	cmd := c.st.Command()
	cmd.Env = c.e.gpus.environ(c.step, cmd.Env)
	return c.e.runProcess(ctx, cmd, c.signal, stdout, stderr)
}

// handSpec lets the container's user read the spec the executor wrote.
func (c containerLauncher) handSpec(path string) error { return c.st.HandSpec(path) }

// signal sends SIGTERM to the engine process, which passes it on to the
// runner in the container; SIGKILL kills the engine process, and finish
// then kills and removes the container. The engine's process group is left
// alone: it may hold the engine's own helpers (networking, monitors).
func (c containerLauncher) signal(p *os.Process, sig sigKind) {
	if sig == sigKill {
		p.Kill()
		return
	}
	p.Signal(syscall.SIGTERM)
}

func (c containerLauncher) finish(interrupted bool) { c.st.Finish(interrupted) }

// engineFailure recognises an attempt whose runner never started: its
// stderr (this attempt's part) has no line of the runner. The exit code is
// then the engine's own (podman and docker use 125 to 127 for their
// failures), not the step's.
func (c containerLauncher) engineFailure(code int, stderrPath string) string {
	data, err := os.ReadFile(stderrPath)
	if err != nil {
		return ""
	}
	if i := bytes.LastIndex(data, []byte(attemptSeparator)); i >= 0 {
		data = data[i:]
	}
	if bytes.Contains(data, []byte(`"msg":"step started"`)) {
		return ""
	}
	return fmt.Sprintf("%s could not run the step's container (exit status %d)", c.engine, code)
}

// isolationReason says why a step must re-run because of where it runs:
// moved between the host and a container, or its image's content changed.
func isolationReason(old, now string) string {
	switch {
	case old == now:
		return ""
	case now == "":
		return "runs on the host now"
	case old == "":
		return "runs in a container now"
	}
	return "image content changed"
}
