package lang

import (
	"fmt"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/wurzel-dev/wurzel/internal/benchgen"
)

var benchSizes = []int{100, 1000, 10000}

func benchCases(b *testing.B, fn func(b *testing.B, src []byte)) {
	for _, shape := range []benchgen.Shape{benchgen.Chain, benchgen.Fan, benchgen.ForEach} {
		for _, n := range benchSizes {
			benchgen.Run(b, fmt.Sprintf("%s-%d", shape, n), benchgen.Pipeline(shape, n), fn)
		}
	}
}

// Both benchmarks report cpu-ns/op besides ns/op: the process CPU time per
// operation, GC included, which stays comparable on a busy machine.

// BenchmarkParseOnly measures the hclsyntax parse alone: the floor of what
// loading can cost.
func BenchmarkParseOnly(b *testing.B) {
	benchCases(b, func(b *testing.B, src []byte) {
		for b.Loop() {
			if _, diags := hclsyntax.ParseConfig(src, "p.wurzel.hcl", hcl.InitialPos); diags.HasErrors() {
				b.Fatal(diags)
			}
		}
	})
}

// BenchmarkValidate measures the whole front end: parse, decode, evaluate,
// check and build the IR.
func BenchmarkValidate(b *testing.B) {
	dir := b.TempDir()
	benchCases(b, func(b *testing.B, src []byte) {
		files := map[string][]byte{"p.wurzel.hcl": src}
		for b.Loop() {
			res := LoadSources(dir, files, Options{Schema: language})
			if res.Pipeline == nil {
				b.Fatal(dump(res.Diagnostics))
			}
		}
	})
}

func TestBenchPipelinesLoad(t *testing.T) {
	for _, shape := range []benchgen.Shape{benchgen.Chain, benchgen.Fan, benchgen.ForEach} {
		res := LoadSources(t.TempDir(), map[string][]byte{"p.wurzel.hcl": benchgen.Pipeline(shape, 50)}, Options{})
		if res.Pipeline == nil || len(res.Diagnostics) > 0 || len(res.Pipeline.Steps) != 50 {
			t.Fatalf("%s: %s", shape, dump(res.Diagnostics))
		}
	}
}

// BenchmarkParseItems is the loader's parse of the same source: the limits'
// scan, then the file's top-level items parsed on their own, in parallel.
func BenchmarkParseItems(b *testing.B) {
	benchCases(b, func(b *testing.B, src []byte) {
		for b.Loop() {
			if p := parseSource("p.wurzel.hcl", src, nil); p.items == nil {
				b.Fatal("not parsed item by item")
			}
		}
	})
}
