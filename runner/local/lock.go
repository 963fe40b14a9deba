package local

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/wurzel-dev/wurzel/internal/atomicfile"
)

// LockVersion is the version of the lock file format.
const LockVersion = "wurzel.dev/lock/v1"

// LockFileName is the lock file's name; it lives beside the pipeline.
const LockFileName = "wurzel.lock"

// Lock is the state of a pipeline's last successful step runs. It holds
// digests and names only, never a secret value, so that it can be committed.
type Lock struct {
	Version  string `json:"version"`
	Pipeline string `json:"pipeline"`
	// Steps maps a step name to its last successful run. encoding/json
	// writes map keys sorted, which keeps the file stable and diffable.
	Steps map[string]*LockStep `json:"steps"`

	// journaled names the steps whose record came from the journal, not
	// from the lock file: their manifests may not have been made durable
	// before a crash of the machine (see lockWriter).
	journaled []string
}

// LockStep records one successful run of a step: what it ran with (its
// fingerprint) and where its outputs are.
type LockStep struct {
	RunID string `json:"run_id"`
	Fingerprint
	// Manifest is the location of the run's manifest: a path relative to
	// the pipeline directory, an absolute path or an s3:// URL.
	Manifest string `json:"manifest"`
	// Outputs maps an output name to where it is and its content digest.
	Outputs map[string]LockOutput `json:"outputs,omitempty"`
}

// LockOutput is one output of a recorded run.
type LockOutput struct {
	Location string `json:"location"`
	Digest   string `json:"digest"`
}

// Fingerprint is what decides whether a step must run again. Text the user
// wrote is recorded as digests (commands may carry whole programs, env may
// carry anything); names are recorded as they are so that the file explains
// itself.
type Fingerprint struct {
	Command string `json:"command"`
	Image   string `json:"image,omitempty"`
	// ImageID is the ID of the image the step ran in with container
	// isolation; empty on the host.
	ImageID  string   `json:"image_id,omitempty"`
	Env      string   `json:"env"`
	Settings string   `json:"settings"`
	Secrets  []string `json:"secrets,omitempty"`
	Volumes  []string `json:"volumes,omitempty"`
	// Outputs is the digest of the declared outputs (names, paths, types).
	OutputDecl string `json:"output_decl"`
	// Inputs maps an input name to the digest of its declaration and
	// content.
	Inputs map[string]string `json:"inputs,omitempty"`
	// Watch maps a watched file to the digest of its content.
	Watch map[string]string `json:"watch,omitempty"`
}

// ReadLock reads the lock file at path, with the records its journal holds
// (see lockWriter): those of a run that was killed before it could write
// the lock itself. A missing file is an empty lock.
func ReadLock(path string) (*Lock, error) {
	l, _, err := readLock(path)
	return l, err
}

// readLock is ReadLock that also says whether a journal was replayed.
func readLock(path string) (*Lock, bool, error) {
	data, err := os.ReadFile(path)
	var l *Lock
	switch {
	case errors.Is(err, fs.ErrNotExist):
		l = &Lock{Version: LockVersion, Steps: map[string]*LockStep{}}
	case err != nil:
		return nil, false, err
	default:
		if l, err = parseLock(path, data); err != nil {
			return nil, false, err
		}
	}
	journal, err := os.ReadFile(journalPath(path))
	if errors.Is(err, fs.ErrNotExist) {
		return l, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	replayJournal(l, journal)
	return l, true, nil
}

// LockAhead is a lock file read ahead of a run, on its own goroutine,
// while the pipeline loads: decoding a large lock is a good part of a run
// that finds every step up to date, and loading leaves a processor idle.
// The run uses what was read only when the lock file and its journal are
// still the files that were read; otherwise it reads them again.
type LockAhead struct {
	path     string
	done     chan struct{}
	lock     *Lock
	replayed bool
	err      error
	files    lockFiles
}

// ReadLockAhead starts reading the lock file at path (and its journal);
// Options.LockAhead hands the reading to the run.
func ReadLockAhead(path string) *LockAhead {
	a := &LockAhead{path: path, done: make(chan struct{})}
	go func() {
		defer close(a.done)
		// Identified before reading: a file that changes from here on
		// differs from this identity when the run takes the lock.
		a.files = statLockFiles(path)
		a.lock, a.replayed, a.err = readLock(path)
	}()
	return a
}

// read returns the lock at path as readLock does: what was read ahead when
// it was read for path and the files did not change since, else a fresh
// read. A nil LockAhead reads.
func (a *LockAhead) read(path string) (*Lock, bool, error) {
	if a == nil || a.path != path {
		return readLock(path)
	}
	<-a.done
	if !a.files.same(statLockFiles(path)) {
		return readLock(path)
	}
	return a.lock, a.replayed, a.err
}

// lockFiles identifies the lock file and its journal as they are on disk.
type lockFiles struct{ lock, journal os.FileInfo }

func statLockFiles(path string) lockFiles {
	var f lockFiles
	f.lock, _ = os.Stat(path)
	f.journal, _ = os.Stat(journalPath(path))
	return f
}

func (f lockFiles) same(g lockFiles) bool {
	return sameFileVersion(f.lock, g.lock) && sameFileVersion(f.journal, g.journal)
}

// sameFileVersion says whether a and b are the same file (or both absent)
// with the same size and modification time: the lock is replaced by
// renaming a new file over it, the journal grows by appending.
func sameFileVersion(a, b os.FileInfo) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return os.SameFile(a, b) && a.Size() == b.Size() && a.ModTime().Equal(b.ModTime())
}

func parseLock(path string, data []byte) (*Lock, error) {
	var l Lock
	if err := json.Unmarshal(data, &l); err != nil {
		return nil, fmt.Errorf("%s: not a valid lock file (%v); remove it to run every step again", path, err)
	}
	if l.Version != LockVersion {
		return nil, fmt.Errorf("%s: lock file version %q is not supported (this wurzel reads %q)", path, l.Version, LockVersion)
	}
	if l.Steps == nil {
		l.Steps = map[string]*LockStep{}
	}
	return &l, nil
}

// Marshal encodes the lock deterministically, indented, with a final
// newline.
func (l *Lock) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(l); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeFileAtomic writes data to path so that a reader, or a process started
// after a crash, sees either the old content or the new, never a mix.
func writeFileAtomic(path string, data []byte) error {
	return atomicfile.WriteFile(path, data, 0o644, true)
}

// The lock's journal is a file beside it (wurzel.lock.journal) that a
// run appends each recorded step to, one JSON line per step, so that
// recording a step costs one small write however large the lock, and a
// run killed at any moment, SIGKILL included, loses no step that
// succeeded: the next run replays the journal over the lock. The run
// writes the whole lock once, at its end, and removes the journal.
//
// The first line names the journal's version and pipeline; each further
// line is a journalEntry. A line cut short (a crash of the machine while
// it was written) ends the replay: what follows cannot be trusted, and a
// step that is not replayed only runs again.
const journalVersion = "wurzel.dev/lock-journal/v1"

func journalPath(lockPath string) string { return lockPath + ".journal" }

type journalHeader struct {
	Version  string `json:"version"`
	Pipeline string `json:"pipeline"`
}

type journalEntry struct {
	Step string    `json:"step"`
	Run  *LockStep `json:"run"`
}

// replayJournal applies a journal's entries to l and notes their steps in
// l.journaled. A journal of another pipeline or version, which no run of
// this lock wrote, is ignored.
func replayJournal(l *Lock, data []byte) {
	line, rest, ok := bytes.Cut(data, []byte("\n"))
	var h journalHeader
	if !ok || json.Unmarshal(line, &h) != nil || h.Version != journalVersion {
		return
	}
	if l.Pipeline == "" && len(l.Steps) == 0 {
		l.Pipeline = h.Pipeline // the journal of the first run
	}
	if h.Pipeline != l.Pipeline {
		return
	}
	for {
		line, rest, ok = bytes.Cut(rest, []byte("\n"))
		if !ok {
			return // empty, or a line cut short
		}
		var e journalEntry
		if json.Unmarshal(line, &e) != nil || e.Step == "" || e.Run == nil {
			return
		}
		l.Steps[e.Step] = e.Run
		l.journaled = append(l.journaled, e.Step)
	}
}

// dropUnsyncedRecords removes from l the records replayed from a journal
// whose local manifest is not the whole manifest of that run: a crash of
// the machine can leave a journal line on disk while the manifest it
// names, whose sync was still pending, is empty or gone. Those steps run
// again; a record whose manifest is whole loses nothing.
func dropUnsyncedRecords(l *Lock, pipelineDir string) {
	for _, name := range l.journaled {
		rec := l.Steps[name]
		if rec == nil || isS3(rec.Manifest) {
			continue // S3 writes are durable when they succeed
		}
		data, err := os.ReadFile(absLocation(pipelineDir, rec.Manifest))
		if err == nil {
			_, err = parseManifest(data, name, rec.RunID)
		}
		if err != nil {
			delete(l.Steps, name)
		}
	}
	l.journaled = nil
}

// lockWriter owns the lock while a run records steps. A recorded step is
// appended to the journal at once, with one write: it survives the death
// of the process. The journal is made durable (fsync) in groups, by a
// goroutine, at most every journalSyncInterval, so that steps finishing
// together share one fsync and never wait for it; a crash of the machine
// loses at most the steps of that interval, which then run again. The
// steps' manifests, which the runner leaves unsynced
// (runner.Options.DeferManifestSync), are synced in the same group, just
// before the journal; a journal line that reached the disk before its
// manifest did is dropped when the journal is replayed
// (dropUnsyncedRecords). The whole lock is written once, when the run
// ends, after every manifest it names is synced.
type lockWriter struct {
	path string

	mu      sync.Mutex
	lock    *Lock
	dirty   bool // steps were recorded since the lock was written
	journal *os.File
	fresh   bool // the journal's directory entry is not durable yet
	// unsynced are the manifests of the steps recorded since the last
	// sync, by path.
	unsynced []string
	err      error
	// syncFiles makes files durable: atomicfile.SyncFiles, but for tests.
	syncFiles func(paths []string) error

	wake chan struct{}
	done chan struct{}
}

// journalSyncInterval is the longest a recorded step waits for its
// journal line to be made durable.
const journalSyncInterval = 50 * time.Millisecond

func newLockWriter(path string, l *Lock) *lockWriter {
	w := &lockWriter{path: path, lock: l, wake: make(chan struct{}, 1), done: make(chan struct{}), syncFiles: atomicfile.SyncFiles}
	go w.syncLoop()
	return w
}

// compact writes the whole lock now and removes the journal. A run does it
// before it records anything when the lock it read is not the file on
// disk (a journal was replayed, or steps of another pipeline or no longer
// in this one were dropped), so that the journal it writes always applies
// to the file beside it.
func (w *lockWriter) compact() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.writeLocked()
}

// record stores a step's successful run and appends it to the journal.
// manifest is the path of the run's local manifest, to sync with the
// journal; empty when there is none to sync (an S3 manifest).
func (w *lockWriter) record(name string, s *LockStep, manifest string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.lock.Steps[name] = s
	w.dirty = true
	if manifest != "" {
		w.unsynced = append(w.unsynced, manifest)
	}
	if err := w.appendLocked(name, s); err != nil && w.err == nil {
		w.err = fmt.Errorf("writing %s: %w", journalPath(w.path), err)
	}
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// appendLocked appends one entry to the journal, creating it with its
// header first. One write per entry: a process killed meanwhile leaves
// whole lines or none.
func (w *lockWriter) appendLocked(name string, s *LockStep) error {
	var buf bytes.Buffer
	if w.journal == nil {
		f, err := os.OpenFile(journalPath(w.path), os.O_WRONLY|os.O_CREATE|os.O_TRUNC|os.O_APPEND, 0o644)
		if err != nil {
			return err
		}
		w.journal, w.fresh = f, true
		if err := writeJSONLine(&buf, journalHeader{Version: journalVersion, Pipeline: w.lock.Pipeline}); err != nil {
			return err
		}
	}
	if err := writeJSONLine(&buf, journalEntry{Step: name, Run: s}); err != nil {
		return err
	}
	_, err := w.journal.Write(buf.Bytes())
	return err
}

func writeJSONLine(buf *bytes.Buffer, v any) error {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	return enc.Encode(v) // one line, with its newline
}

// get returns the recorded run of step name, or nil.
func (w *lockWriter) get(name string) *LockStep {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.lock.Steps[name]
}

// syncLoop makes the journal durable after steps were recorded, at most
// once per journalSyncInterval.
func (w *lockWriter) syncLoop() {
	defer close(w.done)
	for range w.wake {
		start := time.Now()
		w.syncJournal()
		time.Sleep(journalSyncInterval - time.Since(start))
	}
}

func (w *lockWriter) syncJournal() {
	w.mu.Lock()
	f, fresh := w.journal, w.fresh
	w.fresh = false
	w.mu.Unlock()
	// Fsync outside the lock: recording goes on meanwhile. The manifests
	// first, so that the journal never is durable before them.
	if err := w.syncManifests(); err != nil {
		w.fail(err)
		return
	}
	if f == nil {
		return
	}
	err := f.Sync()
	if err == nil && fresh {
		err = atomicfile.SyncDir(filepath.Dir(w.path))
	}
	if err != nil && !errors.Is(err, os.ErrClosed) {
		w.fail(fmt.Errorf("writing %s: %w", journalPath(w.path), err))
	}
}

// syncManifests syncs the manifests recorded since the last call, all at
// once (one syncfs for a group of them, see atomicfile.SyncFiles). One
// that is gone (the store was cleaned meanwhile) needs nothing.
func (w *lockWriter) syncManifests() error {
	w.mu.Lock()
	paths := w.unsynced
	w.unsynced = nil
	w.mu.Unlock()
	if len(paths) == 0 {
		return nil
	}
	if err := w.syncFiles(paths); err != nil {
		return fmt.Errorf("syncing the steps' manifests: %w", err)
	}
	return nil
}

// fail keeps the first error.
func (w *lockWriter) fail(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil {
		w.err = err
	}
}

// writeLocked writes the whole lock atomically and then removes the
// journal, whose entries it holds.
func (w *lockWriter) writeLocked() error {
	data, err := w.lock.Marshal()
	if err == nil {
		err = writeFileAtomic(w.path, data)
	}
	if err == nil {
		if w.journal != nil {
			w.journal.Close()
			w.journal = nil
		}
		if rerr := os.Remove(journalPath(w.path)); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
			err = rerr
		}
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", w.path, err)
	}
	w.dirty = false
	return nil
}

// close writes the lock if steps were recorded and returns the first
// error. When the lock cannot be written the journal stays, and the next
// run replays it.
func (w *lockWriter) close() error {
	if w.wake != nil {
		close(w.wake)
		<-w.done
	}
	// The lock names every recorded manifest: they are durable first.
	if err := w.syncManifests(); err != nil {
		w.fail(err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.dirty {
		if err := w.writeLocked(); err != nil && w.err == nil {
			w.err = err
		}
	}
	if w.journal != nil {
		w.journal.Close()
		w.journal = nil
	}
	return w.err
}
