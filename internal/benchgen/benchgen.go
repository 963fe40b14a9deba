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
	// ForEach is Fan written with for_each: one source step, one step with
	// n-2 instances reading it and one sink gathering every instance's
	// output (step.x[*]).
	ForEach Shape = "for_each"
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
	case ForEach:
		writeStep(&b, name(0), nil)
		writeForEach(&b, "work", n-2, name(0))
		writeSink(&b, name(n-1), "work")
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
	b.WriteString(stepTail)
}

// stepTail ends every generated worker step: its output, resources and
// timeout.
const stepTail = `
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
`

// writeForEach writes a step with n instances, keys k00000 and up, each
// reading the output "data" of step from and using its key in its command
// and settings. range makes at most 1024 values, so the keys are made in
// rows of 1000.
func writeForEach(b *bytes.Buffer, name string, n int, from string) {
	fmt.Fprintf(b, `
step %q {
  for_each    = toset(flatten([for row in range(%d) : [for i in range(1000) : format("k%%05d", row * 1000 + i) if row * 1000 + i < %d]]))
  description = "one shard"
  command     = ["python", "-m", "app.work", "--shard", each.key, "--model", local.model]
  env         = { LOG_LEVEL = "info" }
  settings    = { token_count_max = var.chunk_tokens, shard = each.key }

  input "data" {
    from = step.%s.output.data
    type = "records"
  }
`, name, (n+999)/1000, n, from)
	b.WriteString(stepTail)
}

// writeSink writes a step gathering output "data" of every instance of
// step block from.
func writeSink(b *bytes.Buffer, name, from string) {
	fmt.Fprintf(b, `
step %q {
  command = ["python", "-m", "app.sink"]

  input "all" {
    from = step.%s[*].output.data
    type = "records"
  }

  output "data" {
    path = "out/data"
    type = "records"
  }
}
`, name, from)
}
