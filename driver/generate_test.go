package driver

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/lang"
	"github.com/wurzel-dev/wurzel/targets/argo"
)

// TestGenerateReportsTargetDiagnostics: what a target finds only once it
// has lowered the pipeline (here, a workflow larger than Kubernetes
// stores) is reported as a diagnostic, and Generate returns no files.
func TestGenerateReportsTargetDiagnostics(t *testing.T) {
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
	if err != nil || files != nil {
		t.Fatalf("files %d, error %v; want neither", len(files), err)
	}
	if !res.Diagnostics.HasErrors() {
		t.Fatalf("no error: %v", res.Diagnostics)
	}
	for _, d := range res.Diagnostics {
		if d.Summary == "Workflow too large for Kubernetes" {
			if d.Subject == nil || d.Subject.Start.Line != 1 {
				t.Errorf("the size error is at %v, want the pipeline block", d.Subject)
			}
			return
		}
	}
	t.Errorf("no size error in %v", res.Diagnostics)
}
