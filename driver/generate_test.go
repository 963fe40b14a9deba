package driver

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/lang"
	"github.com/wurzel-dev/wurzel/targets/argo"
)

// TestGenerateReportsOutputChecks: what a target finds in the files it
// generated (here, a workflow larger than Kubernetes stores by default) is
// reported with the other diagnostics, at its place in the source.
func TestGenerateReportsOutputChecks(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("pipeline \"big\" {\n  image = \"debian:12\"\n}\n")
	for _, name := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p"} {
		b.WriteString("step \"" + name + "\" {\n  command = [\"echo\", \"" + strings.Repeat("x", 100_000) + "\"]\n}\n")
	}
	if err := os.WriteFile(filepath.Join(dir, "p.wurzel.hcl"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	res, files, err := Generate(dir, lang.Options{}, argo.New(), backend.GenerateOptions{Version: "v1.0.0"})
	if err != nil || len(files) != 1 {
		t.Fatalf("files %d, error %v; want one file, a warning being no error", len(files), err)
	}
	for _, d := range res.Diagnostics {
		if d.Summary == "Workflow larger than Kubernetes stores by default" {
			if d.Severity != hcl.DiagWarning || d.Subject == nil || d.Subject.Start.Line != 1 {
				t.Errorf("the size warning is %v at %v, want a warning at the pipeline block", d.Severity, d.Subject)
			}
			return
		}
	}
	t.Errorf("no size warning in %v", res.Diagnostics)
}
