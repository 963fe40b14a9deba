package argo_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/internal/testtool"
	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/runner"
	"github.com/wurzel-dev/wurzel/runner/spec"
	"github.com/wurzel-dev/wurzel/targets/argo"
)

// These tests play what Argo does with the generated workflow, with the real
// runner: each step's pod gets its own root directory standing in for the
// container's file system, the runner executes the step spec from
// WURZEL_STEP_SPEC, output artifacts are collected from their paths into a
// directory standing in for the artifact repository, and input artifacts are
// placed at their paths from there, following the DAG's "from" references.
// They show that the paths of the Argo layout and the runner's contract
// (manifests, inputs, secrets, volumes) fit together.

func podPipeline() *ir.Pipeline {
	p := &ir.Pipeline{
		Name: "pods", Image: "alpine:3",
		Sources: ir.SourcePolicy{AllowedSchemes: []string{"https"}},
		Secrets: []ir.Secret{{Name: "token", Keys: []string{"value"}, Kubernetes: &ir.KubernetesSecret{Name: "tok"}, MountPath: "/var/run/secrets/wurzel/token"}},
		Volumes: []ir.Volume{{Name: "cache", Type: ir.EmptyDir, MountPath: "/cache"}},
	}
	p.Steps = []ir.Step{
		{
			Name: "produce", Image: "alpine:3",
			Command:  []string{"sh", "-c", `mkdir -p out/pages && echo one > out/pages/a.md && echo two > out/pages/b.md && echo "$PRODUCE__GREETING" > out/note.txt && printf '%s\n' '$(X) $$ $Y' >> out/note.txt`},
			Settings: []ir.Setting{{Key: "greeting", EnvName: "PRODUCE__GREETING", Value: "hello"}},
			Outputs:  []ir.Output{{Name: "pages", Path: "out/pages", Kind: ir.OutputDir}, {Name: "note", Path: "out/note.txt", Kind: ir.OutputFile}},
		},
		{
			Name: "consume", Image: "alpine:3",
			Command: []string{"sh", "-c", `test -f "$WURZEL_SECRET_TOKEN_DIR/value" && test -d "$WURZEL_VOLUME_CACHE" && cat "$WURZEL_INPUT_PAGES"/a.md "$WURZEL_INPUT_PAGES"/b.md "$WURZEL_INPUT_NOTE" > result.txt`},
			Secrets: []string{"token"},
			Volumes: []string{"cache"},
			Inputs: []ir.Input{
				{Name: "pages", Path: "in/pages", From: &ir.OutputRef{Step: "produce", Output: "pages"}},
				{Name: "note", Path: "in/note.txt", From: &ir.OutputRef{Step: "produce", Output: "note"}},
			},
			Outputs: []ir.Output{{Name: "result", Path: "result.txt", Kind: ir.OutputFile}},
			Needs:   []string{"produce"},
		},
	}
	p.Edges = []ir.Edge{
		{From: "produce", To: "consume", Kind: ir.DataEdge, Output: "note", Input: "note"},
		{From: "produce", To: "consume", Kind: ir.DataEdge, Output: "pages", Input: "pages"},
	}
	return p
}

// workflowDoc is the part of a generated Workflow the simulation reads.
type workflowDoc struct {
	Spec struct {
		Arguments struct {
			Parameters []struct{ Name, Value string } `yaml:"parameters"`
		} `yaml:"arguments"`
		Templates []templateDoc `yaml:"templates"`
	} `yaml:"spec"`
}

type templateDoc struct {
	Name string `yaml:"name"`
	DAG  *struct {
		Tasks []taskDoc `yaml:"tasks"`
	} `yaml:"dag"`
	Inputs struct {
		Parameters []struct {
			Name string `yaml:"name"`
		} `yaml:"parameters"`
		Artifacts []artifact `yaml:"artifacts"`
	} `yaml:"inputs"`
	Outputs struct {
		Artifacts []artifact `yaml:"artifacts"`
	} `yaml:"outputs"`
	Container *struct {
		Command      []string `yaml:"command"`
		Env          []struct{ Name, Value string }
		VolumeMounts []struct {
			Name      string `yaml:"name"`
			MountPath string `yaml:"mountPath"`
		} `yaml:"volumeMounts"`
	} `yaml:"container"`
}

type taskDoc struct {
	Name      string `yaml:"name"`
	Template  string `yaml:"template"`
	Arguments struct {
		Parameters []struct {
			Name  string `yaml:"name"`
			Value string `yaml:"value"`
		} `yaml:"parameters"`
		Artifacts []struct {
			Name string `yaml:"name"`
			From string `yaml:"from"`
		} `yaml:"artifacts"`
	} `yaml:"arguments"`
}

// resolveTemplate is the template a task runs with its parameters put in,
// as Argo does it: the template is written as JSON, each
// {{inputs.parameters.NAME}} is replaced by the value quoted with Go's
// rules (without the quotes), and the JSON is read back.
func resolveTemplate(t *testing.T, raw map[string]any, task taskDoc) templateDoc {
	t.Helper()
	data, err := json.Marshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, p := range task.Arguments.Parameters {
		q := strconv.Quote(p.Value)
		text = strings.ReplaceAll(text, "{{inputs.parameters."+p.Name+"}}", q[1:len(q)-1])
	}
	if strings.Contains(text, "{{inputs.parameters.") {
		t.Fatalf("task %s leaves a parameter of template %s unresolved", task.Name, task.Template)
	}
	var out templateDoc
	if err := yaml.Unmarshal([]byte(text), &out); err != nil {
		t.Fatalf("task %s: %v", task.Name, err)
	}
	return out
}

type artifact struct {
	Name     string `yaml:"name"`
	Path     string `yaml:"path"`
	Optional bool   `yaml:"optional"`
	S3       struct {
		Key string `yaml:"key"`
	} `yaml:"s3"`
	Raw *struct {
		Data string `yaml:"data"`
	} `yaml:"raw"`
}

func TestPodsRunTheContract(t *testing.T) {
	testtool.Need(t, "sh", "a POSIX shell")
	result := simulate(t, podPipeline())
	got, err := os.ReadFile(filepath.Join(result["consume"], "wurzel", "work", "result.txt"))
	if err != nil {
		t.Fatal(err)
	}
	// The command's "$" reach sh unchanged through Kubernetes' $(VAR)
	// expansion, and the setting arrives as PRODUCE__GREETING.
	if want := "one\ntwo\nhello\n$(X) $$ $Y\n"; string(got) != want {
		t.Errorf("result %q, want %q", got, want)
	}
}

// TestPodRefusesATamperedInput changes an artifact in the repository after
// its producer committed it: the consumer's runner must refuse it against
// the producer's manifest, which Argo delivered next to it.
func TestPodRefusesATamperedInput(t *testing.T) {
	testtool.Need(t, "sh", "a POSIX shell")
	tampered := false
	err := simulateInto(t, podPipeline(), func(key, path string) {
		if strings.HasSuffix(key, "/produce/pages/") {
			write(t, filepath.Join(path, "a.md"), "changed\n")
			tampered = true
		}
	}, map[string]string{})
	if !tampered {
		t.Fatal("the pages artifact was not stored under a directory key")
	}
	if code := runner.ExitCode(err); code != runner.CodeInput {
		t.Fatalf("exit code %d (%v), want %d", code, err, runner.CodeInput)
	}
}

func simulate(t *testing.T, p *ir.Pipeline) map[string]string {
	t.Helper()
	roots := map[string]string{}
	if err := simulateInto(t, p, nil, roots); err != nil {
		t.Fatal(err)
	}
	return roots
}

// simulateInto runs every step of p as Argo would, in DAG order, and
// records each pod's root directory in roots. stored, when not nil, is
// called with each artifact's key and its copy in the repository.
func simulateInto(t *testing.T, p *ir.Pipeline, stored func(key, path string), roots map[string]string) error {
	return simulateWith(t, p, nil, stored, roots)
}

// simulateWith is simulateInto for a workflow submitted with the given
// parameters (argo submit -p NAME=VALUE).
func simulateWith(t *testing.T, p *ir.Pipeline, params map[string]string, stored func(key, path string), roots map[string]string) error {
	t.Helper()
	files, err := argo.New().Generate(p, backend.GenerateOptions{Version: "dev"})
	if err != nil {
		t.Fatal(err)
	}
	var wf workflowDoc
	if err := yaml.Unmarshal(files[0].Data, &wf); err != nil {
		t.Fatal(err)
	}
	var generic struct {
		Spec struct {
			Templates []map[string]any `yaml:"templates"`
		} `yaml:"spec"`
	}
	if err := yaml.Unmarshal(files[0].Data, &generic); err != nil {
		t.Fatal(err)
	}
	rawTemplates := map[string]map[string]any{}
	for _, raw := range generic.Spec.Templates {
		rawTemplates[raw["name"].(string)] = raw
	}
	repo := t.TempDir()
	const workflowName = "pods-x7k2p"
	// Argo substitutes the workflow's parameters: the submitted values,
	// else the defaults.
	var substitutions []string
	for _, wp := range wf.Spec.Arguments.Parameters {
		v, ok := params[wp.Name]
		if !ok {
			v = wp.Value
		}
		substitutions = append(substitutions, "{{workflow.parameters."+wp.Name+"}}", v)
	}
	substitute := strings.NewReplacer(substitutions...)
	dag := wf.Spec.Templates[0].DAG
	keyOf := map[string]string{} // "{{tasks.S.outputs.artifacts.A}}" -> key
	for _, task := range dag.Tasks {
		raw, ok := rawTemplates[task.Template]
		if !ok {
			t.Fatalf("task %s runs template %s, which does not exist", task.Name, task.Template)
		}
		tmpl := resolveTemplate(t, raw, task)
		root := t.TempDir()
		roots[task.Name] = root
		// The pod's volumes: emptyDirs, the secret's key files.
		for _, m := range tmpl.Container.VolumeMounts {
			mkdir(t, filepath.Join(root, m.MountPath))
			if strings.HasPrefix(m.Name, "secret-") {
				write(t, filepath.Join(root, m.MountPath, "value"), "s3cr3t")
			}
		}
		// Argo places the input artifacts.
		for _, a := range task.Arguments.Artifacts {
			key, ok := keyOf[a.From]
			if !ok {
				t.Fatalf("task %s: %s refers to no earlier output", task.Name, a.From)
			}
			var path string
			for _, in := range tmpl.Inputs.Artifacts {
				if in.Name == a.Name {
					path = in.Path
				}
			}
			if path == "" {
				t.Fatalf("task %s passes artifact %s the template does not take", task.Name, a.Name)
			}
			if err := copyTree(filepath.Join(repo, key), filepath.Join(root, path)); err != nil {
				return err
			}
		}
		// Input artifacts with a key of their own: the repository's
		// "directory" under it.
		for _, in := range tmpl.Inputs.Artifacts {
			if in.S3.Key == "" {
				continue
			}
			key := strings.ReplaceAll(in.S3.Key, "{{workflow.name}}", workflowName)
			if _, err := os.Stat(filepath.Join(repo, key)); err != nil && in.Optional {
				continue // nothing under the key: Argo places nothing
			}
			if err := copyTree(filepath.Join(repo, key), filepath.Join(root, in.Path)); err != nil {
				return err
			}
		}
		// Argo's init container writes raw artifacts (the step spec, the
		// parameters). It reads them from its environment variable
		// ARGO_TEMPLATE, where Kubernetes turns $$ into $.
		for _, in := range tmpl.Inputs.Artifacts {
			if in.Raw != nil {
				write(t, filepath.Join(root, in.Path), strings.ReplaceAll(substitute.Replace(in.Raw.Data), "$$", "$"))
			}
		}
		if err := runStep(t, tmpl.Container.Command, tmpl.Container.Env, root); err != nil {
			return err
		}
		// Argo collects the output artifacts.
		for _, a := range tmpl.Outputs.Artifacts {
			key := strings.ReplaceAll(a.S3.Key, "{{workflow.name}}", workflowName)
			if !strings.HasPrefix(key, p.Name+"/"+workflowName+"/"+task.Template+"/") {
				t.Errorf("artifact key %s is not under the step's prefix", key)
			}
			if strings.Contains(key, "{{") {
				t.Errorf("artifact key %s is not resolved", key)
			}
			keyOf["{{tasks."+task.Name+".outputs.artifacts."+a.Name+"}}"] = key
			if err := copyTree(filepath.Join(root, a.Path), filepath.Join(repo, key)); err != nil {
				t.Fatalf("collecting %s: %v", a.Name, err)
			}
			if stored != nil {
				stored(key, filepath.Join(repo, key))
			}
		}
	}
	return nil
}

// runStep executes the step spec that the container's command names
// (wurzel-step --spec FILE), with the container's env and every pod path
// moved under root.
func runStep(t *testing.T, command []string, env []struct{ Name, Value string }, root string) error {
	t.Helper()
	environ := []string{"PATH=" + os.Getenv("PATH")}
	for _, e := range env {
		environ = append(environ, e.Name+"="+strings.ReplaceAll(e.Value, "$$", "$")) // what Kubernetes does
	}
	if len(command) != 3 || command[0] != "/wurzel/bin/wurzel-step" || command[1] != "--spec" {
		t.Fatalf("container command %v", command)
	}
	raw, err := os.ReadFile(filepath.Join(root, command[2]))
	if err != nil {
		t.Fatal(err)
	}
	st, err := spec.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	st.Workdir = root + st.Workdir
	st.Manifest = root + st.Manifest
	for i := range st.Inputs {
		if st.Inputs[i].From != nil {
			st.Inputs[i].From.Manifest = root + st.Inputs[i].From.Manifest
		}
		for j := range st.Inputs[i].FanIn {
			st.Inputs[i].FanIn[j].Manifest = root + st.Inputs[i].FanIn[j].Manifest
		}
	}
	for i := range st.Secrets {
		st.Secrets[i].Dir = root + st.Secrets[i].Dir
	}
	for i := range st.Volumes {
		st.Volumes[i].Path = root + st.Volumes[i].Path
	}
	if st.Params != nil {
		st.Params.Dir = root + st.Params.Dir
	}
	var logs bytes.Buffer
	err = runner.Exec(context.Background(), st, runner.Options{
		RunID: "uid-1234", Environ: environ, Dir: root,
		Stdout: io.Discard, Stderr: &logs, Logger: runner.NewLogger(&logs),
	})
	if bytes.Contains(logs.Bytes(), []byte("s3cr3t")) {
		t.Errorf("the secret's value reached the log")
	}
	return err
}

func mkdir(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}

func write(t *testing.T, name, data string) {
	t.Helper()
	mkdir(t, filepath.Dir(name))
	if err := os.WriteFile(name, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}

// copyTree copies a file or a directory, as Argo's unarchived S3 artifacts
// do.
func copyTree(src, dst string) error {
	info, err := os.Stat(src)
	if err != nil {
		return err
	}
	if !info.IsDir() {
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		data, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	}
	return filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		return copyTree(path, filepath.Join(dst, rel))
	})
}

// TestPodTakesParametersAtRunTime submits a workflow with a parameter
// other than its default: the step's command argument and setting get
// the submitted value, a number rendered as the compiler renders numbers,
// and a value that is not a number fails the step before it runs.
func TestPodTakesParametersAtRunTime(t *testing.T) {
	p := &ir.Pipeline{
		Name: "params", Image: "alpine:3",
		Sources:   ir.SourcePolicy{AllowedSchemes: []string{"https"}},
		Variables: []ir.Variable{{Name: "n", Type: "number", Value: json.Number("3"), Runtime: true}},
	}
	p.Steps = []ir.Step{{
		Name: "count", Image: "alpine:3",
		Command:  []string{"sh", "-c", `echo "$1 $COUNT__N" > out.txt`, "sh", "--n=3"},
		Settings: []ir.Setting{{Key: "n", EnvName: "COUNT__N", Value: "3"}},
		Outputs:  []ir.Output{{Name: "out", Path: "out.txt", Kind: ir.OutputFile}},
		Bindings: []ir.Binding{
			{Arg: 4, Parts: []ir.BindingPart{{Text: "--n="}, {Var: "n"}}},
			{Arg: -1, Env: "COUNT__N", Parts: []ir.BindingPart{{Var: "n"}}},
		},
	}}
	for submitted, want := range map[string]string{"": "--n=3 3\n", "7": "--n=7 7\n", "1e3": "--n=1000 1000\n"} {
		params := map[string]string{}
		if submitted != "" {
			params["n"] = submitted
		}
		roots := map[string]string{}
		if err := simulateWith(t, p, params, nil, roots); err != nil {
			t.Fatalf("n=%q: %v", submitted, err)
		}
		if got, _ := os.ReadFile(filepath.Join(roots["count"], "wurzel", "work", "out.txt")); string(got) != want {
			t.Errorf("n=%q: %q, want %q", submitted, got, want)
		}
	}
	err := simulateWith(t, p, map[string]string{"n": "many"}, nil, map[string]string{})
	if runner.ExitCode(err) != runner.CodeBadSpec || !strings.Contains(err.Error(), `"many" is not a number`) {
		t.Errorf("n=many: %v", err)
	}
}
