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
	p       *ir.Pipeline
	dataDir string
}

func newLayout(p *ir.Pipeline) layout {
	return layout{p: p, dataDir: dataDir(p)}
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

// outputPath is where output of step lives: <data_dir>/<step>/<output>.
// A metric or plot keeps the extension of its path, since DVC reads it
// by its extension (a CSV plot named without one would be read as YAML).
func (l layout) outputPath(step, output string) string {
	name := output
	if s := l.p.Step(step); s != nil && roleOf(s, output) != roleOut {
		if o := outputOf(s, output); o != nil {
			name += path.Ext(o.Path)
		}
	}
	return path.Join(l.stepDir(step), name)
}

func outputOf(s *ir.Step, name string) *ir.Output {
	for i := range s.Outputs {
		if s.Outputs[i].Name == name {
			return &s.Outputs[i]
		}
	}
	return nil
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
