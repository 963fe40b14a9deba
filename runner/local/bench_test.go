package local_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wurzel-dev/wurzel/internal/benchpair"
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

// treePipeline is n steps running `true` as a binary tree: step i depends
// on step (i-1)/2. treeMakefile is the same DAG for GNU make, each target
// running `true` and touching itself.
func treePipeline(n int, truePath string) string {
	var b strings.Builder
	b.WriteString("pipeline \"tree\" {}\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "step \"s%04d\" {\n  command = [%q]\n", i, truePath)
		if i > 0 {
			fmt.Fprintf(&b, "  depends_on = [step.s%04d]\n", (i-1)/2)
		}
		b.WriteString("}\n")
	}
	return b.String()
}

func treeMakefile(n int, truePath string) string {
	var b strings.Builder
	b.WriteString("all:")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, " t%04d", i)
	}
	b.WriteString("\n")
	for i := 0; i < n; i++ {
		dep := ""
		if i > 0 {
			dep = fmt.Sprintf("t%04d", (i-1)/2)
		}
		fmt.Fprintf(&b, "t%04d: %s\n\t%s\n\ttouch $@\n", i, dep, truePath)
	}
	return b.String()
}

// treeProjects writes the tree pipeline and its Makefile into fresh
// directories.
func treeProjects(b *testing.B, truePath string) (wurzelDir, makeDir string) {
	b.Helper()
	wurzelDir = benchProject(b, treePipeline(benchSteps, truePath))
	makeDir = b.TempDir()
	if err := os.WriteFile(filepath.Join(makeDir, "Makefile"), []byte(treeMakefile(benchSteps, truePath)), 0o644); err != nil {
		b.Fatal(err)
	}
	return wurzelDir, makeDir
}

// benchRounds is how many alternated rounds a comparison takes (its
// medians are over them): WURZEL_BENCH_ROUNDS, else def.
func benchRounds(def int) int {
	if n, err := strconv.Atoi(os.Getenv("WURZEL_BENCH_ROUNDS")); err == nil && n > 0 {
		return n
	}
	return def
}

func benchTools(b *testing.B) (truePath, makePath string) {
	b.Helper()
	truePath, err := exec.LookPath("true")
	if err != nil {
		b.Skip("no true(1)")
	}
	makePath, err = exec.LookPath("make")
	if err != nil {
		b.Skip("no make(1): nothing to compare with")
	}
	if err := benchpair.Adopt(); err != nil {
		b.Fatal(err)
	}
	return truePath, makePath
}

func wurzelRunCmd(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command(wurzelBin, append([]string{"run", dir}, args...)...)
	cmd.Env = append(os.Environ(), "WURZEL_EXECUTABLE="+wurzelBin)
	return cmd
}

// BenchmarkTreeFirstRun1000 is a first `wurzel run -j2` of 1,000 no-op
// steps in a binary tree, against GNU make -j2 of the same DAG (each
// target `true` and `touch`) and against the 1,000 commands alone, run two
// at a time. Rounds alternate which goes first. x-make and cpu-x-make are
// wurzel's median wall and CPU times over make's (goal: at most 2);
// overhead-ms/step and cpu-overhead-ms/step what wurzel adds to the
// commands per step (goal: at most 3 ms of wall time).
func BenchmarkTreeFirstRun1000(b *testing.B) {
	truePath, makePath := benchTools(b)
	buildWurzel(b)
	rounds := benchRounds(5)
	for b.Loop() {
		var vsMake, vsCommands benchpair.Pair
		for r := 0; r < rounds; r++ {
			wurzelDir, makeDir := treeProjects(b, truePath)
			runWurzel := func() {
				wall, cpu, err := benchpair.RunTree(wurzelRunCmd(wurzelDir, "-j", "2"))
				if err != nil {
					b.Fatalf("wurzel run: %v", err)
				}
				vsMake.RecordSubject(wall, cpu)
				vsCommands.RecordSubject(wall, cpu)
			}
			runMake := func() {
				if err := vsMake.PeerTree(exec.Command(makePath, "-s", "-j2", "-C", makeDir)); err != nil {
					b.Fatalf("make: %v", err)
				}
			}
			runCommands := func() {
				wall, cpu := runTwoAtATime(b, truePath, benchSteps)
				vsCommands.RecordPeer(wall, cpu)
			}
			if r%2 == 0 {
				runWurzel()
				runMake()
				runCommands()
			} else {
				runCommands()
				runMake()
				runWurzel()
			}
		}
		vsMake.Report(b, "x-make")
		vsCommands.ReportOverhead(b, benchSteps, "step")
	}
}

// runTwoAtATime runs command n times, two at a time, and returns the wall
// and CPU time it took.
func runTwoAtATime(b *testing.B, command string, n int) (wall, cpu time.Duration) {
	c0, t0 := benchpair.ChildrenCPU(), time.Now()
	errs := make(chan error, 2)
	for w := 0; w < 2; w++ {
		go func(count int) {
			for i := 0; i < count; i++ {
				if err := exec.Command(command).Run(); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}(n/2 + w*(n%2))
	}
	for w := 0; w < 2; w++ {
		if err := <-errs; err != nil {
			b.Fatal(err)
		}
	}
	return time.Since(t0), benchpair.ChildrenCPU() - c0
}

// BenchmarkTreeCachedRun1000 re-runs the tree of BenchmarkTreeFirstRun1000
// when every step is up to date: the whole `wurzel run` process, loading
// the pipeline included, against make finding every target up to date.
// ms/subject is wurzel's median (goal: at most 50 ms).
func BenchmarkTreeCachedRun1000(b *testing.B) {
	truePath, makePath := benchTools(b)
	buildWurzel(b)
	wurzelDir, makeDir := treeProjects(b, truePath)
	if _, _, err := benchpair.RunTree(wurzelRunCmd(wurzelDir, "-j", "2")); err != nil {
		b.Fatal(err)
	}
	makeCmd := func() *exec.Cmd { return exec.Command(makePath, "-s", "-j2", "-C", makeDir) }
	if err := makeCmd().Run(); err != nil {
		b.Fatal(err)
	}
	rounds := benchRounds(21)
	for b.Loop() {
		var pair benchpair.Pair
		for r := 0; r < rounds; r++ {
			if err := pair.SubjectTree(wurzelRunCmd(wurzelDir, "-j", "2")); err != nil {
				b.Fatalf("wurzel run: %v", err)
			}
			if err := pair.PeerTree(makeCmd()); err != nil {
				b.Fatalf("make: %v", err)
			}
		}
		pair.Report(b, "x-make")
	}
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
