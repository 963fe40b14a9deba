package runner

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wurzel-dev/wurzel/internal/benchpair"
	"github.com/wurzel-dev/wurzel/internal/gwtest"
	"github.com/wurzel-dev/wurzel/internal/testbin"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

// BenchmarkStepOverhead compares running `true` directly with running it
// as a step (spec checks, a fresh work directory, env, process group, an
// empty manifest written atomically). The overhead-ms metric is the
// difference; the target is at most 10 ms.
func BenchmarkStepOverhead(b *testing.B) {
	truePath, err := exec.LookPath("true")
	if err != nil {
		b.Skip("true is not installed")
	}
	dir := b.TempDir()
	st := &spec.Step{
		Version: spec.Version, Pipeline: "bench", Step: "noop", Command: []string{"true"},
		Manifest: filepath.Join(dir, "manifest.json"),
	}
	opts := Options{
		RunID: "bench", Stdout: io.Discard, Stderr: io.Discard, Dir: dir,
		Logger:  slog.New(slog.NewJSONHandler(io.Discard, nil)),
		Environ: []string{"PATH=" + os.Getenv("PATH")},
	}
	direct := func() {
		if err := exec.Command(truePath).Run(); err != nil {
			b.Fatal(err)
		}
	}
	step := func() {
		if err := Exec(context.Background(), st, opts); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("direct", func(b *testing.B) {
		for b.Loop() {
			direct()
		}
	})
	b.Run("step", func(b *testing.B) {
		for b.Loop() {
			step()
		}
	})
	b.Run("overhead", func(b *testing.B) {
		var directTotal, stepTotal time.Duration
		for b.Loop() {
			t0 := time.Now()
			direct()
			t1 := time.Now()
			step()
			directTotal += t1.Sub(t0)
			stepTotal += time.Since(t1)
		}
		b.ReportMetric(float64(stepTotal-directTotal)/float64(b.N)/1e6, "overhead-ms/op")
	})
}

// BenchmarkStepProcess is the overhead a back end sees: `wurzel step exec
// --spec FILE` of `true` as a process (start-up, spec, work directory,
// guardian, command, manifest), against starting `true` directly, the
// runs alternating (which goes first changes every round). overhead-ms/step
// is the median of the rounds' differences in wall time (goal: at most
// 3 ms), cpu-overhead-ms/step the same in CPU time, the guardian's included
// (it outlives the runner by a moment, and is waited for).
// overhead-ms/wurzel-step is the same for `wurzel-step --spec FILE`, the
// runner binary Argo pods run.
//
// overhead-ms/floor is measured the same way, in the same rounds, for
// testdata/stepfloor: the least a Go runner can do that still runs the
// command and syncs its manifest; it is what Go's start-up, a fork and an
// exec (syscall.ForkExec, as the runner's package spawn: os/exec's first
// start in a process costs a child of its own) and the fsync cost whatever
// the runner does. overhead-ms/go-start is a Go program that exits as it
// starts (the runtime's start and exit alone), overhead-ms/spawn-floor
// leaves the manifest out (Go's start-up and the fork and exec alone), and
// overhead-ms/guarded-floor adds the cheapest guardian (a second process
// started before the command, holding a pipe), and overhead-ms/contract-floor
// also forwards SIGTERM and SIGINT to the command's process group, as the
// runner must: the least a Go runner can do that keeps all its promises.
// overhead-ms/wurzel-step minus overhead-ms/contract-floor is the runner's
// own. overhead-ms/wurzel-step-pod is wurzel-step as Argo's pods run it:
// a volatile manifest, not synced, and a contained step, without a
// guardian; overhead-ms/pod-floor is the contract floor that leaves the
// same fsync and guardian out. Both start, as every
// pod does, with no manifest where theirs goes (an emptyDir is new with
// its pod); the others replace the last round's, as a step run again does.
// The difference is not only the unlink: ext4 starts writing back a file
// renamed over another (auto_da_alloc), about 0.4 ms here.
func BenchmarkStepProcess(b *testing.B) { stepProcess(b, nil) }

// BenchmarkStepProcessPod is the row's subject, wurzel-step as Argo's pods
// run it, and its floor alone in the rounds, beside true. In
// BenchmarkStepProcess the floor's binary runs six times a round and
// wurzel-step's two: the floor starts warmer in the CPU's caches, which
// there puts wurzel-step 0.3 to 0.8 ms above it against 0.1 to 0.3 ms when
// the two alternate alone.
func BenchmarkStepProcessPod(b *testing.B) {
	stepProcess(b, []string{"wurzel-step-pod", "pod-floor"})
}

// minStepRounds is the fewest rounds a step process benchmark takes its
// medians over, about 10 s for BenchmarkStepProcess.
const minStepRounds = 150

// stepProcess runs the subjects named in only, or every one, in rounds
// with true.
func stepProcess(b *testing.B, only []string) {
	truePath, err := exec.LookPath("true")
	if err != nil {
		b.Skip("true is not installed")
	}
	if err := benchpair.Adopt(); err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	wurzel := install(b, testbin.Wurzel(b), dir)
	stepRunner := install(b, testbin.Step(b), dir)
	floor := install(b, buildStepFloor(b, b.TempDir()), dir)
	data, err := spec.Marshal(&spec.Step{
		Version: spec.Version, Pipeline: "bench", Step: "noop", Command: []string{"true"},
		Workdir: "work", Manifest: filepath.Join(dir, "manifest.json"),
	})
	if err != nil {
		b.Fatal(err)
	}
	specFile := filepath.Join(dir, "spec.json")
	if err := os.WriteFile(specFile, data, 0o644); err != nil {
		b.Fatal(err)
	}
	// As Argo's pods run it: the manifest in the pod, not synced, and no
	// guardian, since the container's end kills what the runner leaves.
	// As Argo's pods have it: the spec and the manifest in a tmpfs (the
	// memory-backed emptyDir wurzel-meta).
	metaDir := memoryDir(b)
	volatileManifest := filepath.Join(metaDir, "volatile-manifest.json")
	data, err = spec.Marshal(&spec.Step{
		Version: spec.Version, Pipeline: "bench", Step: "noop", Command: []string{"true"},
		Workdir: "work", Manifest: volatileManifest, VolatileManifest: true, Contained: true,
	})
	if err != nil {
		b.Fatal(err)
	}
	volatileSpecFile := filepath.Join(metaDir, "volatile-spec.json")
	if err := os.WriteFile(volatileSpecFile, data, 0o644); err != nil {
		b.Fatal(err)
	}
	command := func(name string, args ...string) *exec.Cmd {
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		return cmd
	}
	// Each subject is a program run with its arguments; its metric is
	// overhead-ms/NAME against the same runs of true. The first, `wurzel
	// step exec`, also reports x-true and overhead-ms/step.
	type subject struct {
		name string
		argv []string
		pair benchpair.Pair
		// fresh: the subject writes the volatile manifest, removed
		// before it starts.
		fresh bool
	}
	subjects := []subject{
		{"step", []string{wurzel, "step", "exec", "--spec", specFile}, benchpair.Pair{}, false},
		{"wurzel-step", []string{stepRunner, "--spec", specFile}, benchpair.Pair{}, false},
		{"wurzel-step-pod", []string{stepRunner, "--spec", volatileSpecFile}, benchpair.Pair{}, true},
		{"go-start", []string{floor, "-exit", specFile}, benchpair.Pair{}, false},
		{"spawn-floor", []string{floor, "-no-manifest", specFile}, benchpair.Pair{}, false},
		{"floor", []string{floor, specFile}, benchpair.Pair{}, false},
		{"guarded-floor", []string{floor, "-guardian", specFile}, benchpair.Pair{}, false},
		{"contract-floor", []string{floor, "-contract", specFile}, benchpair.Pair{}, false},
		{"pod-floor", []string{floor, "-pod", volatileSpecFile}, benchpair.Pair{}, true},
	}
	if only != nil {
		subjects = slices.DeleteFunc(subjects, func(s subject) bool { return !slices.Contains(only, s.name) })
	}
	runs := []func(){func() {
		// true's times go to every pair: each difference is taken against
		// the same run of the peer.
		wall, cpu, err := benchpair.RunTree(command(truePath))
		if err != nil {
			b.Fatalf("true: %v", err)
		}
		for i := range subjects {
			subjects[i].pair.RecordPeer(wall, cpu)
		}
	}}
	for i := range subjects {
		sub := &subjects[i]
		runs = append(runs, func() {
			if sub.fresh {
				if err := os.Remove(volatileManifest); err != nil && !errors.Is(err, fs.ErrNotExist) {
					b.Fatal(err)
				}
			}
			if err := sub.pair.SubjectTree(command(sub.argv[0], sub.argv[1:]...)); err != nil {
				b.Fatalf("%s: %v", strings.Join(sub.argv, " "), err)
			}
		})
	}
	round := 0
	rotate := func() {
		for i := range runs {
			runs[(i+round)%len(runs)]()
		}
		round++
	}
	for b.Loop() {
		rotate()
	}
	// The metrics are medians of rounds, not the loop's time: with the
	// default -benchtime the loop makes about 18 rounds, whose median
	// moves by a few tenths of a millisecond from one run to the next.
	for round < minStepRounds {
		rotate()
	}
	if subjects[0].name == "step" {
		subjects[0].pair.Report(b, "x-true")
	}
	for i := range subjects {
		subjects[i].pair.ReportOverhead(b, 1, subjects[i].name)
	}
}

// install copies the executable exe into dir, as an image's layer or a
// package manager puts a binary in place: written whole, not mapped and
// filled page by page as the linker writes it. In the page cache the two
// differ: starting a binary just linked costs about 0.5 ms more here
// (page faults on its small pages), for every program alike.
func install(b *testing.B, exe, dir string) string {
	b.Helper()
	data, err := os.ReadFile(exe)
	if err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(dir, filepath.Base(exe))
	if err := os.WriteFile(out, data, 0o755); err != nil {
		b.Fatal(err)
	}
	return out
}

// buildStepFloor builds testdata/stepfloor into dir, as the runner itself
// is built (static).
func buildStepFloor(b *testing.B, dir string) string {
	out := filepath.Join(dir, "stepfloor")
	cmd := exec.Command("go", "build", "-o", out, "./testdata/stepfloor")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("building stepfloor: %v\n%s", err, msg)
	}
	return out
}

// BenchmarkS3Transfer256MiB measures publishing a 256 MiB output to
// versitygw through a whole step (sha256, multipart upload, manifest) and
// fetching it back as a verified input, next to the aws CLI's `s3 cp` on the
// same server when it is installed. Compare the MB/s columns; the target is
// at least 0.8x the CLI.
func BenchmarkS3Transfer256MiB(b *testing.B) {
	const size = 256 << 20
	gw := gwtest.Start(b)
	gw.CreateBucket(b, "bench")
	dir := b.TempDir()
	src := filepath.Join(dir, "big.bin")
	f, err := os.Create(src)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.CopyN(f, newPseudoRandom(), size); err != nil {
		b.Fatal(err)
	}
	f.Close()
	opts := Options{
		RunID: "bench", Stdout: io.Discard, Stderr: io.Discard, Dir: dir,
		Logger:  slog.New(slog.NewJSONHandler(io.Discard, nil)),
		Environ: append([]string{"PATH=" + os.Getenv("PATH")}, gw.Environ()...),
	}
	// The command hard-links the prepared file: the step's own cost is all
	// transfer.
	producer := &spec.Step{
		Version: spec.Version, Pipeline: "bench", Step: "produce", Command: []string{"ln", src, "big.bin"},
		Outputs:  []spec.Output{{Name: "big", Path: "big.bin", Kind: spec.KindFile, Location: "s3://bench/runner/big.bin"}},
		Manifest: "s3://bench/runner/manifest.json",
	}
	consumer := &spec.Step{
		Version: spec.Version, Pipeline: "bench", Step: "consume", Command: []string{"true"},
		Inputs: []spec.Input{{Name: "big", Path: "big.bin", From: &spec.Ref{Step: "produce", Output: "big",
			Location: "s3://bench/runner/big.bin", Manifest: "s3://bench/runner/manifest.json"}}},
		Manifest: filepath.Join(dir, "consume.json"),
	}
	b.Run("runner-upload", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			if err := Exec(context.Background(), producer, opts); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("runner-download", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			if err := Exec(context.Background(), consumer, opts); err != nil {
				b.Fatal(err)
			}
		}
	})
	cli := gw.AWSCLI(b)
	if cli == "" {
		b.Log("aws CLI not installed: no comparison")
		return
	}
	aws := func(b *testing.B, args ...string) {
		if out, err := gw.AWS(b, cli, args...); err != nil {
			b.Fatalf("aws %v: %v\n%s", args, err, out)
		}
	}
	b.Run("awscli-upload", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			aws(b, "s3", "cp", "--only-show-errors", src, "s3://bench/cli/big.bin")
		}
	})
	b.Run("awscli-download", func(b *testing.B) {
		b.SetBytes(size)
		dst := filepath.Join(dir, "cli-down.bin")
		for b.Loop() {
			aws(b, "s3", "cp", "--only-show-errors", "s3://bench/cli/big.bin", dst)
			os.Remove(dst)
		}
	})
}

// pseudoRandom is a fast incompressible byte stream (xorshift), so that the
// benchmark file costs no time to make.
type pseudoRandom struct{ s uint64 }

func newPseudoRandom() *pseudoRandom { return &pseudoRandom{s: 0x9e3779b97f4a7c15} }

func (p *pseudoRandom) Read(b []byte) (int, error) {
	for i := range b {
		p.s ^= p.s << 13
		p.s ^= p.s >> 7
		p.s ^= p.s << 17
		b[i] = byte(p.s >> 32)
	}
	return len(b), nil
}
