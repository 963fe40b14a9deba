package argo_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/driver"
	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/lang"
	"github.com/wurzel-dev/wurzel/targets/argo"
)

// bigPipeline has steps whose commands hold a script of n bytes each.
func bigPipeline(steps, n int, template bool) map[string][]byte {
	var b strings.Builder
	fmt.Fprintf(&b, "pipeline \"big\" {\n  image = \"debian:12\"\n  argo {\n    template = %v\n  }\n}\n", template)
	script := strings.Repeat("x", n)
	for i := range steps {
		fmt.Fprintf(&b, "step \"s%02d\" {\n  command = [\"sh\", \"-c\", \"echo %s\"]\n}\n", i, script)
	}
	return map[string][]byte{"p.wurzel.hcl": []byte(b.String())}
}

// TestWorkflowTooLargeForKubernetes: a workflow the API server would refuse
// is an error at the pipeline block, and nothing is generated.
func TestWorkflowTooLargeForKubernetes(t *testing.T) {
	for _, template := range []bool{false, true} {
		dir := t.TempDir()
		res := driver.CheckSources(dir, bigPipeline(16, 100_000, template), lang.Options{})
		if res.Pipeline == nil || res.Diagnostics.HasErrors() {
			t.Fatalf("%v", res.Diagnostics)
		}
		files, err := argo.New().Generate(res.Pipeline, backend.GenerateOptions{Version: "v1.0.0"})
		var found *backend.DiagnosticsError
		if !errors.As(err, &found) || files != nil {
			t.Fatalf("template=%v: generate gave %d files and error %v, want a DiagnosticsError", template, len(files), err)
		}
		kind := map[bool]string{false: "Workflow", true: "WorkflowTemplate"}[template]
		if len(found.Diagnostics) != 1 {
			t.Fatalf("diagnostics %v, want one", found.Diagnostics)
		}
		d := found.Diagnostics[0]
		if d.Severity != ir.Error || d.Subject != res.Pipeline.Range {
			t.Errorf("%v at %v, want an error at the pipeline block %v", d.Severity, d.Subject, res.Pipeline.Range)
		}
		for _, want := range []string{"The generated " + kind + " is ", "1,572,864 bytes", "16 steps"} {
			if !strings.Contains(d.Detail, want) {
				t.Errorf("the error does not say %q:\n%s", want, d.Detail)
			}
		}
	}
}

// TestWorkflowUnderTheLimit: just under the limit generates.
func TestWorkflowUnderTheLimit(t *testing.T) {
	res := driver.CheckSources(t.TempDir(), bigPipeline(4, 100_000, false), lang.Options{})
	if res.Pipeline == nil || res.Diagnostics.HasErrors() {
		t.Fatalf("%v", res.Diagnostics)
	}
	files, err := argo.New().Generate(res.Pipeline, backend.GenerateOptions{Version: "v1.0.0"})
	if err != nil || len(files) != 1 {
		t.Fatalf("generate: %v", err)
	}
}
