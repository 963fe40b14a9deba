package dvc_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/targets/dvc"
)

// TestMetricsAndPlotsChecks: a step's metrics and plots must name its
// outputs, once each, and a metric must be a file DVC reads.
func TestMetricsAndPlotsChecks(t *testing.T) {
	for _, c := range []struct{ block, want string }{
		{`metrics = ["nope"]`, "Unknown output"},
		{`metrics = ["scores"]
    plots = ["scores"]`, "Output listed twice"},
		{`metrics = ["dir"]`, "Metric is not a file"},
		{`metrics = ["log"]`, "Metric DVC may not read"},
	} {
		dir := t.TempDir()
		src := `pipeline "p" {}
step "a" {
  command = ["true"]
  output "scores" { path = "scores.json" }
  output "dir" { path = "out/" }
  output "log" { path = "log.txt" }
  dvc {
    ` + c.block + `
  }
}
`
		if err := os.WriteFile(filepath.Join(dir, "p.wurzel.hcl"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range dvc.New().Check(load(t, dir)) {
			got = append(got, d.Summary)
		}
		if !strings.Contains(strings.Join(got, "; "), c.want) {
			t.Errorf("%s: %v, want %q", c.block, got, c.want)
		}
	}
}
