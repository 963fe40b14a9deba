package gwtest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/wurzel-dev/wurzel/internal/testtool"
)

// Credentials of the test server; they protect nothing but loopback data.
const (
	AccessKey = "wurzel-test-access"
	SecretKey = "wurzel-test-secret-key"
	Region    = "us-east-1"
)

// Server is a running versitygw.
type Server struct {
	// Endpoint is http://127.0.0.1:PORT.
	Endpoint string
	// Dir is the posix back end's root: bucket b's object k is Dir/b/k.
	Dir string

	pid int
}

// Binary returns the versitygw executable from PATH or $(go env GOPATH)/bin.
// It skips t when there is none, or fails it when CI is set.
func Binary(t testing.TB) string {
	t.Helper()
	return tool(t, "versitygw", "github.com/versity/versitygw/cmd/versitygw@v1.8.0")
}

// tool returns the executable name from PATH or $(go env GOPATH)/bin, where
// `go install pkg` puts it. It skips t when there is none, or fails it when
// CI is set.
func tool(t testing.TB, name, pkg string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		for _, dir := range filepath.SplitList(strings.TrimSpace(string(out))) {
			p := filepath.Join(dir, "bin", name)
			if fi, err := os.Stat(p); err == nil && fi.Mode()&0o111 != 0 {
				return p
			}
		}
	}
	testtool.Missing(t, "%s is not installed; install it with go install %s", name, pkg)
	return ""
}

// Start runs versitygw on a free loopback port until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := Binary(t)
	dir := t.TempDir()
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	s := &Server{Endpoint: "http://" + addr, Dir: dir}
	s.pid = serve(t, s.Endpoint+"/", bin, "--port", addr, "--access", AccessKey, "--secret", SecretKey, "posix", dir)
	return s
}

// serve runs bin with args until the test ends, its output in a log file,
// waits until readyURL answers, and returns its process id.
func serve(t testing.TB, readyURL, bin string, args ...string) int {
	t.Helper()
	logf, err := os.Create(filepath.Join(t.TempDir(), filepath.Base(bin)+".log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		logf.Close()
	})
	waitReady(t, readyURL, logf.Name())
	return cmd.Process.Pid
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func waitReady(t testing.TB, endpoint, logPath string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(endpoint)
		if err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	log, _ := os.ReadFile(logPath)
	t.Fatalf("%s did not answer within 20s; its log:\n%s", endpoint, log)
}

// Environ is the standard AWS environment pointing at the server.
func (s *Server) Environ() []string {
	return EnvironFor(s.Endpoint)
}

// EnvironFor is the standard AWS environment with the test credentials and
// endpoint (a proxy in front of the server, say).
func EnvironFor(endpoint string) []string {
	return []string{
		"AWS_ACCESS_KEY_ID=" + AccessKey,
		"AWS_SECRET_ACCESS_KEY=" + SecretKey,
		"AWS_REGION=" + Region,
		"AWS_ENDPOINT_URL_S3=" + endpoint,
		// Keep the SDK and the aws CLI away from the user's own files.
		"AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"AWS_EC2_METADATA_DISABLED=true",
	}
}

// Client returns an S3 client for the server.
func (s *Server) Client() *s3.Client {
	return s3.New(s3.Options{
		Region:       Region,
		BaseEndpoint: aws.String(s.Endpoint),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(AccessKey, SecretKey, ""),
	})
}

// CreateBucket makes a bucket and returns its name.
func (s *Server) CreateBucket(t testing.TB, name string) string {
	t.Helper()
	_, err := s.Client().CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)})
	if err != nil {
		t.Fatalf("creating bucket %s: %v", name, err)
	}
	return name
}

// ObjectPath is where the posix back end keeps object key of bucket.
func (s *Server) ObjectPath(bucket, key string) string {
	return filepath.Join(s.Dir, bucket, filepath.FromSlash(key))
}

// AWSCLI returns the aws command when it is installed and can talk to the
// server, or "" (tests then rely on the server's files alone).
func (s *Server) AWSCLI(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("aws")
	if err != nil {
		return ""
	}
	cmd := exec.Command(p, "--version")
	if err := cmd.Run(); err != nil {
		return ""
	}
	return p
}

// AWS runs the aws CLI against the server and returns its output.
func (s *Server) AWS(t testing.TB, cli string, args ...string) (string, error) {
	t.Helper()
	args = append(args, "--endpoint-url", s.Endpoint)
	cmd := exec.Command(cli, args...)
	cmd.Env = append(os.Environ(), s.Environ()...)
	cmd.Env = append(cmd.Env, "AWS_DEFAULT_REGION="+Region)
	out, err := cmd.CombinedOutput()
	return string(out), err
}
