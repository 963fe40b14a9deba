package conformance

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	wfv1 "github.com/argoproj/argo-workflows/v3/pkg/apis/workflow/v1alpha1"
	"github.com/argoproj/argo-workflows/v3/workflow/common"
	"sigs.k8s.io/yaml"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/driver"
	"github.com/wurzel-dev/wurzel/lang"
	"github.com/wurzel-dev/wurzel/runner/spec"
	"github.com/wurzel-dev/wurzel/targets/argo"
)

// fanOut has instances with values that are hard to carry through a
// parameter, instances pairing with another step's by key, and a fan-in.
const fanOut = `
pipeline "fan" {
  image = "alpine:3"
}

locals {
  greetings = {
    de = "Grüß \"dich\" $HOME \\ ${"$"}{X}"
    en = "hello\nworld\ttab"
    fr = "salut $$(Y) {x}"
  }
}

step "greet" {
  for_each = local.greetings
  command  = ["greet", each.value]
  settings = { text = each.value }
  output "text" { path = "out/text" }
}

step "shout" {
  for_each = local.greetings
  command  = ["shout"]
  input "text" { from = step.greet[each.key].output.text }
  output "loud" { path = "out/loud" }
}

step "gather" {
  command = ["gather"]
  input "texts" { from = step.greet[*].output.text }
  input "loud" { from = step.shout[*].output.loud }
}
`

// TestInstancesResolve lets Argo's own code (common.ProcessArgs, what the
// controller runs for every task) put each task's parameters into its
// step's template, and checks that each instance's container then carries
// exactly its own step spec and artifact keys.
func TestInstancesResolve(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "p.wurzel.hcl"), []byte(fanOut), 0o644); err != nil {
		t.Fatal(err)
	}
	res, files, err := driver.Generate(dir, lang.Options{}, argo.New(), backend.GenerateOptions{Version: "dev"})
	if err != nil || res.Diagnostics.HasErrors() {
		t.Fatalf("generate: %v %v", err, res.Diagnostics)
	}
	conform(t, files)
	p := res.Pipeline
	wf := &wfv1.Workflow{}
	if err := yaml.Unmarshal(files[0].Data, wf); err != nil {
		t.Fatal(err)
	}
	templates := map[string]*wfv1.Template{}
	for i := range wf.Spec.Templates {
		templates[wf.Spec.Templates[i].Name] = &wf.Spec.Templates[i]
	}
	if len(templates) != 4 {
		t.Errorf("%d templates, want main and one per step", len(templates))
	}
	globals := common.Parameters{"workflow.name": "fan-x7k2p", "workflow.uid": "uid-1"}
	keys := map[string]bool{}
	// outputs holds the resolved output artifacts of the tasks so far, by
	// the reference a later task's "from" uses, as the controller resolves
	// them before a task starts.
	outputs := map[string]wfv1.Artifact{}
	for _, task := range templates["main"].DAG.Tasks {
		s := p.Step(task.Name)
		if s == nil {
			t.Fatalf("task %s is no step", task.Name)
		}
		args := task.Arguments.DeepCopy()
		for i, a := range args.Artifacts {
			out, ok := outputs[a.From]
			if !ok {
				t.Fatalf("task %s: %s is no earlier task's output", task.Name, a.From)
			}
			out.Name = a.Name
			args.Artifacts[i] = out
		}
		resolved, err := common.ProcessArgs(templates[task.Template], args, globals, common.Parameters{}, false, "", nil)
		if err != nil {
			t.Fatalf("task %s: %v", task.Name, err)
		}
		env := map[string]string{}
		for _, e := range resolved.Container.Env {
			env[e.Name] = strings.ReplaceAll(e.Value, "$$", "$") // what Kubernetes does
		}
		if env["WURZEL_STEP"] != s.Name {
			t.Errorf("task %s: WURZEL_STEP %q", task.Name, env["WURZEL_STEP"])
		}
		// The spec reaches the runner as the raw artifact wurzel_spec,
		// which Argo's init container reads from ARGO_TEMPLATE, an
		// environment variable Kubernetes expands.
		var raw string
		for _, a := range resolved.Inputs.Artifacts {
			if a.Name == "wurzel_spec" && a.Raw != nil {
				raw = strings.ReplaceAll(a.Raw.Data, "$$", "$")
			}
		}
		st, err := spec.Parse([]byte(raw))
		if err != nil {
			t.Fatalf("task %s: %v", task.Name, err)
		}
		wantKey := ""
		if s.Instance != nil {
			wantKey = s.Instance.Key
		}
		if st.Step != s.Name || st.EachKey != wantKey || !reflect.DeepEqual(st.Command, s.Command) || !reflect.DeepEqual(st.Env, backend.StepEnv(s)) {
			t.Errorf("task %s: the resolved spec is not the step's: %+v", task.Name, st)
		}
		for k, v := range backend.StepEnv(s) {
			if env[k] != v {
				t.Errorf("task %s: env %s = %q, want %q", task.Name, k, env[k], v)
			}
		}
		for i, in := range s.Inputs {
			if in.FanIn == nil {
				continue
			}
			if len(st.Inputs[i].FanIn) != len(in.FanIn.Instances) {
				t.Errorf("task %s: fan-in %s has %d instances", task.Name, in.Name, len(st.Inputs[i].FanIn))
			}
		}
		for _, a := range resolved.Outputs.Artifacts {
			if a.S3 == nil || strings.Contains(a.S3.Key, "{{") || keys[a.S3.Key] {
				t.Errorf("task %s: output %s has key %v: unresolved or shared", task.Name, a.Name, a.S3)
				continue
			}
			keys[a.S3.Key] = true
			outputs["{{tasks."+task.Name+".outputs.artifacts."+a.Name+"}}"] = a
		}
	}
	// The fan-in reads the prefix every instance of greet writes under.
	for _, k := range []string{"fan/fan-x7k2p/greet/text/de", "fan/fan-x7k2p/greet/wurzel_manifest/fr", "fan/fan-x7k2p/shout/loud/en"} {
		if !keys[k] {
			t.Errorf("no output at %s", k)
		}
	}
	var prefixes []string
	for _, a := range templates["gather"].Inputs.Artifacts {
		if a.S3 != nil {
			prefixes = append(prefixes, a.Name+"="+a.S3.Key)
		}
	}
	want := []string{"texts=fan/{{workflow.name}}/greet/text", "texts_manifest=fan/{{workflow.name}}/greet/wurzel_manifest",
		"loud=fan/{{workflow.name}}/shout/loud", "loud_manifest=fan/{{workflow.name}}/shout/wurzel_manifest"}
	if !reflect.DeepEqual(prefixes, want) {
		t.Errorf("gather's inputs %q, want %q", prefixes, want)
	}
}
