package local_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wurzel-dev/wurzel/internal/podmantest"
)

// noopPipeline is n independent steps running `true`, plus, when root is
// set, one step they all depend on (a wide fan-out).
func noopPipeline(n int, command string, root bool) string {
	var b strings.Builder
	b.WriteString("pipeline \"bench\" {}\n")
	args := `"` + strings.Join(strings.Fields(command), `", "`) + `"`
	if root {
		fmt.Fprintf(&b, "step \"root\" {\n  command = [%s]\n}\n", args)
	}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "step \"s%04d\" {\n  command = [%s]\n", i, args)
		if root {
			b.WriteString("  depends_on = [step.root]\n")
		}
		b.WriteString("}\n")
	}
	return b.String()
}

func benchProject(b *testing.B, source string) string {
	b.Helper()
	buildWurzel(b)
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "pipeline.wurzel.hcl"), []byte(source), 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}

func wurzelRun(b *testing.B, dir string, args ...string) time.Duration {
	b.Helper()
	cmd := exec.Command(wurzelBin, append([]string{"run", dir}, args...)...)
	cmd.Env = append(os.Environ(), "WURZEL_EXECUTABLE="+wurzelBin)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		b.Fatalf("wurzel run: %v\n%s", err, tailString(string(out), 2000))
	}
	return time.Since(start)
}

func tailString(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

const benchSteps = 1000

// BenchmarkFirstRun1000 runs 1,000 no-op steps one at a time and reports
// the executor's and runner's overhead per step over running `true` 1,000
// times directly.
func BenchmarkFirstRun1000(b *testing.B) {
	truePath, err := exec.LookPath("true")
	if err != nil {
		b.Skip("no true(1)")
	}
	source := noopPipeline(benchSteps, truePath, false)
	var direct, run, runner time.Duration
	for i := 0; i < b.N; i++ {
		start := time.Now()
		for j := 0; j < benchSteps; j++ {
			if err := exec.Command(truePath).Run(); err != nil {
				b.Fatal(err)
			}
		}
		direct += time.Since(start)
		dir := benchProject(b, source)
		run += wurzelRun(b, dir, "-j", "1")
		runner += runnerAlone(b, dir)
	}
	n := float64(b.N * benchSteps)
	// runner-ms/step is `wurzel step exec` started directly on one of the
	// run's specs: what of the overhead is the runner's (and the binary's
	// start-up), the rest is the executor's.
	b.ReportMetric(float64(runner.Microseconds())/1000/float64(b.N*runnerSamples), "runner-ms/step")
	b.ReportMetric(float64(direct.Microseconds())/1000/n, "direct-ms/step")
	b.ReportMetric(float64(run.Microseconds())/1000/n, "wurzel-ms/step")
	b.ReportMetric(float64((run-direct).Microseconds())/1000/n, "overhead-ms/step")
}

// BenchmarkCachedRun1000 is a fully cached re-run of 1,000 steps: the whole
// `wurzel run` process, loading the pipeline included (target < 1 s).
func BenchmarkCachedRun1000(b *testing.B) {
	truePath, err := exec.LookPath("true")
	if err != nil {
		b.Skip("no true(1)")
	}
	dir := benchProject(b, noopPipeline(benchSteps, truePath, false))
	wurzelRun(b, dir)
	b.ResetTimer()
	var total time.Duration
	for i := 0; i < b.N; i++ {
		total += wurzelRun(b, dir)
	}
	b.ReportMetric(total.Seconds()/float64(b.N), "s/run")
}

// BenchmarkFanOut runs one step and 16 steps that depend on it, each
// sleeping 300 ms, with -j 1 and -j 2, and reports the speed-up next to the
// ideal one for 17 equal steps on 2 slots (17 / 9).
func BenchmarkFanOut(b *testing.B) {
	sleepPath, err := exec.LookPath("sleep")
	if err != nil {
		b.Skip("no sleep(1)")
	}
	const leaves = 16
	source := noopPipeline(leaves, sleepPath+" 0.3", true)
	var one, two time.Duration
	for i := 0; i < b.N; i++ {
		one += wurzelRun(b, benchProject(b, source), "-j", "1")
		two += wurzelRun(b, benchProject(b, source), "-j", "2")
	}
	b.ReportMetric(one.Seconds()/float64(b.N), "j1-s")
	b.ReportMetric(two.Seconds()/float64(b.N), "j2-s")
	b.ReportMetric(one.Seconds()/two.Seconds(), "speedup")
	b.ReportMetric(float64(leaves+1)/float64(1+leaves/2), "ideal-speedup")
}

const runnerSamples = 100

// runnerAlone runs the runner directly on the spec of one step of the last
// run in dir, runnerSamples times, and returns the total time.
func runnerAlone(b *testing.B, dir string) time.Duration {
	b.Helper()
	specs, err := filepath.Glob(filepath.Join(dir, ".wurzel", "runs", "*", "s0000", "spec.json"))
	if err != nil || len(specs) != 1 {
		b.Fatalf("spec of s0000: %v %v", specs, err)
	}
	start := time.Now()
	for i := 0; i < runnerSamples; i++ {
		cmd := exec.Command(wurzelBin, "step", "exec", "--spec", specs[0], "--run-id", fmt.Sprintf("bench-%d", i))
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("step exec: %v\n%s", err, out)
		}
	}
	return time.Since(start)
}

// BenchmarkContainerStep is the cost of a step in a container. It runs
// containerBenchSteps steps of busybox `true`, one at a time, in
// containers, next to the same steps running `true` on the host and to
// `podman run --rm` of the same command, image and flags; each per step.
// overhead-vs-host is what container isolation adds to a step, and
// overhead-vs-podman what wurzel adds to the engine's own run (the runner,
// its mounts, the run's image checks). Containers without a network
// (--network none) are measured too: the default network's set-up is a
// large part of a container's start.
func BenchmarkContainerStep(b *testing.B) {
	pm := podmantest.Get(b)
	truePath, err := exec.LookPath("true")
	if err != nil {
		b.Skip("no true(1)")
	}
	ctr := benchProject(b, strings.Replace(noopPipeline(containerBenchSteps, "/bin/busybox true", false),
		`pipeline "bench" {}`, `pipeline "bench" { image = "`+podmantest.Busybox+`" }`, 1))
	host := benchProject(b, noopPipeline(containerBenchSteps, truePath, false))
	podmanRun := append(append([]string{"run", "--rm"}, pm.Flags...), podmantest.Busybox, "/bin/busybox", "true")
	var podman, inContainer, noNetwork, onHost time.Duration
	for i := 0; i < b.N; i++ {
		start := time.Now()
		for j := 0; j < containerBenchSteps; j++ {
			pm.Must(b, podmanRun...)
		}
		podman += time.Since(start)
		inContainer += wurzelRunEnv(b, pm.Env, ctr, "-j", "1", "--force", "--isolation", "container")
		noNetwork += wurzelRunEnv(b, pm.Env, ctr, "-j", "1", "--force", "--isolation", "container", "--network", "none")
		onHost += wurzelRunEnv(b, nil, host, "-j", "1", "--force")
	}
	per := func(d time.Duration) float64 {
		return float64(d.Microseconds()) / 1000 / float64(b.N*containerBenchSteps)
	}
	b.ReportMetric(per(inContainer), "container-ms/step")
	b.ReportMetric(per(noNetwork), "container-network-none-ms/step")
	b.ReportMetric(per(onHost), "host-ms/step")
	b.ReportMetric(per(podman), "podman-run-ms/step")
	b.ReportMetric(per(inContainer-onHost), "overhead-vs-host-ms/step")
	b.ReportMetric(per(inContainer-podman), "overhead-vs-podman-ms/step")
}

const containerBenchSteps = 8

// wurzelRunEnv is wurzelRun with environment env (nil: this process's).
func wurzelRunEnv(b *testing.B, env []string, dir string, args ...string) time.Duration {
	b.Helper()
	if env == nil {
		env = os.Environ()
	}
	cmd := exec.Command(wurzelBin, append([]string{"run", dir}, args...)...)
	cmd.Env = append(env[:len(env):len(env)], "WURZEL_EXECUTABLE="+wurzelBin)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		b.Fatalf("wurzel run: %v\n%s", err, tailString(string(out), 2000))
	}
	return time.Since(start)
}
