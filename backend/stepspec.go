package backend

import (
	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

// Layout tells StepSpec where a back end keeps a step's data. Each back end
// (Argo pods, DVC's project directory, the local store) has its own.
type Layout interface {
	// Workdir is the directory the step's command runs in; empty lets the
	// runner choose a temporary one.
	Workdir(s *ir.Step) string
	// OutputLocation is where the runner publishes output out of step s;
	// empty when the back end collects it from the work directory itself.
	OutputLocation(s *ir.Step, out *ir.Output) string
	// ManifestLocation is where step s writes its manifest.
	ManifestLocation(s *ir.Step) string
	// InputLocation is where consumer finds the output ref points at; empty
	// when the back end has already placed it at the input's path.
	InputLocation(consumer *ir.Step, in *ir.Input) string
	// InputManifest is where consumer finds the manifest of the step that
	// produced input in.
	InputManifest(consumer *ir.Step, in *ir.Input) string
	// SecretMount returns the directory holding the secret's key files, or,
	// for secrets read from environment variables, an empty dir and the map
	// from key to variable name.
	SecretMount(sec *ir.Secret) (dir string, fromEnv map[string]string)
	// VolumePath is where the volume is mounted for the step.
	VolumePath(v *ir.Volume) string
}

// StepSpec builds the runner's spec for step s of pipeline p, with the
// locations l gives.
func StepSpec(p *ir.Pipeline, s *ir.Step, l Layout) *spec.Step {
	out := &spec.Step{
		Version:  spec.Version,
		Pipeline: p.Name,
		Step:     s.Name,
		Image:    s.Image,
		Command:  append([]string(nil), s.Command...),
		Env:      StepEnv(s),
		Workdir:  l.Workdir(s),
		Manifest: l.ManifestLocation(s),
		Sources:  sourcePolicy(p.Sources),
	}
	for i := range s.Inputs {
		out.Inputs = append(out.Inputs, specInput(s, &s.Inputs[i], l))
	}
	for i := range s.Outputs {
		o := &s.Outputs[i]
		out.Outputs = append(out.Outputs, spec.Output{Name: o.Name, Path: o.Path, Kind: string(o.Kind), Type: o.Type, Location: l.OutputLocation(s, o)})
	}
	for _, name := range s.Secrets {
		if sec := p.Secret(name); sec != nil {
			out.Secrets = append(out.Secrets, specSecret(sec, l))
		}
	}
	for _, name := range s.Volumes {
		if v := p.Volume(name); v != nil {
			out.Volumes = append(out.Volumes, spec.Volume{Name: v.Name, Path: l.VolumePath(v), ReadOnly: v.ReadOnly})
		}
	}
	if s.Timeout > 0 {
		out.TimeoutSeconds = int64(s.Timeout.Seconds())
	}
	return out
}

// StepEnv is the environment a step's command gets from the pipeline: its env
// plus its settings as <STEP>__<KEY>. A setting wins over an env entry of the
// same name (the front end reports that clash).
func StepEnv(s *ir.Step) map[string]string {
	if len(s.Env) == 0 && len(s.Settings) == 0 {
		return nil
	}
	env := make(map[string]string, len(s.Env)+len(s.Settings))
	for k, v := range s.Env {
		env[k] = v
	}
	for _, st := range s.Settings {
		env[st.EnvName] = st.Value
	}
	return env
}

func specInput(s *ir.Step, in *ir.Input, l Layout) spec.Input {
	si := spec.Input{Name: in.Name, Path: in.Path, Type: in.Type, Source: in.Source}
	if in.From != nil {
		si.From = &spec.Ref{
			Step:     in.From.Step,
			Output:   in.From.Output,
			Location: l.InputLocation(s, in),
			Manifest: l.InputManifest(s, in),
		}
	}
	return si
}

func specSecret(sec *ir.Secret, l Layout) spec.Secret {
	dir, fromEnv := l.SecretMount(sec)
	return spec.Secret{
		Name:      sec.Name,
		Keys:      append([]string(nil), sec.Keys...),
		Dir:       dir,
		FromEnv:   fromEnv,
		ExportEnv: sec.ExportEnv,
	}
}

func sourcePolicy(p ir.SourcePolicy) spec.SourcePolicy {
	return spec.SourcePolicy{
		AllowedSchemes: append([]string(nil), p.AllowedSchemes...),
		AllowedHosts:   append([]string(nil), p.AllowedHosts...),
		TimeoutSeconds: int64(p.Timeout.Seconds()),
		MaxBytes:       p.MaxBytes,
	}
}
