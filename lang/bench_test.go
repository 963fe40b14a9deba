package lang

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// genPipeline writes a pipeline of n steps. A "chain" makes each step read
// the output of the one before; a "fan" has one source step, n-2 workers
// reading it and one sink reading every worker.
func genPipeline(shape string, n int) []byte {
	var b bytes.Buffer
	b.WriteString(`pipeline "bench" {
  image  = "ghcr.io/acme/steps:1.0.0"
  labels = { team = "bench" }
}

variable "chunk_tokens" {
  type    = number
  default = 512
}

locals {
  model = "intfloat/multilingual-e5-small"
}
`)
	step := func(name string, inputs []string) {
		fmt.Fprintf(&b, `
step %q {
  description = "step %s"
  command     = ["python", "-m", "app.%s", "--model", local.model]
  env         = { LOG_LEVEL = "info" }
  settings    = { token_count_max = var.chunk_tokens, overlap = 32 }
`, name, name, name)
		for _, in := range inputs {
			fmt.Fprintf(&b, `
  input %q {
    from = step.%s.output.data
    type = "records"
  }
`, in, in)
		}
		b.WriteString(`
  output "data" {
    path = "out/data"
    type = "records"
  }

  resources {
    cpu    = "500m"
    memory = "1Gi"
  }
  timeout = "1h"
}
`)
	}
	name := func(i int) string { return fmt.Sprintf("s%05d", i) }
	switch shape {
	case "chain":
		step(name(0), nil)
		for i := 1; i < n; i++ {
			step(name(i), []string{name(i - 1)})
		}
	case "fan":
		step(name(0), nil)
		var workers []string
		for i := 1; i < n-1; i++ {
			step(name(i), []string{name(0)})
			workers = append(workers, name(i))
		}
		step(name(n-1), workers)
	}
	return b.Bytes()
}

var benchSizes = []int{100, 1000, 10000}

func benchCases(b *testing.B, fn func(b *testing.B, src []byte)) {
	for _, shape := range []string{"chain", "fan"} {
		for _, n := range benchSizes {
			src := genPipeline(shape, n)
			b.Run(fmt.Sprintf("%s-%d", shape, n), func(b *testing.B) {
				b.SetBytes(int64(len(src)))
				b.ReportAllocs()
				start := processCPU()
				fn(b, src)
				if cpu := processCPU() - start; cpu > 0 {
					b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
				}
			})
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
			res := LoadSources(dir, files, Options{})
			if res.Pipeline == nil {
				b.Fatal(dump(res.Diagnostics))
			}
		}
	})
}

func TestBenchPipelinesLoad(t *testing.T) {
	for _, shape := range []string{"chain", "fan"} {
		res := LoadSources(t.TempDir(), map[string][]byte{"p.wurzel.hcl": genPipeline(shape, 50)}, Options{})
		if res.Pipeline == nil || len(res.Diagnostics) > 0 || len(res.Pipeline.Steps) != 50 {
			t.Fatalf("%s: %s", shape, dump(res.Diagnostics))
		}
	}
}
