package argo

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/runner/spec"
	"github.com/wurzel-dev/wurzel/targets/argo/internal/fixtures"
)

// generatedDocs generates a fixture and reads it back as YAML 1.2.
func generatedDocs(t *testing.T, c fixtures.Case, version string) []map[string]any {
	t.Helper()
	files, err := New().Generate(c.Pipeline, backend.GenerateOptions{Version: version})
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, d := range decodeAll12(t, files[0].Data) {
		out = append(out, d.(map[string]any))
	}
	return out
}

func dig(v any, keys ...any) any {
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			v = v.(map[string]any)[k]
		case int:
			v = v.([]any)[k]
		}
	}
	return v
}

// TestStepSpecReachesTheRunner decodes the step spec of every step, which
// Argo's init container writes to the spec file from a raw artifact, and
// compares it with the compiler's spec for the Argo layout.
func TestStepSpecReachesTheRunner(t *testing.T) {
	for _, c := range fixtures.All() {
		docs := generatedDocs(t, c, "dev")
		wfSpec := docs[0]["spec"].(map[string]any)
		if optionsOf(c.Pipeline).Template.Value {
			wfSpec = docs[0]["spec"].(map[string]any)
		} else if len(c.Pipeline.Schedules) > 0 {
			wfSpec = dig(docs[0], "spec", "workflowSpec").(map[string]any)
		}
		templates := wfSpec["templates"].([]any)
		if len(templates) != len(c.Pipeline.Steps)+1 {
			t.Fatalf("%s: %d templates for %d steps", c.Name, len(templates), len(c.Pipeline.Steps))
		}
		for i := range c.Pipeline.Steps {
			s := &c.Pipeline.Steps[i]
			tmpl := templates[i+1].(map[string]any)
			for _, e := range dig(tmpl, "container", "env").([]any) {
				if e.(map[string]any)["name"] == envSpec {
					t.Errorf("%s/%s: the spec is in the environment", c.Name, s.Name)
				}
			}
			if cmd := fmt.Sprint(dig(tmpl, "container", "command")); cmd != fmt.Sprint([]string{runnerPath, "--spec", specPath}) {
				t.Errorf("%s/%s: command %v", c.Name, s.Name, cmd)
			}
			art := dig(tmpl, "inputs", "artifacts", 0).(map[string]any)
			if art["name"] != specArtifactName || art["path"] != specPath {
				t.Fatalf("%s/%s: first input artifact %v", c.Name, s.Name, art)
			}
			got, err := spec.Parse([]byte(dig(art, "raw", "data").(string)))
			if err != nil {
				t.Fatalf("%s/%s: %v", c.Name, s.Name, err)
			}
			want := backend.StepSpec(c.Pipeline, s, layout{})
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s/%s: spec differs:\n got %+v\nwant %+v", c.Name, s.Name, got, want)
			}
			if got.Workdir != workDir || got.Manifest != manifestPath || !got.VolatileManifest || !got.Contained {
				t.Errorf("%s/%s: workdir %q manifest %q volatile %v contained %v; want the pod's emptyDirs, the manifest volatile, the runner contained",
					c.Name, s.Name, got.Workdir, got.Manifest, got.VolatileManifest, got.Contained)
			}
			for _, in := range got.Inputs {
				if in.From != nil && (in.From.Location != "" || in.From.Manifest != metaDir+"/inputs/"+in.Name+"/manifest.json") {
					t.Errorf("%s/%s: input %s: %+v", c.Name, s.Name, in.Name, in.From)
				}
			}
		}
	}
}

func TestRunnerImage(t *testing.T) {
	c := fixtures.Case{Name: "rag", Pipeline: fixtures.RagIngest()}
	for version, want := range map[string]string{
		"dev":              "ghcr.io/wurzel-dev/wurzel:dev",
		"":                 "ghcr.io/wurzel-dev/wurzel:dev",
		"v1.2.3":           "ghcr.io/wurzel-dev/wurzel:v1.2.3",
		"v1.2.3-4-gabcdef": "ghcr.io/wurzel-dev/wurzel:v1.2.3-4-gabcdef",
	} {
		docs := generatedDocs(t, c, version)
		if got := dig(docs[0], "spec", "templates", 1, "initContainers", 0, "image"); got != want {
			t.Errorf("version %q: runner image %v, want %s", version, got, want)
		}
	}
	setArgo(c.Pipeline, "runner_image", "registry.example.com/w:1", ir.Range{})
	if got := dig(generatedDocs(t, c, "v9")[0], "spec", "templates", 1, "initContainers", 0, "image"); got != "registry.example.com/w:1" {
		t.Errorf("runner_image not used: %v", got)
	}
}

func TestKindsAndReferences(t *testing.T) {
	kinds := func(docs []map[string]any) []string {
		var out []string
		for _, d := range docs {
			out = append(out, d["kind"].(string))
		}
		return out
	}
	for _, tc := range []struct {
		c     fixtures.Case
		kinds []string
	}{
		{fixtures.Case{Name: "plain", Pipeline: fixtures.RagIngest()}, []string{"Workflow"}},
		{fixtures.Case{Name: "cron", Pipeline: fixtures.Cron()}, []string{"CronWorkflow"}},
		{fixtures.Case{Name: "template", Pipeline: fixtures.Template()}, []string{"WorkflowTemplate", "Workflow"}},
		{fixtures.Case{Name: "template-cron", Pipeline: fixtures.TemplateCron()}, []string{"WorkflowTemplate", "CronWorkflow"}},
	} {
		docs := generatedDocs(t, tc.c, "dev")
		if got := kinds(docs); !reflect.DeepEqual(got, tc.kinds) {
			t.Errorf("%s: kinds %v, want %v", tc.c.Name, got, tc.kinds)
		}
		if len(docs) == 2 {
			var ref any
			if tc.kinds[1] == "CronWorkflow" {
				ref = dig(docs[1], "spec", "workflowSpec", "workflowTemplateRef", "name")
			} else {
				ref = dig(docs[1], "spec", "workflowTemplateRef", "name")
			}
			if ref != dig(docs[0], "metadata", "name") {
				t.Errorf("%s: workflowTemplateRef %v does not name the template", tc.c.Name, ref)
			}
		}
	}
}

// TestArgoFields spot-checks the lowering of resources, retry, secrets and
// volumes on the volumes fixture.
func TestArgoFields(t *testing.T) {
	docs := generatedDocs(t, fixtures.Case{Name: "volumes", Pipeline: fixtures.Volumes()}, "dev")
	spec := docs[0]["spec"].(map[string]any)
	train := dig(spec, "templates", 2).(map[string]any)
	if train["name"] != "train" {
		t.Fatalf("template 2 is %v", train["name"])
	}
	res := dig(train, "container", "resources").(map[string]any)
	if dig(res, "requests", "nvidia.com/gpu") != "2" || dig(res, "limits", "nvidia.com/gpu") != "2" || dig(res, "requests", "memory") != "32Gi" {
		t.Errorf("resources: %v", res)
	}
	retry := train["retryStrategy"].(map[string]any)
	if retry["limit"] != 2 || retry["retryPolicy"] != "Always" || retry["expression"] != `lastRetry.exitCode == "125" || lastRetry.status == "Error"` || dig(retry, "backoff", "duration") != "1m" ||
		dig(retry, "backoff", "factor") != 2 || dig(retry, "backoff", "cap") != "10m" {
		t.Errorf("retryStrategy: %v", retry)
	}
	if train["activeDeadlineSeconds"] != 5400+600 {
		t.Errorf("activeDeadlineSeconds: %v", train["activeDeadlineSeconds"])
	}
	volumes := map[string]map[string]any{}
	for _, v := range spec["volumes"].([]any) {
		volumes[v.(map[string]any)["name"].(string)] = v.(map[string]any)
	}
	q := volumes["secret-qdrant"]["secret"].(map[string]any)
	if q["secretName"] != "qdrant-credentials" || q["defaultMode"] != 256 || len(q["items"].([]any)) != 2 {
		t.Errorf("secret volume: %v", q)
	}
	if _, ok := volumes["secret-unused"]; ok {
		t.Error("an unused secret got a volume")
	}
	if dig(volumes["volume-models"], "persistentVolumeClaim", "readOnly") != true ||
		dig(volumes["volume-config"], "configMap", "name") != "train-config" || volumes["volume-scratch"]["emptyDir"] == nil {
		t.Errorf("volumes: %v", volumes)
	}
	claims := spec["volumeClaimTemplates"].([]any)
	if len(claims) != 2 || dig(claims[0], "metadata", "name") != "volume-shared" ||
		dig(claims[0], "spec", "storageClassName") != "fast-ssd" || dig(claims[1], "spec", "accessModes", 0) != "ReadWriteOnce" {
		t.Errorf("claim templates: %v", claims)
	}
	if dig(spec, "volumeClaimGC", "strategy") != "OnWorkflowCompletion" {
		t.Errorf("volumeClaimGC: %v", spec["volumeClaimGC"])
	}
	keys := map[string]string{}
	for _, a := range dig(spec, "templates", 1, "outputs", "artifacts").([]any) {
		keys[a.(map[string]any)["name"].(string)] = dig(a, "s3", "key").(string)
	}
	if keys["dataset"] != "train/{{workflow.name}}/prepare/dataset/" || keys[manifestArtifact] != "train/{{workflow.name}}/prepare/manifest.json" {
		t.Errorf("artifact keys: %v", keys)
	}
	if dig(spec, "templates", 0, "dag", "tasks", 2, "depends") != "train" {
		t.Errorf("depends of notify: %v", dig(spec, "templates", 0, "dag", "tasks", 2))
	}
}

// TestOutputKeysFollowTheDeclaredKind: only a directory's key ends in "/",
// whatever the name looks like. S3-compatible servers refuse a payload on a
// key ending in "/", so a file named without an extension must not get one.
func TestOutputKeysFollowTheDeclaredKind(t *testing.T) {
	p := fixtures.RagIngest()
	read := &p.Steps[0]
	read.Outputs = []ir.Output{
		{Name: "model", Path: "out/model", Kind: ir.OutputFile},
		{Name: "shards", Path: "out/shards.v2", Kind: ir.OutputDir},
	}
	docs := generatedDocs(t, fixtures.Case{Name: "kinds", Pipeline: p}, "dev")
	keys := map[string]string{}
	for _, a := range dig(docs[0], "spec", "templates", 1, "outputs", "artifacts").([]any) {
		keys[a.(map[string]any)["name"].(string)] = dig(a, "s3", "key").(string)
	}
	want := map[string]string{
		"model":          "rag-ingest/{{workflow.name}}/read/model",
		"shards":         "rag-ingest/{{workflow.name}}/read/shards/",
		manifestArtifact: "rag-ingest/{{workflow.name}}/read/manifest.json",
	}
	if !reflect.DeepEqual(keys, want) {
		t.Errorf("keys %v, want %v", keys, want)
	}
}

// TestArtifactsOptionalWhereArgoMustNotFail: every output artifact is
// optional, since a failed attempt leaves nothing at its path (the runner
// withdraws it) and Argo must then upload nothing rather than fail the pod
// itself; an input that is a directory is optional, since an empty one
// leaves no object behind. Manifests and files are never optional inputs:
// a committed step always has them.
func TestArtifactsOptionalWhereArgoMustNotFail(t *testing.T) {
	docs := generatedDocs(t, fixtures.Case{Name: "rag", Pipeline: fixtures.RagIngest()}, "dev")
	optional := map[string]bool{}
	for i, tmpl := range dig(docs[0], "spec", "templates").([]any)[1:] {
		name := tmpl.(map[string]any)["name"].(string)
		for _, a := range dig(tmpl, "outputs", "artifacts").([]any) {
			if dig(a, "optional") != true {
				t.Errorf("template %d: output %v is not optional", i+1, a)
			}
		}
		if in, ok := tmpl.(map[string]any)["inputs"]; ok {
			for _, a := range dig(in, "artifacts").([]any) {
				optional[name+"/"+dig(a, "name").(string)] = dig(a, "optional") == true
			}
		}
	}
	want := map[string]bool{
		"split/pages": true, "split/pages_manifest": false,
		"embed/chunks": false, "embed/chunks_manifest": false,
		"index/vectors": false, "index/vectors_manifest": false,
		"read/wurzel_spec": false, "split/wurzel_spec": false, "embed/wurzel_spec": false, "index/wurzel_spec": false,
	}
	if !reflect.DeepEqual(optional, want) {
		t.Errorf("optional inputs %v, want %v", optional, want)
	}
}
