package spec

import "github.com/wurzel-dev/wurzel/internal/jsonmap"

// decodeFast decodes a spec without reflection (package internal/jsonmap).
// encoding/json's first look at the spec's types (cachedTypeFields, for
// every struct a spec holds) costs a step's runner 0.2 to 0.3 ms at its
// start, more than reading the spec; this decoder costs a tenth of that.
// It reports false for what it leaves to encoding/json, and Parse hands
// the spec over, which decides and words the error. FuzzDecodeFastAgrees
// holds it to encoding/json.
//
// A field added to Step or to one of its types needs a case here; until it
// has one, specs that use it take the slower path (TestDecodeFastReadsEveryField
// fails).
func decodeFast(data []byte) (*Step, bool) {
	var s Step
	if !jsonmap.Decode(data, func(l *jsonmap.Lexer) { jsonmap.Struct(l, &s, stepField) }) {
		return nil, false
	}
	return &s, true
}

func stepField(l *jsonmap.Lexer, s *Step, name string) {
	switch name {
	case "version":
		s.Version = jsonmap.String(l)
	case "pipeline":
		s.Pipeline = jsonmap.String(l)
	case "step":
		s.Step = jsonmap.String(l)
	case "each_key":
		s.EachKey = jsonmap.String(l)
	case "image":
		s.Image = jsonmap.String(l)
	case "command":
		s.Command = jsonmap.Array(l, jsonmap.StringElem)
	case "env":
		s.Env = jsonmap.Map(l, jsonmap.StringElem)
	case "workdir":
		s.Workdir = jsonmap.String(l)
	case "inputs":
		s.Inputs = jsonmap.Array(l, func(l *jsonmap.Lexer, in *Input) { jsonmap.Struct(l, in, inputField) })
	case "outputs":
		s.Outputs = jsonmap.Array(l, func(l *jsonmap.Lexer, o *Output) { jsonmap.Struct(l, o, outputField) })
	case "manifest":
		s.Manifest = jsonmap.String(l)
	case "volatile_manifest":
		s.VolatileManifest = jsonmap.Bool(l)
	case "contained":
		s.Contained = jsonmap.Bool(l)
	case "secrets":
		s.Secrets = jsonmap.Array(l, func(l *jsonmap.Lexer, sec *Secret) { jsonmap.Struct(l, sec, secretField) })
	case "volumes":
		s.Volumes = jsonmap.Array(l, func(l *jsonmap.Lexer, v *Volume) { jsonmap.Struct(l, v, volumeField) })
	case "params":
		s.Params = jsonmap.Pointer(l, paramsField)
	case "timeout_seconds":
		s.TimeoutSeconds = jsonmap.Int64(l)
	case "sources":
		jsonmap.Struct(l, &s.Sources, sourcesField)
	default:
		jsonmap.Unknown(l)
	}
}

func paramsField(l *jsonmap.Lexer, p *Params, name string) {
	switch name {
	case "file":
		p.File = jsonmap.String(l)
	case "dir":
		p.Dir = jsonmap.String(l)
	case "types":
		p.Types = jsonmap.Map(l, jsonmap.StringElem)
	case "args":
		p.Args = jsonmap.Array(l, func(l *jsonmap.Lexer, a *ArgValue) { jsonmap.Struct(l, a, argField) })
	case "env":
		p.Env = jsonmap.Map(l, valueElem)
	default:
		jsonmap.Unknown(l)
	}
}

func argField(l *jsonmap.Lexer, a *ArgValue, name string) {
	switch name {
	case "index":
		a.Index = jsonmap.Int(l)
	case "value":
		valueElem(l, &a.Value)
	default:
		jsonmap.Unknown(l)
	}
}

func valueElem(l *jsonmap.Lexer, v *Value) {
	*v = jsonmap.Array(l, func(l *jsonmap.Lexer, p *Part) { jsonmap.Struct(l, p, partField) })
}

func partField(l *jsonmap.Lexer, p *Part, name string) {
	switch name {
	case "text":
		p.Text = jsonmap.String(l)
	case "var":
		p.Var = jsonmap.String(l)
	default:
		jsonmap.Unknown(l)
	}
}

func inputField(l *jsonmap.Lexer, in *Input, name string) {
	switch name {
	case "name":
		in.Name = jsonmap.String(l)
	case "path":
		in.Path = jsonmap.String(l)
	case "type":
		in.Type = jsonmap.String(l)
	case "source":
		in.Source = jsonmap.String(l)
	case "from":
		in.From = jsonmap.Pointer(l, refField)
	case "fan_in":
		in.FanIn = jsonmap.Array(l, func(l *jsonmap.Lexer, i *Instance) { jsonmap.Struct(l, i, instanceField) })
	default:
		jsonmap.Unknown(l)
	}
}

// instanceField reads an Instance, whose Ref is embedded: its fields are
// the instance's own.
func instanceField(l *jsonmap.Lexer, i *Instance, name string) {
	if name == "key" {
		i.Key = jsonmap.String(l)
		return
	}
	refField(l, &i.Ref, name)
}

func refField(l *jsonmap.Lexer, r *Ref, name string) {
	switch name {
	case "step":
		r.Step = jsonmap.String(l)
	case "output":
		r.Output = jsonmap.String(l)
	case "location":
		r.Location = jsonmap.String(l)
	case "manifest":
		r.Manifest = jsonmap.String(l)
	default:
		jsonmap.Unknown(l)
	}
}

func outputField(l *jsonmap.Lexer, o *Output, name string) {
	switch name {
	case "name":
		o.Name = jsonmap.String(l)
	case "path":
		o.Path = jsonmap.String(l)
	case "kind":
		o.Kind = jsonmap.String(l)
	case "type":
		o.Type = jsonmap.String(l)
	case "location":
		o.Location = jsonmap.String(l)
	default:
		jsonmap.Unknown(l)
	}
}

func secretField(l *jsonmap.Lexer, s *Secret, name string) {
	switch name {
	case "name":
		s.Name = jsonmap.String(l)
	case "keys":
		s.Keys = jsonmap.Array(l, jsonmap.StringElem)
	case "dir":
		s.Dir = jsonmap.String(l)
	case "from_env":
		s.FromEnv = jsonmap.Map(l, jsonmap.StringElem)
	case "export_env":
		s.ExportEnv = jsonmap.Map(l, jsonmap.StringElem)
	default:
		jsonmap.Unknown(l)
	}
}

func volumeField(l *jsonmap.Lexer, v *Volume, name string) {
	switch name {
	case "name":
		v.Name = jsonmap.String(l)
	case "path":
		v.Path = jsonmap.String(l)
	case "read_only":
		v.ReadOnly = jsonmap.Bool(l)
	default:
		jsonmap.Unknown(l)
	}
}

func sourcesField(l *jsonmap.Lexer, p *SourcePolicy, name string) {
	switch name {
	case "allowed_schemes":
		p.AllowedSchemes = jsonmap.Array(l, jsonmap.StringElem)
	case "allowed_hosts":
		p.AllowedHosts = jsonmap.Array(l, jsonmap.StringElem)
	case "timeout_seconds":
		p.TimeoutSeconds = jsonmap.Int64(l)
	case "max_bytes":
		p.MaxBytes = jsonmap.Int64(l)
	default:
		jsonmap.Unknown(l)
	}
}
