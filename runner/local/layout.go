package local

import (
	"path/filepath"

	"github.com/wurzel-dev/wurzel/ir"
)

// layout is the local executor's backend.Layout: the step's work directory
// in the local store, outputs and manifest in the (local or S3) store under
// the run id, inputs where the lock or this run says their producer put
// them, secrets and volumes at their local directories.
type layout struct {
	pipelineDir string
	localRoot   string // absolute local store directory
	store       store
	runID       string
	// producer returns the recorded run of a step whose outputs this run
	// reads: the one of this run when the step ran, the lock's otherwise.
	producer func(step string) *LockStep
}

// stepDir is the local directory of step s in this run.
func (l *layout) stepDir(step string) string {
	return filepath.Join(l.localRoot, "runs", l.runID, step)
}

func (l *layout) Workdir(s *ir.Step) string { return filepath.Join(l.stepDir(s.Name), "work") }

func (l *layout) OutputLocation(s *ir.Step, out *ir.Output) string {
	return l.store.location("runs", l.runID, s.Name, "outputs", out.Name)
}

func (l *layout) ManifestLocation(s *ir.Step) string {
	return l.store.location("runs", l.runID, s.Name, "manifest.json")
}

func (l *layout) InputLocation(_ *ir.Step, _ *ir.Input, from ir.Producer) string {
	if rec := l.producer(from.Step); rec != nil {
		if o, ok := rec.Outputs[from.Output]; ok {
			return absLocation(l.pipelineDir, o.Location)
		}
	}
	return ""
}

func (l *layout) InputManifest(_ *ir.Step, _ *ir.Input, from ir.Producer) string {
	if rec := l.producer(from.Step); rec != nil {
		return absLocation(l.pipelineDir, rec.Manifest)
	}
	return ""
}

func (l *layout) SecretMount(sec *ir.Secret) (string, map[string]string) {
	if sec.Local == nil {
		return "", nil
	}
	if len(sec.Local.Env) > 0 {
		return "", sec.Local.Env
	}
	return l.abs(sec.Local.Dir), nil
}

func (l *layout) VolumePath(v *ir.Volume) string { return l.abs(volumeDir(v)) }

// abs resolves a path of the IR against the pipeline directory.
func (l *layout) abs(p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(l.pipelineDir, filepath.FromSlash(p))
}

// volumeDir is the local directory of a volume (the front end applies its
// default).
func volumeDir(v *ir.Volume) string { return v.LocalDir }
