package driver

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/internal/testcase"
	"github.com/wurzel-dev/wurzel/lang"
	"github.com/wurzel-dev/wurzel/targets"
)

// TestInvalidFixtures checks every fixture under testdata/invalid the way
// `wurzel validate` does (the front end, then every target, leniently) and
// checks that each marked line gets a diagnostic of the marked severity
// whose summary contains the marker's text, and that no unmarked error
// appears.
func TestInvalidFixtures(t *testing.T) {
	const dir = "../testdata/invalid"
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	count := 0
	for _, e := range entries {
		if !e.IsDir() && !lang.IsPipelineFile(e.Name()) {
			continue
		}
		count++
		path := filepath.Join(dir, e.Name())
		t.Run(e.Name(), func(t *testing.T) {
			markers := testcase.Markers(t, path, lang.IsPipelineFile)
			hasError := false
			for _, m := range markers {
				hasError = hasError || m.Severity == hcl.DiagError
			}
			if !hasError {
				t.Fatalf("fixture has no ERROR marker")
			}
			res := Check(path, lang.Options{}, backend.Lenient(targets.All()...)...)
			testcase.CheckMarkers(t, markers, res.Diagnostics)
		})
	}
	if count < 40 {
		t.Errorf("only %d invalid fixtures; want at least 40", count)
	}
}
