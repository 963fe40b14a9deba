package format

import (
	"fmt"
	"strings"
	"testing"
)

// unformattedPipeline returns a pipeline of n chained steps written with
// careless layout, so that formatting has work to do on every line.
func unformattedPipeline(n int) []byte {
	var b strings.Builder
	b.WriteString("pipeline \"bench\" {\nimage=\"ghcr.io/acme/steps:1\"\n}\n")
	for i := range n {
		fmt.Fprintf(&b, "step \"s%d\" {\ncommand=[\"run\",\"%d\"]\n    settings = { a=1, bb = \"x\" }\n", i, i)
		if i > 0 {
			fmt.Fprintf(&b, "  input \"in\" {\n  from=step.s%d.output.out\n  }\n", i-1)
		}
		b.WriteString("output \"out\" {\npath = \"out/data\"\n      type=\"t\"\n}\n}\n")
	}
	return []byte(b.String())
}

func BenchmarkSource(b *testing.B) {
	for _, n := range []int{100, 1000} {
		src := unformattedPipeline(n)
		b.Run(fmt.Sprintf("steps=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				if _, diags := Source("bench.wurzel.hcl", src); diags.HasErrors() {
					b.Fatal(diags)
				}
			}
		})
	}
}
