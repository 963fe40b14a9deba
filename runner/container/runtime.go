package container

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strconv"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/internal/sourceaddr"
	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/runner"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

// Config is how the steps of a run run in containers.
type Config struct {
	// Engine is "podman", "docker" or the path of either; empty takes
	// podman, else docker, from PATH.
	Engine string
	// EngineFlags are added to every container's `run` (Engine.Flags).
	EngineFlags []string
	// Network is the network the containers join ("none" for hermetic
	// runs); empty means the engine's default.
	Network string
	// Runner is the wurzel binary mounted into the containers, with
	// wurzel-fetch beside it; empty means the executor's own.
	Runner string
	// Security says who each step runs as; nil means
	// backend.DefaultSecurity for every step.
	Security func(s *ir.Step) backend.Security
	// RemoteStore says that the run's store is an object store (s3://):
	// each step's runner reaches it through the fetch helper, which is
	// then mounted beside the runner as for a `source` input.
	RemoteStore bool
}

// Runtime runs the steps of one pipeline run in containers.
type Runtime struct {
	engine  *Engine
	cfg     Config
	p       *ir.Pipeline
	runner  string // host path of the runner binary
	fetch   string // host path of the fetch helper; empty when no step needs it
	images  map[string]*Image
	owner   ownership
	environ []string
}

// New prepares pipeline p's run in containers, before any step starts: it
// finds the engine (an error wrapping ErrNoEngine when there is none),
// checks that the runner (cfg.Runner, else executable) can start in any
// image, and resolves every step's image. With neither runner nor
// executable (a dry run) it only resolves the images. environ is the
// executor's environment: the engine's, and where secrets read from
// variables are.
func New(ctx context.Context, p *ir.Pipeline, cfg Config, executable string, environ []string) (*Runtime, error) {
	e, err := Find(cfg.Engine, environ)
	if err != nil {
		return nil, err
	}
	e.Flags = cfg.EngineFlags
	r := &Runtime{engine: e, cfg: cfg, p: p, runner: cfg.Runner, images: map[string]*Image{}, owner: ownershipOf(e), environ: environ}
	if r.runner == "" {
		r.runner = executable
	}
	arch := ""
	if r.runner != "" {
		if arch, err = linuxStatic(r.runner); err != nil {
			return nil, fmt.Errorf("the runner for containers: %v", err)
		}
		if err := r.findFetchHelper(); err != nil {
			return nil, err
		}
	}
	var errs []error
	for _, ref := range stepImages(p) {
		if ref == "" {
			continue
		}
		img, err := e.Inspect(ctx, ref)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if img.OS != "" && img.OS != "linux" || arch != "" && img.Arch != "" && img.Arch != arch {
			errs = append(errs, fmt.Errorf("image %s is %s/%s, but the runner %s is linux/%s", ref, img.OS, img.Arch, r.runner, arch))
			continue
		}
		r.images[ref] = img
	}
	for i := range p.Steps {
		if p.Steps[i].Image == "" {
			errs = append(errs, fmt.Errorf("step %s has no image: set one on the step or the pipeline to run it in a container", p.Steps[i].Name))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return r, nil
}

// stepImages are the distinct images of p's steps, sorted.
func stepImages(p *ir.Pipeline) []string {
	seen := map[string]bool{}
	var refs []string
	for i := range p.Steps {
		if ref := p.Steps[i].Image; !seen[ref] {
			seen[ref] = true
			refs = append(refs, ref)
		}
	}
	sort.Strings(refs)
	return refs
}

// findFetchHelper finds the fetch helper beside the runner when a step has
// a `source` input or the store is remote: it is mounted beside the
// runner, so it must start in any image too.
func (r *Runtime) findFetchHelper() error {
	why := ""
	if r.cfg.RemoteStore {
		why = "the store is remote"
	}
	for i := 0; i < len(r.p.Steps) && why == ""; i++ {
		for _, in := range r.p.Steps[i].Inputs {
			if in.Source != "" {
				why = fmt.Sprintf("step %s: input %s has a source", r.p.Steps[i].Name, in.Name)
				break
			}
		}
	}
	if why == "" {
		return nil
	}
	fetch, err := runner.FindFetchHelper(r.runner, func(k string) string { return envValue(r.environ, k) })
	if err != nil {
		return fmt.Errorf("%s: %v", why, err)
	}
	if _, err := linuxStatic(fetch); err != nil {
		return fmt.Errorf("the fetch helper for containers: %v", err)
	}
	r.fetch = fetch
	return nil
}

// Engine is the engine the steps run through.
func (r *Runtime) Engine() *Engine { return r.engine }

// ImageID is the ID of step s's image as resolved when the run began.
func (r *Runtime) ImageID(s *ir.Step) string {
	if img := r.images[s.Image]; img != nil {
		return img.ID
	}
	return ""
}

func (r *Runtime) security(s *ir.Step) backend.Security {
	if r.cfg.Security == nil {
		return backend.DefaultSecurity
	}
	return r.cfg.Security(s)
}

// Step is one attempt of a step in its container.
type Step struct {
	engine *Engine
	// Name is the container's name.
	Name string
	// Spec is the runner's spec, with the container's paths. The
	// executor writes it to spec.json in the step's directory.
	Spec   *spec.Step
	args   []string
	staged string // the staged secrets' directory on the host
	owner  ownership
	sec    backend.Security
}

// HandSpec lets the step's user read the spec file the executor wrote at
// path. The file stays private (0600): it may hold a source address with
// credentials, so it is handed to the step's user rather than opened to
// everyone, except where the engine leaves no other way (openToAll).
func (st *Step) HandSpec(path string) error {
	switch st.owner {
	case handOver:
		return os.Chown(path, int(st.sec.UID), int(st.sec.GID))
	case openToAll:
		return os.Chmod(path, 0o644)
	}
	return nil
}

// Prepare builds attempt number attempt of step s, whose directory of this
// run is hostStep (it exists, with the work directory inside), host being
// the executor's layout: the spec with the container's paths, the mounts,
// the secrets staged as files, and the directories the step writes handed
// to its user.
func (r *Runtime) Prepare(s *ir.Step, host backend.Layout, hostStep, runID string, attempt int) (*Step, error) {
	img := r.images[s.Image]
	if img == nil {
		return nil, fmt.Errorf("image %s was not resolved", s.Image)
	}
	l := &layout{host: host, hostStep: hostStep}
	st := &Step{engine: r.engine, Name: containerName(runID, s.Name, attempt), Spec: backend.StepSpec(r.p, s, l)}
	if l.err != nil {
		return nil, l.err
	}
	sec := r.security(s)
	st.owner, st.sec = r.owner, sec
	mounts := []Mount{{Source: r.runner, Target: RunnerPath, ReadOnly: true}}
	if r.fetch != "" {
		mounts = append(mounts, Mount{Source: r.fetch, Target: fetchPath, ReadOnly: true})
	}
	mounts = append(mounts, Mount{Source: hostStep, Target: stepDir})
	mounts = append(mounts, l.mounts...)
	mounts = append(mounts, r.localSources(s)...)
	for _, dir := range append([]string{hostStep, host.Workdir(s)}, l.volumes...) {
		if err := r.owner.writable(dir, sec); err != nil {
			return nil, fmt.Errorf("handing %s to the step's user: %v", dir, err)
		}
	}
	staged, secretMounts, err := r.stageSecrets(l.secrets, sec)
	if err != nil {
		return nil, err
	}
	st.staged = staged
	mounts = append(mounts, secretMounts...)
	args, err := r.runArgs(s, st, img, sec, mounts, runID)
	if err != nil {
		st.Finish(false)
		return nil, err
	}
	st.args = args
	return st, nil
}

// containerName names an attempt's container: unique per run, step and
// attempt, and recognisable in `podman ps`.
func containerName(runID, step string, attempt int) string {
	return "wurzel-" + runID + "-" + step + "-" + strconv.Itoa(attempt)
}

// localSources mounts the step's local `source` inputs read-only at their
// host paths: the runner's working directory is the pipeline directory's
// path, so the addresses resolve as on the host. The pipeline directory
// itself is an empty directory the step cannot write; it holds only the
// sources mounted under it. A source that does not exist is left for the
// runner to report.
func (r *Runtime) localSources(s *ir.Step) []Mount {
	out := []Mount{{Target: r.p.Dir, Tmpfs: true}}
	for _, in := range s.Inputs {
		if in.Source == "" {
			continue
		}
		a, err := sourceaddr.Parse(in.Source, r.p.Dir)
		if err != nil || !a.Local {
			continue
		}
		if _, err := os.Stat(a.Root); err == nil {
			out = append(out, Mount{Source: a.Root, Target: a.Root, ReadOnly: true})
		}
	}
	return out
}

// Command is the engine process that runs the container attached: the
// container's stdout and stderr are its own, and it exits with the
// runner's exit code. A SIGTERM to it reaches the runner (the engines
// proxy signals), which stops the command.
func (st *Step) Command() *exec.Cmd {
	cmd := exec.Command(st.engine.Path, st.args...)
	cmd.Env = st.engine.Environ
	if cmd.Env == nil {
		cmd.Env = []string{}
	}
	return cmd
}

// Args are the engine's arguments (for tests and messages).
func (st *Step) Args() []string { return st.args }

// Kill kills the container at once and removes it: what the grace period of
// an interrupt ends with.
func (st *Step) Kill() { st.engine.Remove(st.Name) }

// Finish removes what the attempt leaves behind: the staged secrets and,
// after an interrupt, the container (the engine's --rm removes it only when
// the engine process itself was not killed).
func (st *Step) Finish(interrupted bool) {
	if interrupted {
		st.engine.Remove(st.Name)
	}
	if st.staged != "" {
		removeStaged(st.staged)
		st.staged = ""
	}
}
