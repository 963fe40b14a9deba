package runner

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/wurzel-dev/wurzel/internal/benchpair"
	"github.com/wurzel-dev/wurzel/internal/gwtest"
	"github.com/wurzel-dev/wurzel/internal/testbin"
	"github.com/wurzel-dev/wurzel/runner/internal/datapath"
	"github.com/wurzel-dev/wurzel/runner/objstore"
	"github.com/wurzel-dev/wurzel/runner/s3store"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

// The data path's benchmarks put a step's publishing of an output next to
// the tool a user would compare it with, measured in the same benchmark,
// the two alternating (which goes first changes every round), each round
// starting from a clean page cache state (everything synced, untimed).
// Each reports the medians of both (ms/subject, ms/peer) and speed-x, the
// peer's median wall time over the step's: 1 is as fast as the peer, 2
// twice as fast. The step includes its whole life (spec, work directory,
// the command, manifest); its command only links or moves prepared data,
// so that the rest is the publishing.

// BenchmarkLocalStoreCommit256MiB: a 256 MiB file output committed to a
// local location, against `cp` + `sync FILE` (goal: speed-x at least 0.9).
// The output is prepared in the work directory before the step (untimed),
// whose command is `true`. In "copy" it is a hard link to the prepared file,
// so the runner must copy it (it has another name); in "move" it is a fresh
// file, which the runner may move on to the store.
func BenchmarkLocalStoreCommit256MiB(b *testing.B) {
	const size = 256 << 20
	dir := b.TempDir()
	src := filepath.Join(dir, "big.bin")
	writePseudoRandomFile(b, src, size)
	peerDst, besideDst := filepath.Join(dir, "peer.bin"), filepath.Join(dir, "beside.bin")
	copyTo := func(dst string) func() error {
		return func() error {
			if err := exec.Command("cp", src, dst).Run(); err != nil {
				return err
			}
			return exec.Command("sync", dst).Run()
		}
	}
	peer := copyTo(peerDst)
	clear := func() {
		os.Remove(peerDst)
		os.Remove(besideDst)
	}
	st := localStep("commit", spec.KindFile, "big.bin")
	b.Run("copy", func(b *testing.B) {
		pairRounds(b, dir, st, peer, rounds{stage: runCmd(b, "ln", src, filepath.Join(dir, "work", "big.bin")), clear: clear, minRounds: minLargeFileRounds})
	})
	b.Run("move", func(b *testing.B) {
		pairRounds(b, dir, st, peer, rounds{stage: runCmd(b, "cp", src, filepath.Join(dir, "work", "big.bin")), clear: clear, minRounds: minLargeFileRounds})
	})
	// The ceilings: the manifest records each output's sha256, so every
	// byte is hashed. "sha256-only" hashes the bytes from memory the
	// program owns, all 256 MiB of them; "sha256-file" hashes the file
	// where a commit finds it, in the page cache, through HashRange as the
	// commit does, which reads it a little at a time into a buffer the
	// CPU's caches hold. Both are timed against the same peer; the faster
	// one's speed-x bounds what any commit can reach.
	b.Run("sha256-only", func(b *testing.B) {
		data, err := os.ReadFile(src)
		if err != nil {
			b.Fatal(err)
		}
		hashCeiling(b, minLargeFileRounds, dir, peer, clear, func() { sha256.Sum256(data) })
	})
	// hashSrc opens the file for b and returns what hashes it as a commit
	// does: through HashRange, where it lies in the page cache.
	hashSrc := func(b *testing.B) func() {
		f, err := os.Open(src)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { f.Close() })
		var buf []byte
		return func() {
			if err := datapath.HashRange(sha256.New(), f, 0, size, &buf); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("sha256-file", func(b *testing.B) {
		hashCeiling(b, minLargeFileRounds, dir, peer, clear, hashSrc(b))
	})
	// "sha256-beside-cp" is the one pass over the data with nothing of
	// the runner's in it: the file hashed as in "sha256-file" while `cp` +
	// `sync` copy it in another process, the two sharing the machine's
	// cores; timed until both are done. Its speed-x bounds any commit
	// that copies through the page cache as cp does: the kernel's copy and
	// the hash slow each other down.
	b.Run("sha256-beside-cp", func(b *testing.B) {
		hash, besideCopy := hashSrc(b), copyTo(besideDst)
		hashCeiling(b, minLargeFileRounds, dir, peer, clear, func() {
			copied := make(chan error, 1)
			go func() { copied <- besideCopy() }()
			hash()
			if err := <-copied; err != nil {
				b.Fatal(err)
			}
		})
	})
}

// hashCeiling times hash against the peer, alternating, and reports both
// medians and their ratio as speed-x, over minRounds rounds at the least.
// Before each, clear removes what the last ones wrote and the file system
// is synced.
func hashCeiling(b *testing.B, minRounds int, dir string, peer func() error, clear func(), hash func()) {
	var pair benchpair.Pair
	settle := func() {
		clear()
		if err := exec.Command("sync", "-f", dir).Run(); err != nil {
			b.Fatal(err)
		}
	}
	subject := func() {
		settle()
		pair.Subject(hash)
	}
	copy := func() {
		settle()
		t0 := time.Now()
		if err := peer(); err != nil {
			b.Fatal(err)
		}
		pair.RecordPeer(time.Since(t0), 0)
	}
	alternate(b, minRounds, subject, copy)
	ws, wp, _, _ := pair.Medians()
	b.ReportMetric(float64(ws)/1e6, "ms/subject")
	b.ReportMetric(float64(wp)/1e6, "ms/peer")
	b.ReportMetric(float64(wp)/float64(ws), "speed-x")
}

// BenchmarkLocalStoreDir10k: a directory output of 10,000 files of 4 KiB
// (in 100 subdirectories) committed to a local location, against `cp -r` +
// `sync -f` (one syncfs, the cheapest barrier for a tree; goal: speed-x at
// least 0.8). "copy" and "move" as in BenchmarkLocalStoreCommit256MiB.
func BenchmarkLocalStoreDir10k(b *testing.B) {
	dir := b.TempDir()
	src := filepath.Join(dir, "tree")
	writeTree(b, src, 100, 100, 4<<10)
	peerDst := filepath.Join(dir, "peer")
	peer := func() error {
		if err := exec.Command("cp", "-r", src, peerDst).Run(); err != nil {
			return err
		}
		return exec.Command("sync", "-f", peerDst).Run()
	}
	clear := func() { os.RemoveAll(peerDst) }
	st := localStep("tree", spec.KindDir, "tree")
	b.Run("copy", func(b *testing.B) {
		pairRounds(b, dir, st, peer, rounds{stage: runCmd(b, "cp", "-rl", src, filepath.Join(dir, "work", "tree")), clear: clear})
	})
	b.Run("move", func(b *testing.B) {
		pairRounds(b, dir, st, peer, rounds{stage: runCmd(b, "cp", "-r", src, filepath.Join(dir, "work", "tree")), clear: clear})
	})
}

// runCmd returns a function that runs a command, failing b if it fails.
func runCmd(b *testing.B, name string, args ...string) func() {
	return func() {
		if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
			b.Fatalf("%s: %v\n%s", name, err, out)
		}
	}
}

// BenchmarkS3Upload256MiB: a 256 MiB file output published to versitygw
// on 127.0.0.1 ("step"), against `aws s3 cp` of the same file to the same
// server (goal: speed-x at least 2), each into a key that does not exist,
// as wurzel's run-scoped keys are: the bucket is emptied before every
// round (replacing a 256 MiB object made versitygw's completion of either
// upload about 140 ms slower). Skipped without the aws CLI. "step"
// publishes as wurzel and wurzel-step do, through the store helper (the
// real wurzel-fetch, started and ended in each timed run);
// "step-in-process" with the store in the benchmark's process, whose
// requests it times (ms/complete: the server's multipart completion). Each
// sub-benchmark starts a server of its own: one that has taken the other's
// uploads already answered the same uploads up to 40 % slower.
func BenchmarkS3Upload256MiB(b *testing.B) {
	const size = 256 << 20
	dir := b.TempDir()
	src := filepath.Join(dir, "big.bin")
	writePseudoRandomFile(b, src, size)
	// server starts versitygw for b with a bucket "bench" and returns it
	// and the peer, aws s3 cp of src to it.
	server := func(b *testing.B) (*gwtest.Server, func() error) {
		gw := gwtest.Start(b)
		gw.CreateBucket(b, "bench")
		cli := gw.AWSCLI(b)
		if cli == "" {
			b.Skip("aws CLI not installed: nothing to compare with")
		}
		return gw, func() error {
			out, err := gw.AWS(b, cli, "s3", "cp", "--only-show-errors", src, "s3://bench/cli/big.bin")
			if err != nil {
				return fmt.Errorf("%v: %s", err, out)
			}
			return nil
		}
	}
	st := &spec.Step{
		Version: spec.Version, Pipeline: "bench", Step: "produce", Command: []string{"ln", src, "big.bin"},
		Outputs:  []spec.Output{{Name: "big", Path: "big.bin", Kind: spec.KindFile, Location: "s3://bench/runner/big.bin"}},
		Manifest: "s3://bench/runner/manifest.json",
	}
	b.Run("step", func(b *testing.B) {
		gw, peer := server(b)
		split := newS3Split(gw)
		environ := append(gw.Environ(), FetchHelperEnv+"="+testbin.FetchHelper(b))
		pairRounds(b, dir, st, peer, rounds{
			environ: environ,
			newStore: func() objstore.Store {
				client, err := StoreHelper("", environ, func(k string) string { return spec.Getenv(environ, k) })
				if err != nil {
					b.Fatal(err)
				}
				return client
			},
			probe:     split.probe,
			minRounds: minLargeFileRounds,
			clear:     func() { emptyBucket(b, gw, "bench") },
		})
		split.reportServer(b)
	})
	b.Run("step-in-process", func(b *testing.B) {
		gw, peer := server(b)
		split := newS3Split(gw)
		pairRounds(b, dir, st, peer, rounds{
			environ:   gw.Environ(),
			newStore:  func() objstore.Store { return s3store.WithClient(split.client(b, gw.Environ())) },
			probe:     split.probe,
			minRounds: minLargeFileRounds,
			clear:     func() { emptyBucket(b, gw, "bench") },
		})
		split.report(b)
	})
}

// BenchmarkS3UploadDir1k: a directory output of 1,000 files of 4 KiB
// published to versitygw, against `aws s3 cp --recursive`.
func BenchmarkS3UploadDir1k(b *testing.B) {
	gw := gwtest.Start(b)
	gw.CreateBucket(b, "bench")
	cli := gw.AWSCLI(b)
	if cli == "" {
		b.Skip("aws CLI not installed: nothing to compare with")
	}
	dir := b.TempDir()
	src := filepath.Join(dir, "tree")
	writeTree(b, src, 10, 100, 4<<10)
	st := &spec.Step{
		Version: spec.Version, Pipeline: "bench", Step: "produce", Command: []string{"cp", "-rl", src, "tree"},
		Outputs:  []spec.Output{{Name: "tree", Path: "tree", Kind: spec.KindDir, Location: "s3://bench/runner/tree"}},
		Manifest: "s3://bench/runner/manifest.json",
	}
	peer := func() error {
		out, err := gw.AWS(b, cli, "s3", "cp", "--recursive", "--only-show-errors", src, "s3://bench/cli/tree")
		if err != nil {
			return fmt.Errorf("%v: %s", err, out)
		}
		return nil
	}
	pairRounds(b, dir, st, peer, rounds{environ: gw.Environ(), clear: func() { emptyBucket(b, gw, "bench") }})
}

// emptyBucket deletes every object of bucket on gw, so that the next
// uploads go into keys that do not exist.
func emptyBucket(b *testing.B, gw *gwtest.Server, bucket string) {
	ctx := context.Background()
	client := gw.Client()
	pages := s3.NewListObjectsV2Paginator(client, &s3.ListObjectsV2Input{Bucket: &bucket})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if len(page.Contents) == 0 {
			continue
		}
		ids := make([]types.ObjectIdentifier, len(page.Contents))
		for i, o := range page.Contents {
			ids[i] = types.ObjectIdentifier{Key: o.Key}
		}
		out, err := client.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: &bucket, Delete: &types.Delete{Objects: ids, Quiet: aws.Bool(true)}})
		if err != nil {
			b.Fatal(err)
		}
		if len(out.Errors) > 0 {
			b.Fatalf("deleting %s: %s", aws.ToString(out.Errors[0].Key), aws.ToString(out.Errors[0].Message))
		}
	}
}

// localStep is a step whose command, `true`, finds its output at path in
// the work directory dir/work, prepared, and whose output goes to
// dir/store.
func localStep(name, kind, path string) *spec.Step {
	return &spec.Step{
		Version: spec.Version, Pipeline: "bench", Step: name, Command: []string{"true"},
		Workdir:  "work",
		Outputs:  []spec.Output{{Name: "out", Path: path, Kind: kind, Location: filepath.Join("store", name)}},
		Manifest: filepath.Join("store", name+".json"),
	}
}

// rounds are the optional parts of pairRounds.
type rounds struct {
	// stage prepares the command's data before each round.
	stage func()
	// clear removes the peer's last copy before each round.
	clear func()
	// environ is added to the step's environment.
	environ []string
	// newStore makes the store for the step's s3:// locations, in each
	// timed run as the runner would make its own, and closed at its end
	// when it is an io.Closer; nil leaves that to the runner (from
	// environ).
	newStore func() objstore.Store
	// minRounds is the fewest rounds the medians are taken over (see
	// alternate).
	minRounds int
	// probe is called just before each timed run, of the step (subject
	// true) or of the peer, and what it returns just after.
	probe func(subject bool) func()
}

// roundsPerOp is how many alternated rounds one iteration of a data-path
// benchmark runs: a round of these takes seconds, so that `make bench`'s
// default time gives each one iteration, and its medians should not be
// those of a single run.
const roundsPerOp = 3

// minLargeFileRounds is how many rounds the benchmarks of a 256 MiB output
// take their medians over at the least: with roundsPerOp alone the peer's
// median (cp + sync, which waits for the disk, or aws s3 cp) moved by 10 %
// and more between runs.
const minLargeFileRounds = 9

// alternate runs subject and peer roundsPerOp times per iteration of b,
// and then more until they have run minRounds times, changing every round
// which goes first.
func alternate(b *testing.B, minRounds int, subject, peer func()) {
	round := 0
	one := func() {
		if round%2 == 0 {
			subject()
			peer()
		} else {
			peer()
			subject()
		}
		round++
	}
	for b.Loop() {
		for range roundsPerOp {
			one()
		}
	}
	for round < minRounds {
		one()
	}
}

// pairRounds runs the step st (with Dir dir) and peer alternately,
// roundsPerOp rounds of each per iteration, and reports their medians and
// speed-x. Before each
// round, untimed: the work directory and the step's local output
// locations are emptied, r.stage prepares the command's data, r.clear
// removes the peer's last copy, and the file system is synced.
func pairRounds(b *testing.B, dir string, st *spec.Step, peer func() error, r rounds) {
	stage, clear := r.stage, r.clear
	opts := Options{
		RunID: "bench", Stdout: io.Discard, Stderr: io.Discard, Dir: dir,
		Logger:  slog.New(slog.NewJSONHandler(io.Discard, nil)),
		Environ: append([]string{"PATH=" + os.Getenv("PATH")}, r.environ...),
	}
	probe := func(bool) func() { return func() {} }
	if r.probe != nil {
		probe = r.probe
	}
	settle := func() {
		if st.Workdir != "" {
			work := filepath.Join(dir, st.Workdir)
			os.RemoveAll(work)
			if err := os.Mkdir(work, 0o755); err != nil {
				b.Fatal(err)
			}
		}
		for _, o := range st.Outputs {
			// A commit into an empty place, as the peer's: replacing a
			// previous version costs removing it first.
			if !isS3(o.Location) {
				os.RemoveAll(filepath.Join(dir, o.Location))
			}
		}
		if stage != nil {
			stage()
		}
		if clear != nil {
			clear()
		}
		if err := exec.Command("sync", "-f", dir).Run(); err != nil {
			b.Fatal(err)
		}
	}
	var pair benchpair.Pair
	subject := func() {
		settle()
		done := probe(true)
		// The step's CPU time includes its children's: the command's,
		// and a store helper's.
		c0, t0 := benchpair.CPU()+benchpair.ChildrenCPU(), time.Now()
		if r.newStore != nil {
			opts.ObjectStore = r.newStore()
		}
		err := Exec(context.Background(), st, opts)
		if closer, ok := opts.ObjectStore.(io.Closer); ok && err == nil {
			// As the runner ends a store helper it started itself.
			err = closer.Close()
		}
		pair.RecordSubject(time.Since(t0), benchpair.CPU()+benchpair.ChildrenCPU()-c0)
		done()
		if err != nil {
			b.Fatal(err)
		}
	}
	other := func() {
		settle()
		done := probe(false)
		c0, t0 := benchpair.ChildrenCPU(), time.Now()
		err := peer()
		pair.RecordPeer(time.Since(t0), benchpair.ChildrenCPU()-c0)
		done()
		if err != nil {
			b.Fatal(err)
		}
	}
	alternate(b, r.minRounds, subject, other)
	ws, wp, cs, cp := pair.Medians()
	b.ReportMetric(float64(ws)/1e6, "ms/subject")
	b.ReportMetric(float64(wp)/1e6, "ms/peer")
	b.ReportMetric(float64(cs)/1e6, "cpu-ms/subject")
	b.ReportMetric(float64(cp)/1e6, "cpu-ms/peer")
	if ws > 0 {
		b.ReportMetric(float64(wp)/float64(ws), "speed-x")
	}
}

func writePseudoRandomFile(b *testing.B, path string, size int64) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.CopyN(f, newPseudoRandom(), size); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
}

// writeTree makes dirs directories of files files of size bytes each under
// root, each file different.
func writeTree(b *testing.B, root string, dirs, files, size int) {
	r := newPseudoRandom()
	buf := make([]byte, size)
	for d := range dirs {
		sub := filepath.Join(root, fmt.Sprintf("d%03d", d))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			b.Fatal(err)
		}
		for f := range files {
			r.Read(buf)
			if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("f%04d.bin", f)), buf, 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
}
