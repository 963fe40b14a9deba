package driver

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/lang"
	"github.com/wurzel-dev/wurzel/targets"
)

// What a target says about a step with for_each is said once, not once per
// instance.
func TestTargetDiagnosticsOncePerStep(t *testing.T) {
	dir := t.TempDir()
	src := `pipeline "p" {}
secret "s" { keys = ["k"] }
step "a" {
  for_each = toset(["x", "y", "z"])
  command  = ["true"]
  secrets  = [secret.s]
}
`
	if err := os.WriteFile(filepath.Join(dir, "p.wurzel.hcl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	res := Check(dir, lang.Options{}, backend.Lenient(targets.All()...)...)
	count := map[string]int{}
	for _, d := range res.Diagnostics {
		count[d.Summary]++
	}
	for _, summary := range []string{"Step has no image", "Secret without a local source", "Secret has no Kubernetes source"} {
		if count[summary] != 1 {
			t.Errorf("%q reported %d times, want once: %v", summary, count[summary], res.Diagnostics)
		}
	}
}
