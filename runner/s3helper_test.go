//go:build linux

package runner

// The tests in this file run the real wurzel-fetch and wurzel-step; the
// kill test finds processes through /proc, hence Linux.

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/wurzel-dev/wurzel/internal/gwtest"
	"github.com/wurzel-dev/wurzel/internal/proctest"
	"github.com/wurzel-dev/wurzel/internal/testbin"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

// withS3Helper points the runner at endpoint as withS3 does, its s3://
// locations served by the real store helper (wurzel-fetch -store s3), as
// wurzel and wurzel-step reach them. The helper ends with the test.
func withS3Helper(t *testing.T, endpoint string) func(*Options) {
	return func(o *Options) {
		o.Environ = append(o.Environ, gwtest.EnvironFor(endpoint)...)
		o.Environ = append(o.Environ, FetchHelperEnv+"="+testFetchHelper(t))
		client, err := StoreHelper("", o.Environ, func(k string) string { return spec.Getenv(o.Environ, k) })
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if err := client.Close(); err != nil {
				t.Errorf("closing the store helper: %v", err)
			}
		})
		o.ObjectStore = client
	}
}

// TestS3ThroughStoreHelper: outputs published and inputs fetched through
// the helper are what the server holds and the manifest says; a changed
// object and a missing manifest are told apart across the process
// boundary, as in-process.
func TestS3ThroughStoreHelper(t *testing.T) {
	gw := gwtest.Start(t)
	bucket := gw.CreateBucket(t, "wurzel")
	dir := t.TempDir()
	producer, big := s3Producer(t, dir, "s3://wurzel/helper/work")
	wantCode(t, execSpec(t, producer, withS3Helper(t, gw.Endpoint)), 0)
	checkPublished(t, gw, bucket, "helper/work", big)
	consumer := s3Consumer(dir, "s3://wurzel/helper/work")
	res := execSpec(t, consumer, withS3Helper(t, gw.Endpoint))
	wantCode(t, res, 0)
	if res.stdout != "b\n" {
		t.Errorf("consumer printed %q", res.stdout)
	}
	writeFile(t, gw.ObjectPath(bucket, "helper/work/d/sub/b.txt"), "B\n")
	wantCode(t, execSpec(t, consumer, withS3Helper(t, gw.Endpoint)), CodeInput, "sha256")

	consumer.Inputs[0].From.Manifest = "s3://wurzel/helper/none/manifest.json"
	wantCode(t, execSpec(t, consumer, withS3Helper(t, gw.Endpoint)), CodeInput, "has no manifest")
}

// TestStepRunnerS3 runs the real wurzel-step, which links no S3 client,
// on a step with s3:// outputs: it publishes them through the store helper
// it finds, and refuses the step up front when there is none.
func TestStepRunnerS3(t *testing.T) {
	gw := gwtest.Start(t)
	bucket := gw.CreateBucket(t, "wurzel")
	dir := t.TempDir()
	producer, big := s3Producer(t, dir, "s3://wurzel/step/work")
	run := func(env ...string) (string, error) {
		cmd := stepRunnerCommand(t, producer, dir, append(gwtest.EnvironFor(gw.Endpoint), env...)...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := run(FetchHelperEnv + "=" + testFetchHelper(t)); err != nil {
		t.Fatalf("wurzel-step: %v\n%s", err, out)
	}
	if got := readFile(t, gw.ObjectPath(bucket, "step/work/big.bin")); got != string(big) {
		t.Error("big.bin on the server differs from the output")
	}
	if !exists(gw.ObjectPath(bucket, "step/work/manifest.json")) {
		t.Error("no manifest")
	}
	// Alone in its directory, with no helper on PATH either.
	alone := filepath.Join(t.TempDir(), "wurzel-step")
	data, err := os.ReadFile(testbin.Step(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(alone, data, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := stepRunnerCommand(t, producer, dir, gwtest.EnvironFor(gw.Endpoint)...)
	cmd.Path, cmd.Args[0] = alone, alone
	cmd.Env = append(cmd.Env, "PATH=/usr/bin:/bin")
	out, err := cmd.CombinedOutput()
	if code := exitCodeOf(err); code != CodeBadSpec || !strings.Contains(string(out), "wurzel-fetch is not installed at "+filepath.Dir(alone)) {
		t.Errorf("without the helper: exit %d\n%s", code, out)
	}
}

// TestKillDuringHelperUpload kills wurzel-step while its store helper
// uploads a multipart output: the helper, which outlives it, must notice,
// abort the upload and exit.
func TestKillDuringHelperUpload(t *testing.T) {
	gw := gwtest.Start(t)
	bucket := gw.CreateBucket(t, "wurzel")
	proxy := newFaultProxy(t, gw.Endpoint, 0, true)
	dir := t.TempDir()
	producer, _ := s3Producer(t, dir, "s3://wurzel/killed")
	child := stepRunnerCommand(t, producer, dir, append(gwtest.EnvironFor(proxy.URL), FetchHelperEnv+"="+testFetchHelper(t))...)
	logs := startLogged(t, child)
	proxy.awaitPart(t, child, func() string { data, _ := os.ReadFile(logs); return string(data) })
	procs := proctest.KillAndWatch(t, child)
	helpers := 0
	for _, name := range procs {
		if name == "wurzel-fetch" {
			helpers++
		}
	}
	if helpers != 1 {
		t.Fatalf("the runner had %d store helpers running: %v", helpers, procs)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		out, err := gw.Client().ListMultipartUploads(context.Background(), &s3.ListMultipartUploadsInput{Bucket: aws.String(bucket)})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Uploads) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d multipart uploads left after the runner was killed", len(out.Uploads))
		}
		time.Sleep(50 * time.Millisecond)
	}
	if exists(gw.ObjectPath(bucket, "killed/manifest.json")) {
		t.Error("a manifest exists after the runner was killed during the upload")
	}
}

// stepRunnerCommand is the real wurzel-step running st in dir, with env
// added to PATH and HOME.
func stepRunnerCommand(t *testing.T, st *spec.Step, dir string, env ...string) *exec.Cmd {
	t.Helper()
	data, err := spec.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(testbin.Step(t), "--spec-json", string(data))
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "WURZEL_RUN_ID=run-1"}, env...)
	return cmd
}

func exitCodeOf(err error) int {
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}
