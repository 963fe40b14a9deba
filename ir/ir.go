package ir

import "time"

// Pipeline is one checked and evaluated pipeline.
type Pipeline struct {
	Name        string
	Description string
	// Image is the default image of every step; empty when not set.
	Image string
	// Schedules are cron expressions in the order written; empty when the
	// pipeline runs only on demand.
	Schedules []string
	// Timezone is an IANA time zone name for Schedules; empty means UTC.
	Timezone string
	Labels   map[string]string
	// Env is the pipeline-wide environment as written; every step's Env
	// already holds it, under the step's own entries.
	Env map[string]string `json:",omitempty"`

	// Dir is the absolute directory the pipeline was loaded from. Relative
	// paths in the IR (secret and volume local directories, watch paths) are
	// relative to it. Back ends must not write Dir into generated files: it is
	// specific to the machine.
	Dir string
	// Files are the source files, relative to Dir, sorted.
	Files []string

	Variables []Variable // sorted by name
	Secrets   []Secret   // sorted by name
	Volumes   []Volume   // sorted by name
	// Steps are in a stable topological order: every step comes after all the
	// steps it depends on; ties are broken by name.
	Steps []Step
	// stepIndex is where each step is in Steps (IndexSteps), so that Step
	// is not a scan: back ends look a step up for each input of each step.
	stepIndex map[string]int
	// Edges are sorted by From, To, Kind, Output, Input.
	Edges []Edge

	Sources SourcePolicy
	// Isolation is where `wurzel run` runs the steps unless told otherwise
	// (the pipeline's local block): IsolationHost or IsolationContainer;
	// empty when not written, which means the host.
	Isolation string `json:",omitempty"`
	// Extensions are the blocks of back ends written in the pipeline block
	// (`argo { ... }`, `dvc { ... }`), sorted by type; see Block.
	Extensions []*Block `json:",omitempty"`

	// Range is the pipeline block's definition range (its header).
	Range  Range
	Ranges PipelineRanges `json:",omitzero"`
}

// PipelineRanges are where the pipeline block's attributes were written, so
// that later passes can point at the exact value. A zero Range means the
// attribute was not written.
type PipelineRanges struct {
	Description, Image, Timezone Range      `json:",omitzero"`
	Schedule                     ListRanges `json:",omitzero"`
	Labels, Env                  MapRanges  `json:",omitzero"`
	AllowedSchemes, AllowedHosts ListRanges `json:",omitzero"`
	SourceTimeout, SourceMaxSize Range      `json:",omitzero"`
	Isolation                    Range      `json:",omitzero"`
}

// Variable is an input variable with its final value.
type Variable struct {
	Name        string
	Description string
	// Type is the type constraint as HCL writes it ("number", "list(string)",
	// "any").
	Type      string
	Sensitive bool
	// Value is the final value as a JSON-compatible Go value: nil, bool,
	// string, json.Number, []any or map[string]any. It is always nil for a
	// sensitive variable: sensitive values never leave the front end.
	Value any
	// Runtime says that back ends may take the value when the pipeline
	// runs rather than when it is generated (Argo parameters, DVC's
	// params.yaml): the variable is not sensitive, is a string, number or
	// bool without validation rules, and feeds only steps' command
	// arguments, env and settings, each written as var.NAME or a template
	// of text and var.NAME (Step.Bindings say where).
	Runtime bool `json:",omitempty"`
	// Fixed says why the value is taken when the pipeline is generated, and
	// FixedAt where, when a use is the reason; empty when Runtime.
	Fixed   string `json:",omitempty"`
	FixedAt Range  `json:",omitzero"`
	Range   Range
}

// SourcePolicy limits what go-getter `source` inputs may fetch.
type SourcePolicy struct {
	// AllowedSchemes are go-getter getter names or URL schemes ("https",
	// "s3", "gcs", "git"), sorted. Defaults to https, s3, gcs, git.
	AllowedSchemes []string
	// AllowedHosts, when not empty, restricts the hosts sources and their
	// redirects may reach. Sorted.
	AllowedHosts []string
	// Timeout bounds one download; zero means the runner's default.
	Timeout time.Duration
	// MaxBytes bounds the size of one download; zero means no limit.
	MaxBytes int64
}

// Defaults the front end applies; back ends read the resulting fields and
// never spell these again.
const (
	// DefaultSecretMountDir holds a secret's key files in a container, in
	// a directory named after the secret, when the secret sets no
	// mount_path.
	DefaultSecretMountDir = "/var/run/secrets/wurzel"
	// DefaultVolumeLocalDir holds a volume's content for local runs, in a
	// directory named after the volume and relative to the pipeline
	// directory, when the volume has no local dir.
	DefaultVolumeLocalDir = ".wurzel/volumes"
)

// The values of Pipeline.Isolation.
const (
	IsolationHost      = "host"
	IsolationContainer = "container"
)

// Secret is a named set of key files mounted into steps.
type Secret struct {
	Name        string
	Description string
	// Keys are the declared key names in the order written.
	Keys []string
	// Kubernetes names the Kubernetes Secret that holds the keys; nil when
	// not declared.
	Kubernetes *KubernetesSecret
	// Local says where local runs (wurzel run, DVC) find the keys; nil when
	// not declared.
	Local *LocalSecret
	// MountPath is where the key files appear in a container. Defaults to
	// /var/run/secrets/wurzel/<name>.
	MountPath string
	// ExportEnv maps a key to the name of an environment variable that the
	// command receives with the key's value, for programs that cannot read
	// files. Empty by default.
	ExportEnv map[string]string
	Range     Range
	Ranges    SecretRanges `json:",omitzero"`
}

// SecretRanges are where a secret block's attributes were written.
type SecretRanges struct {
	Keys                      ListRanges `json:",omitzero"`
	MountPath, KubernetesName Range      `json:",omitzero"`
	ExportEnv                 MapRanges  `json:",omitzero"`
	LocalDir                  Range      `json:",omitzero"`
	LocalEnv                  MapRanges  `json:",omitzero"`
}

// KubernetesSecret is the Kubernetes Secret behind a secret block.
type KubernetesSecret struct {
	Name string
}

// LocalSecret is the local source of a secret: either a directory with one
// file per key or environment variables, one per key.
type LocalSecret struct {
	// Dir is relative to Pipeline.Dir unless absolute.
	Dir string
	// Env maps a key to the environment variable that holds its value.
	Env map[string]string
}

// VolumeType is the kind of a volume.
type VolumeType string

// The volume types.
const (
	PersistentVolumeClaim VolumeType = "persistent_volume_claim"
	ConfigMap             VolumeType = "config_map"
	EmptyDir              VolumeType = "empty_dir"
	ClaimTemplate         VolumeType = "claim_template"
)

// Volume is a named volume mounted into steps.
type Volume struct {
	Name string
	Type VolumeType
	// ClaimName is set for PersistentVolumeClaim.
	ClaimName string
	// ConfigMapName is set for ConfigMap.
	ConfigMapName string
	// SizeLimit is an optional quantity for EmptyDir.
	SizeLimit string
	// Size (required) and StorageClass (optional) are for ClaimTemplate.
	Size         string
	StorageClass string
	// AccessModes are Kubernetes access modes for ClaimTemplate; defaults to
	// ["ReadWriteOnce"].
	AccessModes []string
	MountPath   string
	ReadOnly    bool
	// LocalDir is where local runs find or create the volume's content,
	// relative to Pipeline.Dir unless absolute. Defaults to
	// .wurzel/volumes/<name>.
	LocalDir string
	Range    Range
	Ranges   VolumeRanges `json:",omitzero"`
}

// VolumeRanges are where a volume block's attributes were written.
type VolumeRanges struct {
	Type, ClaimName, ConfigMapName, SizeLimit, Size, StorageClass Range      `json:",omitzero"`
	AccessModes                                                   ListRanges `json:",omitzero"`
	MountPath, ReadOnly, LocalDir                                 Range      `json:",omitzero"`
}

// Step is one unit of work: a command in a container. A step block with
// for_each becomes one Step per instance, named <block>-<key>.
type Step struct {
	Name string
	// Instance is set for one instance of a step block with for_each; nil
	// for a step block without.
	Instance    *Instance `json:",omitempty"`
	Description string
	// Image is the step's image, or the pipeline's default when the step
	// sets none.
	Image   string
	Command []string
	// Env is the environment the user wrote, without settings: the
	// pipeline's env with the step's own entries over it.
	Env map[string]string
	// Settings are sorted by Key. Their environment names start with the
	// step block's name, also for instances (<BLOCK>__<KEY>).
	Settings []Setting
	// Secrets and Volumes are names, sorted.
	Secrets []string
	Volumes []string
	// Inputs and Outputs are in the order written.
	Inputs  []Input
	Outputs []Output
	// DependsOn are the explicit depends_on step names, sorted.
	DependsOn []string
	// Needs are all steps this one depends on, data and order, sorted.
	Needs     []string
	Resources Resources
	// Retry is nil when the step is not retried.
	Retry *Retry
	// Timeout is zero when the step has none.
	Timeout time.Duration
	// AlwaysRun says the step has effects outside its outputs (publishing,
	// notifying): incremental back ends run it every time.
	AlwaysRun bool `json:",omitempty"`
	// Watch are extra files the step depends on (code, configuration),
	// relative to Pipeline.Dir, sorted. Used by incremental back ends.
	Watch []string
	// Variables are the names of the variables the step's attributes use,
	// directly or through locals, sorted. Incremental back ends (DVC params)
	// track exactly these. Nil means the front end did not record them, and
	// back ends must assume the step uses every variable; an empty, non-nil
	// slice means it uses none.
	Variables []string
	// Bindings are the values of Command, Env and Settings made of runtime
	// variables (Variable.Runtime), so that back ends can supply those when
	// the step runs. Sorted: command arguments by index, then environment
	// variables by name.
	Bindings []Binding `json:",omitempty"`
	// Extensions are the blocks of back ends written in the step block,
	// sorted by type; see Block.
	Extensions []*Block `json:",omitempty"`
	Range      Range
	Ranges     StepRanges `json:",omitzero"`
}

// Binding is one value of a step written as var.NAME or as a template of
// text and var.NAME, which a back end can compute when the step runs.
type Binding struct {
	// Arg is the index of a command argument; -1 when the value is the
	// environment variable Env (an env entry, or a setting's <STEP>__<KEY>).
	Arg   int
	Env   string `json:",omitempty"`
	Parts []BindingPart
}

// BindingPart is literal text or a variable's value, as text.
type BindingPart struct {
	Text string `json:",omitempty"`
	Var  string `json:",omitempty"`
}

// StepRanges are where a step block's attributes were written.
type StepRanges struct {
	Description, Image, Timeout Range `json:",omitzero"`
	// ForEach is the for_each expression of an instance's block.
	ForEach, AlwaysRun          Range      `json:",omitzero"`
	Command                     ListRanges `json:",omitzero"`
	Env, Settings               MapRanges  `json:",omitzero"`
	Secrets, Volumes, DependsOn ListRanges `json:",omitzero"`
	Watch                       ListRanges `json:",omitzero"`
	// CPU, Memory, EphemeralStorage, GPU and the limits are in the
	// resources block.
	CPU, Memory, EphemeralStorage, GPU           Range `json:",omitzero"`
	CPULimit, MemoryLimit, EphemeralStorageLimit Range `json:",omitzero"`
	// RetryAttempts is in the retry block.
	RetryAttempts Range `json:",omitzero"`
}

// Instance says which instance of a step block with for_each a Step is.
type Instance struct {
	// Of is the step block's name; the Step is named Of-Key.
	Of string
	// Key is the instance's key: a key of the for_each map, or an element
	// of the for_each set.
	Key string
	// Value is each.value as a JSON-compatible Go value (nil, bool, string,
	// json.Number, []any or map[string]any): the map's value, or the key
	// for a set.
	Value any
}

// Setting is one entry of a step's settings map.
type Setting struct {
	Key string
	// EnvName is <STEP>__<KEY>: the step name and the key upper-cased, with
	// "-" replaced by "_".
	EnvName string
	// Value is rendered as text: strings as they are, numbers and bools as
	// HCL prints them, lists and maps as compact JSON.
	Value string
}

// Input is data a step reads, from another step or from outside.
type Input struct {
	Name string
	// Path is where the step sees the input, relative to its work directory.
	// Defaults to inputs/<name>.
	Path string
	// Type is the declared data type; empty when not declared.
	Type string
	// Source is a go-getter address, for inputs from outside. Exactly one of
	// Source, From and FanIn is set.
	Source string
	// From is another step's output (one instance's, for a reference such
	// as step.x["k"].output.y).
	From *OutputRef
	// FanIn gathers one output of every instance of a step block with
	// for_each (step.x[*].output.y): the step sees a directory with one
	// entry per instance, named by its key.
	FanIn  *FanIn `json:",omitempty"`
	Range  Range
	Ranges InputRanges `json:",omitzero"`
}

// InputRanges are where an input block's attributes were written.
type InputRanges struct {
	From, Source, Path, Type Range `json:",omitzero"`
}

// OutputRef points at another step's output.
type OutputRef struct {
	Step   string
	Output string
}

// FanIn is an input that gathers one output of every instance of a step
// block.
type FanIn struct {
	// Step is the step block's name and Output the output of each instance.
	Step   string
	Output string
	// Instances are the block's instances in key order.
	Instances []FanInInstance
}

// FanInInstance is one instance a fan-in input reads from.
type FanInInstance struct {
	Key string
	// Step is the instance's step name (<block>-<key>).
	Step string
}

// Output is data a step produces.
type Output struct {
	Name string
	// Path is where the command writes the output, relative to its work
	// directory, cleaned (no trailing "/").
	Path string
	// Kind says whether the output is a file or a directory: what the
	// declaration says (kind, or a path written with a trailing "/"), never
	// a guess from the name.
	Kind   OutputKind
	Type   string
	Range  Range
	Ranges OutputRanges `json:",omitzero"`
}

// OutputKind is what an output is on disk.
type OutputKind string

// The output kinds.
const (
	OutputFile OutputKind = "file"
	OutputDir  OutputKind = "dir"
)

// OutputRanges are where an output block's attributes were written.
type OutputRanges struct {
	Path, Type, Kind Range `json:",omitzero"`
}

// Resources are a step's compute requests. Quantities are Kubernetes
// quantities as written ("500m", "2Gi"); empty when not set.
type Resources struct {
	CPU              string
	Memory           string
	EphemeralStorage string
	// CPULimit, MemoryLimit and EphemeralStorageLimit are limits that differ
	// from the requests above; empty when not set (no CPU limit, and memory
	// and ephemeral storage limited to what is requested).
	CPULimit, MemoryLimit, EphemeralStorageLimit string
	// GPU is a number of NVIDIA GPUs; zero for none.
	GPU int
}

// RetryPolicy says which failures are retried.
type RetryPolicy string

// The retry policies.
const (
	RetryOnFailure        RetryPolicy = "on_failure"
	RetryOnError          RetryPolicy = "on_error"
	RetryOnTransientError RetryPolicy = "on_transient_error"
	RetryAlways           RetryPolicy = "always"
)

// Retry says how a failed step is retried.
type Retry struct {
	// Attempts is the number of retries after the first try.
	Attempts int
	// Backoff is the wait before the first retry; zero for none.
	Backoff time.Duration
	// Factor multiplies the wait after each retry; 0 or 1 keep it constant.
	Factor int
	// MaxBackoff caps the wait; zero for no cap.
	MaxBackoff time.Duration
	Policy     RetryPolicy
}

// EdgeKind says why one step depends on another.
type EdgeKind string

// The edge kinds.
const (
	// DataEdge: an input of To is an output of From.
	DataEdge EdgeKind = "data"
	// OrderEdge: To lists From in depends_on.
	OrderEdge EdgeKind = "order"
)

// Edge is a dependency: To runs after From.
type Edge struct {
	From string
	To   string
	Kind EdgeKind
	// Output and Input name the output of From and the input of To for a
	// DataEdge; empty for an OrderEdge.
	Output string
	Input  string
}
