package argo

import (
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/internal/yamlout/yamltest"
	"github.com/wurzel-dev/wurzel/targets/argo/internal/fixtures"
)

// TestGeneratedStreamsReadTheSame reads every fixture's output with a YAML
// 1.1 and a YAML 1.2 reader, which must agree.
func TestGeneratedStreamsReadTheSame(t *testing.T) {
	for _, c := range fixtures.All() {
		files, err := New().Generate(c.Pipeline, backend.GenerateOptions{Version: "dev"})
		if err != nil {
			t.Fatal(err)
		}
		docs := yamltest.Read(t, files[0].Data)
		if want := 1 + boolToInt(optionsOf(c.Pipeline).Template.Value); len(docs) != want {
			t.Errorf("%s: %d documents, want %d", c.Name, len(docs), want)
		}
	}
}

// TestTrickyStringsSurvive checks that the env values of the tricky fixture
// reach the container exactly (after Kubernetes' $$ unescaping).
func TestTrickyStringsSurvive(t *testing.T) {
	p := fixtures.TrickyStrings()
	files, err := New().Generate(p, backend.GenerateOptions{Version: "dev"})
	if err != nil {
		t.Fatal(err)
	}
	docs := yamltest.Read(t, files[0].Data)
	spec := docs[0].(map[string]any)["spec"].(map[string]any)
	tmpl := spec["templates"].([]any)[1].(map[string]any)
	env := tmpl["container"].(map[string]any)["env"].([]any)
	got := map[string]string{}
	for _, e := range env {
		e := e.(map[string]any)
		got[e["name"].(string)] = strings.ReplaceAll(e["value"].(string), "$$", "$")
	}
	for k, want := range backend.StepEnv(&p.Steps[0]) {
		if want != got[k] {
			t.Errorf("env %s: got %q, want %q", k, got[k], want)
		}
	}
	labels := docs[0].(map[string]any)["metadata"].(map[string]any)["labels"].(map[string]any)
	for k, want := range p.Labels {
		if labels[k] != want {
			t.Errorf("label %s: got %#v, want %q", k, labels[k], want)
		}
	}
}

// TestUnsupportedValueIsAnError: a value the lowering should never build
// is reported, not written or panicked on.
func TestUnsupportedValueIsAnError(t *testing.T) {
	doc := newBuilder().mapping().set("ok", "x").set("bad", 1.5)
	if _, err := emitDocuments([]*mapping{doc}, 0); err == nil || !strings.Contains(err.Error(), "float64") {
		t.Errorf("emitDocuments = %v, want an error naming float64", err)
	}
}

func boolToInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// decodeAll12 reads every document of a generated stream as YAML 1.2, after
// checking that a YAML 1.1 reader reads the same.
func decodeAll12(t *testing.T, data []byte) []any {
	t.Helper()
	return yamltest.Read(t, data)
}
