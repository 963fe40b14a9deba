package local

import (
	"container/heap"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/wurzel-dev/wurzel/internal/lazyre"
	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/runner"
	"github.com/wurzel-dev/wurzel/runner/container"
	"github.com/wurzel-dev/wurzel/runner/objstore"
)

// Options configure one `wurzel run`.
type Options struct {
	// Jobs is the number of steps run at once; zero means the number of
	// CPUs.
	Jobs int
	// KeepGoing runs every step not downstream of a failure instead of
	// stopping at the first one.
	KeepGoing bool
	// ForceAll re-runs every step; Force re-runs the named ones, spelled
	// as ForcedSteps reads them.
	ForceAll bool
	Force    []string
	// DryRun only reports what would run and why.
	DryRun bool
	// Store is a directory (relative to the pipeline directory) or
	// s3://bucket/prefix; empty means .wurzel beside the pipeline.
	Store string
	// LockFile is the lock file's path; empty means wurzel.lock beside the
	// pipeline.
	LockFile string
	// Executable is the wurzel binary that runs steps (`step exec`).
	Executable string
	// Environ is the environment of the step runners; nil means none.
	Environ []string
	// Progress receives progress (a live view when Terminal is set, one
	// line per event otherwise) and Summary the final table. Nil discards.
	Progress io.Writer
	Summary  io.Writer
	Terminal bool
	// GracePeriod is how long interrupted steps get between SIGTERM and
	// SIGKILL; zero means 10 seconds.
	GracePeriod time.Duration
	// Isolation is where steps run: ir.IsolationHost (processes on this
	// machine), ir.IsolationContainer (each step in its image), or empty
	// for the pipeline's default.
	Isolation string
	// Container configures the containers of container isolation.
	Container container.Config
	// GPUs are the GPU devices (CUDA_VISIBLE_DEVICES names) that steps
	// declaring gpu share, each held by one step at a time; none when nil.
	// DetectGPUs lists this machine's.
	GPUs []string
	// LockAhead is the lock file read ahead (ReadLockAhead); the run reads
	// the lock itself when it is nil, of another path or out of date.
	LockAhead *LockAhead
	// BeforeSteps, when set, is called once before the first step's check
	// or run that leaves the scheduler (never in a run where every step is
	// up to date): from then on, steps run beside wurzel.
	BeforeSteps func()
}

// Status is what happened to a step.
type Status string

// The step statuses.
const (
	Succeeded Status = "succeeded"
	// Skipped: up to date, the last successful run's outputs are used.
	Skipped Status = "skipped"
	Failed  Status = "failed"
	// Blocked: not run because a step it depends on failed.
	Blocked Status = "blocked"
	// NotStarted: not run because the run stopped first (a failure without
	// --keep-going, or an interrupt).
	NotStarted Status = "not started"
	// Cancelled: stopped by an interrupt while running.
	Cancelled Status = "cancelled"
	// WouldRun is the dry-run status of a step that would run.
	WouldRun Status = "would run"
)

// StepResult is the outcome of one step.
type StepResult struct {
	Step    string
	Status  Status
	Reasons []string
	// Cached is true when the step was skipped because it is up to date.
	Cached   bool
	Duration time.Duration
	// ExitCode is the runner's exit code for a step that ran and failed.
	ExitCode int
	// Err says why a step failed or was blocked.
	Err string
	// LogDir holds the step's spec and logs in the local store.
	LogDir string
}

// Result is the outcome of a run.
type Result struct {
	RunID       string
	Steps       []StepResult // in pipeline order
	Interrupted bool
}

// OK reports whether every step succeeded or was up to date.
func (r *Result) OK() bool {
	if r.Interrupted {
		return false
	}
	for _, s := range r.Steps {
		if s.Status != Succeeded && s.Status != Skipped && s.Status != WouldRun {
			return false
		}
	}
	return true
}

// executor is the state of one run.
type executor struct {
	p           *ir.Pipeline
	opts        Options
	pipelineDir string
	localRoot   string
	store       store
	// runsPrefix starts the location of every run in the store.
	runsPrefix string
	runID      string
	layout     *layout
	lock       *lockWriter
	// lockStale is set when the lock file on disk is not the lock this
	// run starts from (see lockWriter.compact).
	lockStale bool
	sources   *sourceDigests
	progress  progress
	force     map[string]bool

	procs procTable
	gpus  *gpuPool
	// nodeIndex maps a step's name to its index in the graph.
	nodeIndex map[string]int
	// containers runs the steps in containers; nil on the host.
	containers *container.Runtime

	// presence looks for the recorded outputs ahead of the scheduler;
	// nil when nothing does.
	presence *presenceAhead

	// guard is the guardian of the steps run in this process (see
	// guardian).
	guardOnce sync.Once
	guard     *runner.Guardian
	guardErr  error

	// objectsOnce makes objects, the store of s3:// locations shared by
	// the executor and the steps run in this process: one store helper,
	// its S3 client and its pool of connections, for the whole run (see
	// objectStore). closeObjects ends the helper.
	objectsOnce  sync.Once
	objects      objstore.Store
	objectsErr   error
	closeObjects func()
}

// Run runs pipeline p, which must have passed the front end's checks. The
// error is about the run as a whole (a missing secret, an unusable store or
// lock file); step failures are in the result. ctx cancellation interrupts
// the run: running steps get SIGTERM, then SIGKILL after the grace period.
func Run(ctx context.Context, p *ir.Pipeline, opts Options) (*Result, error) {
	e, err := newExecutor(ctx, p, opts)
	if err != nil {
		return nil, err
	}
	defer func() { e.closeObjects() }()
	if opts.DryRun {
		return e.plan(ctx)
	}
	unlock, err := lockStore(e.localRoot)
	if err != nil {
		e.lock.close() // nothing recorded: writes nothing
		return nil, err
	}
	defer unlock()
	if e.lockStale {
		if err := e.lock.compact(); err != nil {
			e.lock.close()
			return nil, err
		}
	}
	if err := e.prepareVolumes(); err != nil {
		e.lock.close()
		return nil, err
	}
	return e.run(ctx)
}

func newExecutor(ctx context.Context, p *ir.Pipeline, opts Options) (*executor, error) {
	if p.Dir == "" || !filepath.IsAbs(p.Dir) {
		return nil, fmt.Errorf("pipeline %s: directory %q is not absolute", p.Name, p.Dir)
	}
	if opts.Jobs <= 0 {
		opts.Jobs = runtime.NumCPU()
	}
	if opts.GracePeriod <= 0 {
		opts.GracePeriod = 10 * time.Second
	}
	if opts.Progress == nil {
		opts.Progress = io.Discard
	}
	if opts.Summary == nil {
		opts.Summary = io.Discard
	}
	if opts.Executable == "" && !opts.DryRun {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("finding the wurzel executable: %v", err)
		}
		opts.Executable = exe
	}
	e := &executor{p: p, opts: opts, pipelineDir: p.Dir, force: map[string]bool{}, gpus: newGPUPool(opts.GPUs), closeObjects: func() {}}
	e.noteGPUShortage()
	forced, err := ForcedSteps(p, opts.Force)
	if err != nil {
		return nil, err
	}
	for _, name := range forced {
		e.force[name] = true
	}
	st, err := openStore(opts.Store, p.Dir, e.objectStore)
	if err != nil {
		return nil, err
	}
	e.store = st
	e.runsPrefix = strings.TrimSuffix(st.location("runs"), "/") + "/"
	e.localRoot = StateDir(opts.Store, p.Dir)
	if err := checkSecrets(p, opts.Environ); err != nil {
		return nil, err
	}
	if err := e.setIsolation(ctx); err != nil {
		return nil, err
	}
	if !opts.DryRun && e.containers == nil {
		if err := checkFetchHelper(p, opts.Executable, opts.Environ); err != nil {
			return nil, err
		}
	}
	lockPath := opts.LockFile
	if lockPath == "" {
		lockPath = filepath.Join(p.Dir, LockFileName)
	}
	l, replayed, err := opts.LockAhead.read(lockPath)
	if err != nil {
		return nil, err
	}
	dropUnsyncedRecords(l, p.Dir)
	// The journal of this run must apply to the lock file as it is:
	// whatever differs is written before the run records anything.
	e.lockStale = replayed
	if l.Pipeline != p.Name {
		// A lock of another pipeline says nothing about this one.
		e.lockStale = e.lockStale || l.Pipeline != ""
		l.Steps = map[string]*LockStep{}
	}
	l.Pipeline = p.Name
	e.dropRemovedSteps(l)
	e.runID = newRunID(time.Now())
	e.sources = &sourceDigests{pipelineDir: p.Dir}
	if opts.DryRun {
		e.lock = &lockWriter{lock: l} // never started: a dry run writes nothing
	} else {
		e.lock = newLockWriter(lockPath, l)
	}
	e.layout = &layout{pipelineDir: p.Dir, localRoot: e.localRoot, store: st, runID: e.runID, producer: e.lock.get}
	e.progress = newProgress(opts.Progress, opts.Terminal)
	return e, nil
}

// dropRemovedSteps removes from l the steps the pipeline no longer has.
// The names are looked up in a set: the pipeline's own lookup is a scan,
// and a lock of a large pipeline has as many steps.
func (e *executor) dropRemovedSteps(l *Lock) {
	names := make(map[string]bool, len(e.p.Steps))
	for i := range e.p.Steps {
		names[e.p.Steps[i].Name] = true
	}
	for name := range l.Steps {
		if !names[name] {
			delete(l.Steps, name)
			e.lockStale = true
		}
	}
}

// newRunID makes a run id that sorts by time and is unique on this machine.
func newRunID(now time.Time) string {
	var b [3]byte
	rand.Read(b[:])
	return now.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}

// abs resolves a path of the IR against the pipeline directory.
func (e *executor) abs(p string) string { return e.layout.abs(p) }

// prepareVolumes creates every volume's local directory that is missing.
func (e *executor) prepareVolumes() error {
	for i := range e.p.Volumes {
		dir := e.abs(volumeDir(&e.p.Volumes[i]))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("volume %s: %v", e.p.Volumes[i].Name, err)
		}
	}
	return nil
}

// node is a step in the run's graph.
type node struct {
	step       *ir.Step
	index      int
	pending    int   // needs not yet resolved
	dependents []int // indexes of the steps that need this one
	result     StepResult
	done       bool
	// ran is true when the step ran (successfully) in this run, which
	// invalidates its depends_on dependents.
	ran bool
}

func (e *executor) graph() []*node {
	nodes := make([]*node, len(e.p.Steps))
	index := make(map[string]int, len(e.p.Steps))
	e.nodeIndex = index
	for i := range e.p.Steps {
		s := &e.p.Steps[i]
		nodes[i] = &node{step: s, index: i, pending: len(s.Needs), result: StepResult{Step: s.Name}}
		index[s.Name] = i
	}
	for i, n := range nodes {
		for _, need := range n.step.Needs {
			j := index[need]
			nodes[j].dependents = append(nodes[j].dependents, i)
		}
	}
	return nodes
}

// recordedRuns are the lock's records of the steps, in pipeline order
// (nil for a step never run), when the store is local: those of a
// remote store are not looked for ahead.
func (e *executor) recordedRuns(nodes []*node) []*LockStep {
	if _, local := e.store.(dirStore); !local {
		return nil
	}
	recs := make([]*LockStep, len(nodes))
	e.lock.mu.Lock()
	defer e.lock.mu.Unlock()
	for i, n := range nodes {
		recs[i] = e.lock.lock.Steps[n.step.Name]
	}
	return recs
}

// event is a finished step, sent from its worker to the scheduler.
type event struct {
	index  int
	result StepResult
	ran    bool
}

// run schedules the steps: a step becomes ready when all its needs
// succeeded or were skipped; up to Jobs ready steps are processed at once,
// in pipeline order. A ready step whose check is cheap (no files to hash,
// a local store) is checked right here: one found up to date is done
// without a worker, so that a run of up-to-date steps costs no goroutine
// hand-offs.
func (e *executor) run(ctx context.Context) (*Result, error) {
	nodes := e.graph()
	e.presence = e.lookAhead(e.recordedRuns(nodes))
	var ready, toRun stepQueue // toRun: checked (or to be checked by their worker)
	checked := map[int]checkedStep{}
	for i, n := range nodes {
		if n.pending == 0 {
			ready.push(i)
		}
	}
	e.progress.begin(e.p.Name, e.runID, len(nodes), e.opts.Jobs)
	events := make(chan event)
	running := 0
	stopping := false // no new steps: a failure without --keep-going
	interrupted := false
	var grace <-chan time.Time
	done := ctx.Done()
	finish := func(ev event) {
		n := nodes[ev.index]
		n.result, n.ran, n.done = ev.result, ev.ran, true
		e.progress.finished(n.result)
		switch n.result.Status {
		case Succeeded, Skipped:
			for _, d := range n.dependents {
				nodes[d].pending--
				if nodes[d].pending == 0 {
					ready.push(d)
				}
			}
		default:
			if !e.opts.KeepGoing {
				stopping = true
			}
		}
	}
	for {
		for !stopping && !interrupted && ready.Len() > 0 {
			i := ready.pop()
			if !e.cheapCheck(nodes[i].step) {
				toRun.push(i)
				continue
			}
			ev, c := e.check(ctx, nodes[i], nodes)
			if c == nil {
				finish(ev)
				continue
			}
			checked[i] = *c
			toRun.push(i)
		}
		for !stopping && !interrupted && running < e.opts.Jobs && toRun.Len() > 0 {
			i, ok := e.popWithGPUs(&toRun, nodes)
			if !ok {
				break // every step to run waits for GPUs a running one holds
			}
			if running == 0 && e.opts.BeforeSteps != nil {
				e.opts.BeforeSteps()
				e.opts.BeforeSteps = nil
			}
			running++
			c, ok := checked[i]
			delete(checked, i)
			go func(n *node) {
				if ok {
					events <- e.runChecked(ctx, n, c)
				} else {
					events <- e.process(ctx, n, nodes)
				}
			}(nodes[i])
		}
		if running == 0 {
			break
		}
		e.progress.flush()
		select {
		case ev := <-events:
			running--
			e.gpus.release(nodes[ev.index].step.Name)
			finish(ev)
		case <-done:
			done = nil
			interrupted = true
			e.procs.signalAll(sigTerm)
			grace = time.After(e.opts.GracePeriod)
		case <-grace:
			e.procs.signalAll(sigKill)
		}
	}
	e.presence.close()
	e.resolveUnfinished(nodes, interrupted)
	res := &Result{RunID: e.runID, Interrupted: interrupted}
	for _, n := range nodes {
		res.Steps = append(res.Steps, n.result)
	}
	e.guard.Close() // every step has ended
	lockErr := e.lock.close()
	if lockErr == nil && !interrupted {
		e.pruneRuns()
	}
	e.progress.end(res)
	writeSummary(e.opts.Summary, res)
	if lockErr != nil {
		return res, lockErr
	}
	return res, nil
}

// resolveUnfinished gives every step that never ran its status: blocked
// when a step it needs failed, not started otherwise.
func (e *executor) resolveUnfinished(nodes []*node, interrupted bool) {
	for _, n := range nodes { // pipeline order: needs come first
		if n.done {
			continue
		}
		n.done = true
		n.result.Status = NotStarted
		for _, need := range n.step.Needs {
			m := nodes[e.nodeIndex[need]]
			if m.result.Status == Failed || m.result.Status == Blocked || m.result.Status == Cancelled {
				n.result.Status = Blocked
				n.result.Err = fmt.Sprintf("needs %s, which %s", need, verb(m.result.Status))
				break
			}
		}
		if n.result.Status == Blocked && !interrupted {
			e.progress.finished(n.result)
		}
	}
}

func verb(s Status) string {
	switch s {
	case Failed:
		return "failed"
	case Cancelled:
		return "was cancelled"
	default:
		return "was blocked"
	}
}

// checkedStep is a step found to need a run: its fingerprint and the
// result so far, with the reasons.
type checkedStep struct {
	fp  Fingerprint
	res StepResult
}

// cheapCheck says whether checking step s reads nothing but the lock and
// the local store: no source or watched file to hash, no manifest to
// download.
func (e *executor) cheapCheck(s *ir.Step) bool {
	if len(s.Watch) > 0 {
		return false
	}
	for i := range s.Inputs {
		if s.Inputs[i].Source != "" {
			return false
		}
	}
	_, local := e.store.(dirStore)
	return local
}

// check decides whether step n is up to date. It returns the step's final
// event when it is (or when its fingerprint cannot be made), and what its
// run needs otherwise. Everything it reads of other nodes was settled
// before n became ready.
func (e *executor) check(ctx context.Context, n *node, nodes []*node) (event, *checkedStep) {
	s := n.step
	res := StepResult{Step: s.Name}
	ev := event{index: n.index}
	fp, err := e.staticFingerprint(s)
	if err == nil {
		err = e.addUpstream(s, &fp)
	}
	if err != nil {
		res.Status, res.Err = Failed, err.Error()
		ev.result = res
		return ev, nil
	}
	old := e.lock.get(s.Name)
	rs := e.runReasons(ctx, n, nodes, old, fp)
	if len(rs) == 0 {
		res.Status, res.Cached = Skipped, true
		ev.result = res
		return ev, nil
	}
	res.Reasons = rs
	return ev, &checkedStep{fp: fp, res: res}
}

// process checks step n and runs it when it is not up to date. It runs on
// its own goroutine.
func (e *executor) process(ctx context.Context, n *node, nodes []*node) event {
	ev, c := e.check(ctx, n, nodes)
	if c == nil {
		return ev
	}
	return e.runChecked(ctx, n, *c)
}

// runChecked runs a step that check found must run.
func (e *executor) runChecked(ctx context.Context, n *node, c checkedStep) event {
	e.progress.started(n.step.Name, c.res.Reasons)
	ev := event{index: n.index}
	ev.result = e.execute(ctx, n.step, c.fp, c.res)
	ev.ran = ev.result.Status == Succeeded
	return ev
}

// stepQueue holds step indexes and yields the lowest first: steps start in
// pipeline order.
type stepQueue struct{ h intHeap }

func (q *stepQueue) push(i int) { heap.Push(&q.h, i) }
func (q *stepQueue) pop() int   { return heap.Pop(&q.h).(int) }
func (q *stepQueue) Len() int   { return q.h.Len() }

type intHeap []int

func (h intHeap) Len() int           { return len(h) }
func (h intHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h intHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *intHeap) Push(x any)        { *h = append(*h, x.(int)) }
func (h *intHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// runReasons are the reasons a step must run: forced, changed since its
// last successful run, a depends_on step that ran, or outputs gone from the
// store.
func (e *executor) runReasons(ctx context.Context, n *node, nodes []*node, old *LockStep, fp Fingerprint) []string {
	s := n.step
	if e.opts.ForceAll || e.force[s.Name] {
		return []string{"forced"}
	}
	rs := reasons(s, old, fp)
	for _, dep := range s.DependsOn {
		if i, ok := e.nodeIndex[dep]; ok && nodes[i].ran {
			rs = append(rs, fmt.Sprintf("upstream %s re-ran", dep))
		}
	}
	if len(rs) == 0 {
		rs = e.storeReasons(ctx, old)
	}
	return rs
}

// storeReasons are the reasons to re-run an otherwise up-to-date step
// because of where its last outputs are: in another store than this run's
// (the user switched --store), or gone.
func (e *executor) storeReasons(ctx context.Context, rec *LockStep) []string {
	if !strings.HasPrefix(absLocation(e.pipelineDir, rec.Manifest), e.runsPrefix) {
		return []string{"store changed"}
	}
	if !e.outputsPresent(ctx, rec) {
		return []string{"outputs missing from the store"}
	}
	return nil
}

// outputsPresent reports whether a recorded run's manifest and outputs are
// still where the lock says.
func (e *executor) outputsPresent(ctx context.Context, rec *LockStep) bool {
	if found, ok := e.presence.lookup(rec); ok {
		return found
	}
	manifest := absLocation(e.pipelineDir, rec.Manifest)
	if isS3(manifest) {
		_, err := e.store.read(ctx, manifest)
		return err == nil
	}
	return e.localOutputsPresent(rec)
}

// recordRun reads the manifest of a successful step run and records the run
// in the lock. Nothing is recorded unless the manifest lists every declared
// output: the manifest is the runner's commit marker.
func (e *executor) recordRun(ctx context.Context, s *ir.Step, fp Fingerprint) error {
	loc := e.layout.ManifestLocation(s)
	data, err := e.store.read(ctx, loc)
	if err != nil {
		if notExist(err) {
			return fmt.Errorf("the runner succeeded but wrote no manifest at %s", loc)
		}
		return err
	}
	m, err := parseManifest(data, s.Name, e.runID)
	if err != nil {
		return fmt.Errorf("%s: %v", loc, err)
	}
	rec := &LockStep{RunID: e.runID, Fingerprint: fp, Manifest: lockLocation(e.pipelineDir, loc), Outputs: map[string]LockOutput{}}
	for i := range s.Outputs {
		o := &s.Outputs[i]
		mo := m.Output(o.Name)
		if mo == nil {
			return fmt.Errorf("%s: output %s is missing from the manifest", loc, o.Name)
		}
		rec.Outputs[o.Name] = LockOutput{Location: lockLocation(e.pipelineDir, e.layout.OutputLocation(s, o)), Digest: outputDigest(mo)}
	}
	if len(rec.Outputs) == 0 {
		rec.Outputs = nil
	}
	unsynced := ""
	if !isS3(loc) {
		unsynced = absLocation(e.pipelineDir, loc)
	}
	e.lock.record(s.Name, rec, unsynced)
	return nil
}

// failureDetail summarises a failed step's stderr for people: the last n
// lines the command wrote and the runner's own error, taken from its
// structured (JSON) log lines, which are otherwise left out.
func failureDetail(path string, n int) string {
	data, err := readTail(path, maxDetail)
	if err != nil {
		return ""
	}
	var lines []string
	runnerErr := ""
	for _, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		var rec struct {
			Level string `json:"level"`
			Msg   string `json:"msg"`
			Error string `json:"error"`
		}
		if strings.HasPrefix(line, "{") && json.Unmarshal([]byte(line), &rec) == nil && rec.Msg != "" {
			if rec.Level == "ERROR" {
				runnerErr = rec.Msg
				if rec.Error != "" {
					runnerErr = rec.Error
				}
			}
			continue
		}
		lines = append(lines, line)
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	if runnerErr != "" {
		lines = append(lines, "wurzel step exec: "+runnerErr)
	}
	return strings.Join(lines, "\n")
}

// maxDetail is how much of the end of a failed step's stderr is read: the
// runner's error comes last, and a command may have written gigabytes.
const maxDetail = 1 << 20

// readTail reads the last max bytes of the file at path.
func readTail(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > max {
		if _, err := f.Seek(-max, io.SeekEnd); err != nil {
			return nil, err
		}
	}
	return io.ReadAll(io.LimitReader(f, max))
}

// pruneRuns removes the local directories of earlier runs that the lock no
// longer points at, so that the store does not grow with every run. The
// current run's directories stay, with the logs of any failed step.
func (e *executor) pruneRuns() {
	keep := map[string]bool{e.runID: true}
	e.lock.mu.Lock()
	for _, rec := range e.lock.lock.Steps {
		keep[rec.RunID] = true
	}
	e.lock.mu.Unlock()
	runs := filepath.Join(e.localRoot, "runs")
	entries, err := os.ReadDir(runs)
	if err != nil {
		return
	}
	for _, ent := range entries {
		if ent.IsDir() && !keep[ent.Name()] && runIDPattern.MatchString(ent.Name()) {
			os.RemoveAll(filepath.Join(runs, ent.Name()))
		}
	}
}

// runIDPattern matches the run ids newRunID makes, so that pruning never
// touches a directory someone else put there.
var runIDPattern = lazyre.New(`^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$`)
