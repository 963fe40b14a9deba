package harness

import (
	"bytes"

	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	wfv1 "github.com/argoproj/argo-workflows/v3/pkg/apis/workflow/v1alpha1"
	"github.com/argoproj/argo-workflows/v3/workflow/common"
)

// Generated is what `wurzel generate --target argo` made of a case: the
// workflow to submit (a CronWorkflow's is the workflow it would start) and
// the WorkflowTemplates it refers to.
type Generated struct {
	YAML      []byte
	Workflow  *wfv1.Workflow
	Templates []*wfv1.WorkflowTemplate
}

// Generate runs `wurzel generate --target argo` on the prepared pipeline.
func (e *Env) Generate(t testing.TB, p *Prepared) *Generated {
	t.Helper()
	args := []string{"generate", p.Dir, "--target", "argo"}
	for _, v := range p.Vars {
		args = append(args, "--var", v)
	}
	for _, f := range p.VarFiles {
		args = append(args, "--var-file", f)
	}
	cmd := exec.Command(e.Wurzel, args...)
	cmd.Env = append(os.Environ(), p.Environ...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("wurzel generate: %v\n%s", err, stderr.String())
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(p.Dir), "workflow.yaml"), out, 0o644); err != nil {
		t.Fatal(err)
	}
	g := &Generated{YAML: out}
	for _, doc := range splitDocuments(out) {
		var meta struct{ Kind string }
		if err := yaml.Unmarshal(doc, &meta); err != nil {
			t.Fatal(err)
		}
		switch meta.Kind {
		case "Workflow":
			g.Workflow = &wfv1.Workflow{}
			mustUnmarshal(t, doc, g.Workflow)
		case "WorkflowTemplate":
			tmpl := &wfv1.WorkflowTemplate{}
			mustUnmarshal(t, doc, tmpl)
			g.Templates = append(g.Templates, tmpl)
		case "CronWorkflow":
			cron := &wfv1.CronWorkflow{}
			mustUnmarshal(t, doc, cron)
			g.Workflow = common.ConvertCronWorkflowToWorkflow(cron)
		default:
			t.Fatalf("wurzel generate made a %q", meta.Kind)
		}
	}
	if g.Workflow == nil {
		t.Fatal("wurzel generate made no workflow")
	}
	return g
}

func mustUnmarshal(t testing.TB, doc []byte, v any) {
	t.Helper()
	if err := yaml.UnmarshalStrict(doc, v); err != nil {
		t.Fatalf("%v\n%s", err, doc)
	}
}

// splitDocuments splits a YAML stream at its "---" lines.
func splitDocuments(stream []byte) [][]byte {
	var docs [][]byte
	for _, d := range strings.Split("\n"+string(stream), "\n---\n") {
		if strings.TrimSpace(d) != "" {
			docs = append(docs, []byte(d))
		}
	}
	return docs
}
