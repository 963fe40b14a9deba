package spec

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/mailru/easyjson/jlexer"
)

// errFallback stops the fast decoder: encoding/json decides.
var errFallback = errors.New("spec: left to encoding/json")

// decodeFast decodes a spec without reflection. encoding/json's first look
// at the spec's types (cachedTypeFields, for every struct a spec holds)
// costs a step's runner 0.2 to 0.3 ms at its start, more than reading the
// spec; this decoder costs a tenth of that. It takes only what
// encoding/json would decode to the same Step: valid JSON in UTF-8 (which
// encoding/json checks first), an object with the spec's field names as
// they are spelt, each once, and values of the fields' types. For anything
// else it reports false, and Parse hands the spec to encoding/json, which
// decides and words the error. FuzzDecodeFastAgrees holds it to that.
//
// A field added to Step or to one of its types needs a case here; until it
// has one, specs that use it take the slower path (TestDecodeFastReadsEveryField
// fails).
func decodeFast(data []byte) (*Step, bool) {
	if !utf8.Valid(data) || !json.Valid(data) {
		return nil, false
	}
	l := &jlexer.Lexer{Data: data}
	if l.IsNull() || !l.IsDelim('{') {
		return nil, false
	}
	var s Step
	decodeStep(l, &s)
	l.Consumed()
	if l.Error() != nil {
		return nil, false
	}
	return &s, true
}

// object reads an object, calling field with each name, and stops the
// decoder at a name given twice: encoding/json merges the two values
// where this decoder would keep the last. The value of a name that is
// not the spec's is for field to refuse (fallback).
func object(l *jlexer.Lexer, field func(name string)) {
	l.Delim('{')
	var seen []string
	for l.Ok() && !l.IsDelim('}') {
		name := l.UnsafeFieldName(false)
		if slices.Contains(seen, name) {
			fallback(l)
			return
		}
		seen = append(seen, name)
		l.WantColon()
		field(name)
		l.WantComma()
	}
	l.Delim('}')
}

func fallback(l *jlexer.Lexer) { l.AddError(errFallback) }

// null reads a null if one is next. encoding/json leaves a field it meets
// null as it was: zero here, since no field comes twice.
func null(l *jlexer.Lexer) bool {
	if l.IsNull() {
		l.Skip()
		return true
	}
	return false
}

func str(l *jlexer.Lexer) string {
	if null(l) {
		return ""
	}
	return l.String()
}

func integer(l *jlexer.Lexer) int64 {
	if null(l) {
		return 0
	}
	return l.Int64()
}

func boolean(l *jlexer.Lexer) bool {
	if null(l) {
		return false
	}
	return l.Bool()
}

// array reads an array into a new slice, even an empty one, as
// encoding/json does; null is nil.
func array[T any](l *jlexer.Lexer, elem func(*jlexer.Lexer, *T)) []T {
	if null(l) {
		return nil
	}
	out := []T{}
	l.Delim('[')
	for l.Ok() && !l.IsDelim(']') {
		var v T
		elem(l, &v)
		out = append(out, v)
		l.WantComma()
	}
	l.Delim(']')
	return out
}

// mapOf reads an object into a new map, even an empty one; null is nil.
func mapOf[T any](l *jlexer.Lexer, elem func(*jlexer.Lexer, *T)) map[string]T {
	if null(l) {
		return nil
	}
	out := map[string]T{}
	object(l, func(name string) {
		var v T
		elem(l, &v)
		// name is the lexer's, in data: the map keeps a copy.
		out[strings.Clone(name)] = v
	})
	return out
}

func strElem(l *jlexer.Lexer, v *string) { *v = str(l) }

func stringList(l *jlexer.Lexer) []string         { return array(l, strElem) }
func stringMap(l *jlexer.Lexer) map[string]string { return mapOf(l, strElem) }

// structure reads an object into a struct; null leaves it as it is.
func structure[T any](l *jlexer.Lexer, v *T, field func(*jlexer.Lexer, *T, string)) {
	if null(l) {
		return
	}
	if !l.IsDelim('{') {
		fallback(l)
		return
	}
	object(l, func(name string) { field(l, v, name) })
}

// pointer reads an object into a new struct; null is nil.
func pointer[T any](l *jlexer.Lexer, field func(*jlexer.Lexer, *T, string)) *T {
	if null(l) {
		return nil
	}
	v := new(T)
	structure(l, v, field)
	return v
}

func decodeStep(l *jlexer.Lexer, s *Step) { structure(l, s, stepField) }

func stepField(l *jlexer.Lexer, s *Step, name string) {
	switch name {
	case "version":
		s.Version = str(l)
	case "pipeline":
		s.Pipeline = str(l)
	case "step":
		s.Step = str(l)
	case "each_key":
		s.EachKey = str(l)
	case "image":
		s.Image = str(l)
	case "command":
		s.Command = stringList(l)
	case "env":
		s.Env = stringMap(l)
	case "workdir":
		s.Workdir = str(l)
	case "inputs":
		s.Inputs = array(l, func(l *jlexer.Lexer, in *Input) { structure(l, in, inputField) })
	case "outputs":
		s.Outputs = array(l, func(l *jlexer.Lexer, o *Output) { structure(l, o, outputField) })
	case "manifest":
		s.Manifest = str(l)
	case "volatile_manifest":
		s.VolatileManifest = boolean(l)
	case "secrets":
		s.Secrets = array(l, func(l *jlexer.Lexer, sec *Secret) { structure(l, sec, secretField) })
	case "volumes":
		s.Volumes = array(l, func(l *jlexer.Lexer, v *Volume) { structure(l, v, volumeField) })
	case "params":
		s.Params = pointer(l, paramsField)
	case "timeout_seconds":
		s.TimeoutSeconds = integer(l)
	case "sources":
		structure(l, &s.Sources, sourcesField)
	default:
		fallback(l)
	}
}

func paramsField(l *jlexer.Lexer, p *Params, name string) {
	switch name {
	case "file":
		p.File = str(l)
	case "dir":
		p.Dir = str(l)
	case "types":
		p.Types = stringMap(l)
	case "args":
		p.Args = array(l, func(l *jlexer.Lexer, a *ArgValue) { structure(l, a, argField) })
	case "env":
		p.Env = mapOf(l, valueElem)
	default:
		fallback(l)
	}
}

func argField(l *jlexer.Lexer, a *ArgValue, name string) {
	switch name {
	case "index":
		if !null(l) {
			a.Index = l.Int()
		}
	case "value":
		valueElem(l, &a.Value)
	default:
		fallback(l)
	}
}

func valueElem(l *jlexer.Lexer, v *Value) {
	*v = array(l, func(l *jlexer.Lexer, p *Part) { structure(l, p, partField) })
}

func partField(l *jlexer.Lexer, p *Part, name string) {
	switch name {
	case "text":
		p.Text = str(l)
	case "var":
		p.Var = str(l)
	default:
		fallback(l)
	}
}

func inputField(l *jlexer.Lexer, in *Input, name string) {
	switch name {
	case "name":
		in.Name = str(l)
	case "path":
		in.Path = str(l)
	case "type":
		in.Type = str(l)
	case "source":
		in.Source = str(l)
	case "from":
		in.From = pointer(l, refField)
	case "fan_in":
		in.FanIn = array(l, func(l *jlexer.Lexer, i *Instance) { structure(l, i, instanceField) })
	default:
		fallback(l)
	}
}

// instanceField reads an Instance, whose Ref is embedded: its fields are
// the instance's own.
func instanceField(l *jlexer.Lexer, i *Instance, name string) {
	if name == "key" {
		i.Key = str(l)
		return
	}
	refField(l, &i.Ref, name)
}

func refField(l *jlexer.Lexer, r *Ref, name string) {
	switch name {
	case "step":
		r.Step = str(l)
	case "output":
		r.Output = str(l)
	case "location":
		r.Location = str(l)
	case "manifest":
		r.Manifest = str(l)
	default:
		fallback(l)
	}
}

func outputField(l *jlexer.Lexer, o *Output, name string) {
	switch name {
	case "name":
		o.Name = str(l)
	case "path":
		o.Path = str(l)
	case "kind":
		o.Kind = str(l)
	case "type":
		o.Type = str(l)
	case "location":
		o.Location = str(l)
	default:
		fallback(l)
	}
}

func secretField(l *jlexer.Lexer, s *Secret, name string) {
	switch name {
	case "name":
		s.Name = str(l)
	case "keys":
		s.Keys = stringList(l)
	case "dir":
		s.Dir = str(l)
	case "from_env":
		s.FromEnv = stringMap(l)
	case "export_env":
		s.ExportEnv = stringMap(l)
	default:
		fallback(l)
	}
}

func volumeField(l *jlexer.Lexer, v *Volume, name string) {
	switch name {
	case "name":
		v.Name = str(l)
	case "path":
		v.Path = str(l)
	case "read_only":
		v.ReadOnly = boolean(l)
	default:
		fallback(l)
	}
}

func sourcesField(l *jlexer.Lexer, p *SourcePolicy, name string) {
	switch name {
	case "allowed_schemes":
		p.AllowedSchemes = stringList(l)
	case "allowed_hosts":
		p.AllowedHosts = stringList(l)
	case "timeout_seconds":
		p.TimeoutSeconds = integer(l)
	case "max_bytes":
		p.MaxBytes = integer(l)
	default:
		fallback(l)
	}
}
