package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/checkcache"
	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/lang"
	"github.com/wurzel-dev/wurzel/runner/container"
	"github.com/wurzel-dev/wurzel/runner/local"
	"github.com/wurzel-dev/wurzel/runner/spec"
	"github.com/wurzel-dev/wurzel/targets"
)

func init() { register(newRunCmd) }

// forceAll is the value of a bare --force: every step.
const forceAll = "*"

type runFlags struct {
	vars      varFlags
	jobs      int
	keepGoing bool
	force     []string
	dryRun    bool
	store     string
	grace     time.Duration
	isolation string
	engine    string
	engFlags  string
	network   string
	gpus      int
}

func newRunCmd(a *app) *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run [PATH]",
		Short: "Run a pipeline on this machine, in parallel and incrementally",
		Long: `Run runs the pipeline at PATH (a .wurzel.hcl or .wurzel.hcl.json file, or a
directory of them; default: the current directory) on this machine. Each step
runs as "wurzel step exec", the same runtime as on Argo and DVC, with the
pipeline directory as its working directory; independent steps run in
parallel.

Runs are incremental: a step is skipped when its command, image, env,
settings, secret names, volumes and the content of all its inputs are those of
its last successful run, recorded in wurzel.lock beside the pipeline; a step
with always_run = true never is. Each instance of a step with for_each is
cached on its own: --force STEP forces every instance, --force 'STEP["key"]'
(or STEP-key) one. Outputs, manifests and per-step logs live in the store
(default .wurzel/ beside the pipeline), under the run id and the step name.
The checked pipeline is kept in cache/ of the local store (.wurzel/, or the
--store directory) and used again, without parsing, while its files, the
files it reads, its variables' values and this wurzel binary are unchanged;
a pipeline with warnings or sensitive variables is checked every time.

Steps that declare GPUs (resources { gpu = N }) share this machine's GPUs:
each step starts when its N GPUs are free and gets them in
CUDA_VISIBLE_DEVICES; steps that declare none get an empty one. --gpus sets
how many GPUs there are (default: the devices CUDA_VISIBLE_DEVICES names, else
one per /dev/nvidiaN; 0 without GPUs).

Secrets are read from each secret's local block. Ctrl-C stops the run: running
steps get SIGTERM, then SIGKILL after the grace period. Steps are run by this
wurzel binary, or by the one the environment variable WURZEL_EXECUTABLE names.

With --isolation container (or the pipeline's local { isolation =
"container" }) each step runs in its image through podman or docker, as in
its pod: this wurzel binary is its entrypoint, its secrets and volumes are
mounted at their mount paths, it runs as the pod's user (65532 unless the
argo block says otherwise) without capabilities. Images are never pulled.
--engine (WURZEL_CONTAINER_ENGINE) picks the engine, --engine-flags
(WURZEL_CONTAINER_FLAGS) adds flags to every container's run, --network
(WURZEL_CONTAINER_NETWORK) picks its network: "none" for hermetic runs.
WURZEL_CONTAINER_RUNNER names the wurzel binary for containers when this one
is not a static Linux build.

Exit status: 0 when every step succeeded or was up to date, 1 when the
pipeline is invalid or a step failed, 2 for usage errors, 130 when
interrupted.`,
		Example: `  wurzel run examples/rag-ingest
  wurzel run . -j 4 --keep-going
  wurzel run . --dry-run
  wurzel run . --force split,embed
  wurzel run . --force 'prepare["north"]'
  wurzel run . --gpus 2
  wurzel run . --store s3://my-bucket/wurzel
  wurzel run . --isolation container --network none`,
		ValidArgsFunction: completePipelinePath,
		RunE: func(_ *cobra.Command, args []string) error {
			path, err := f.pipelineArg(args)
			if err != nil {
				return usageError(err)
			}
			return a.runPipeline(path, f)
		},
	}
	f.vars.register(cmd)
	fl := cmd.Flags()
	fl.IntVarP(&f.jobs, "jobs", "j", runtime.NumCPU(), "run at most `N` steps at once")
	fl.BoolVarP(&f.keepGoing, "keep-going", "k", false, "after a failure, run every step that does not depend on it")
	fl.StringArrayVar(&f.force, "force", nil, "re-run every step, or only the named `STEP`s (repeatable or comma-separated); a step with for_each means every instance, step[\"key\"] one")
	fl.Lookup("force").NoOptDefVal = forceAll
	fl.BoolVarP(&f.dryRun, "dry-run", "n", false, "say what would run and why, without running anything")
	fl.StringVar(&f.store, "store", "", "keep outputs in `DIR` or s3://bucket/prefix (default .wurzel beside the pipeline)")
	fl.DurationVar(&f.grace, "grace-period", 10*time.Second, "how long interrupted steps get between SIGTERM and SIGKILL")
	fl.StringVar(&f.isolation, "isolation", "", "where steps run, `MODE` host or container (default: the pipeline's local block, else host)")
	fl.StringVar(&f.engine, "engine", "", "the container `ENGINE`: podman, docker or a path to either (default $WURZEL_CONTAINER_ENGINE, else podman, else docker)")
	fl.StringVar(&f.engFlags, "engine-flags", "", "`FLAGS` added to every container's run, separated by spaces (default $WURZEL_CONTAINER_FLAGS)")
	fl.StringVar(&f.network, "network", "", "the containers' `NETWORK`, none for hermetic runs (default $WURZEL_CONTAINER_NETWORK, else the engine's)")
	_ = cmd.RegisterFlagCompletionFunc("isolation", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{ir.IsolationHost, ir.IsolationContainer}, cobra.ShellCompDirectiveNoFileComp
	})
	_ = cmd.RegisterFlagCompletionFunc("engine", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{string(container.Podman), string(container.Docker)}, cobra.ShellCompDirectiveDefault
	})
	fl.IntVar(&f.gpus, "gpus", -1, "GPUs steps may share, `N` (default: this machine's)")
	return cmd
}

// pipelineArg picks the pipeline path out of the arguments. A bare --force
// cannot take a value after a space ("--force split" parses as --force and
// an argument "split"), so with a bare --force the arguments that are not
// an existing path are the steps to force.
func (f *runFlags) pipelineArg(args []string) (string, error) {
	bare := false
	var named []string
	for _, s := range f.force {
		if s == forceAll {
			bare = true
		} else {
			named = append(named, splitSteps(s)...)
		}
	}
	path := ""
	var extra []string
	for _, arg := range args {
		if _, err := os.Stat(arg); err == nil && path == "" {
			path = arg
		} else {
			extra = append(extra, arg)
		}
	}
	if path == "" && len(extra) > 0 && !bare {
		path, extra = extra[0], extra[1:]
	}
	if len(extra) > 0 && !bare {
		return "", fmt.Errorf("run takes one pipeline path, got %d arguments", len(args))
	}
	if bare && len(extra) > 0 {
		for _, arg := range extra {
			named = append(named, splitSteps(arg)...)
		}
		bare = false
	}
	if path == "" {
		path = "."
	}
	f.force = named
	if bare {
		f.force = []string{forceAll}
	}
	if f.jobs < 1 {
		return "", fmt.Errorf("-j must be at least 1, got %d", f.jobs)
	}
	if f.isolation != "" && f.isolation != ir.IsolationHost && f.isolation != ir.IsolationContainer {
		return "", fmt.Errorf("--isolation must be %s or %s, got %q", ir.IsolationHost, ir.IsolationContainer, f.isolation)
	}
	return path, nil
}

// splitSteps splits a comma-separated list of steps; a comma inside the
// brackets of an instance key (step["a,b"]) does not split.
func splitSteps(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, c := range s {
		switch c {
		case '[':
			depth++
		case ']':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	out = append(out, s[start:])
	kept := out[:0]
	for _, name := range out {
		if name = strings.TrimSpace(name); name != "" {
			kept = append(kept, name)
		}
	}
	return kept
}

func (a *app) runPipeline(path string, f runFlags) error {
	// A store directory given on the command line is relative to where
	// wurzel was started, like any other path argument.
	if f.store != "" && !strings.HasPrefix(f.store, "s3://") && !filepath.IsAbs(f.store) {
		var err error
		if f.store, err = filepath.Abs(f.store); err != nil {
			return err
		}
	}
	lockAhead := readLockAhead(path)
	res, restoreGC := a.loadForRun(path, f)
	defer restoreGC()
	if len(res.Diagnostics) > 0 {
		a.writeDiagnostics(res.Files, res.Diagnostics)
	}
	if res.Pipeline == nil || res.Diagnostics.HasErrors() {
		return exitCode(1)
	}
	exe, err := a.wurzelExecutable()
	if err != nil {
		return err
	}
	opts := local.Options{
		Jobs:        f.jobs,
		KeepGoing:   f.keepGoing,
		DryRun:      f.dryRun,
		Store:       f.store,
		Executable:  exe,
		Environ:     a.environ,
		Progress:    a.stderr,
		Summary:     a.stdout,
		Terminal:    isTerminal(a.stderr) && spec.Getenv(a.environ, "TERM") != "dumb",
		GracePeriod: f.grace,
		Isolation:   f.isolation,
		Container:   a.containerConfig(f, res.Pipeline),
		GPUs:        gpusFor(res.Pipeline, f.gpus, a.environ),
		LockAhead:   lockAhead,
		BeforeSteps: restoreGC,
	}
	if len(f.force) == 1 && f.force[0] == forceAll {
		opts.ForceAll = true
	} else {
		if _, err := local.ForcedSteps(res.Pipeline, f.force); err != nil {
			return usageError(err)
		}
		opts.Force = f.force
	}
	// The first Ctrl-C (or SIGTERM) stops the run cleanly; stop() restores
	// the default, so a second one ends wurzel at once.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() { <-ctx.Done(); stop() }()
	result, err := local.Run(ctx, res.Pipeline, opts)
	if err != nil {
		return &exitError{code: 1, err: err}
	}
	switch {
	case result.Interrupted:
		return exitCode(130)
	case !result.OK():
		return exitCode(1)
	}
	return nil
}

// gpusFor lists the GPUs the run of p hands out: n of them (--gpus), or
// this machine's when n is negative. Only steps that declare GPUs get any,
// so that without one the machine's devices are not looked for.
func gpusFor(p *ir.Pipeline, n int, environ []string) []string {
	declared := false
	for i := range p.Steps {
		declared = declared || p.Steps[i].Resources.GPU > 0
	}
	switch {
	case !declared:
		return nil
	case n >= 0:
		return local.GPUList(n, environ)
	default:
		return local.DetectGPUs(environ)
	}
}

// readLockAhead starts reading the lock file beside the pipeline at path
// while the pipeline loads; nil when its directory is unknown.
func readLockAhead(path string) *local.LockAhead {
	dir, err := lang.PipelineDir(path)
	if err != nil {
		return nil
	}
	return local.ReadLockAhead(filepath.Join(dir, local.LockFileName))
}

// loadForRun loads and checks the pipeline, from its cache entry (see
// checkedCacheDir) when nothing the load depends on changed since the last
// run that stored one (package checkcache); a dry run stores nothing.
// Loading makes a burst of
// garbage that is dead as soon as each file is parsed (the parser's
// tokens), and so does finding which steps are up to date (the lock's
// decoding, the steps' fingerprints): the collector runs less often
// meanwhile, unless the user set GOGC or GOMEMLIMIT. restoreGC gives it
// back its default; the run calls it before its first step starts, so
// that wurzel takes no more memory than by default beside the steps.
func (a *app) loadForRun(path string, f runFlags) (res *lang.Result, restoreGC func()) {
	restoreGC = func() {}
	if spec.Getenv(a.environ, "GOGC") == "" && spec.Getenv(a.environ, "GOMEMLIMIT") == "" {
		percent := debug.SetGCPercent(loadGCPercent)
		restoreGC = sync.OnceFunc(func() { debug.SetGCPercent(percent) })
	}
	res, _ = checkcache.Load(path, f.vars.options(a.environ), checkcache.Options{Dir: checkedCacheDir(path, f.store), Write: !f.dryRun})
	return res, restoreGC
}

// checkedCacheDir is where run keeps the checked pipeline at path: cache/
// in the run's state directory (the store's directory, or .wurzel beside
// the pipeline); empty, and so no cache, when the pipeline's directory is
// unknown.
func checkedCacheDir(path, store string) string {
	dir, err := lang.PipelineDir(path)
	if err != nil {
		return ""
	}
	return filepath.Join(local.StateDir(store, dir), "cache")
}

// loadGCPercent lets the heap grow to five times what survived the last
// collection while a pipeline loads and its steps are checked (Go's
// default: twice).
const loadGCPercent = 400

// containerConfig is how steps run with container isolation: flags over
// the environment's settings, and the user each step's pod would have.
func (a *app) containerConfig(f runFlags, p *ir.Pipeline) container.Config {
	or := func(flag, env string) string {
		if flag != "" {
			return flag
		}
		return spec.Getenv(a.environ, env)
	}
	cfg := container.Config{
		Engine:      or(f.engine, "WURZEL_CONTAINER_ENGINE"),
		EngineFlags: strings.Fields(or(f.engFlags, "WURZEL_CONTAINER_FLAGS")),
		Network:     or(f.network, "WURZEL_CONTAINER_NETWORK"),
		Runner:      spec.Getenv(a.environ, "WURZEL_CONTAINER_RUNNER"),
	}
	for _, t := range targets.All() {
		if d, ok := t.(backend.SecurityDecider); ok {
			cfg.Security = func(s *ir.Step) backend.Security { return d.Security(p, s) }
			break
		}
	}
	return cfg
}

// wurzelExecutable is the binary that runs steps: this one, unless
// WURZEL_EXECUTABLE names another. A Go test binary that runs the CLI (as
// testscript does, through a link named wurzel) is reached through the name
// it was started with, which is what makes it act as wurzel.
func (a *app) wurzelExecutable() (string, error) {
	if exe := spec.Getenv(a.environ, "WURZEL_EXECUTABLE"); exe != "" {
		return exe, nil
	}
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("finding the wurzel executable: %v", err)
	}
	if strings.HasSuffix(exe, ".test") && len(os.Args) > 0 {
		if p, err := exec.LookPath(os.Args[0]); err == nil {
			if abs, err := filepath.Abs(p); err == nil {
				return abs, nil
			}
		}
	}
	return exe, nil
}

func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}
