package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wurzel-dev/wurzel/internal/testbin"
	"github.com/wurzel-dev/wurzel/runner/manifest"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

// childEnv makes the test binary act as `wurzel step exec` for the fault
// tests, which kill the runner as a real process.
const childEnv = "WURZEL_RUNNER_TEST_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		st, err := spec.Parse([]byte(os.Getenv("WURZEL_STEP_SPEC")))
		if err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(CodeBadSpec)
		}
		// Like wurzel step exec: SIGTERM stops the step.
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
		code := ExitCode(Exec(ctx, st, Options{}))
		stop()
		os.Exit(code)
	}
	code := m.Run()
	testbin.Cleanup()
	os.Exit(code)
}

// syncBuffer is a bytes.Buffer safe for the command's and the logger's
// concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// result is what one Exec left behind.
type result struct {
	err    error
	code   int
	logs   string
	stdout string
	stderr string
}

// newSpec returns a minimal valid spec: one step that runs argv in a work
// directory under dir, publishing nothing, with its manifest in dir.
func newSpec(dir string, argv ...string) *spec.Step {
	return &spec.Step{
		Version:  spec.Version,
		Pipeline: "demo",
		Step:     "work",
		Command:  argv,
		Workdir:  filepath.Join(dir, "work"),
		Manifest: filepath.Join(dir, "store", "work", "manifest.json"),
		Sources:  spec.SourcePolicy{AllowedSchemes: []string{"file", "http"}},
	}
}

// execSpec runs st in-process with logs captured as JSON, after a round trip
// through the spec's JSON form (what back ends actually hand over).
func execSpec(t *testing.T, st *spec.Step, configure ...func(*Options)) result {
	t.Helper()
	return execSpecCtx(t, context.Background(), st, configure...)
}

func execSpecCtx(t *testing.T, ctx context.Context, st *spec.Step, configure ...func(*Options)) result {
	t.Helper()
	data, err := spec.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := spec.Parse(data)
	if err != nil {
		t.Fatalf("spec does not round-trip: %v", err)
	}
	var logs, stdout, stderr syncBuffer
	opts := Options{
		RunID:     "run-1",
		Stdout:    &stdout,
		Stderr:    &stderr,
		Logger:    slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Environ:   []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")},
		KillGrace: 2 * time.Second,
	}
	if st.Workdir != "" {
		opts.Dir = filepath.Dir(st.Workdir)
	}
	if hasSource(st) {
		// The real fetch helper, built beside a real wurzel binary.
		opts.Environ = append(opts.Environ, FetchHelperEnv+"="+testFetchHelper(t))
	}
	for _, c := range configure {
		c(&opts)
	}
	err = Exec(ctx, parsed, opts)
	res := result{err: err, code: ExitCode(err), logs: logs.String(), stdout: stdout.String(), stderr: stderr.String()}
	if f, ok := opts.Stdout.(*os.File); ok {
		res.stdout = readFile(t, f.Name())
	}
	if f, ok := opts.Stderr.(*os.File); ok {
		res.stderr = readFile(t, f.Name())
	}
	checkLogLines(t, res.logs)
	return res
}

// eachStart runs test twice: with the command's streams as buffers, which
// os/exec copies through pipes, and as files, which the runner passes to a
// command it starts itself (package spawn, on Linux). start configures the
// second; it does nothing in the first.
func eachStart(t *testing.T, test func(t *testing.T, start func(*Options))) {
	t.Run("pipes", func(t *testing.T) { test(t, func(*Options) {}) })
	t.Run("files", func(t *testing.T) {
		dir := t.TempDir()
		stdout, stderr := createFile(t, filepath.Join(dir, "stdout")), createFile(t, filepath.Join(dir, "stderr"))
		test(t, func(o *Options) { o.Stdout, o.Stderr = stdout, stderr })
	})
}

// createFile creates path, closed when the test ends.
func createFile(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// testFetchHelper is the real fetch helper, built beside a real wurzel.
func testFetchHelper(t testing.TB) string {
	t.Helper()
	return testbin.FetchHelper(t)
}

func hasSource(st *spec.Step) bool {
	for _, in := range st.Inputs {
		if in.Source != "" {
			return true
		}
	}
	return false
}

// checkLogLines asserts every log line is one JSON object.
func checkLogLines(t *testing.T, logs string) {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		if line == "" {
			continue
		}
		var v map[string]any
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Errorf("log line is not JSON: %q", line)
		}
	}
}

func wantCode(t *testing.T, res result, code int, contains ...string) {
	t.Helper()
	if res.code != code {
		t.Fatalf("exit code = %d, want %d; err = %v\nlogs:\n%s\nstderr:\n%s", res.code, code, res.err, res.logs, res.stderr)
	}
	for _, s := range contains {
		if res.err == nil || !strings.Contains(res.err.Error(), s) {
			t.Errorf("error %q does not mention %q", res.err, s)
		}
	}
}

func readManifest(t *testing.T, path string) *manifest.Manifest {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading manifest: %v", err)
	}
	m, err := manifest.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeExecutable writes a program for a test to run. It holds
// syscall.ForkLock while the file is open for writing: a fork in another
// goroutine (a guardian still starting after the last step failed early)
// would otherwise hold the descriptor until its exec, and running the
// program then fails with "text file busy" (go.dev/issue/22315).
func writeExecutable(t *testing.T, path, content string) {
	t.Helper()
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	if err := os.WriteFile(path, []byte(content), 0o755); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}
