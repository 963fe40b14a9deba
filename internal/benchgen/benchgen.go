package benchgen

import (
	"bytes"
	"fmt"
)

// Shape is how the steps of a generated pipeline depend on each other.
type Shape string

const (
	// Chain makes each step read the output of the one before.
	Chain Shape = "chain"
	// Fan has one source step, n-2 workers reading it and one sink reading
	// every worker.
	Fan Shape = "fan"
)

// Pipeline writes a pipeline of n steps of the given shape, in native syntax.
// Every step has a description, a command using a local, env, settings using
// a variable, typed inputs and an output, resources and a timeout, so that
// every part of checking and lowering has work to do.
func Pipeline(shape Shape, n int) []byte {
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
	name := func(i int) string { return fmt.Sprintf("s%05d", i) }
	switch shape {
	case Chain:
		writeStep(&b, name(0), nil)
		for i := 1; i < n; i++ {
			writeStep(&b, name(i), []string{name(i - 1)})
		}
	case Fan:
		writeStep(&b, name(0), nil)
		var workers []string
		for i := 1; i < n-1; i++ {
			writeStep(&b, name(i), []string{name(0)})
			workers = append(workers, name(i))
		}
		writeStep(&b, name(n-1), workers)
	default:
		panic(fmt.Sprintf("benchgen: unknown shape %q", shape))
	}
	return b.Bytes()
}

// writeStep writes one step reading the output "data" of each step in
// inputs, through an input named after that step.
func writeStep(b *bytes.Buffer, name string, inputs []string) {
	fmt.Fprintf(b, `
step %q {
  description = "step %s"
  command     = ["python", "-m", "app.%s", "--model", local.model]
  env         = { LOG_LEVEL = "info" }
  settings    = { token_count_max = var.chunk_tokens, overlap = 32 }
`, name, name, name)
	for _, in := range inputs {
		fmt.Fprintf(b, `
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
