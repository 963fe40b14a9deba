package argo

import (
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/targets/argo/internal/fixtures"
)

func TestUnpublishedRunnerImageWarning(t *testing.T) {
	for _, c := range []struct {
		version, runnerImage string
		warn                 bool
	}{
		{version: "v1.2.3"},
		{version: "v1.2.3-rc.1"},
		{version: "v1.2.3-4-gabcdef", warn: true},
		{version: "abcdef0", warn: true},
		{version: "v1.2.3-dirty", warn: true},
		{version: "dev", warn: true},
		{version: "", warn: true},
		{version: "dev", runnerImage: "registry.example.com/wurzel:dev"},
	} {
		p := fixtures.RagIngest()
		if c.runnerImage != "" {
			setArgo(p, "runner_image", c.runnerImage, ir.Range{})
		}
		var diags []ir.Diagnostic
		for _, d := range New().CheckGenerate(p, backend.GenerateOptions{Version: c.version}) {
			if d.Summary == "Unpublished runner image" {
				diags = append(diags, d)
			}
		}
		if !c.warn {
			if len(diags) != 0 {
				t.Errorf("version %q, runner_image %q: %v, want no diagnostic", c.version, c.runnerImage, diags)
			}
			continue
		}
		if len(diags) != 1 || diags[0].Severity != ir.Warning {
			t.Fatalf("version %q: %v, want one warning", c.version, diags)
		}
		d := diags[0]
		o := optionsOf(p)
		image := runnerImage(&o, c.version)
		for _, want := range []string{"development build", image, "runner_image", "make image"} {
			if !strings.Contains(d.Detail, want) {
				t.Errorf("version %q: the warning does not say %q:\n%s", c.version, want, d.Detail)
			}
		}
		if d.Subject != p.Range {
			t.Errorf("version %q: warning at %v, want the pipeline block %v", c.version, d.Subject, p.Range)
		}
	}
}

// TestArtifactRepositoryNote: a pipeline that names no artifact repository
// relies on the namespace's default, and every step fails without one, so
// generating says so; naming one silences it.
func TestArtifactRepositoryNote(t *testing.T) {
	notes := func(p *ir.Pipeline) []ir.Diagnostic {
		var out []ir.Diagnostic
		for _, d := range New().CheckGenerate(p, backend.GenerateOptions{Version: "v1.2.3"}) {
			if d.Summary == "Artifact repository needed" {
				out = append(out, d)
			}
		}
		return out
	}
	p := fixtures.RagIngest()
	got := notes(p)
	if len(got) != 1 || got[0].Severity != ir.Warning || !strings.Contains(got[0].Detail, "artifact-repositories") || !strings.Contains(got[0].Detail, "artifact_repository_ref") {
		t.Fatalf("without artifact_repository_ref: %v", got)
	}
	if got := notes(fixtures.AllOptions()); len(got) != 0 {
		t.Errorf("with artifact_repository_ref: %v", got)
	}
}
