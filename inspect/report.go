package inspect

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/ir"
)

// Report is the description of one pipeline. Its JSON form is what
// `wurzel inspect --json` prints.
type Report struct {
	Pipeline    string            `json:"pipeline"`
	Description string            `json:"description,omitempty"`
	Image       string            `json:"image,omitempty"`
	Schedules   []string          `json:"schedules,omitempty"`
	Timezone    string            `json:"timezone,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	Files       []string          `json:"files"`
	Variables   []Variable        `json:"variables"`
	Secrets     []Secret          `json:"secrets"`
	Volumes     []Volume          `json:"volumes"`
	Steps       []Step            `json:"steps"`
	// StepCount is the number of steps of the pipeline, also when Steps
	// was narrowed to one with Only.
	StepCount int `json:"step_count"`
}

// Variable is an input variable and its final value.
type Variable struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	Description string `json:"description,omitempty"`
	Sensitive   bool   `json:"sensitive,omitempty"`
	// Value is omitted for sensitive variables.
	Value any `json:"value,omitempty"`
}

// Secret describes where a secret's keys come from, never their values.
type Secret struct {
	Name        string            `json:"name"`
	Description string            `json:"description,omitempty"`
	Keys        []string          `json:"keys"`
	MountPath   string            `json:"mount_path"`
	Kubernetes  string            `json:"kubernetes_secret,omitempty"`
	LocalDir    string            `json:"local_dir,omitempty"`
	LocalEnv    map[string]string `json:"local_env,omitempty"`
	ExportEnv   map[string]string `json:"export_env,omitempty"`
}

// Volume describes a volume.
type Volume struct {
	Name      string `json:"name"`
	Type      string `json:"type"`
	MountPath string `json:"mount_path"`
	ReadOnly  bool   `json:"read_only,omitempty"`
	// Source is the claim, config map or size, depending on Type.
	Source   string `json:"source,omitempty"`
	LocalDir string `json:"local_dir,omitempty"`
}

// Step is one step in run order.
type Step struct {
	Name string `json:"name"`
	// Instance is set for an instance of a step with for_each.
	Instance *Instance `json:"instance,omitempty"`
	// Order is the step's 1-based place in the run order.
	Order       int               `json:"order"`
	Description string            `json:"description,omitempty"`
	Image       string            `json:"image"`
	Command     []string          `json:"command"`
	Needs       []string          `json:"needs,omitempty"`
	DependsOn   []string          `json:"depends_on,omitempty"`
	Inputs      []Input           `json:"inputs,omitempty"`
	Outputs     []Output          `json:"outputs,omitempty"`
	Env         map[string]string `json:"env,omitempty"`
	Settings    []Setting         `json:"settings,omitempty"`
	Secrets     []string          `json:"secrets,omitempty"`
	Volumes     []string          `json:"volumes,omitempty"`
	Resources   *Resources        `json:"resources,omitempty"`
	Retry       *Retry            `json:"retry,omitempty"`
	Timeout     string            `json:"timeout,omitempty"`
	AlwaysRun   bool              `json:"always_run,omitempty"`
	// Environment is every variable the command receives at run time.
	Environment []EnvVar `json:"environment"`
}

// Instance says which instance of a step with for_each a step is.
type Instance struct {
	Of    string `json:"of"`
	Key   string `json:"key"`
	Value any    `json:"value"`
}

// Input is data a step reads: from another step's output or a source address.
type Input struct {
	Name   string `json:"name"`
	Path   string `json:"path"`
	Type   string `json:"type,omitempty"`
	Source string `json:"source,omitempty"`
	// From is "step.output".
	From string `json:"from,omitempty"`
	// FanIn lists the steps of a fan-in input, one per instance, in key
	// order; From is then "step[*].output".
	FanIn []string `json:"fan_in,omitempty"`
}

// Output is data a step writes.
type Output struct {
	Name string `json:"name"`
	Path string `json:"path"`
	Type string `json:"type,omitempty"`
}

// Setting is a settings entry and the variable it becomes.
type Setting struct {
	Key   string `json:"key"`
	Env   string `json:"env"`
	Value string `json:"value"`
}

// Resources are a step's compute requests.
type Resources struct {
	CPU              string `json:"cpu,omitempty"`
	Memory           string `json:"memory,omitempty"`
	EphemeralStorage string `json:"ephemeral_storage,omitempty"`
	// The limits, when they differ from the requests.
	CPULimit              string `json:"cpu_limit,omitempty"`
	MemoryLimit           string `json:"memory_limit,omitempty"`
	EphemeralStorageLimit string `json:"ephemeral_storage_limit,omitempty"`
	GPU                   int    `json:"gpu,omitempty"`
}

// Retry is a step's retry policy.
type Retry struct {
	Attempts   int    `json:"attempts"`
	Backoff    string `json:"backoff,omitempty"`
	Factor     int    `json:"factor,omitempty"`
	MaxBackoff string `json:"max_backoff,omitempty"`
	Policy     string `json:"policy,omitempty"`
}

// Origin says who sets an environment variable.
type Origin string

// The origins of environment variables.
const (
	// FromEnv is the step's env attribute.
	FromEnv Origin = "env"
	// FromSetting is an entry of the step's settings.
	FromSetting Origin = "setting"
	// FromRunner is a WURZEL_* variable the runner adds.
	FromRunner Origin = "runner"
	// FromSecret is a secret key exported as a variable (export_env); its
	// value is never shown.
	FromSecret Origin = "secret"
)

// EnvVar is one variable of a step's run-time environment.
type EnvVar struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	// Placeholder is true when Value stands for something known only at
	// run time, written in angle brackets.
	Placeholder bool   `json:"placeholder,omitempty"`
	Origin      Origin `json:"origin"`
	// Note explains a value that differs between where steps run.
	Note string `json:"note,omitempty"`
}

// New builds the report of p.
func New(p *ir.Pipeline) *Report {
	r := &Report{
		Pipeline:    p.Name,
		Description: p.Description,
		Image:       p.Image,
		Schedules:   p.Schedules,
		Timezone:    p.Timezone,
		Labels:      p.Labels,
		Files:       append([]string{}, p.Files...),
		Variables:   []Variable{},
		Secrets:     []Secret{},
		Volumes:     []Volume{},
		Steps:       []Step{},
	}
	for _, v := range p.Variables {
		r.Variables = append(r.Variables, newVariable(v))
	}
	for i := range p.Secrets {
		r.Secrets = append(r.Secrets, newSecret(&p.Secrets[i]))
	}
	for i := range p.Volumes {
		r.Volumes = append(r.Volumes, newVolume(&p.Volumes[i]))
	}
	for i := range p.Steps {
		st := newStep(p, &p.Steps[i])
		st.Order = i + 1
		r.Steps = append(r.Steps, st)
	}
	r.StepCount = len(r.Steps)
	return r
}

// Only narrows the report to the step called name, or to every instance of
// the step with for_each called name; it reports whether the pipeline has
// such a step (and leaves the report alone when not).
func (r *Report) Only(name string) bool {
	var kept []Step
	for _, s := range r.Steps {
		if s.Name == name || s.Instance != nil && s.Instance.Of == name {
			kept = append(kept, s)
		}
	}
	if kept == nil {
		return false
	}
	r.Steps = kept
	return true
}

// StepNames are the names of the report's steps in run order.
func (r *Report) StepNames() []string {
	names := make([]string, len(r.Steps))
	for i, s := range r.Steps {
		names[i] = s.Name
	}
	return names
}

// producerName is how a reference names step name: an instance as
// step["key"].
func producerName(p *ir.Pipeline, name string) string {
	if s := p.Step(name); s != nil && s.Instance != nil {
		return s.Instance.Of + "[" + strconv.Quote(s.Instance.Key) + "]"
	}
	return name
}

func newVariable(v ir.Variable) Variable {
	out := Variable{Name: v.Name, Type: v.Type, Description: v.Description, Sensitive: v.Sensitive}
	if !v.Sensitive {
		out.Value = v.Value
	}
	return out
}

func newSecret(s *ir.Secret) Secret {
	out := Secret{
		Name:        s.Name,
		Description: s.Description,
		Keys:        append([]string{}, s.Keys...),
		MountPath:   s.MountPath,
		ExportEnv:   s.ExportEnv,
	}
	if s.Kubernetes != nil {
		out.Kubernetes = s.Kubernetes.Name
	}
	if s.Local != nil {
		out.LocalDir = s.Local.Dir
		out.LocalEnv = s.Local.Env
	}
	return out
}

func newVolume(v *ir.Volume) Volume {
	out := Volume{Name: v.Name, Type: string(v.Type), MountPath: v.MountPath, ReadOnly: v.ReadOnly, LocalDir: v.LocalDir}
	switch v.Type {
	case ir.PersistentVolumeClaim:
		out.Source = "claim " + v.ClaimName
	case ir.ConfigMap:
		out.Source = "config map " + v.ConfigMapName
	case ir.EmptyDir:
		if v.SizeLimit != "" {
			out.Source = "size limit " + v.SizeLimit
		}
	case ir.ClaimTemplate:
		out.Source = "claim per run, size " + v.Size
		if v.StorageClass != "" {
			out.Source += ", storage class " + v.StorageClass
		}
	}
	return out
}

func newStep(p *ir.Pipeline, s *ir.Step) Step {
	out := Step{
		Name:        s.Name,
		Description: s.Description,
		Image:       s.Image,
		Command:     append([]string{}, s.Command...),
		Needs:       s.Needs,
		DependsOn:   s.DependsOn,
		Env:         s.Env,
		Secrets:     s.Secrets,
		Volumes:     s.Volumes,
	}
	if s.Instance != nil {
		out.Instance = &Instance{Of: s.Instance.Of, Key: s.Instance.Key, Value: s.Instance.Value}
	}
	out.AlwaysRun = s.AlwaysRun
	for _, in := range s.Inputs {
		i := Input{Name: in.Name, Path: in.Path, Type: in.Type, Source: in.Source}
		switch {
		case in.From != nil:
			i.From = producerName(p, in.From.Step) + "." + in.From.Output
		case in.FanIn != nil:
			i.From = in.FanIn.Step + "[*]." + in.FanIn.Output
			for _, inst := range in.FanIn.Instances {
				i.FanIn = append(i.FanIn, inst.Step)
			}
		}
		out.Inputs = append(out.Inputs, i)
	}
	for _, o := range s.Outputs {
		out.Outputs = append(out.Outputs, Output{Name: o.Name, Path: o.Path, Type: o.Type})
	}
	for _, st := range s.Settings {
		out.Settings = append(out.Settings, Setting{Key: st.Key, Env: st.EnvName, Value: st.Value})
	}
	if s.Resources != (ir.Resources{}) {
		res := Resources(s.Resources)
		out.Resources = &res
	}
	if s.Retry != nil {
		out.Retry = &Retry{Attempts: s.Retry.Attempts, Factor: s.Retry.Factor, Policy: string(s.Retry.Policy)}
		if s.Retry.Backoff > 0 {
			out.Retry.Backoff = formatDuration(s.Retry.Backoff)
		}
		if s.Retry.MaxBackoff > 0 {
			out.Retry.MaxBackoff = formatDuration(s.Retry.MaxBackoff)
		}
	}
	if s.Timeout > 0 {
		out.Timeout = formatDuration(s.Timeout)
	}
	out.Environment = Environment(p, s)
	return out
}

// formatDuration writes d as Go does but without zero trailing units, as
// people write durations in pipelines ("2h", not "2h0m0s").
func formatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// Placeholders for values the runner fills in at run time.
const (
	RunIDPlaceholder   = "<run-id>"
	WorkdirPlaceholder = "<workdir>"
)

// Environment lists every variable step s's command receives: the user's env
// and the settings (as backend.StepEnv gives them to the runner), sorted by
// name, then the runner's WURZEL_* variables, then secret keys exported as
// variables. It follows the runner's contract; values known only at run time
// are placeholders.
func Environment(p *ir.Pipeline, s *ir.Step) []EnvVar {
	out := userEnv(s)
	out = append(out, runnerEnv(p, s)...)
	out = append(out, exportedSecretEnv(p, s)...)
	return out
}

// userEnv is backend.StepEnv with the origin of each entry.
func userEnv(s *ir.Step) []EnvVar {
	env := backend.StepEnv(s)
	settings := make(map[string]bool, len(s.Settings))
	for _, st := range s.Settings {
		settings[st.EnvName] = true
	}
	names := make([]string, 0, len(env))
	for name := range env {
		names = append(names, name)
	}
	sort.Strings(names)
	out := make([]EnvVar, 0, len(names))
	for _, name := range names {
		origin := FromEnv
		if settings[name] {
			origin = FromSetting
		}
		out = append(out, EnvVar{Name: name, Value: env[name], Origin: origin})
	}
	return out
}

func runnerEnv(p *ir.Pipeline, s *ir.Step) []EnvVar {
	out := []EnvVar{
		{Name: "WURZEL_RUN_ID", Value: RunIDPlaceholder, Placeholder: true, Origin: FromRunner},
		{Name: "WURZEL_PIPELINE", Value: p.Name, Origin: FromRunner},
		{Name: "WURZEL_STEP", Value: s.Name, Origin: FromRunner},
	}
	if s.Instance != nil {
		out = append(out, EnvVar{Name: "WURZEL_EACH_KEY", Value: s.Instance.Key, Origin: FromRunner})
	}
	out = append(out, EnvVar{Name: "WURZEL_WORKDIR", Value: WorkdirPlaceholder, Placeholder: true, Origin: FromRunner,
		Note: "/wurzel/work in Argo pods; a fresh directory per step elsewhere"})
	for _, in := range s.Inputs {
		out = append(out, inWorkdir("WURZEL_INPUT_"+EnvSuffix(in.Name), in.Path))
	}
	for _, o := range s.Outputs {
		out = append(out, inWorkdir("WURZEL_OUTPUT_"+EnvSuffix(o.Name), o.Path))
	}
	for _, name := range s.Secrets {
		sec := p.Secret(name)
		if sec == nil {
			continue
		}
		out = append(out, EnvVar{
			Name: "WURZEL_SECRET_" + EnvSuffix(name) + "_DIR", Value: sec.MountPath, Origin: FromRunner,
			Note: secretDirNote(sec),
		})
	}
	for _, name := range s.Volumes {
		v := p.Volume(name)
		if v == nil {
			continue
		}
		out = append(out, EnvVar{
			Name: "WURZEL_VOLUME_" + EnvSuffix(name), Value: v.MountPath, Origin: FromRunner,
			Note: volumeNote(v),
		})
	}
	return out
}

// inWorkdir is a path below the work directory, which is chosen at run time.
func inWorkdir(name, rel string) EnvVar {
	return EnvVar{Name: name, Value: WorkdirPlaceholder + "/" + rel, Placeholder: true, Origin: FromRunner}
}

func secretDirNote(sec *ir.Secret) string {
	switch {
	case sec.Local != nil && sec.Local.Dir != "":
		return "in containers; local runs use " + sec.Local.Dir
	case sec.Local != nil:
		return "in containers; local runs write the keys to a private directory"
	}
	return "in containers"
}

// volumeNote says where local runs (wurzel run, DVC) find the volume: its
// local directory, relative to the pipeline directory.
func volumeNote(v *ir.Volume) string {
	return "in containers; local runs use " + v.LocalDir
}

// exportedSecretEnv lists the secret keys the command receives as variables.
// The value is a placeholder naming the secret and key, never the value.
func exportedSecretEnv(p *ir.Pipeline, s *ir.Step) []EnvVar {
	var out []EnvVar
	for _, name := range s.Secrets {
		sec := p.Secret(name)
		if sec == nil {
			continue
		}
		keys := make([]string, 0, len(sec.ExportEnv))
		for k := range sec.ExportEnv {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			out = append(out, EnvVar{
				Name: sec.ExportEnv[k], Value: "<secret " + name + " key " + k + ">",
				Placeholder: true, Origin: FromSecret,
			})
		}
	}
	return out
}

// EnvSuffix is how the runner turns an input, output, secret or volume name
// into the end of a variable name: upper-cased, "-" replaced by "_".
func EnvSuffix(name string) string {
	return strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}
