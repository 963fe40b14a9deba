package runner

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/wurzel-dev/wurzel/internal/gwtest"
	"github.com/wurzel-dev/wurzel/runner/manifest"
	"github.com/wurzel-dev/wurzel/runner/s3store"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

// withS3 points the runner at endpoint through the standard AWS
// environment, with fast retries for tests.
func withS3(endpoint string, attempts int) func(*Options) {
	return func(o *Options) {
		o.Environ = append(o.Environ, gwtest.EnvironFor(endpoint)...)
		o.ObjectStore = s3store.New(o.Environ, s3store.Settings{MaxAttempts: attempts, MaxBackoff: 50 * time.Millisecond})
	}
}

func randomFile(t *testing.T, path string, size int) []byte {
	t.Helper()
	data := make([]byte, size)
	_, _ = rand.Read(data)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return data
}

// s3Producer is a step that writes a directory output and a 20 MiB file
// output (multipart) and publishes both under prefix.
func s3Producer(t *testing.T, dir, prefix string) (*spec.Step, []byte) {
	big := randomFile(t, filepath.Join(dir, "big.src"), 20<<20)
	st := newSpec(dir, "sh", "-c", `mkdir -p out/d/sub && echo a > out/d/a.txt && echo b > out/d/sub/b.txt && : > out/d/empty && cp ../big.src out/big.bin`)
	st.Outputs = []spec.Output{
		{Name: "d", Path: "out/d", Kind: spec.KindDir, Location: prefix + "/d"},
		{Name: "big", Path: "out/big.bin", Kind: spec.KindFile, Location: prefix + "/big.bin"},
	}
	st.Manifest = prefix + "/manifest.json"
	return st, big
}

func TestS3PublishAndConsume(t *testing.T) {
	gw := gwtest.Start(t)
	bucket := gw.CreateBucket(t, "wurzel")
	dir := t.TempDir()
	producer, big := s3Producer(t, dir, "s3://wurzel/runs/run-1/work")
	wantCode(t, execSpec(t, producer, withS3(gw.Endpoint, 3)), 0)
	checkPublished(t, gw, bucket, "runs/run-1/work", big)
	if cli := gw.AWSCLI(t); cli != "" {
		out, err := gw.AWS(t, cli, "s3", "ls", "--recursive", "s3://wurzel/runs/")
		if err != nil {
			t.Logf("aws s3 ls failed, relying on the server's files: %v\n%s", err, out)
		} else {
			for _, key := range []string{"runs/run-1/work/d/a.txt", "runs/run-1/work/big.bin", "runs/run-1/work/manifest.json"} {
				if !strings.Contains(out, key) {
					t.Errorf("aws s3 ls does not list %s:\n%s", key, out)
				}
			}
		}
	}

	consumer := s3Consumer(dir, "s3://wurzel/runs/run-1/work")
	res := execSpec(t, consumer, withS3(gw.Endpoint, 3))
	wantCode(t, res, 0)
	if res.stdout != "b\n" {
		t.Errorf("consumer printed %q", res.stdout)
	}

	// An object changed behind the manifest's back is refused.
	writeFile(t, gw.ObjectPath(bucket, "runs/run-1/work/d/sub/b.txt"), "B\n")
	wantCode(t, execSpec(t, consumer, withS3(gw.Endpoint, 3)), CodeInput, "sha256")
}

// checkPublished checks that the server's own files under prefix of
// bucket hold exactly what s3Producer's step wrote, and its manifest says
// so.
func checkPublished(t *testing.T, gw *gwtest.Server, bucket, prefix string, big []byte) {
	t.Helper()
	if got := readFile(t, gw.ObjectPath(bucket, prefix+"/d/sub/b.txt")); got != "b\n" {
		t.Errorf("object d/sub/b.txt = %q", got)
	}
	if got := readFile(t, gw.ObjectPath(bucket, prefix+"/big.bin")); got != string(big) {
		t.Errorf("object big.bin differs from the output (%d bytes, want %d)", len(got), len(big))
	}
	m, err := manifest.Parse([]byte(readFile(t, gw.ObjectPath(bucket, prefix+"/manifest.json"))))
	if err != nil {
		t.Fatal(err)
	}
	if out := m.Output("big"); out == nil || out.Files[0].SHA256 != sha256Hex(big) || out.Files[0].Size != 20<<20 {
		t.Errorf("manifest entry of big = %+v", m.Output("big"))
	}
	if out := m.Output("d"); out == nil || len(out.Files) != 3 {
		t.Errorf("manifest entry of d = %+v", m.Output("d"))
	}
}

// s3Consumer is a step that takes both outputs of s3Producer's step under
// prefix as inputs, prints d/sub/b.txt and checks the rest.
func s3Consumer(dir, prefix string) *spec.Step {
	consumer := newSpec(dir, "sh", "-c", `cat in/d/sub/b.txt && [ -f in/d/empty ] && [ ! -s in/d/empty ] && cmp in/big.bin ../big.src`)
	consumer.Step = "use"
	consumer.Workdir = filepath.Join(dir, "work2")
	consumer.Manifest = filepath.Join(dir, "use.json")
	consumer.Inputs = []spec.Input{
		{Name: "d", Path: "in/d", From: &spec.Ref{Step: "work", Output: "d", Location: prefix + "/d", Manifest: prefix + "/manifest.json"}},
		{Name: "big", Path: "in/big.bin", From: &spec.Ref{Step: "work", Output: "big", Location: prefix + "/big.bin", Manifest: prefix + "/manifest.json"}},
	}
	return consumer
}

// faultProxy is a loopback reverse proxy in front of versitygw that fails
// the first failFirst requests with 503 and can hold multipart uploads.
type faultProxy struct {
	*httptest.Server
	failFirst int32
	requests  atomic.Int32
	failed    atomic.Int32
	// holdParts, when set, blocks every UploadPart request until the client
	// goes away, after closing partSeen once.
	holdParts bool
	// refuseParts, when set, answers every UploadPart request with 403.
	refuseParts bool
	// refuseChecksums, when set, answers the creation of a multipart upload
	// that asks for a checksum with 400, as a server that takes none.
	refuseChecksums bool
	// damagePart, when set, flips a byte of every part 2 on its way.
	damagePart bool
	partSeen   chan struct{}
	once       sync.Once
	stop       chan struct{}
}

func newFaultProxy(t *testing.T, target string, failFirst int32, holdParts bool) *faultProxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &faultProxy{failFirst: failFirst, holdParts: holdParts, partSeen: make(chan struct{}), stop: make(chan struct{})}
	rp := httputil.NewSingleHostReverseProxy(u)
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := p.requests.Add(1)
		if n <= p.failFirst {
			p.failed.Add(1)
			_, _ = io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = io.WriteString(w, `<Error><Code>SlowDown</Code><Message>injected</Message></Error>`)
			return
		}
		if p.refuseParts && r.URL.Query().Get("partNumber") != "" {
			_, _ = io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusForbidden)
			_, _ = io.WriteString(w, `<Error><Code>AccessDenied</Code><Message>injected</Message></Error>`)
			return
		}
		if p.refuseChecksums && r.Method == http.MethodPost && r.URL.Query().Has("uploads") && r.Header.Get("X-Amz-Checksum-Algorithm") != "" {
			_, _ = io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `<Error><Code>InvalidArgument</Code><Message>injected</Message></Error>`)
			return
		}
		if p.damagePart && r.URL.Query().Get("partNumber") == "2" {
			body, err := io.ReadAll(r.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadGateway)
				return
			}
			body[len(body)/2] ^= 1
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		if p.holdParts && r.URL.Query().Get("partNumber") != "" {
			p.once.Do(func() { close(p.partSeen) })
			// Reading the body is what notices the client going away.
			_, _ = io.Copy(io.Discard, r.Body)
			select {
			case <-r.Context().Done():
			case <-p.stop:
			}
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		close(p.stop)
		p.Close()
	})
	return p
}

// awaitPart waits until runner, started, has sent the proxy a part, and
// fails the test with its log when it does not within 30 s.
func (p *faultProxy) awaitPart(t *testing.T, runner *exec.Cmd, log func() string) {
	t.Helper()
	select {
	case <-p.partSeen:
	case <-time.After(30 * time.Second):
		_ = runner.Process.Kill()
		t.Fatalf("the runner never uploaded a part; its log:\n%s", log())
	}
}

func TestS3RetriesTransientErrors(t *testing.T) {
	gw := gwtest.Start(t)
	bucket := gw.CreateBucket(t, "wurzel")
	proxy := newFaultProxy(t, gw.Endpoint, 3, false)
	dir := t.TempDir()
	producer, big := s3Producer(t, dir, "s3://wurzel/retry")
	wantCode(t, execSpec(t, producer, withS3(proxy.URL, 5)), 0)
	if proxy.failed.Load() != 3 {
		t.Fatalf("the proxy failed %d requests, want 3", proxy.failed.Load())
	}
	if got := readFile(t, gw.ObjectPath(bucket, "retry/big.bin")); got != string(big) {
		t.Error("big.bin on the server differs from the output")
	}
	if !exists(gw.ObjectPath(bucket, "retry/manifest.json")) {
		t.Error("no manifest after retried requests")
	}
}

func TestS3PersistentErrorIsRetryable(t *testing.T) {
	gw := gwtest.Start(t)
	gw.CreateBucket(t, "wurzel")
	proxy := newFaultProxy(t, gw.Endpoint, 1<<30, false)
	dir := t.TempDir()
	producer, _ := s3Producer(t, dir, "s3://wurzel/down")
	wantCode(t, execSpec(t, producer, withS3(proxy.URL, 2)), CodeRetryable)
}

// TestKillDuringUpload kills the runner process while it uploads a
// multipart output over a previous successful run. The old manifest must be
// gone, no new one written, and a consumer must refuse the output.
func TestKillDuringUpload(t *testing.T) {
	gw := gwtest.Start(t)
	bucket := gw.CreateBucket(t, "wurzel")
	dir := t.TempDir()
	producer, _ := s3Producer(t, dir, "s3://wurzel/killed")
	wantCode(t, execSpec(t, producer, withS3(gw.Endpoint, 3)), 0)
	manifestPath := gw.ObjectPath(bucket, "killed/manifest.json")
	if !exists(manifestPath) {
		t.Fatal("the first run wrote no manifest")
	}

	proxy := newFaultProxy(t, gw.Endpoint, 0, true)
	data, err := spec.Marshal(producer)
	if err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	child := exec.Command(exe, "-test.run=^$")
	child.Dir = dir
	child.Env = append([]string{childEnv + "=1", "WURZEL_STEP_SPEC=" + string(data), "WURZEL_RUN_ID=run-2", "PATH=" + os.Getenv("PATH")},
		gwtest.EnvironFor(proxy.URL)...)
	var childLog syncBuffer
	child.Stdout, child.Stderr = &childLog, &childLog
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	proxy.awaitPart(t, child, childLog.String)
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = child.Wait()

	if exists(manifestPath) {
		t.Fatal("a manifest exists after the runner was killed during the upload")
	}
	_, err = gw.Client().HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("killed/manifest.json")})
	var notFound *types.NotFound
	if !errors.As(err, &notFound) {
		t.Fatalf("HeadObject of the manifest: %v, want not found", err)
	}
	consumer := newSpec(dir, "true")
	consumer.Step = "use"
	consumer.Workdir = filepath.Join(dir, "work2")
	consumer.Manifest = filepath.Join(dir, "use.json")
	consumer.Inputs = []spec.Input{{Name: "big", Path: "big.bin",
		From: &spec.Ref{Step: "work", Output: "big", Location: "s3://wurzel/killed/big.bin", Manifest: producer.Manifest}}}
	wantCode(t, execSpec(t, consumer, withS3(gw.Endpoint, 3)), CodeInput, "has no manifest")
}

// TestSourceFromS3 fetches a go-getter `s3::` source from versitygw, with
// credentials in the address, and checks they stay out of the logs.
func TestSourceFromS3(t *testing.T) {
	gw := gwtest.Start(t)
	bucket := gw.CreateBucket(t, "sources")
	writeFile(t, gw.ObjectPath(bucket, "data/table.csv"), "id\n1\n")
	dir := t.TempDir()
	src := "s3::" + gw.Endpoint + "/sources/data/table.csv?region=us-east-1&aws_access_key_id=" + gwtest.AccessKey +
		"&aws_access_key_secret=" + gwtest.SecretKey
	st := sourceSpec(dir, src, "table.csv", "s3", "http")
	res := execSpec(t, st)
	wantCode(t, res, 0)
	if got := readFile(t, filepath.Join(dir, "work", "table.csv")); got != "id\n1\n" {
		t.Fatalf("fetched %q", got)
	}
	if strings.Contains(res.logs, gwtest.SecretKey) {
		t.Errorf("the S3 secret key appears in the logs:\n%s", res.logs)
	}
	// Without http allowed, the same address over plain http is refused.
	wantCode(t, execSpec(t, sourceSpec(dir, src, "table.csv", "s3")), CodeInput, `"http" is not allowed`)
}

// TestSourceFromS3WithRunnerCredentials: the fetch helper gets the runner's
// environment (Options.Environ), so an `s3::` source without credentials in
// its address authenticates like the step's S3 outputs do.
func TestSourceFromS3WithRunnerCredentials(t *testing.T) {
	gw := gwtest.Start(t)
	bucket := gw.CreateBucket(t, "private")
	writeFile(t, gw.ObjectPath(bucket, "data/table.csv"), "id\n2\n")
	dir := t.TempDir()
	st := sourceSpec(dir, "s3::"+gw.Endpoint+"/private/data/table.csv?region=us-east-1", "table.csv", "s3", "http")
	// Without credentials the server refuses the download.
	wantCode(t, execSpec(t, st, withEnv("PATH="+os.Getenv("PATH"), FetchHelperEnv+"="+testFetchHelper(t),
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_EC2_METADATA_DISABLED=true")), CodeInput, "get credentials")
	res := execSpec(t, st, withS3(gw.Endpoint, 3))
	wantCode(t, res, 0)
	if got := readFile(t, filepath.Join(dir, "work", "table.csv")); got != "id\n2\n" {
		t.Fatalf("fetched %q", got)
	}
	if strings.Contains(res.logs, gwtest.SecretKey) {
		t.Errorf("the S3 secret key appears in the logs:\n%s", res.logs)
	}
}

// TestFailedUploadIsAborted: a multipart upload that a failed step leaves
// unfinished is aborted, so that its parts do not stay on the server
// (billed, and invisible to a listing of objects).
func TestFailedUploadIsAborted(t *testing.T) {
	gw := gwtest.Start(t)
	bucket := gw.CreateBucket(t, "wurzel")
	uploads := func() int {
		out, err := gw.Client().ListMultipartUploads(context.Background(), &s3.ListMultipartUploadsInput{Bucket: aws.String(bucket)})
		if err != nil {
			t.Fatal(err)
		}
		return len(out.Uploads)
	}

	// The server refuses the parts.
	refusing := newFaultProxy(t, gw.Endpoint, 0, false)
	refusing.refuseParts = true
	dir := t.TempDir()
	producer, _ := s3Producer(t, dir, "s3://wurzel/refused")
	wantCode(t, execSpec(t, producer, withS3(refusing.URL, 2)), CodeOutput)
	if n := uploads(); n != 0 {
		t.Errorf("%d multipart uploads left after the server refused the parts", n)
	}

	// The step is cancelled while parts are on their way.
	holding := newFaultProxy(t, gw.Endpoint, 0, true)
	dir = t.TempDir()
	producer, _ = s3Producer(t, dir, "s3://wurzel/cancelled")
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-holding.partSeen
		cancel()
	}()
	res := execSpecCtx(t, ctx, producer, withS3(holding.URL, 2))
	if res.code == 0 {
		t.Fatal("a cancelled upload succeeded")
	}
	if n := uploads(); n != 0 {
		t.Errorf("%d multipart uploads left after the step was cancelled", n)
	}
}

// TestS3DamagedPartIsRefused: a part damaged between the runner and the
// server fails its CRC32C there: the step fails, publishes no object and
// leaves no multipart upload unfinished.
func TestS3DamagedPartIsRefused(t *testing.T) {
	gw := gwtest.Start(t)
	bucket := gw.CreateBucket(t, "wurzel")
	proxy := newFaultProxy(t, gw.Endpoint, 0, false)
	proxy.damagePart = true
	dir := t.TempDir()
	producer, _ := s3Producer(t, dir, "s3://wurzel/damaged")
	wantCode(t, execSpec(t, producer, withS3(proxy.URL, 2)), CodeOutput)
	if exists(gw.ObjectPath(bucket, "damaged/big.bin")) {
		t.Error("an object was completed from a damaged part")
	}
	out, err := gw.Client().ListMultipartUploads(context.Background(), &s3.ListMultipartUploadsInput{Bucket: aws.String(bucket)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Uploads) != 0 {
		t.Errorf("%d multipart uploads left unfinished", len(out.Uploads))
	}
}

// TestS3ServerWithoutChecksums: a server that refuses a multipart upload
// with a checksum gets it without one, and the step publishes as usual.
func TestS3ServerWithoutChecksums(t *testing.T) {
	gw := gwtest.Start(t)
	bucket := gw.CreateBucket(t, "wurzel")
	proxy := newFaultProxy(t, gw.Endpoint, 0, false)
	proxy.refuseChecksums = true
	dir := t.TempDir()
	producer, big := s3Producer(t, dir, "s3://wurzel/plain")
	wantCode(t, execSpec(t, producer, withS3(proxy.URL, 2)), 0)
	checkPublished(t, gw, bucket, "plain", big)
}
