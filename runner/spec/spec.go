package spec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
)

// Version is the only spec version this runner understands.
const Version = "wurzel.dev/step/v1"

// Exit codes of the runner's own failures: `wurzel step exec` ends with one
// of these, or with the command's own exit code, which passes through
// unchanged (so these overlap only with commands that use them
// themselves). Back ends act on them: retries of transient failures key on
// CodeRetryable. Retrying is the back end's business; the runner never
// runs a command twice.
const (
	CodeBadSpec       = 120 // the spec or the invocation is invalid
	CodeSecret        = 121 // a secret or volume is missing
	CodeInput         = 122 // an input could not be fetched or verified
	CodeOutput        = 123 // an output is missing or could not be published
	CodeTimeout       = 124 // the step's timeout expired
	CodeRetryable     = 125 // a transient failure; running the step again may succeed
	CodeNotExecutable = 126 // the command exists but cannot be executed
	CodeNotFound      = 127 // the command was not found
)

// The kinds of an output.
const (
	KindFile = "file"
	KindDir  = "dir"
)

// Step is the spec of one step.
type Step struct {
	Version  string `json:"version"`
	Pipeline string `json:"pipeline"`
	Step     string `json:"step"`
	// EachKey is the key of an instance of a step with for_each; the
	// command gets it as WURZEL_EACH_KEY.
	EachKey string `json:"each_key,omitempty"`
	Image   string `json:"image,omitempty"`
	// Command is run without a shell.
	Command []string `json:"command"`
	// Env is the user's env plus the settings as <STEP>__<KEY>. The runner
	// adds WURZEL_* variables itself.
	Env map[string]string `json:"env,omitempty"`
	// Workdir is where the command runs; input and output paths are relative
	// to it. Empty means a fresh temporary directory chosen by the runner.
	Workdir string   `json:"workdir,omitempty"`
	Inputs  []Input  `json:"inputs,omitempty"`
	Outputs []Output `json:"outputs,omitempty"`
	// Manifest is the location the step's manifest is written to, last,
	// after every output is in place.
	Manifest string `json:"manifest"`
	// VolatileManifest says that the local manifest location does not
	// outlive the machine the step runs on, and is read there: Argo's, an
	// emptyDir of the step's pod that Argo's executor collects when the
	// command ends. The runner then renames the manifest into place
	// without syncing it first: a crash of the machine loses the pod, and
	// the manifest's file with it, however it was written.
	VolatileManifest bool `json:"volatile_manifest,omitempty"`
	// Contained says that the runner runs in a container that ends when
	// it does, and whose end kills every process left in it and discards
	// its files: Argo's, whose executor exits when the runner does. The
	// runner then starts no guardian (see docs/runtime.md, "When the
	// runner dies"): the container's end does what it would do.
	Contained bool     `json:"contained,omitempty"`
	Secrets   []Secret `json:"secrets,omitempty"`
	Volumes   []Volume `json:"volumes,omitempty"`
	// Params are variables the runner reads when the step starts, and the
	// command arguments and environment variables made of them. At those
	// places Command holds "" and Env no entry: the spec names the
	// variables, not their values.
	Params *Params `json:"params,omitempty"`
	// TimeoutSeconds is zero for no timeout.
	TimeoutSeconds int64        `json:"timeout_seconds,omitempty"`
	Sources        SourcePolicy `json:"sources"`
}

// Params say where the runner finds variables' values and where they go.
type Params struct {
	// File is a YAML file whose top-level keys are variable names (DVC's
	// params.yaml), relative to the runner's starting directory unless
	// absolute; Dir is a directory holding one file per variable, named
	// after it, whose content is the value (Argo). Exactly one is set.
	File string `json:"file,omitempty"`
	Dir  string `json:"dir,omitempty"`
	// Types are the variables' types: "string", "number" or "bool".
	Types map[string]string `json:"types"`
	// Args and Env are the values made of text and variables.
	Args []ArgValue       `json:"args,omitempty"`
	Env  map[string]Value `json:"env,omitempty"`
}

// ArgValue is a command argument made of text and variables.
type ArgValue struct {
	Index int   `json:"index"`
	Value Value `json:"value"`
}

// Value is text and variables' values, in order.
type Value []Part

// Part is literal text or a variable's value as text: strings as they
// are, numbers in decimal notation, bools as true or false.
type Part struct {
	Text string `json:"text,omitempty"`
	Var  string `json:"var,omitempty"`
}

// The types of a variable in Params.Types.
const (
	TypeString = "string"
	TypeNumber = "number"
	TypeBool   = "bool"
)

// Input is data the step reads.
type Input struct {
	Name string `json:"name"`
	Path string `json:"path"`
	Type string `json:"type,omitempty"`
	// Source is a go-getter address; set for inputs from outside.
	Source string `json:"source,omitempty"`
	// From is set for inputs produced by another step.
	From *Ref `json:"from,omitempty"`
	// FanIn is set for an input that gathers one output of every instance
	// of a step with for_each, in key order: the runner places the output
	// of the instance with key K at Path/K.
	FanIn []Instance `json:"fan_in,omitempty"`
}

// Instance is one producer of a fan-in input: the instance's key and where
// its output is.
type Instance struct {
	Key string `json:"key"`
	Ref
}

// Ref locates another step's output.
type Ref struct {
	Step   string `json:"step"`
	Output string `json:"output"`
	// Location is where the output is: a local path (absolute, or relative
	// to the runner's starting directory) or an s3://bucket/key URL. Empty
	// means the back end has already placed it at the input's Path.
	Location string `json:"location,omitempty"`
	// Manifest is where the producer's manifest is, in the same forms. The
	// runner refuses an input whose manifest is missing or does not list it.
	Manifest string `json:"manifest"`
}

// Output is data the step writes.
type Output struct {
	Name string `json:"name"`
	Path string `json:"path"`
	// Kind is KindFile or KindDir: what the command must create at Path.
	Kind string `json:"kind"`
	Type string `json:"type,omitempty"`
	// Location is where the runner publishes the output: a local path or an
	// s3:// URL. Empty means the back end collects it from Path itself.
	Location string `json:"location,omitempty"`
}

// Secret is a secret the step uses.
type Secret struct {
	Name string   `json:"name"`
	Keys []string `json:"keys"`
	// Dir is where the key files are mounted (one file per key). Empty when
	// FromEnv is used.
	Dir string `json:"dir,omitempty"`
	// FromEnv maps a key to an environment variable of the runner's own
	// environment that holds the value; the runner writes the keys to a
	// private directory before the command starts and removes it after.
	FromEnv map[string]string `json:"from_env,omitempty"`
	// ExportEnv maps a key to an environment variable the command receives
	// with the key's value.
	ExportEnv map[string]string `json:"export_env,omitempty"`
}

// Volume is a volume the step uses.
type Volume struct {
	Name     string `json:"name"`
	Path     string `json:"path"`
	ReadOnly bool   `json:"read_only,omitempty"`
}

// SourcePolicy limits go-getter downloads.
type SourcePolicy struct {
	AllowedSchemes []string `json:"allowed_schemes"`
	AllowedHosts   []string `json:"allowed_hosts,omitempty"`
	TimeoutSeconds int64    `json:"timeout_seconds,omitempty"`
	MaxBytes       int64    `json:"max_bytes,omitempty"`
}

// Marshal encodes the spec deterministically (map keys sorted, as
// encoding/json does), without HTML escaping.
func Marshal(s *Step) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// Parse decodes a spec and refuses unknown versions and unknown fields.
// Most specs take decodeFast; the rest, and every error, encoding/json.
func Parse(data []byte) (*Step, error) {
	s, ok := decodeFast(data)
	if !ok {
		return parseStd(data)
	}
	if s.Version != Version {
		return nil, versionError(s.Version)
	}
	return s, nil
}

// parseStd is Parse through encoding/json.
func parseStd(data []byte) (*Step, error) {
	var probe struct {
		Version string `json:"version"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("step spec is not valid JSON: %w", err)
	}
	if probe.Version != Version {
		return nil, versionError(probe.Version)
	}
	var s Step
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("step spec: %w", err)
	}
	return &s, nil
}

func versionError(v string) error {
	return fmt.Errorf("step spec version %q is not supported (this runner reads %q)", v, Version)
}

// FormatNumber writes a number as wurzel writes numbers into commands, env
// and settings, at generate time and when the runner renders a variable
// set at run time: whole numbers as integers, others in decimal notation
// without an exponent ("1e3" is "1000").
func FormatNumber(f *big.Float) string {
	if f.IsInt() {
		if i, acc := f.Int64(); acc == big.Exact {
			return strconv.FormatInt(i, 10)
		}
	}
	if x, acc := f.Float64(); acc == big.Exact {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return f.Text('f', -1)
}

// Locations lists every location the step reads or writes: its manifest,
// its outputs' locations, and the locations and manifests of the outputs
// its inputs take. Empty ones are left out.
func (st *Step) Locations() []string {
	var out []string
	add := func(locs ...string) {
		for _, l := range locs {
			if l != "" {
				out = append(out, l)
			}
		}
	}
	add(st.Manifest)
	for _, o := range st.Outputs {
		add(o.Location)
	}
	for _, in := range st.Inputs {
		if in.From != nil {
			add(in.From.Location, in.From.Manifest)
		}
		for _, fi := range in.FanIn {
			add(fi.Location, fi.Manifest)
		}
	}
	return out
}
