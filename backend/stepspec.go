package backend

import (
	"fmt"

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
	// InputLocation is where consumer finds the output that from, one of
	// in.Producers(), published; empty when the back end has already
	// placed it at the input's path (for a fan-in input, at path/<key>).
	InputLocation(consumer *ir.Step, in *ir.Input, from ir.Producer) string
	// InputManifest is where consumer finds the manifest of the step that
	// published from, one of in.Producers().
	InputManifest(consumer *ir.Step, in *ir.Input, from ir.Producer) string
	// SecretMount returns the directory holding the secret's key files, or,
	// for secrets read from environment variables, an empty dir and the map
	// from key to variable name.
	SecretMount(sec *ir.Secret) (dir string, fromEnv map[string]string)
	// VolumePath is where the volume is mounted for the step.
	VolumePath(v *ir.Volume) string
}

// ParamLayout is a Layout whose back end lets runtime variables
// (ir.Variable.Runtime) be set when the pipeline runs. StepSpec then names
// them in the spec's Params, and leaves their values out, for the runner
// to read from where ParamSource says.
type ParamLayout interface {
	Layout
	// ParamSource is where the runner finds the values: spec.Params with
	// File or Dir set; nil when the pipeline takes every value when it is
	// generated.
	ParamSource(p *ir.Pipeline) *spec.Params
}

// VolatileLayout is a Layout whose manifest locations do not outlive the
// machine a step runs on and are read there (a pod's emptyDir, collected
// by the back end's own executor when the command ends). StepSpec then
// sets the spec's VolatileManifest: the runner need not sync what a crash
// of the machine would take with it anyway.
type VolatileLayout interface {
	Layout
	// VolatileManifest reports whether step s's manifest location is
	// such a one.
	VolatileManifest(s *ir.Step) bool
}

// ContainedLayout is a Layout whose steps' runners each run in a container
// that ends when the runner does, and whose end kills every process left
// in it and discards its files (a pod's main container, whose executor
// exits with the runner). StepSpec then sets the spec's Contained: the
// runner starts no guardian, since the container's end does its work.
type ContainedLayout interface {
	Layout
	// Contained reports whether step s's runner runs in such a container.
	Contained(s *ir.Step) bool
}

// StepSpec builds the runner's spec for step s of pipeline p, with the
// locations l gives.
func StepSpec(p *ir.Pipeline, s *ir.Step, l Layout) *spec.Step {
	out := &spec.Step{
		Version:  spec.Version,
		Pipeline: p.Name,
		Step:     s.Name,
		EachKey:  eachKey(s),
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
	if vl, ok := l.(VolatileLayout); ok {
		out.VolatileManifest = vl.VolatileManifest(s)
	}
	if cl, ok := l.(ContainedLayout); ok {
		out.Contained = cl.Contained(s)
	}
	if pl, ok := l.(ParamLayout); ok && len(s.Bindings) > 0 {
		if src := pl.ParamSource(p); src != nil {
			out.Params = stepParams(p, s, out, *src)
		}
	}
	return out
}

// stepParams moves the step's values made of runtime variables from out's
// command and env to Params: the spec names the variables, not their
// values.
func stepParams(p *ir.Pipeline, s *ir.Step, out *spec.Step, src spec.Params) *spec.Params {
	params := &spec.Params{File: src.File, Dir: src.Dir, Types: map[string]string{}}
	for _, b := range s.Bindings {
		v := make(spec.Value, len(b.Parts))
		for i, part := range b.Parts {
			v[i] = spec.Part{Text: part.Text, Var: part.Var}
			if part.Var != "" {
				params.Types[part.Var] = ParamType(p.Variable(part.Var))
			}
		}
		if b.Arg >= 0 {
			out.Command[b.Arg] = ""
			params.Args = append(params.Args, spec.ArgValue{Index: b.Arg, Value: v})
			continue
		}
		delete(out.Env, b.Env)
		if params.Env == nil {
			params.Env = map[string]spec.Value{}
		}
		params.Env[b.Env] = v
	}
	if len(out.Env) == 0 {
		out.Env = nil
	}
	return params
}

// ParamType is the type of a runtime variable as the step spec names it.
func ParamType(v *ir.Variable) string {
	switch {
	case v == nil:
		return ""
	case v.Type == "number":
		return spec.TypeNumber
	case v.Type == "bool":
		return spec.TypeBool
	}
	return spec.TypeString
}

// ParamText is a runtime variable's generate-time value as text, as the
// runner renders it: the default of an Argo parameter, say.
func ParamText(v *ir.Variable) string {
	switch x := v.Value.(type) {
	case string:
		return x
	case bool:
		if x {
			return "true"
		}
		return "false"
	case nil:
		return ""
	}
	return fmt.Sprint(v.Value)
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

func eachKey(s *ir.Step) string {
	if s.Instance == nil {
		return ""
	}
	return s.Instance.Key
}

func specInput(s *ir.Step, in *ir.Input, l Layout) spec.Input {
	si := spec.Input{Name: in.Name, Path: in.Path, Type: in.Type, Source: in.Source}
	ref := func(p ir.Producer) spec.Ref {
		return spec.Ref{Step: p.Step, Output: p.Output, Location: l.InputLocation(s, in, p), Manifest: l.InputManifest(s, in, p)}
	}
	producers := in.Producers()
	switch {
	case in.From != nil:
		r := ref(producers[0])
		si.From = &r
	case in.FanIn != nil:
		si.FanIn = make([]spec.Instance, len(producers))
		for i, p := range producers {
			si.FanIn[i] = spec.Instance{Key: p.Key, Ref: ref(p)}
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
