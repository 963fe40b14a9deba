package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/wurzel-dev/wurzel/internal/benchgen"
)

// BenchmarkCommands measures `wurzel validate` and `wurzel generate` on
// generated chains of 1,000 and 10,000 steps against their floor, the
// hclsyntax parse of the same file, the two measured in turn in every
// iteration so that a busy machine slows both alike. x-parse is the median
// of the command's times over the median of the parse's. The commands run
// in-process, with the memory settings main gives them (tuneGC).
//
// generate-dvc regenerates a project in place (most files unchanged, as
// after an edit); generate-dvc-new writes it into a fresh directory, every
// file created.
func BenchmarkCommands(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		dir := b.TempDir()
		path := filepath.Join(dir, "p.wurzel.hcl")
		src := benchgen.Pipeline(benchgen.Chain, n)
		if err := os.WriteFile(path, src, 0o644); err != nil {
			b.Fatal(err)
		}
		fresh := 0
		// freshCopy puts the pipeline into a new directory and returns
		// its path.
		freshCopy := func() string {
			fresh++
			p := filepath.Join(dir, fmt.Sprint("new", fresh), "p.wurzel.hcl")
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(p, src, 0o644); err != nil {
				b.Fatal(err)
			}
			return p
		}
		commands := []struct {
			name string
			args func() []string
		}{
			{"validate", func() []string { return []string{"validate", path} }},
			{"generate-argo", func() []string {
				return []string{"generate", path, "--target", "argo", "-o", filepath.Join(dir, "argo.yaml")}
			}},
			{"generate-dvc", func() []string { return []string{"generate", path, "--target", "dvc"} }},
			{"generate-dvc-new", func() []string { return []string{"generate", freshCopy(), "--target", "dvc"} }},
		}
		for _, c := range commands {
			b.Run(fmt.Sprintf("%s-%d", c.name, n), func(b *testing.B) {
				var parse, command []time.Duration
				for b.Loop() {
					args := c.args()
					t0 := time.Now()
					if _, diags := hclsyntax.ParseConfig(src, path, hcl.InitialPos); diags.HasErrors() {
						b.Fatal(diags)
					}
					t1 := time.Now()
					runCommand(b, args)
					parse = append(parse, t1.Sub(t0))
					command = append(command, time.Since(t1))
				}
				reportRatio(b, "x-parse", command, parse)
			})
		}
	}
}

// runCommand runs the command line in-process as main does.
func runCommand(b *testing.B, args []string) {
	a := &app{stdin: nil, stdout: io.Discard, stderr: io.Discard, environ: []string{}}
	restore := tuneGC(args)
	code := a.run(args)
	restore()
	if code != 0 {
		b.Fatalf("wurzel %v: exit code %d", args, code)
	}
}

// reportRatio reports the median of got over the median of peer, and both
// medians in milliseconds.
func reportRatio(b *testing.B, unit string, got, peer []time.Duration) {
	g, p := median(got), median(peer)
	b.ReportMetric(float64(g)/1e6, "ms/command")
	b.ReportMetric(float64(p)/1e6, "ms/peer")
	if p > 0 {
		b.ReportMetric(float64(g)/float64(p), unit)
	}
}

func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// tuneGC is a placeholder until main tunes the collector.
func tuneGC([]string) func() { return func() {} }
