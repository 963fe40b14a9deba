package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/wurzel-dev/wurzel/runner/internal/guard"
	"github.com/wurzel-dev/wurzel/runner/objstore"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

// Options are the parts of a step's execution that come from where the
// runner runs rather than from the spec.
type Options struct {
	// RunID identifies the pipeline run; NewRunID makes one when empty.
	RunID string
	// Stdout and Stderr receive the command's output unchanged; os.Stdout
	// and os.Stderr when nil.
	Stdout, Stderr io.Writer
	// Logger receives the runner's structured log. It is wrapped so that
	// secret values and URL credentials never reach it. When nil, logs go
	// to Stderr as JSON.
	Logger *slog.Logger
	// Environ is the runner's own environment: the base of the command's
	// environment, the source of from_env secrets and of the AWS settings.
	// os.Environ() when nil.
	Environ []string
	// Dir is the directory relative locations, secret and volume paths and
	// go-getter sources resolve against; the process's working directory
	// when empty.
	Dir string
	// ObjectStore holds the step's s3:// locations. When nil, the store
	// registered with runner/objstore is used (runner/s3store registers
	// itself when imported: its client comes from Environ on first use),
	// else the store helper (see StoreHelper), started for the step.
	ObjectStore objstore.Store
	// KillGrace is how long the command's process group gets between
	// SIGTERM and SIGKILL when the step is cancelled or times out; 10s when
	// zero.
	KillGrace time.Duration
	// Now returns the current time; time.Now when nil.
	Now func() time.Time
	// Guardian is a guardian shared with other steps of the same process
	// (see Guardian); when nil, the step starts a guardian of its own.
	Guardian *Guardian
	// Executable is the wurzel binary beside which the fetch helper is
	// looked for; the running executable when empty.
	Executable string
	// DeferManifestSync leaves a local manifest unsynced: it is renamed
	// into place whole, but a crash of the machine may lose it until the
	// caller syncs it (atomicfile.SyncFile). A caller that runs many steps
	// and records them durably (wurzel run's lock journal) syncs their
	// manifests together, before the record that names them, instead of
	// one fsync per step.
	DeferManifestSync bool
}

const defaultKillGrace = 10 * time.Second

// run is the state of one step execution.
type run struct {
	spec    *spec.Step
	opts    Options
	log     *stepLog
	redact  *Redactor
	env     map[string]string // runner environment
	workdir string
	ownWork bool // the runner created workdir
	cleanup []func()
	// guard kills the command's process group and removes private
	// directories if the runner dies.
	guard *guard.Guard
	// secretDir holds the key files of from_env secrets, one directory
	// per secret.
	secretDir string
	// helperTmp is the fetch helpers' TMPDIR.
	helperTmp string

	// cmdEnv collects the WURZEL_* and secret variables for the command.
	cmdEnv map[string]string
	// hidden are runner variables the command must not inherit.
	hidden map[string]bool

	// remote holds the step's s3:// locations; nil when it has none and
	// the program has no store for them.
	remote objstore.Store
}

// NewRunID returns a fresh run identifier: a UTC timestamp and random hex.
// The hex tells runs of the same second apart and keeps nothing secret:
// math/rand's generator, seeded by the runtime, serves it without the
// first call's set-up of crypto/rand (0.06 ms of a step's start).
func NewRunID(now time.Time) string {
	return fmt.Sprintf("%s-%08x", now.UTC().Format("20060102T150405Z"), rand.Uint32())
}

// Exec runs step st under the runtime contract and returns nil on success
// or an *Error carrying the exit code. ctx cancellation stops the step: the
// command's process group gets SIGTERM (then SIGKILL after KillGrace) and
// nothing is published.
func Exec(ctx context.Context, st *spec.Step, opts Options) error {
	r, err := newRun(st, opts)
	if err != nil {
		msg := NewRedactor(sources(st)...).String(err.Error())
		badSpecLogger(opts).Error("step failed", "exit_code", CodeBadSpec, "error", msg)
		return &Error{Code: CodeBadSpec, msg: msg, err: err}
	}
	defer r.runCleanup()
	start := r.opts.Now()
	r.log.Info("step started", "run_id", r.opts.RunID)
	err = r.execute(ctx)
	if err != nil {
		code := codeOf(err, 1)
		if ctx.Err() != nil && code != CodeTimeout && !isExit(err) {
			code = CodeRetryable
		}
		msg := r.redact.String(err.Error())
		r.withdrawOutputs()
		r.log.Error("step failed", "exit_code", code, "error", msg, "duration", r.opts.Now().Sub(start).String())
		return &Error{Code: code, msg: msg, err: err}
	}
	r.log.Info("step succeeded", "duration", r.opts.Now().Sub(start).String())
	return nil
}

// badSpecLogger is where a spec that cannot run is reported.
func badSpecLogger(opts Options) *slog.Logger {
	if opts.Logger != nil {
		return opts.Logger
	}
	if opts.Stderr != nil {
		return NewLogger(opts.Stderr)
	}
	return NewLogger(os.Stderr)
}

func newRun(st *spec.Step, opts Options) (*run, error) {
	if st == nil {
		return nil, errors.New("no step spec")
	}
	if opts.Stdout == nil {
		opts.Stdout = os.Stdout
	}
	if opts.Stderr == nil {
		opts.Stderr = os.Stderr
	}
	if opts.Environ == nil {
		opts.Environ = os.Environ()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.KillGrace <= 0 {
		opts.KillGrace = defaultKillGrace
	}
	if opts.RunID == "" {
		opts.RunID = NewRunID(opts.Now())
	}
	if opts.Dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, err
		}
		opts.Dir = wd
	}
	// Addresses may carry credentials: known from the start, they are
	// redacted however they reappear.
	red := NewRedactor(sources(st)...)
	r := &run{
		spec:   st,
		opts:   opts,
		redact: red,
		log:    newStepLog(opts, red, st.Pipeline, st.Step),
		env:    envMap(opts.Environ),
		cmdEnv: map[string]string{},
		hidden: map[string]bool{spec.EnvSpec: true},
	}
	if err := validateParams(st); err != nil {
		return nil, err
	}
	st, err := applyParams(st, opts.Dir)
	if err != nil {
		return nil, err
	}
	r.spec = st
	if err := Validate(st); err != nil {
		return nil, err
	}
	remote, closeRemote, err := remoteStore(st, opts, func(k string) string { return r.env[k] })
	if err != nil {
		return nil, err
	}
	r.remote = remote
	r.cleanup = append(r.cleanup, closeRemote)
	return r, nil
}

// sources lists the go-getter addresses of st's inputs.
func sources(st *spec.Step) []string {
	if st == nil {
		return nil
	}
	var out []string
	for _, in := range st.Inputs {
		if in.Source != "" {
			out = append(out, in.Source)
		}
	}
	return out
}

// execute runs the phases of the contract in order.
func (r *run) execute(ctx context.Context) error {
	if err := r.startGuard(); err != nil {
		return wrapFail(CodeRetryable, err)
	}
	if err := r.prepareWorkdir(); err != nil {
		return wrapFail(CodeBadSpec, err)
	}
	if err := r.mountSecrets(); err != nil {
		return wrapFail(CodeSecret, err)
	}
	if err := r.checkVolumes(); err != nil {
		return wrapFail(CodeSecret, err)
	}
	if err := r.fetchInputs(ctx); err != nil {
		return wrapFail(CodeInput, err)
	}
	if err := r.runCommand(ctx); err != nil {
		return err
	}
	m, err := r.publishOutputs(ctx)
	if err != nil {
		return wrapFail(CodeOutput, err)
	}
	return wrapFail(CodeOutput, r.writeManifest(ctx, m))
}

func (r *run) runCleanup() {
	for i := len(r.cleanup) - 1; i >= 0; i-- {
		r.cleanup[i]()
	}
}

// abs resolves p against the runner's starting directory.
func (r *run) abs(p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(r.opts.Dir, p)
}

// inWork resolves a spec path (validated to be relative and clean) in the
// work directory.
func (r *run) inWork(p string) string {
	return filepath.Join(r.workdir, filepath.FromSlash(p))
}

func (r *run) prepareWorkdir() error {
	if r.spec.Workdir != "" {
		r.workdir = r.abs(r.spec.Workdir)
		if err := os.MkdirAll(r.workdir, 0o755); err != nil {
			return fmt.Errorf("creating work directory: %w", err)
		}
	} else {
		dir, err := os.MkdirTemp(r.tempDir(), "wurzel-"+r.spec.Step+"-")
		if err != nil {
			return fmt.Errorf("creating work directory: %w", err)
		}
		r.workdir, r.ownWork = dir, true
		// The back end collects outputs without a location from the work
		// directory, so only a directory nobody needs afterwards goes.
		if r.allOutputsPublished() {
			r.cleanup = append(r.cleanup, func() {
				_ = os.RemoveAll(dir)
				r.guard.Forget(dir)
			})
			r.guard.Remove(dir) // inputs can be large
		}
	}
	r.cmdEnv["WURZEL_WORKDIR"] = r.workdir
	r.log.Debug("work directory ready", "workdir", r.workdir)
	return nil
}

// withdrawOutputs removes, after a failure, the outputs that the back end
// collects from the work directory itself (those without a location).
// Argo's wait container uploads whatever is at an output's path, also after
// a failed attempt; with nothing there, a failed attempt publishes nothing
// partial.
func (r *run) withdrawOutputs() {
	if r.workdir == "" {
		return
	}
	for _, o := range r.spec.Outputs {
		if o.Location != "" {
			continue
		}
		if err := os.RemoveAll(r.inWork(o.Path)); err != nil {
			r.log.Warn("output not withdrawn", "output", o.Name, "error", r.redact.String(err.Error()))
		}
	}
}

func (r *run) allOutputsPublished() bool {
	for _, o := range r.spec.Outputs {
		if o.Location == "" {
			return false
		}
	}
	return true
}

// envName turns a name into the upper-case suffix of a WURZEL_* variable.
func envName(name string) string {
	return strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// commandEnv is the command's environment: the runner's own (minus secret
// sources), the spec's env, then the WURZEL_* variables, sorted.
func (r *run) commandEnv() []string {
	env := map[string]string{}
	for k, v := range r.env {
		if !r.hidden[k] {
			env[k] = v
		}
	}
	for k, v := range r.spec.Env {
		env[k] = v
	}
	env[spec.EnvRunID] = r.opts.RunID
	env["WURZEL_STEP"] = r.spec.Step
	if r.spec.EachKey != "" {
		env["WURZEL_EACH_KEY"] = r.spec.EachKey
	}
	env["WURZEL_PIPELINE"] = r.spec.Pipeline
	for k, v := range r.cmdEnv {
		env[k] = v
	}
	out := make([]string, 0, len(env))
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// envMap indexes an environment ("NAME=value" entries); the last of a
// repeated name wins.
func envMap(environ []string) map[string]string {
	m := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}
