package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/wurzel-dev/wurzel/internal/benchgen"
	"github.com/wurzel-dev/wurzel/internal/benchpair"
)

// BenchmarkCommands measures `wurzel validate` and `wurzel generate` on
// generated chains of 1,000 and 10,000 steps against their floor, the
// hclsyntax parse of the same file. Both run as processes of this test
// binary (so both pay the same start-up), one after the other in every
// iteration, so that a busy machine slows both alike; x-parse is the median
// of the command's times over the median of the parse's. -tuned=false runs
// the commands with Go's default memory setting instead of main's
// (memory.go), to see what it is worth.
//
// generate-dvc regenerates a project in place (most files unchanged, as
// after an edit); generate-dvc-new writes it into a fresh directory, every
// file created. That one measures the file system too: on ext4, creating
// files in a directory whose block group holds many recently deleted
// inodes (a /tmp after many test runs) costs up to a millisecond a file,
// for any program; point TMPDIR elsewhere to see wurzel's own cost.
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
				var pair benchpair.Pair
				round := func() {
					args := c.args()
					if err := pair.PeerCmd(benchChild("parse", path)); err != nil {
						b.Fatalf("parse: %v", err)
					}
					if err := pair.SubjectCmd(benchChild("wurzel", args...)); err != nil {
						b.Fatalf("wurzel %v: %v", args, err)
					}
				}
				rounds := 0
				for b.Loop() {
					round()
					rounds++
				}
				// At 10,000 steps a round takes seconds and the default
				// benchtime gives one: a median of one pair, which moved
				// by half the goal between runs.
				for ; rounds < minCommandRounds; rounds++ {
					round()
				}
				pair.Report(b, "x-parse")
			})
		}
	}
}

// minCommandRounds is the fewest pairs BenchmarkCommands takes its medians
// over.
const minCommandRounds = 5

// benchChildEnv makes the test binary run one command of BenchmarkCommands
// instead of the tests: "wurzel" the command line, "parse" the parse of a
// file.
const benchChildEnv = "WURZEL_BENCH_CHILD"

// tuned is whether BenchmarkCommands gives the commands main's memory
// setting.
var tuned = flag.Bool("tuned", true, "BenchmarkCommands: run commands with main's memory setting")

func benchChild(mode string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), benchChildEnv+"="+mode)
	if !*tuned {
		cmd.Env = append(cmd.Env, "GOGC=100")
	}
	return cmd
}

func runBenchChild(mode string) {
	switch mode {
	case "wurzel":
		os.Exit(run(os.Args[1:]))
	case "parse":
		src, err := os.ReadFile(os.Args[1])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if _, diags := hclsyntax.ParseConfig(src, os.Args[1], hcl.InitialPos); diags.HasErrors() {
			fmt.Fprintln(os.Stderr, diags)
			os.Exit(1)
		}
		os.Exit(0)
	}
	fmt.Fprintln(os.Stderr, "unknown bench child", mode)
	os.Exit(3)
}
