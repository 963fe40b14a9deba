package conformance

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"
	"testing"

	wfv1 "github.com/argoproj/argo-workflows/v3/pkg/apis/workflow/v1alpha1"
	"github.com/argoproj/argo-workflows/v3/util/expr/argoexpr"
	"github.com/argoproj/argo-workflows/v3/util/expr/env"
	"github.com/argoproj/argo-workflows/v3/workflow/validate"
	"github.com/google/go-cmp/cmp"
	yaml3 "go.yaml.in/yaml/v3"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/util/validation"
	k8syaml "k8s.io/apimachinery/pkg/util/yaml"
	sigsjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/driver"
	"github.com/wurzel-dev/wurzel/internal/testcase"
	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/lang"
	"github.com/wurzel-dev/wurzel/targets/argo"
	"github.com/wurzel-dev/wurzel/targets/argo/internal/fixtures"
)

// repoRoot is the wurzel repository, three directories up.
const repoRoot = "../../.."

// TestHandWrittenIR checks the pipelines that use every feature of the
// target.
func TestHandWrittenIR(t *testing.T) {
	for _, c := range fixtures.All() {
		t.Run(c.Name, func(t *testing.T) {
			if diags := errorsOnly(argo.New().Check(c.Pipeline)); len(diags) > 0 {
				t.Fatalf("check: %v", diags)
			}
			files, err := argo.New().Generate(c.Pipeline, backend.GenerateOptions{Version: "v0.1.0"})
			if err != nil {
				t.Fatal(err)
			}
			conform(t, files)
		})
	}
}

// TestExamplesAndValidCases loads every bundled example and every valid
// test case of the language (txtar archives of pipeline files) through the
// front end and checks what the target makes of it.
func TestExamplesAndValidCases(t *testing.T) {
	for _, c := range testcase.Repository(t, repoRoot) {
		t.Run(c.Name, func(t *testing.T) {
			dir, opts := c.Dir, lang.Options{Vars: c.Vars, VarFiles: c.VarFiles, Environ: c.Environ}
			loaded := driver.Check(dir, opts)
			if loaded.Pipeline == nil || loaded.Diagnostics.HasErrors() {
				t.Fatalf("a valid pipeline does not load: %v", loaded.Diagnostics)
			}
			if diags := errorsOnly(argo.New().Check(loaded.Pipeline)); len(diags) > 0 {
				// The language accepts it, but it uses something Argo
				// cannot run (for example a secret with only a local
				// source); the target's own tests cover those refusals.
				t.Skipf("the argo target refuses this pipeline: %v", diags)
			}
			res, files, err := driver.Generate(dir, opts, argo.New(), backend.GenerateOptions{Version: "dev"})
			if err != nil || res.Diagnostics.HasErrors() {
				t.Fatalf("generate: %v %v", err, res.Diagnostics)
			}
			conform(t, files)
		})
	}
}

func errorsOnly(diags []ir.Diagnostic) []string {
	var out []string
	for _, d := range diags {
		if d.Severity == ir.Error {
			out = append(out, fmt.Sprintf("%s: %s: %s", d.Subject, d.Summary, d.Detail))
		}
	}
	return out
}

// conform decodes every document of the generated stream strictly into
// Argo's types and runs Argo's validation on it.
func conform(t reporter, files []backend.File) {
	t.Helper()
	if len(files) != 1 {
		t.Fatalf("got %d files, want one stream", len(files))
	}
	checkStream(t, files[0].Data)
}

// checkStream checks one generated YAML stream.
func checkStream(t reporter, data []byte) {
	t.Helper()
	docs := splitDocuments(t, data)
	if len(docs) == 0 {
		t.Fatalf("empty stream")
	}
	var (
		workflows []*wfv1.Workflow
		crons     []*wfv1.CronWorkflow
		templates = templateGetter{}
	)
	for i, doc := range docs {
		var probe struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
		}
		if err := yaml.Unmarshal(doc, &probe); err != nil {
			t.Fatalf("document %d: %v", i, err)
		}
		if probe.APIVersion != "argoproj.io/v1alpha1" {
			t.Fatalf("document %d: apiVersion %q", i, probe.APIVersion)
		}
		switch probe.Kind {
		case "Workflow":
			wf := &wfv1.Workflow{}
			strictDecode(t, doc, wf)
			checkMeta(t, probe.Kind, wf.ObjectMeta.Name, wf.ObjectMeta.GenerateName, wf.Namespace, wf.Labels, wf.Annotations)
			workflows = append(workflows, wf)
		case "CronWorkflow":
			cwf := &wfv1.CronWorkflow{}
			strictDecode(t, doc, cwf)
			checkMeta(t, probe.Kind, cwf.Name, cwf.GenerateName, cwf.Namespace, cwf.Labels, cwf.Annotations)
			crons = append(crons, cwf)
		case "WorkflowTemplate":
			tmpl := &wfv1.WorkflowTemplate{}
			strictDecode(t, doc, tmpl)
			checkMeta(t, probe.Kind, tmpl.Name, tmpl.GenerateName, tmpl.Namespace, tmpl.Labels, tmpl.Annotations)
			templates[tmpl.Name] = tmpl
		default:
			t.Fatalf("document %d: unexpected kind %q", i, probe.Kind)
		}
	}
	opts := validate.ValidateOpts{Lint: true}
	for _, tmpl := range templates {
		if err := validate.ValidateWorkflowTemplate(templates, noClusterTemplates{}, tmpl, nil, opts); err != nil {
			t.Errorf("WorkflowTemplate %s: %v", tmpl.Name, err)
		}
		checkPodSpecNames(t, &tmpl.Spec)
	}
	for _, wf := range workflows {
		if err := validate.ValidateWorkflow(templates, noClusterTemplates{}, wf, nil, opts); err != nil {
			t.Errorf("Workflow %s: %v", wf.GenerateName, err)
		}
		checkPodSpecNames(t, &wf.Spec)
	}
	for _, cwf := range crons {
		if err := validate.ValidateCronWorkflow(context.Background(), templates, noClusterTemplates{}, cwf, nil); err != nil {
			t.Errorf("CronWorkflow %s: %v", cwf.Name, err)
		}
		checkPodSpecNames(t, &cwf.Spec.WorkflowSpec)
	}
}

// splitDocuments reads a multi-document YAML stream.
func splitDocuments(t reporter, data []byte) [][]byte {
	t.Helper()
	r := k8syaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	var docs [][]byte
	for {
		doc, err := r.Read()
		if errors.Is(err, io.EOF) {
			return docs
		}
		if err != nil {
			t.Fatalf("%v", err)
		}
		if len(bytes.TrimSpace(doc)) > 0 && string(bytes.TrimSpace(doc)) != "---" {
			docs = append(docs, doc)
		}
	}
}

// strictDecode reads doc the way Kubernetes does (YAML 1.1, through
// sigs.k8s.io/yaml), checks that a YAML 1.2 reader sees exactly the same
// values, and decodes it into Argo's type refusing unknown, duplicate and
// wrongly cased fields.
func strictDecode(t reporter, doc []byte, into any) {
	t.Helper()
	asJSON, err := yaml.YAMLToJSONStrict(doc)
	if err != nil {
		t.Fatalf("reading YAML as Kubernetes does: %v", err)
	}
	var yaml11, yaml12 any
	if err := json.Unmarshal(asJSON, &yaml11); err != nil {
		t.Fatalf("%v", err)
	}
	if err := yaml3.Unmarshal(doc, &yaml12); err != nil {
		t.Fatalf("reading YAML 1.2: %v", err)
	}
	if !reflect.DeepEqual(yaml11, jsonRoundTrip(t, yaml12)) {
		t.Errorf("YAML 1.1 and YAML 1.2 readers see different values:\n%s", cmp.Diff(yaml11, jsonRoundTrip(t, yaml12)))
	}
	strictErrs, err := sigsjson.UnmarshalStrict(asJSON, into)
	if err != nil {
		t.Fatalf("decoding into Argo's types: %v", err)
	}
	for _, e := range strictErrs {
		t.Errorf("decoding into Argo's types: %v", e)
	}
}

// jsonRoundTrip gives v the types encoding/json would (float64 numbers).
func jsonRoundTrip(t reporter, v any) any {
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%v", err)
	}
	var out any
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("%v", err)
	}
	return out
}

// checkMeta validates metadata with Kubernetes' own rules.
func checkMeta(t reporter, kind, name, generateName, namespace string, labels, annotations map[string]string) {
	t.Helper()
	switch {
	case name != "":
		for _, msg := range apivalidation.NameIsDNSSubdomain(name, false) {
			t.Errorf("%s name %q: %s", kind, name, msg)
		}
		if len(name) > 63 {
			t.Errorf("%s name %q is longer than 63", kind, name)
		}
	case generateName != "":
		for _, msg := range apivalidation.NameIsDNSSubdomain(generateName, true) {
			t.Errorf("%s generateName %q: %s", kind, generateName, msg)
		}
		if len(generateName) > 63 {
			t.Errorf("%s generateName %q is longer than 63", kind, generateName)
		}
	default:
		t.Errorf("%s has neither name nor generateName", kind)
	}
	if namespace != "" {
		for _, msg := range validation.IsDNS1123Label(namespace) {
			t.Errorf("%s namespace %q: %s", kind, namespace, msg)
		}
	}
	for k, v := range labels {
		for _, msg := range validation.IsQualifiedName(k) {
			t.Errorf("%s label key %q: %s", kind, k, msg)
		}
		for _, msg := range validation.IsValidLabelValue(v) {
			t.Errorf("%s label %q value %q: %s", kind, k, v, msg)
		}
	}
	for k := range annotations {
		for _, msg := range validation.IsQualifiedName(k) {
			t.Errorf("%s annotation key %q: %s", kind, k, msg)
		}
	}
}

// checkPodSpecNames validates the Kubernetes names inside a workflow spec
// that Argo's validation leaves to the API server: volumes, claims, secrets,
// config maps, templates and pod labels.
func checkPodSpecNames(t reporter, spec *wfv1.WorkflowSpec) {
	t.Helper()
	label := func(what, v string) {
		for _, msg := range validation.IsDNS1123Label(v) {
			t.Errorf("%s %q: %s", what, v, msg)
		}
	}
	subdomain := func(what, v string) {
		for _, msg := range validation.IsDNS1123Subdomain(v) {
			t.Errorf("%s %q: %s", what, v, msg)
		}
	}
	for _, v := range spec.Volumes {
		label("volume name", v.Name)
		switch {
		case v.Secret != nil:
			subdomain("secret name", v.Secret.SecretName)
			if v.Secret.DefaultMode == nil || *v.Secret.DefaultMode != 0o400 {
				t.Errorf("secret volume %s: defaultMode is not 0400", v.Name)
			}
		case v.PersistentVolumeClaim != nil:
			subdomain("claim name", v.PersistentVolumeClaim.ClaimName)
		case v.ConfigMap != nil:
			subdomain("config map name", v.ConfigMap.Name)
		}
	}
	for _, c := range spec.VolumeClaimTemplates {
		label("volume claim template", c.Name)
	}
	for _, tmpl := range spec.Templates {
		label("template name", tmpl.Name)
		if tmpl.Container == nil {
			continue
		}
		for _, m := range tmpl.Container.VolumeMounts {
			label("volume mount name", m.Name)
		}
		for _, e := range tmpl.Container.Env {
			for _, msg := range validation.IsEnvVarName(e.Name) {
				t.Errorf("template %s: env %q: %s", tmpl.Name, e.Name, msg)
			}
		}
	}
	if spec.PodMetadata != nil {
		for k, v := range spec.PodMetadata.Labels {
			for _, msg := range validation.IsQualifiedName(k) {
				t.Errorf("pod label key %q: %s", k, msg)
			}
			for _, msg := range validation.IsValidLabelValue(v) {
				t.Errorf("pod label %q value %q: %s", k, v, msg)
			}
		}
	}
}

// templateGetter resolves workflowTemplateRef against the stream's own
// WorkflowTemplates.
type templateGetter map[string]*wfv1.WorkflowTemplate

func (g templateGetter) Get(name string) (*wfv1.WorkflowTemplate, error) {
	if tmpl, ok := g[name]; ok {
		return tmpl.DeepCopy(), nil
	}
	return nil, fmt.Errorf("workflow template %q is not in the generated stream", name)
}

type noClusterTemplates struct{}

func (noClusterTemplates) Get(name string) (*wfv1.ClusterWorkflowTemplate, error) {
	return nil, fmt.Errorf("cluster workflow template %q: wurzel never refers to one", name)
}

// reporter is the part of testing.TB the checks use, so that a test can
// also run them on a broken stream and collect what they find.
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// recorder collects the problems the checks report.
type recorder struct{ problems []string }

type stopChecking struct{}

func (*recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.problems = append(r.problems, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	panic(stopChecking{})
}

func problemsIn(data []byte) (problems []string) {
	r := &recorder{}
	defer func() {
		if v := recover(); v != nil {
			if _, ok := v.(stopChecking); !ok {
				panic(v)
			}
		}
		problems = r.problems
	}()
	checkStream(r, data)
	return r.problems
}

// TestChecksCatchMistakes makes sure the checks above fail on what Argo or
// Kubernetes would refuse, so that a passing conformance run means
// something.
func TestChecksCatchMistakes(t *testing.T) {
	files, err := argo.New().Generate(fixtures.RagIngest(), backend.GenerateOptions{Version: "dev"})
	if err != nil {
		t.Fatal(err)
	}
	good := string(files[0].Data)
	if p := problemsIn([]byte(good)); len(p) > 0 {
		t.Fatalf("the unmodified stream has problems: %v", p)
	}
	mistakes := map[string]func(string) string{
		"unknown field": func(s string) string {
			return strings.Replace(s, "  entrypoint: main\n", "  entrypoint: main\n  entrypointz: main\n", 1)
		},
		"wrongly cased field": func(s string) string {
			return strings.Replace(s, "  entrypoint: main\n", "  entryPoint: main\n", 1)
		},
		"missing dependency": func(s string) string {
			return strings.Replace(s, "depends: read\n", "depends: nosuchtask\n", 1)
		},
		"bad template reference": func(s string) string {
			return strings.Replace(s, "template: split\n", "template: nosuchtemplate\n", 1)
		},
		"unquoted boolean-looking value": func(s string) string {
			return strings.Replace(s, "value: \"8\"\n", "value: yes\n", 1)
		},
		"invalid generateName": func(s string) string {
			return strings.Replace(s, "generateName: rag-ingest-\n", "generateName: Rag_Ingest-\n", 1)
		},
		"undefined artifact": func(s string) string {
			return strings.Replace(s, "outputs.artifacts.pages}}", "outputs.artifacts.nothing}}", 1)
		},
	}
	names := make([]string, 0, len(mistakes))
	for name := range mistakes {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		bad := mistakes[name](good)
		if bad == good {
			t.Errorf("%s: the mutation did not apply", name)
			continue
		}
		if p := problemsIn([]byte(bad)); len(p) == 0 {
			t.Errorf("%s: not caught", name)
		}
	}
}

// TestTransientRetryExpression evaluates the retry expression the target
// writes for on_transient_error with Argo's own evaluator and the scope Argo
// builds for it (operator.go, buildRetryStrategyLocalScope).
func TestTransientRetryExpression(t *testing.T) {
	files, err := argo.New().Generate(fixtures.Volumes(), backend.GenerateOptions{Version: "dev"})
	if err != nil {
		t.Fatal(err)
	}
	wf := &wfv1.Workflow{}
	if err := yaml.Unmarshal(files[0].Data, wf); err != nil {
		t.Fatal(err)
	}
	var expression string
	for _, tmpl := range wf.Spec.Templates {
		if tmpl.RetryStrategy != nil && tmpl.RetryStrategy.Expression != "" {
			expression = tmpl.RetryStrategy.Expression
		}
	}
	if expression == "" {
		t.Fatal("no retry expression in the volumes fixture")
	}
	for _, c := range []struct {
		exitCode, status string
		retry            bool
	}{
		{"125", "Failed", true},
		{"1", "Failed", false},
		{"124", "Failed", false},
		{"-1", "Error", true},
	} {
		scope := env.GetFuncMap(map[string]any{
			"retries":            "0",
			"lastRetry.exitCode": c.exitCode,
			"lastRetry.status":   c.status,
			"lastRetry.duration": "3",
			"lastRetry.message":  "",
		})
		got, err := argoexpr.EvalBool(expression, scope)
		if err != nil {
			t.Fatalf("%s: %v", expression, err)
		}
		if got != c.retry {
			t.Errorf("exit code %s, status %s: retry %v, want %v", c.exitCode, c.status, got, c.retry)
		}
	}
}
