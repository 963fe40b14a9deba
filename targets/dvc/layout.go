package dvc

import (
	"path"

	"github.com/wurzel-dev/wurzel/ir"
)

const (
	// specDir holds the step specs. It is committed with dvc.yaml (unlike
	// .wurzel/, which is local state), so DVC can track each spec as a dep.
	specDir = "wurzel/steps"
	// manifestName is the manifest's file name inside a step's data
	// directory. Output names cannot contain ".", so it never collides with
	// an output.
	manifestName = "manifest.json"
)

// layout places a step's data inside the DVC project. Every location is
// relative to the project directory, which is where DVC starts the runner.
type layout struct {
	dataDir string
}

func newLayout(p *ir.Pipeline) layout {
	return layout{dataDir: dataDir(p)}
}

// dataDir is the pipeline's data directory, cleaned, in slash form.
func dataDir(p *ir.Pipeline) string {
	return path.Clean(optionsOf(p).DataDir.Value)
}

// specPath is where the spec of step name lives.
func specPath(name string) string {
	return specDir + "/" + name + ".json"
}

// stepDir is the directory holding everything step name writes.
func (l layout) stepDir(step string) string {
	return path.Join(l.dataDir, step)
}

func (l layout) outputPath(step, output string) string {
	return path.Join(l.stepDir(step), output)
}

func (l layout) manifestPath(step string) string {
	return path.Join(l.stepDir(step), manifestName)
}

// Workdir is empty: the runner runs the command in a fresh temporary
// directory and copies the outputs to their locations, so the project holds
// nothing but declared outs.
func (l layout) Workdir(*ir.Step) string { return "" }

func (l layout) OutputLocation(s *ir.Step, out *ir.Output) string {
	return l.outputPath(s.Name, out.Name)
}

func (l layout) ManifestLocation(s *ir.Step) string {
	return l.manifestPath(s.Name)
}

func (l layout) InputLocation(_ *ir.Step, _ *ir.Input, from ir.Producer) string {
	return l.outputPath(from.Step, from.Output)
}

func (l layout) InputManifest(_ *ir.Step, _ *ir.Input, from ir.Producer) string {
	return l.manifestPath(from.Step)
}

// SecretMount reads secrets from their local source: a directory relative
// to the pipeline directory, or the runner's environment.
func (l layout) SecretMount(sec *ir.Secret) (string, map[string]string) {
	if sec.Local == nil {
		return "", nil
	}
	if sec.Local.Dir != "" {
		return path.Clean(sec.Local.Dir), nil
	}
	return "", sec.Local.Env
}

// VolumePath is the volume's local directory.
func (l layout) VolumePath(v *ir.Volume) string {
	return volumeDir(v)
}

func volumeDir(v *ir.Volume) string {
	return path.Clean(v.LocalDir)
}
