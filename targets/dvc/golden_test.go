package dvc

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/wurzel-dev/wurzel/ir"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenCases are hand-built pipelines that show each feature of the
// target. Pipelines loaded through the front end are in lang_test.go.
func goldenCases() map[string]*ir.Pipeline {
	return map[string]*ir.Pipeline{
		"rag-ingest": ragIngest(),
		"params-and-watch": ragIngestWith(func(p *ir.Pipeline) {
			setDVC(p, "data_dir", "artifacts", ir.Range{})
			setDVC(p, "params", true, ir.Range{})
			p.Variables = append(p.Variables,
				ir.Variable{Name: "token", Sensitive: true},
				ir.Variable{Name: "mode", Value: "yes"},
				ir.Variable{Name: "scale", Value: json.Number("1e3")},
			)
			p.Steps[1].Variables = []string{"chunk_tokens"}
			p.Steps[1].Watch = []string{"steps/split.py"}
			p.Steps[2].Variables = []string{"embedding_dim", "mode", "scale"}
			p.Steps[0].Variables = []string{}
			p.Steps[3].Variables = []string{}
			markRuntime(p)
		}),
		"remote-sources": remoteSources(),
	}
}

// remoteSources fetches from outside: pinned and unpinned, with a secret
// read from environment variables and YAML-1.1-hostile strings.
func remoteSources() *ir.Pipeline {
	return &ir.Pipeline{
		Name:  "remote",
		Files: []string{"main.wurzel.hcl"},
		Secrets: []ir.Secret{{Name: "s3", Keys: []string{"access_key", "secret_key"},
			Local: &ir.LocalSecret{Env: map[string]string{"access_key": "AWS_ACCESS_KEY_ID", "secret_key": "AWS_SECRET_ACCESS_KEY"}}}},
		Steps: []ir.Step{
			{
				Name: "on", Description: "yes", Image: "alpine:3", Command: []string{"sh", "-c", "cp -r in out"},
				Secrets: []string{"s3"},
				Inputs: []ir.Input{
					{Name: "pinned", Path: "in/pinned", Source: "https://example.com/a.tar.gz?checksum=sha256:0123"},
					{Name: "seeds", Path: "in/seeds", Source: "git::https://github.com/acme/seeds.git//lists?ref=v1.2"},
				},
				Outputs: []ir.Output{{Name: "y", Path: "out", Kind: ir.OutputFile, Type: "0777"}},
			},
			{
				Name: "n", Description: "Needs ${HOME}: 1e3", Image: "alpine:3", Command: []string{"true"},
				Inputs: []ir.Input{{Name: "x", Path: "inputs/x", From: &ir.OutputRef{Step: "on", Output: "y"}}},
			},
		},
		Edges:   []ir.Edge{{From: "on", To: "n", Kind: ir.DataEdge, Output: "y", Input: "x"}},
		Sources: ir.SourcePolicy{AllowedSchemes: []string{"git", "https"}},
	}
}

func TestGolden(t *testing.T) {
	for name, p := range goldenCases() {
		t.Run(name, func(t *testing.T) {
			checkGolden(t, filepath.Join("testdata", "golden", name+".txtar"), generate(t, p))
		})
	}
}

// checkGolden compares generated files with a txtar archive, or rewrites the
// archive with -update.
func checkGolden(t *testing.T, file string, files map[string][]byte) {
	t.Helper()
	var paths []string
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	ar := &txtar.Archive{}
	for _, p := range paths {
		ar.Files = append(ar.Files, txtar.File{Name: p, Data: files[p]})
	}
	got := txtar.Format(ar)
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the generated files (go test -update rewrites it):\n%s", file, got)
	}
}
