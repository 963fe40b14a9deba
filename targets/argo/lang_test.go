package argo_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/diff"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/driver"
	"github.com/wurzel-dev/wurzel/internal/testcase"
	"github.com/wurzel-dev/wurzel/lang"
	"github.com/wurzel-dev/wurzel/targets/argo"
)

// These tests take pipelines through the front end, as `wurzel generate
// --target argo` does, and compare the stream with testdata/lang-*.yaml.

const repoRoot = "../.."

// langCases are the bundled example and the language's valid cases that use
// the argo block, secrets and volumes.
var langCases = []string{
	"examples/rag-ingest",
	"testdata/valid/argo_dvc.txtar",
	"testdata/valid/for_each.txtar",
	"testdata/valid/issue_example.txtar",
	"testdata/valid/settings_secrets_volumes.txtar",
}

func TestGoldenThroughLang(t *testing.T) {
	for _, rel := range langCases {
		name := strings.TrimSuffix(filepath.Base(rel), ".txtar")
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(repoRoot, rel)
			if strings.HasSuffix(rel, ".txtar") {
				dir = testcase.Extract(t, dir).Dir
			}
			res, files, err := driver.Generate(dir, lang.Options{}, argo.New(), backend.GenerateOptions{Version: "v0.1.0"})
			if err != nil || res.Diagnostics.HasErrors() || len(files) != 1 {
				t.Fatalf("generate: %v %v (%d files)", err, res.Diagnostics, len(files))
			}
			got := files[0].Data
			_, again, err := driver.Generate(dir, lang.Options{}, argo.New(), backend.GenerateOptions{Version: "v0.1.0"})
			if err != nil || len(again) != 1 || !bytes.Equal(again[0].Data, got) {
				t.Fatalf("generating the same pipeline twice gives different output (%v)", err)
			}
			golden := filepath.Join("testdata", "lang-"+name+".yaml")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (run with -update if the change is intended):\n%s", golden, diff.Diff("want", want, "got", got))
			}
		})
	}
}
