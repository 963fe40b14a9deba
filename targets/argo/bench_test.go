package argo_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/driver"
	"github.com/wurzel-dev/wurzel/internal/benchgen"
	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/lang"
	"github.com/wurzel-dev/wurzel/targets/argo"
)

var benchSizes = []int{100, 1000, 10000}

// benchEach runs fn on generated pipelines of each size; benchgen.Run
// reports cpu-ns/op besides ns/op.
func benchEach(b *testing.B, fn func(b *testing.B, src []byte)) {
	for _, n := range benchSizes {
		benchgen.Run(b, fmt.Sprint(n), benchgen.Pipeline(benchgen.Chain, n), fn)
	}
	// A step with for_each: n-2 instances share one template.
	for _, n := range benchSizes {
		benchgen.Run(b, fmt.Sprintf("for_each-%d", n), benchgen.Pipeline(benchgen.ForEach, n), fn)
	}
}

// BenchmarkGenerateArgo measures what `wurzel generate --target argo` does
// after reading the file: parse, decode, evaluate and check (the front end),
// the target's checks, lowering and writing YAML.
func BenchmarkGenerateArgo(b *testing.B) {
	dir := b.TempDir()
	benchEach(b, func(b *testing.B, src []byte) {
		files := map[string][]byte{"p.wurzel.hcl": src}
		for b.Loop() {
			generateFromSource(b, dir, files)
		}
	})
}

// BenchmarkParseOnly is the hclsyntax parse of the same source: the floor
// BenchmarkGenerateArgo is compared with.
func BenchmarkParseOnly(b *testing.B) {
	benchEach(b, func(b *testing.B, src []byte) {
		for b.Loop() {
			if _, diags := hclsyntax.ParseConfig(src, "p.wurzel.hcl", hcl.InitialPos); diags.HasErrors() {
				b.Fatal(diags)
			}
		}
	})
}

// BenchmarkLowerArgo is the target alone (checks, lowering, YAML) on an IR
// loaded once, to show how the total splits.
func BenchmarkLowerArgo(b *testing.B) {
	dir := b.TempDir()
	benchEach(b, func(b *testing.B, src []byte) {
		res := driver.CheckSources(dir, map[string][]byte{"p.wurzel.hcl": src}, lang.Options{})
		if res.Pipeline == nil {
			b.Fatal(res.Diagnostics)
		}
		for b.Loop() {
			lowerOnly(b, res.Pipeline)
		}
	})
}

func generateFromSource(b *testing.B, dir string, files map[string][]byte) {
	res := driver.CheckSources(dir, files, lang.Options{})
	if res.Pipeline == nil || res.Diagnostics.HasErrors() {
		b.Fatal(res.Diagnostics)
	}
	lowerOnly(b, res.Pipeline)
}

func lowerOnly(b *testing.B, p *ir.Pipeline) {
	target := argo.New()
	for _, d := range target.Check(p) {
		if d.Severity == ir.Error {
			b.Fatalf("unexpected error: %s", d.Summary)
		}
	}
	out, err := target.Generate(p, backend.GenerateOptions{Version: "v1.0.0"})
	if err != nil || len(out) != 1 || len(out[0].Data) == 0 {
		b.Fatalf("generate: %v", err)
	}
}

func TestBenchSourceGenerates(t *testing.T) {
	res := driver.CheckSources(t.TempDir(), map[string][]byte{"p.wurzel.hcl": benchgen.Pipeline(benchgen.Chain, 20)}, lang.Options{})
	if res.Pipeline == nil || res.Diagnostics.HasErrors() || len(res.Pipeline.Steps) != 20 {
		t.Fatalf("%v", res.Diagnostics)
	}
	files, err := argo.New().Generate(res.Pipeline, backend.GenerateOptions{})
	if err != nil || !bytes.Contains(files[0].Data, []byte("depends: s00018")) {
		t.Fatalf("generate: %v", err)
	}
}

// maxWorkflowBytes is what a workflow with a step of 1,000 instances must
// stay well under: Kubernetes objects are limited to about 1.5 MiB in etcd,
// and Argo keeps the workflow's status in the same object.
const maxWorkflowBytes = 512 << 10

// TestThousandInstancesStayCompact generates a step with 1,000 instances
// and a fan-in: one template for all of them, one short task each (about
// 180 bytes), and the fan-in's step spec with one entry per instance (about
// 115 bytes); at most two thirds of the limit.
func TestThousandInstancesStayCompact(t *testing.T) {
	res := driver.CheckSources(t.TempDir(), map[string][]byte{"p.wurzel.hcl": benchgen.Pipeline(benchgen.ForEach, 1002)}, lang.Options{}, argo.New())
	if res.Pipeline == nil || res.Diagnostics.HasErrors() || len(res.Pipeline.Steps) != 1002 {
		t.Fatalf("%v", res.Diagnostics)
	}
	files, err := argo.New().Generate(res.Pipeline, backend.GenerateOptions{Version: "v1.0.0"})
	if err != nil {
		t.Fatal(err)
	}
	data := files[0].Data
	t.Logf("a step with 1,000 instances and a fan-in: %d bytes", len(data))
	if len(data) > maxWorkflowBytes*2/3 {
		t.Errorf("the workflow has %d bytes; a step with 1,000 instances must stay well under %d", len(data), maxWorkflowBytes)
	}
	if n := bytes.Count(data, []byte("\n  - name: work\n")); n != 1 {
		t.Errorf("the step's template appears %d times, want once", n)
	}
	if n := bytes.Count(data, []byte("template: work\n")); n != 1000 {
		t.Errorf("%d tasks run the step's template, want 1000", n)
	}
}
