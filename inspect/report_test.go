package inspect

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wurzel-dev/wurzel/ir"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// example is an IR like the bundled example's, with a secret exported as a
// variable and a sensitive variable added.
func example() *ir.Pipeline {
	return &ir.Pipeline{
		Name:        "rag-ingest",
		Description: "Read, split, embed and index the docs",
		Image:       "ghcr.io/acme/rag-steps:1.4.2",
		Labels:      map[string]string{"team": "search"},
		Files:       []string{"pipeline.wurzel.hcl"},
		Variables: []ir.Variable{
			{Name: "api_password", Type: "string", Sensitive: true, Value: "hunter2"},
			{Name: "chunk_tokens", Type: "number", Value: json.Number("64"), Description: "Maximum tokens (words) per chunk"},
		},
		Secrets: []ir.Secret{{
			Name: "index-token", Keys: []string{"token"}, MountPath: "/var/run/secrets/wurzel/index-token",
			Kubernetes: &ir.KubernetesSecret{Name: "rag-index-token"},
			Local:      &ir.LocalSecret{Dir: "secrets/index-token"},
			ExportEnv:  map[string]string{"token": "INDEX_TOKEN"},
		}},
		Volumes: []ir.Volume{{
			Name: "embed-cache", Type: ir.EmptyDir, MountPath: "/cache/embeddings", SizeLimit: "1Gi",
			LocalDir: ".wurzel/volumes/embed-cache",
		}},
		Steps: []ir.Step{
			{
				Name: "read", Image: "ghcr.io/acme/rag-steps:1.4.2",
				Command: []string{"python3", "-c", "import sys\nprint('a very long program that nobody wants to read in a listing')\n"},
				Inputs:  []ir.Input{{Name: "corpus", Path: "corpus", Source: "./corpus"}},
				Outputs: []ir.Output{{Name: "pages", Path: "out/pages", Kind: ir.OutputDir, Type: "markdown_documents"}},
			},
			{
				Name: "embed", Image: "ghcr.io/acme/rag-steps:1.4.2",
				Command:  []string{"python3", "embed.py", "--model", "toy"},
				Env:      map[string]string{"EMBED_CACHE": "/cache/embeddings"},
				Settings: []ir.Setting{{Key: "dim", EnvName: "EMBED__DIM", Value: "16"}},
				Volumes:  []string{"embed-cache"},
				Secrets:  []string{"index-token"},
				Needs:    []string{"read"},
				Inputs: []ir.Input{{Name: "raw-pages", Path: "inputs/raw-pages", Type: "markdown_documents",
					From: &ir.OutputRef{Step: "read", Output: "pages"}}},
				Outputs:   []ir.Output{{Name: "vectors", Path: "out/vectors.jsonl", Kind: ir.OutputFile, Type: "embedded_chunks"}},
				Resources: ir.Resources{CPU: "2", Memory: "4Gi"},
				Retry:     &ir.Retry{Attempts: 3, Backoff: 30 * time.Second},
				Timeout:   2 * time.Hour,
			},
		},
	}
}

func TestEnvironment(t *testing.T) {
	p := example()
	got := Environment(p, &p.Steps[1])
	want := []EnvVar{
		{Name: "EMBED_CACHE", Value: "/cache/embeddings", Origin: FromEnv},
		{Name: "EMBED__DIM", Value: "16", Origin: FromSetting},
		{Name: "WURZEL_RUN_ID", Value: "<run-id>", Placeholder: true, Origin: FromRunner},
		{Name: "WURZEL_PIPELINE", Value: "rag-ingest", Origin: FromRunner},
		{Name: "WURZEL_STEP", Value: "embed", Origin: FromRunner},
		{Name: "WURZEL_WORKDIR", Value: "<workdir>", Placeholder: true, Origin: FromRunner,
			Note: "/wurzel/work in Argo pods; a fresh directory per step elsewhere"},
		{Name: "WURZEL_INPUT_RAW_PAGES", Value: "<workdir>/inputs/raw-pages", Placeholder: true, Origin: FromRunner},
		{Name: "WURZEL_OUTPUT_VECTORS", Value: "<workdir>/out/vectors.jsonl", Placeholder: true, Origin: FromRunner},
		{Name: "WURZEL_SECRET_INDEX_TOKEN_DIR", Value: "/var/run/secrets/wurzel/index-token", Origin: FromRunner,
			Note: "in containers; local runs use secrets/index-token"},
		{Name: "WURZEL_VOLUME_EMBED_CACHE", Value: "/cache/embeddings", Origin: FromRunner,
			Note: "in containers; local runs use .wurzel/volumes/embed-cache"},
		{Name: "INDEX_TOKEN", Value: "<secret index-token key token>", Placeholder: true, Origin: FromSecret},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("environment (-want +got):\n%s", diff)
	}
}

func TestSensitiveValuesNeverShown(t *testing.T) {
	r := New(example())
	for name, out := range map[string][]byte{"text": r.Text(), "json": r.JSON()} {
		if strings.Contains(string(out), "hunter2") {
			t.Errorf("%s output shows a sensitive value:\n%s", name, out)
		}
	}
}

func TestGolden(t *testing.T) {
	r := New(example())
	golden(t, "example.txt", r.Text())
	golden(t, "example.json", r.JSON())
}

func TestJSONRoundTrips(t *testing.T) {
	r := New(example())
	var back Report
	if err := json.Unmarshal(r.JSON(), &back); err != nil {
		t.Fatal(err)
	}
	if back.Steps[1].Inputs[0].From != "read.pages" || len(back.Steps[1].Environment) != 11 {
		t.Errorf("unexpected round trip: %+v", back.Steps[1])
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", name, diff)
	}
}

func TestOnly(t *testing.T) {
	r := New(example())
	if r.Only("nope") || len(r.Steps) != 2 {
		t.Fatalf("Only(nope) changed the report: %v", r.StepNames())
	}
	if !r.Only("embed") || len(r.Steps) != 1 {
		t.Fatalf("Only(embed) = %v", r.StepNames())
	}
	if text := string(r.Text()); !strings.Contains(text, "step 2/2: embed") || strings.Contains(text, "step 1/2") {
		t.Errorf("narrowed text:\n%s", text)
	}
}

// instances is a step with two instances and a step gathering them.
func instances() *ir.Pipeline {
	p := &ir.Pipeline{Name: "shards"}
	for _, k := range []string{"north", "south"} {
		p.Steps = append(p.Steps, ir.Step{Name: "prep-" + k, Instance: &ir.Instance{Of: "prep", Key: k, Value: map[string]any{"rows": 3}},
			Command: []string{"prep"}, Outputs: []ir.Output{{Name: "rows", Path: "rows.txt", Kind: ir.OutputFile}}})
	}
	p.Steps = append(p.Steps, ir.Step{Name: "merge", Command: []string{"merge"}, AlwaysRun: true, Inputs: []ir.Input{
		{Name: "all", Path: "inputs/all", FanIn: &ir.FanIn{Step: "prep", Output: "rows", Instances: []ir.FanInInstance{{Key: "north", Step: "prep-north"}, {Key: "south", Step: "prep-south"}}}},
		{Name: "one", Path: "inputs/one", From: &ir.OutputRef{Step: "prep-south", Output: "rows"}},
	}})
	return p
}

func TestInstances(t *testing.T) {
	r := New(instances())
	text := string(r.Text())
	for _, want := range []string{
		`instance  of step prep, key "north", value {"rows":3}`,
		"WURZEL_EACH_KEY=south",
		"from step.prep[*].output.rows",
		"(2 instances: prep-north, prep-south)",
		`from step.prep["south"].output.rows`,
		"always_run",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q:\n%s", want, text)
		}
	}
	if !r.Only("prep") || len(r.Steps) != 2 {
		t.Errorf("Only(prep) keeps %v, want both instances", r.StepNames())
	}
}
