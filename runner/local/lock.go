package local

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
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

// ReadLock reads the lock file at path. A missing file is an empty lock.
func ReadLock(path string) (*Lock, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &Lock{Version: LockVersion, Steps: map[string]*LockStep{}}, nil
	}
	if err != nil {
		return nil, err
	}
	var l Lock
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&l); err != nil {
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

// lockWriter owns the lock while a run records steps. Steps finish in
// bursts; rather than rewriting the file once per step, a single goroutine
// writes the latest state whenever it changed, so a write never holds up a
// step and the file on disk is always one consistent snapshot.
type lockWriter struct {
	path string

	mu    sync.Mutex
	lock  *Lock
	dirty bool
	err   error

	wake chan struct{}
	done chan struct{}
}

func newLockWriter(path string, l *Lock) *lockWriter {
	w := &lockWriter{path: path, lock: l, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go w.loop()
	return w
}

// record stores a step's successful run and schedules a write.
func (w *lockWriter) record(name string, s *LockStep) {
	w.mu.Lock()
	w.lock.Steps[name] = s
	w.dirty = true
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// get returns the recorded run of step name, or nil.
func (w *lockWriter) get(name string) *LockStep {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.lock.Steps[name]
}

func (w *lockWriter) loop() {
	defer close(w.done)
	for range w.wake {
		took := w.flush()
		// Keep the writer's duty cycle low on big pipelines, where one
		// write of the whole file costs milliseconds: a step recorded a
		// little later is only re-run if wurzel is killed in between.
		pause := 10 * took
		if pause > time.Second {
			pause = time.Second
		}
		time.Sleep(pause)
	}
	w.flush()
}

// flush writes the lock if it changed and returns how long that took.
func (w *lockWriter) flush() time.Duration {
	start := time.Now()
	w.mu.Lock()
	if !w.dirty {
		w.mu.Unlock()
		return 0
	}
	// Recorded steps are never modified, only replaced: a shallow copy is
	// a consistent snapshot, encoded without holding up the workers.
	snap := &Lock{Version: w.lock.Version, Pipeline: w.lock.Pipeline, Steps: make(map[string]*LockStep, len(w.lock.Steps))}
	for k, v := range w.lock.Steps {
		snap.Steps[k] = v
	}
	w.dirty = false
	w.mu.Unlock()
	data, err := snap.Marshal()
	if err == nil {
		err = writeFileAtomic(w.path, data)
	}
	if err != nil {
		w.mu.Lock()
		if w.err == nil {
			w.err = fmt.Errorf("writing %s: %w", w.path, err)
		}
		w.mu.Unlock()
	}
	return time.Since(start)
}

// close writes any pending change and returns the first write error.
func (w *lockWriter) close() error {
	close(w.wake)
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}
