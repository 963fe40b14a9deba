package dvc

import (
	"encoding/json"
	"time"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/ir"
)

// rng is a source range on line of the pipeline file, for hand-built IR.
func rng(line int) ir.Range {
	return ir.Range{
		Filename: "pipeline.wurzel.hcl",
		Start:    ir.Pos{Line: line, Column: 1, Byte: line * 100},
		End:      ir.Pos{Line: line, Column: 10, Byte: line*100 + 9},
	}
}

// ragIngest is the IR of examples/rag-ingest, built by hand the way the
// front end builds it, so the target can be tested on its own.
func ragIngest() *ir.Pipeline {
	return &ir.Pipeline{
		Name:        "rag-ingest",
		Description: "Read, split, embed and index the docs",
		Image:       "ghcr.io/acme/rag-steps:1.4.2",
		Labels:      map[string]string{"team": "search"},
		Files:       []string{"pipeline.wurzel.hcl"},
		Variables: []ir.Variable{
			{Name: "chunk_tokens", Type: "number", Value: json.Number("64"), Range: rng(20)},
			{Name: "embedding_dim", Type: "number", Value: json.Number("16"), Range: rng(30)},
		},
		Secrets: []ir.Secret{{
			Name:       "index-token",
			Keys:       []string{"token"},
			Kubernetes: &ir.KubernetesSecret{Name: "rag-index-token"},
			Local:      &ir.LocalSecret{Dir: "secrets/index-token"},
			MountPath:  "/var/run/secrets/wurzel/index-token",
			Range:      rng(40),
		}},
		Volumes: []ir.Volume{{
			Name: "embed-cache", Type: ir.EmptyDir, SizeLimit: "1Gi", MountPath: "/cache/embeddings",
			LocalDir: ".wurzel/volumes/embed-cache", Range: rng(52),
		}},
		Steps: []ir.Step{
			{
				Name: "read", Description: "Collect the markdown documents of the corpus",
				Image:   "ghcr.io/acme/rag-steps:1.4.2",
				Command: []string{"python3", "-c", "print('read')"},
				Inputs:  []ir.Input{{Name: "corpus", Path: "corpus", Source: "./corpus", Range: rng(64)}},
				Outputs: []ir.Output{{Name: "pages", Path: "out/pages", Kind: ir.OutputDir, Type: "markdown_documents", Range: rng(69)}},
				Range:   rng(58),
			},
			{
				Name: "split", Description: "Split documents into chunks of at most chunk_tokens words",
				Image:   "ghcr.io/acme/rag-steps:1.4.2",
				Command: []string{"python3", "-c", "print('split')"},
				Settings: []ir.Setting{
					{Key: "overlap", EnvName: "SPLIT__OVERLAP", Value: "8"},
					{Key: "token_count_max", EnvName: "SPLIT__TOKEN_COUNT_MAX", Value: "64"},
				},
				Inputs: []ir.Input{{Name: "pages", Path: "inputs/pages", Type: "markdown_documents",
					From: &ir.OutputRef{Step: "read", Output: "pages"}, Range: rng(84)}},
				Outputs:   []ir.Output{{Name: "chunks", Path: "out/chunks.jsonl", Kind: ir.OutputFile, Type: "markdown_chunks", Range: rng(89)}},
				Needs:     []string{"read"},
				Resources: ir.Resources{CPU: "1", Memory: "2Gi"},
				Range:     rng(75),
			},
			{
				Name: "embed", Description: "Compute a toy embedding for every chunk",
				Image:    "ghcr.io/acme/rag-steps:1.4.2",
				Command:  []string{"python3", "-c", "print('embed')", "--model", "toy-hash-embedding"},
				Env:      map[string]string{"EMBED_CACHE": "/cache/embeddings"},
				Settings: []ir.Setting{{Key: "dim", EnvName: "EMBED__DIM", Value: "16"}},
				Volumes:  []string{"embed-cache"},
				Inputs: []ir.Input{{Name: "chunks", Path: "inputs/chunks",
					From: &ir.OutputRef{Step: "split", Output: "chunks"}, Range: rng(107)}},
				Outputs:   []ir.Output{{Name: "vectors", Path: "out/vectors.jsonl", Kind: ir.OutputFile, Type: "embedded_chunks", Range: rng(111)}},
				Needs:     []string{"split"},
				Resources: ir.Resources{CPU: "2", Memory: "4Gi"},
				Retry:     &ir.Retry{Attempts: 3, Backoff: 30 * time.Second},
				Timeout:   2 * time.Hour,
				Range:     rng(98),
			},
			{
				Name: "index", Description: "Build the search index and sign it",
				Image:   "ghcr.io/acme/rag-steps:1.4.2",
				Command: []string{"python3", "-c", "print('index')"},
				Secrets: []string{"index-token"},
				Inputs: []ir.Input{{Name: "vectors", Path: "inputs/vectors",
					From: &ir.OutputRef{Step: "embed", Output: "vectors"}, Range: rng(132)}},
				Outputs:   []ir.Output{{Name: "index", Path: "out/index.json", Kind: ir.OutputFile, Type: "search_index", Range: rng(136)}},
				DependsOn: []string{"split"},
				Needs:     []string{"embed", "split"},
				Range:     rng(127),
			},
		},
		Edges: []ir.Edge{
			{From: "embed", To: "index", Kind: ir.DataEdge, Output: "vectors", Input: "vectors"},
			{From: "read", To: "split", Kind: ir.DataEdge, Output: "pages", Input: "pages"},
			{From: "split", To: "embed", Kind: ir.DataEdge, Output: "chunks", Input: "chunks"},
			{From: "split", To: "index", Kind: ir.OrderEdge},
		},
		Sources: ir.SourcePolicy{AllowedSchemes: []string{"file", "git", "https", "s3"}},
		Range:   rng(8),
	}
}

// generate runs the target and returns its files by path.
func generate(t testingT, p *ir.Pipeline) map[string][]byte {
	t.Helper()
	files, err := New().Generate(p, backend.GenerateOptions{Version: "test"})
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		if _, dup := out[f.Path]; dup {
			t.Fatalf("generate returned %s twice", f.Path)
		}
		out[f.Path] = f.Data
	}
	return out
}

type testingT interface {
	Helper()
	Fatalf(format string, args ...any)
}

// hostile is a pipeline full of strings that YAML 1.1 and 1.2 read
// differently unless quoted.
func hostile() *ir.Pipeline {
	p := ragIngest()
	setDVC(p, "params", true, ir.Range{})
	setDVC(p, "data_dir", "0777", ir.Range{})
	words := []string{"yes", "No", "ON", "off", "y", "n", "true", "null", "~", "0777", "1e3", "1_000", "0x1F",
		".inf", "-.Inf", ".NaN", "12:30:00", "2001-12-14", "=", "<<", "- x", "a: b", "#c", "", " lead", "trail ",
		"multi\nline", "tab\there", "é", "\"q\"", "'s'", "@x", "`x`", "%x", "!x", "&x", "*x", "|", ">", "[a]", "{a}"}
	vals := map[string]any{}
	var list []any
	for i, w := range words {
		vals[w] = w
		list = append(list, w)
		p.Variables = append(p.Variables, ir.Variable{Name: "v" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Value: w})
	}
	p.Variables = append(p.Variables,
		ir.Variable{Name: "map", Value: vals},
		ir.Variable{Name: "list", Value: list},
		ir.Variable{Name: "y", Value: json.Number("1e3")},
		ir.Variable{Name: "on", Value: json.Number("-2.5E-10")},
		ir.Variable{Name: "big", Value: json.Number("123456789012345678901234567890")},
		ir.Variable{Name: "float", Value: json.Number("0.1")},
	)
	p.Steps[0].Description = "yes"
	p.Steps[1].Description = "1e3"
	p.Steps[2].Description = "multi\nline: ${x}"
	p.Steps[0].Outputs[0].Type = "0777"
	p.Steps[1].Watch = []string{"on", "1e3", "0777x", "a b"}
	markRuntime(p)
	return p
}

// markRuntime marks every non-sensitive variable as one back ends may take
// at run time, as the front end does for variables that only feed
// commands, env and settings: hand-built pipelines stand for what it
// decides, here with values of every shape to exercise params.yaml.
func markRuntime(p *ir.Pipeline) {
	for i := range p.Variables {
		p.Variables[i].Runtime = !p.Variables[i].Sensitive
	}
}

// setDVC sets one attribute of the pipeline's dvc block, adding the block
// when there is none, as the front end would decode it.
func setDVC(p *ir.Pipeline, name string, value any, r ir.Range) {
	b := p.Extension("dvc")
	if b == nil {
		b = &ir.Block{Type: "dvc", Range: p.Range, Attrs: map[string]*ir.Value{}}
		p.Extensions = append(p.Extensions, b)
	}
	b.Attrs[name] = &ir.Value{Value: value, Range: r}
}
