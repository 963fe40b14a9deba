package argo_test

import (
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

// sizeWarnings generates the pipeline and returns what CheckOutput says.
func sizeWarnings(t *testing.T, files map[string][]byte) (*ir.Pipeline, []ir.Diagnostic) {
	t.Helper()
	res := driver.CheckSources(t.TempDir(), files, lang.Options{})
	if res.Pipeline == nil || res.Diagnostics.HasErrors() {
		t.Fatalf("%v", res.Diagnostics)
	}
	target := argo.New()
	out, err := target.Generate(res.Pipeline, backend.GenerateOptions{Version: "v1.0.0"})
	if err != nil {
		t.Fatal(err)
	}
	return res.Pipeline, target.CheckOutput(res.Pipeline, out)
}

// TestWorkflowLargerThanKubernetesStores: a workflow a cluster with etcd's
// default limit refuses is a warning at the pipeline block that names the
// kind, the size and the limit.
func TestWorkflowLargerThanKubernetesStores(t *testing.T) {
	for _, template := range []bool{false, true} {
		p, diags := sizeWarnings(t, bigPipeline(16, 100_000, template))
		kind := map[bool]string{false: "Workflow", true: "WorkflowTemplate"}[template]
		if len(diags) != 1 {
			t.Fatalf("template=%v: diagnostics %v, want one", template, diags)
		}
		d := diags[0]
		if d.Severity != ir.Warning || d.Subject != p.Range {
			t.Errorf("%v at %v, want a warning at the pipeline block %v", d.Severity, d.Subject, p.Range)
		}
		for _, want := range []string{"The generated " + kind + " is 1,6", "1,572,864 bytes", "16 steps", "--max-request-bytes"} {
			if !strings.Contains(d.Detail, want) {
				t.Errorf("the warning does not say %q:\n%s", want, d.Detail)
			}
		}
	}
}

// TestWorkflowUnderTheLimit: under the limit, nothing is said.
func TestWorkflowUnderTheLimit(t *testing.T) {
	if _, diags := sizeWarnings(t, bigPipeline(4, 100_000, false)); len(diags) != 0 {
		t.Errorf("diagnostics %v, want none", diags)
	}
}
