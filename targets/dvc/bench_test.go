package dvc

import (
	"fmt"
	"testing"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/ir"
)

// chain is a pipeline of n steps, each reading the previous step's output
// and watching a file of its own.
func chain(n int) *ir.Pipeline {
	p := &ir.Pipeline{Name: "chain", Image: "alpine:3", Files: []string{"pipeline.wurzel.hcl"},
		Sources: ir.SourcePolicy{AllowedSchemes: []string{"https"}}}
	for i := 0; i < n; i++ {
		s := ir.Step{
			Name:     fmt.Sprintf("s%05d", i),
			Image:    "alpine:3",
			Command:  []string{"sh", "-c", "cp -r in out"},
			Settings: []ir.Setting{{Key: "n", EnvName: fmt.Sprintf("S%05d__N", i), Value: fmt.Sprint(i)}},
			Outputs:  []ir.Output{{Name: "out", Path: "out", Kind: ir.OutputDir}},
			Watch:    []string{fmt.Sprintf("src/s%05d.py", i)},
		}
		if i > 0 {
			prev := fmt.Sprintf("s%05d", i-1)
			s.Inputs = []ir.Input{{Name: "in", Path: "in", From: &ir.OutputRef{Step: prev, Output: "out"}}}
			s.Needs = []string{prev}
			p.Edges = append(p.Edges, ir.Edge{From: prev, To: s.Name, Kind: ir.DataEdge, Output: "out", Input: "in"})
		}
		p.Steps = append(p.Steps, s)
	}
	return p
}

// BenchmarkGenerateDVC measures the target's own cost (checks, dvc.yaml and
// every step spec) on chains of 100, 1,000 and 10,000 steps.
func BenchmarkGenerateDVC(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		p := chain(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if diags := New().Check(p); len(diags) != 0 {
					b.Fatalf("unexpected diagnostics: %v", diags[0])
				}
				if _, err := New().Generate(p, backend.GenerateOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
