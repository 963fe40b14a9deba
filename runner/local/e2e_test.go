package local_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wurzel-dev/wurzel/internal/gwtest"
	"github.com/wurzel-dev/wurzel/internal/podmantest"
	"github.com/wurzel-dev/wurzel/internal/testbin"
	"github.com/wurzel-dev/wurzel/internal/testtool"
	"github.com/wurzel-dev/wurzel/runner/local"
)

// These tests drive the real CLI: a wurzel binary built once per test run,
// running real `wurzel step exec` runners and Python step programs.

// wurzelBin is the binary under test, built on first use so that the unit
// tests of this package do not wait for it.
var wurzelBin string

func TestMain(m *testing.M) {
	code := m.Run()
	podmantest.Cleanup()
	testbin.Cleanup()
	os.Exit(code)
}

// buildWurzel builds cmd/wurzel and its fetch helper once per test binary.
func buildWurzel(t testing.TB) {
	t.Helper()
	wurzelBin = testbin.Wurzel(t)
}

// needPython skips a test without python3, except in CI where it must fail.
func needPython(t testing.TB) {
	t.Helper()
	testtool.Need(t, "python3", "Debian package python3")
}

// project is a pipeline directory for one test.
type project struct {
	t   testing.TB
	dir string
	// env is wurzel's environment; nil means this process's.
	env []string
}

// newProject writes the pipeline source (with @DIR@ replaced by the project
// directory) and the step tool into a fresh directory.
func newProject(t testing.TB, source string) *project {
	t.Helper()
	needPython(t)
	buildWurzel(t)
	p := &project{t: t, dir: t.TempDir()}
	tool, err := os.ReadFile(filepath.Join("testdata", "tool.py"))
	if err != nil {
		t.Fatal(err)
	}
	p.write("tool.py", string(tool))
	p.write("pipeline.wurzel.hcl", source)
	return p
}

func (p *project) path(rel string) string { return filepath.Join(p.dir, rel) }

func (p *project) write(rel, content string) {
	p.t.Helper()
	content = strings.ReplaceAll(content, "@DIR@", p.dir)
	if err := os.MkdirAll(filepath.Dir(p.path(rel)), 0o755); err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(p.path(rel), []byte(content), 0o644); err != nil {
		p.t.Fatal(err)
	}
}

type runResult struct {
	stdout, stderr string
	code           int
}

func (p *project) command(args ...string) *exec.Cmd {
	cmd := exec.Command(wurzelBin, append([]string{"run", p.dir}, args...)...)
	env := p.env
	if env == nil {
		env = os.Environ()
	}
	cmd.Env = append(env[:len(env):len(env)], "WURZEL_EXECUTABLE="+wurzelBin)
	return cmd
}

// run runs `wurzel run DIR ARGS...`.
func (p *project) run(args ...string) runResult {
	p.t.Helper()
	cmd := p.command(args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := runResult{stdout: stdout.String(), stderr: stderr.String()}
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			p.t.Fatal(err)
		}
		res.code = ee.ExitCode()
	}
	return res
}

// mustRun runs and fails the test unless wurzel exits 0.
func (p *project) mustRun(args ...string) runResult {
	p.t.Helper()
	res := p.run(args...)
	if res.code != 0 {
		p.t.Fatalf("wurzel run %v: exit %d\nstdout:\n%s\nstderr:\n%s", args, res.code, res.stdout, res.stderr)
	}
	return res
}

// statuses parses the summary table into step -> status.
func statuses(t testing.TB, stdout string) map[string]string {
	t.Helper()
	out := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(stdout))
	header := false
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) > 0 && fields[0] == "STEP" {
			header = true
			continue
		}
		if !header || len(fields) < 4 || strings.HasPrefix(sc.Text(), "run ") {
			continue
		}
		// Statuses may be two words ("not started").
		out[fields[0]] = strings.Join(fields[1:len(fields)-2], " ")
	}
	return out
}

// upToDateSteps is the number of steps the one-line summary of a run that
// found every step up to date names, or -1 when the run printed a table.
func upToDateSteps(stdout string) int {
	m := upToDateSummary.FindStringSubmatch(stdout)
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

var upToDateSummary = regexp.MustCompile(`(?m)\Arun \S+ ok: ([0-9]+) skipped, every step up to date\n\z`)

func wantStatuses(t testing.TB, res runResult, want map[string]string) {
	t.Helper()
	if n := upToDateSteps(res.stdout); n >= 0 {
		for step, st := range want {
			if st != "skipped" {
				t.Errorf("step %s: every step was up to date, want %q\nstdout:\n%s", step, st, res.stdout)
			}
		}
		if n != len(want) {
			t.Errorf("summary says %d steps were up to date, want %d:\n%s", n, len(want), res.stdout)
		}
		return
	}
	got := statuses(t, res.stdout)
	for step, st := range want {
		if got[step] != st {
			t.Errorf("step %s: status %q, want %q\nstdout:\n%s\nstderr:\n%s", step, got[step], st, res.stdout, res.stderr)
		}
	}
	if len(got) != len(want) {
		t.Errorf("summary has %d steps, want %d:\n%s", len(got), len(want), res.stdout)
	}
}

// events reads the tool's --log file: step -> event -> times.
type marker struct {
	step, event string
	at          int64
}

func (p *project) events() []marker {
	p.t.Helper()
	data, err := os.ReadFile(p.path("events.log"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		p.t.Fatal(err)
	}
	var out []marker
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 {
			p.t.Fatalf("bad event line %q", line)
		}
		at, _ := strconv.ParseInt(f[2], 10, 64)
		out = append(out, marker{f[0], f[1], at})
	}
	return out
}

// starts counts the runs of each step.
func (p *project) starts() map[string]int {
	n := map[string]int{}
	for _, e := range p.events() {
		if e.event == "start" {
			n[e.step]++
		}
	}
	return n
}

// lock reads wurzel.lock.
func (p *project) lock() *local.Lock {
	p.t.Helper()
	l, err := local.ReadLock(p.path("wurzel.lock"))
	if err != nil {
		p.t.Fatal(err)
	}
	return l
}

// output returns the content of a step's output as the lock records it.
func (p *project) output(step, name string) string {
	p.t.Helper()
	rec := p.lock().Steps[step]
	if rec == nil {
		p.t.Fatalf("lock has no step %s", step)
	}
	loc := rec.Outputs[name].Location
	if !filepath.IsAbs(loc) {
		loc = p.path(loc)
	}
	data, err := os.ReadFile(loc)
	if err != nil {
		p.t.Fatal(err)
	}
	return string(data)
}

const diamond = `
pipeline "diamond" {
  sources { allowed_schemes = ["file"] }
}

step "a" {
  command = ["python3", "-c", file("tool.py"), "--log", "@DIR@/events.log"]
  input "seed" { source = "./seed.txt" }
  output "out" { path = "out/a.txt" }
}

# b and c each wait for the other to have started: they can only finish
# when they run at the same time.
step "b" {
  command = ["python3", "-c", file("tool.py"), "--log", "@DIR@/events.log",
             "--touch", "@DIR@/b.started", "--wait-for", "@DIR@/c.started"]
  input "x" { from = step.a.output.out }
  output "out" { path = "out/b.txt" }
}

step "c" {
  command = ["python3", "-c", file("tool.py"), "--log", "@DIR@/events.log",
             "--touch", "@DIR@/c.started", "--wait-for", "@DIR@/b.started"]
  input "x" { from = step.a.output.out }
  output "out" { path = "out/c.txt" }
}

step "d" {
  command = ["python3", "-c", file("tool.py"), "--log", "@DIR@/events.log"]
  input "left" { from = step.b.output.out }
  input "right" { from = step.c.output.out }
  output "out" { path = "out/d.txt" }
}
`

func TestDiamondRunsInParallelThenSkips(t *testing.T) {
	p := newProject(t, diamond)
	p.write("seed.txt", "seed\n")
	res := p.mustRun("-j", "2")
	wantStatuses(t, res, map[string]string{"a": "succeeded", "b": "succeeded", "c": "succeeded", "d": "succeeded"})

	// Overlap from the steps' own markers: each of b and c started before
	// the other ended.
	at := map[string]int64{}
	for _, e := range p.events() {
		at[e.step+" "+e.event] = e.at
	}
	if !(at["b start"] < at["c end"] && at["c start"] < at["b end"]) {
		t.Errorf("b and c did not overlap: %v", at)
	}
	if !(at["a end"] < at["b start"] && at["a end"] < at["c start"] && at["b end"] < at["d start"] && at["c end"] < at["d start"]) {
		t.Errorf("dependency order violated: %v", at)
	}
	if got, want := p.output("d", "out"), "d\nb\na\nseed\nc\na\nseed\n"; got != want {
		t.Errorf("d's output = %q, want %q", got, want)
	}

	// A second run skips everything and runs no command.
	res = p.mustRun("-j", "2")
	wantStatuses(t, res, map[string]string{"a": "skipped", "b": "skipped", "c": "skipped", "d": "skipped"})
	if n := p.starts(); n["a"] != 1 || n["b"] != 1 || n["c"] != 1 || n["d"] != 1 {
		t.Errorf("second run started commands: %v", n)
	}
}

const twoChains = `
pipeline "chains" {
  sources { allowed_schemes = ["file"] }
}

step "a" {
  command = ["python3", "-c", file("tool.py"), "--log", "@DIR@/events.log"]
  input "x" { source = "./x.txt" }
  output "out" { path = "a.txt" }
}

step "b" {
  command = ["python3", "-c", file("tool.py"), "--log", "@DIR@/events.log"]
  input "y" { source = "./y.txt" }
  output "out" { path = "b.txt" }
}

step "c" {
  command = ["python3", "-c", file("tool.py"), "--log", "@DIR@/events.log"]
  settings = { level = 1 }
  input "in" { from = step.a.output.out }
  output "out" { path = "c.txt" }
}

step "d" {
  command = ["python3", "-c", file("tool.py"), "--log", "@DIR@/events.log"]
  input "in" { from = step.b.output.out }
  output "out" { path = "d.txt" }
}

step "e" {
  command = ["python3", "-c", file("tool.py"), "--log", "@DIR@/events.log"]
  input "left" { from = step.c.output.out }
  input "right" { from = step.d.output.out }
  output "out" { path = "e.txt" }
}
`

func TestChangedInputRerunsExactlyTheAffectedSteps(t *testing.T) {
	p := newProject(t, twoChains)
	p.write("x.txt", "x1\n")
	p.write("y.txt", "y1\n")
	p.mustRun()

	p.write("x.txt", "x2\n")
	dry := p.mustRun("--dry-run")
	for _, want := range []string{"a      run     input x changed", "b      skip    up to date", "c      run     upstream a re-runs", "d      skip    up to date", "e      run     upstream c re-runs"} {
		if !strings.Contains(collapse(dry.stdout), collapse(want)) {
			t.Errorf("dry run lacks %q:\n%s", want, dry.stdout)
		}
	}
	if n := p.starts(); n["a"] != 1 {
		t.Errorf("--dry-run ran steps: %v", n)
	}

	res := p.mustRun()
	wantStatuses(t, res, map[string]string{"a": "succeeded", "b": "skipped", "c": "succeeded", "d": "skipped", "e": "succeeded"})
	if got, want := p.output("e", "out"), "e\nc\na\nx2\nd\nb\ny1\n"; got != want {
		t.Errorf("e's output = %q, want %q", got, want)
	}
	// Only the runs the lock points at stay in the store: the first (b, d)
	// and the last (a, c, e).
	runs, _ := os.ReadDir(p.path(".wurzel/runs"))
	if len(runs) != 2 {
		t.Errorf("store keeps %d runs, want 2", len(runs))
	}
}

func TestDryRunReasons(t *testing.T) {
	p := newProject(t, twoChains)
	p.write("x.txt", "x1\n")
	p.write("y.txt", "y1\n")
	dry := p.mustRun("-n")
	if !strings.Contains(dry.stdout, "never run") {
		t.Errorf("first dry run does not say never run:\n%s", dry.stdout)
	}
	if _, err := os.Stat(p.path("wurzel.lock")); !os.IsNotExist(err) {
		t.Errorf("a dry run wrote the lock file (%v)", err)
	}
	p.mustRun()

	// A setting and a command change.
	src := strings.Replace(twoChains, "level = 1", "level = 2", 1)
	src = strings.Replace(src, `input "y" { source = "./y.txt" }`, `input "y" { source = "./y.txt" }`+"\n  env = { MODE = \"fast\" }", 1)
	p.write("pipeline.wurzel.hcl", src)
	dry = p.mustRun("--dry-run")
	for _, want := range []string{"a run", "b run env changed", "c run settings changed", "d run upstream b re-runs", "e run upstream c re-runs, upstream d re-runs"} {
		if want == "a run" {
			if strings.Contains(collapse(dry.stdout), "a run") {
				t.Errorf("a would run:\n%s", dry.stdout)
			}
			continue
		}
		if !strings.Contains(collapse(dry.stdout), want) {
			t.Errorf("dry run lacks %q:\n%s", want, dry.stdout)
		}
	}
	p.write("pipeline.wurzel.hcl", strings.Replace(twoChains, `"--log", "@DIR@/events.log"]
  input "x"`, `"--log", "@DIR@/events.log", "--verbose"]
  input "x"`, 1))
	dry = p.mustRun("--dry-run")
	if !strings.Contains(collapse(dry.stdout), "a run command changed") {
		t.Errorf("dry run does not say command changed:\n%s", dry.stdout)
	}
	dry = p.mustRun("--dry-run", "--store", p.path("elsewhere"))
	if !strings.Contains(collapse(dry.stdout), "b run store changed") {
		t.Errorf("dry run with another store:\n%s", dry.stdout)
	}
	dry = p.mustRun("--dry-run", "--force=b,d")
	for _, want := range []string{"b run forced", "d run forced"} {
		if !strings.Contains(collapse(dry.stdout), want) {
			t.Errorf("dry run lacks %q:\n%s", want, dry.stdout)
		}
	}
}

// collapse squeezes runs of spaces, to compare table rows.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

const withFailure = `
pipeline "failing" {}

step "a" {
  command = ["python3", "-c", file("tool.py"), "--log", "@DIR@/events.log", "--fail"]
  output "out" { path = "a.txt" }
}

step "b" {
  command = ["python3", "-c", file("tool.py"), "--log", "@DIR@/events.log"]
  output "out" { path = "b.txt" }
}

step "c" {
  command = ["python3", "-c", file("tool.py"), "--log", "@DIR@/events.log"]
  input "in" { from = step.a.output.out }
  output "out" { path = "c.txt" }
}

step "d" {
  command = ["python3", "-c", file("tool.py"), "--log", "@DIR@/events.log"]
  depends_on = [step.c]
}
`

func TestFailureStopsDependentsAndKeepGoingRunsTheRest(t *testing.T) {
	p := newProject(t, withFailure)
	res := p.run("-j", "1")
	if res.code != 1 {
		t.Fatalf("exit %d, want 1\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	wantStatuses(t, res, map[string]string{"a": "failed", "b": "not started", "c": "blocked", "d": "blocked"})
	if !strings.Contains(res.stderr, "failing on purpose") {
		t.Errorf("the failure's stderr is not shown:\n%s", res.stderr)
	}
	if n := p.starts(); n["b"]+n["c"]+n["d"] != 0 {
		t.Errorf("steps ran after the failure: %v", n)
	}

	res = p.run("-j", "1", "--keep-going")
	if res.code != 1 {
		t.Fatalf("exit %d, want 1", res.code)
	}
	wantStatuses(t, res, map[string]string{"a": "failed", "b": "succeeded", "c": "blocked", "d": "blocked"})
	if n := p.starts(); n["b"] != 1 || n["c"]+n["d"] != 0 {
		t.Errorf("--keep-going ran %v", n)
	}
	if l := p.lock(); l.Steps["a"] != nil || l.Steps["b"] == nil {
		t.Errorf("lock records a=%v b=%v; want only b", l.Steps["a"] != nil, l.Steps["b"] != nil)
	}
}

const withSecret = `
pipeline "secretive" {}

secret "api" {
  keys = ["token"]
  local { dir = "secrets/api" }
}

step "a" {
  command = ["python3", "-c", file("tool.py"), "--log", "@DIR@/events.log"]
  output "out" { path = "a.txt" }
}

step "b" {
  command = ["python3", "-c", file("tool.py"), "--log", "@DIR@/events.log"]
  secrets = [secret.api]
  input "in" { from = step.a.output.out }
  output "out" { path = "b.txt" }
}
`

func TestMissingSecretFailsBeforeAnyStep(t *testing.T) {
	p := newProject(t, withSecret)
	res := p.run()
	if res.code != 1 {
		t.Fatalf("exit %d, want 1\n%s", res.code, res.stderr)
	}
	if !strings.Contains(res.stderr, "secret api") || !strings.Contains(res.stderr, "secrets/api") {
		t.Errorf("the error does not name the secret and where it was looked for:\n%s", res.stderr)
	}
	if n := p.starts(); len(n) != 0 {
		t.Errorf("steps ran: %v", n)
	}

	const value = "s3cr3t-value-never-shown"
	p.write("secrets/api/token", value)
	res = p.mustRun()
	wantStatuses(t, res, map[string]string{"a": "succeeded", "b": "succeeded"})
	lock, _ := os.ReadFile(p.path("wurzel.lock"))
	if strings.Contains(res.stdout+res.stderr+string(lock), value) {
		t.Error("the secret value leaked into the output or the lock file")
	}
}

const killable = `
pipeline "killable" {}

step "a" {
  command = ["python3", "-c", file("tool.py"), "--log", "@DIR@/events.log"]
  output "out" { path = "a.txt" }
}

step "b" {
  command = ["python3", "-c", file("tool.py"), "--log", "@DIR@/events.log",
             "--touch", "@DIR@/b.started", "--wait-for", "@DIR@/go"]
  input "in" { from = step.a.output.out }
  output "out" { path = "b.txt" }
}

step "c" {
  command = ["python3", "-c", file("tool.py"), "--log", "@DIR@/events.log"]
  input "in" { from = step.b.output.out }
  output "out" { path = "c.txt" }
}
`

func TestSIGKILLThenRerunCompletes(t *testing.T) {
	p := newProject(t, killable)
	cmd := p.command()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill wurzel while b is half-way: its output says PARTIAL and has no
	// manifest, and a is recorded.
	waitFor(t, func() bool {
		_, err := os.Stat(p.path("b.started"))
		return err == nil && p.lock().Steps["a"] != nil
	})
	cmd.Process.Kill()
	cmd.Wait()
	if l := p.lock(); l.Steps["b"] != nil || l.Steps["a"] == nil {
		t.Fatalf("after SIGKILL the lock records a=%v b=%v", l.Steps["a"] != nil, l.Steps["b"] != nil)
	}

	p.write("go", "")
	res := p.mustRun()
	wantStatuses(t, res, map[string]string{"a": "skipped", "b": "succeeded", "c": "succeeded"})
	if got, want := p.output("c", "out"), "c\nb\na\n"; got != want {
		t.Errorf("c's output = %q, want %q", got, want)
	}
}

const slow = `
pipeline "slow" {}

step "a" {
  command = ["python3", "-c", file("tool.py"), "--log", "@DIR@/events.log",
             "--touch", "@DIR@/a.started", "--wait-for", "@DIR@/never"]
  output "out" { path = "a.txt" }
}

step "b" {
  command = ["python3", "-c", file("tool.py"), "--log", "@DIR@/events.log"]
  input "in" { from = step.a.output.out }
  output "out" { path = "b.txt" }
}
`

func TestInterruptStopsRunningSteps(t *testing.T) {
	p := newProject(t, slow)
	cmd := p.command("--grace-period", "5s")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { _, err := os.Stat(p.path("a.started")); return err == nil })
	// A second run of the same pipeline meanwhile is refused.
	if second := p.run(); second.code != 1 || !strings.Contains(second.stderr, "in use by another wurzel run") {
		t.Errorf("concurrent run: exit %d\n%s", second.code, second.stderr)
	}
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 130 {
		t.Fatalf("exit %v, want 130\n%s\n%s", err, stdout.String(), stderr.String())
	}
	wantStatuses(t, runResult{stdout: stdout.String(), stderr: stderr.String()}, map[string]string{"a": "cancelled", "b": "blocked"})
	if _, err := os.Stat(p.path("wurzel.lock")); !os.IsNotExist(err) {
		t.Errorf("the lock records an interrupted step (%v)", err)
	}
}

func TestExampleRunsEndToEnd(t *testing.T) {
	needPython(t)
	buildWurzel(t)
	dir := t.TempDir()
	src := filepath.Join("..", "..", "examples", "rag-ingest")
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(filepath.Join(dir, ".wurzel"))
	os.Remove(filepath.Join(dir, "wurzel.lock"))
	p := &project{t: t, dir: dir}
	res := p.mustRun()
	wantStatuses(t, res, map[string]string{"read": "succeeded", "split": "succeeded", "embed": "succeeded", "index": "succeeded"})
	var index struct {
		Index struct {
			Dim    int `json:"dim"`
			Chunks []struct {
				Doc    string    `json:"doc"`
				Vector []float64 `json:"vector"`
			} `json:"chunks"`
		} `json:"index"`
		Signature struct {
			Value string `json:"value"`
		} `json:"signature"`
	}
	data := p.output("index", "index")
	if err := json.Unmarshal([]byte(data), &index); err != nil {
		t.Fatalf("index is not JSON: %v", err)
	}
	if index.Index.Dim != 16 || len(index.Index.Chunks) == 0 || len(index.Index.Chunks[0].Vector) != 16 || len(index.Signature.Value) != 64 {
		t.Errorf("unexpected index: dim %d, %d chunks, signature %q", index.Index.Dim, len(index.Index.Chunks), index.Signature.Value)
	}
	token, err := os.ReadFile(filepath.Join(dir, "secrets", "index-token", "token"))
	if err != nil {
		t.Fatal(err)
	}
	lock, _ := os.ReadFile(p.path("wurzel.lock"))
	secretValue := strings.TrimSpace(string(token))
	if strings.Contains(data+string(lock)+res.stdout+res.stderr, secretValue) {
		t.Error("the demo token leaked into the index, the lock or the output")
	}

	res = p.mustRun()
	wantStatuses(t, res, map[string]string{"read": "skipped", "split": "skipped", "embed": "skipped", "index": "skipped"})

	// A smaller chunk size re-runs split and what depends on it, not read.
	res = p.mustRun("--var", "chunk_tokens=32")
	wantStatuses(t, res, map[string]string{"read": "skipped", "split": "succeeded", "embed": "succeeded", "index": "succeeded"})
}

// waitFor polls cond until it holds; the test fails after a minute.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached within a minute")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

const flaky = `
pipeline "flaky" {}

step "a" {
  command = ["python3", "-c", file("tool.py"), "--log", "@DIR@/events.log", "--fail-once", "@DIR@/a.failed"]
  output "out" { path = "a.txt" }
  retry { attempts = 2 }
}

step "b" {
  command = ["python3", "-c", file("tool.py"), "--log", "@DIR@/events.log", "--fail-once", "@DIR@/b.failed"]
  output "out" { path = "b.txt" }
  retry {
    attempts = 2
    policy   = "on_transient_error"
  }
}
`

func TestRetryFollowsThePolicy(t *testing.T) {
	p := newProject(t, flaky)
	res := p.run("--keep-going")
	if res.code != 1 {
		t.Fatalf("exit %d, want 1\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	// a fails once and is retried; b's failure is the command's own, not
	// a transient one, so it is not.
	wantStatuses(t, res, map[string]string{"a": "succeeded", "b": "failed"})
	if n := p.starts(); n["a"] != 2 || n["b"] != 1 {
		t.Errorf("starts = %v, want a twice and b once", n)
	}
	if got := p.output("a", "out"); got != "a\n" {
		t.Errorf("a's output = %q", got)
	}
}

const s3Chain = `
pipeline "remote" {}

step "a" {
  command = ["python3", "-c", file("tool.py"), "--log", "@DIR@/events.log"]
  output "out" { path = "out/a" }
}

step "b" {
  command = ["python3", "-c", file("tool.py"), "--log", "@DIR@/events.log"]
  input "in" { from = step.a.output.out }
  output "out" { path = "b.txt" }
}
`

func TestS3Store(t *testing.T) {
	gw := gwtest.Start(t)
	bucket := gw.CreateBucket(t, "wurzel")
	p := newProject(t, s3Chain)
	run := func(args ...string) runResult {
		cmd := p.command(append([]string{"--store", "s3://wurzel/pipelines/remote"}, args...)...)
		cmd.Env = append(cmd.Env, gw.Environ()...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		res := runResult{stdout: stdout.String(), stderr: stderr.String()}
		if ee, ok := err.(*exec.ExitError); ok {
			res.code = ee.ExitCode()
		}
		if res.code != 0 || (err != nil && res.code == 0) {
			t.Fatalf("wurzel run: %v\n%s\n%s", err, res.stdout, res.stderr)
		}
		return res
	}
	wantStatuses(t, run(), map[string]string{"a": "succeeded", "b": "succeeded"})
	l := p.lock()
	rec := l.Steps["b"]
	if rec == nil || !strings.HasPrefix(rec.Manifest, "s3://wurzel/pipelines/remote/runs/") {
		t.Fatalf("lock does not point into the bucket: %+v", rec)
	}
	key := strings.TrimPrefix(rec.Outputs["out"].Location, "s3://wurzel/")
	data, err := os.ReadFile(gw.ObjectPath(bucket, key))
	if err != nil || string(data) != "b\na\n" {
		t.Errorf("object %s = %q, %v", key, data, err)
	}
	// Up to date: decided from the manifests in the bucket.
	wantStatuses(t, run(), map[string]string{"a": "skipped", "b": "skipped"})
	// A manifest gone from the bucket makes its step run again.
	if err := os.Remove(gw.ObjectPath(bucket, strings.TrimPrefix(rec.Manifest, "s3://wurzel/"))); err != nil {
		t.Fatal(err)
	}
	res := run("--dry-run")
	if !strings.Contains(collapse(res.stdout), "b run outputs missing from the store") {
		t.Errorf("dry run after removing b's manifest:\n%s", res.stdout)
	}
}

const watching = `
pipeline "watching" {}

step "a" {
  command = ["python3", "-c", file("tool.py"), "--log", "@DIR@/events.log"]
  watch   = ["conf/settings.ini"]
  output "out" { path = "a.txt" }
}
`

func TestWatchedFileChangeReruns(t *testing.T) {
	p := newProject(t, watching)
	p.write("conf/settings.ini", "x = 1\n")
	p.mustRun()
	p.write("conf/settings.ini", "x = 2\n")
	dry := p.mustRun("-n")
	if !strings.Contains(collapse(dry.stdout), "a run watched file conf/settings.ini changed") {
		t.Errorf("dry run:\n%s", dry.stdout)
	}
	wantStatuses(t, p.mustRun(), map[string]string{"a": "succeeded"})
	wantStatuses(t, p.mustRun(), map[string]string{"a": "skipped"})
}

const envSecret = `
pipeline "envsecret" {}

secret "api" {
  keys = ["token"]
  local {
    env = { token = "API_TOKEN_FOR_TEST" }
  }
}

step "a" {
  command = ["python3", "-c", file("tool.py"), "--log", "@DIR@/events.log"]
  secrets = [secret.api]
  output "out" { path = "a.txt" }
}
`

func TestSecretFromEnvironment(t *testing.T) {
	p := newProject(t, envSecret)
	res := p.run()
	if res.code != 1 || !strings.Contains(res.stderr, "secret api: environment variable API_TOKEN_FOR_TEST (key token) is not set") {
		t.Fatalf("exit %d\n%s", res.code, res.stderr)
	}
	const value = "env-secret-value-never-shown"
	cmd := p.command()
	cmd.Env = append(cmd.Env, "API_TOKEN_FOR_TEST="+value)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var logs []byte
	specs := 0
	filepath.WalkDir(p.path(".wurzel"), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := os.ReadFile(path)
			logs = append(logs, data...)
		}
		if err == nil && d.Name() == "spec.json" {
			specs++
			if fi, err := d.Info(); err != nil || fi.Mode().Perm() != 0o600 {
				t.Errorf("%s is readable by others (%v): a source address in it may carry credentials", path, fi.Mode())
			}
		}
		return nil
	})
	if specs == 0 {
		t.Error("no step spec found under .wurzel")
	}
	lock, _ := os.ReadFile(p.path("wurzel.lock"))
	if bytes.Contains(append(append(out, lock...), logs...), []byte(value)) {
		t.Error("the secret value leaked into the output, the lock or the store")
	}
}

func TestStoreDirectory(t *testing.T) {
	p := newProject(t, withSecret)
	p.write("secrets/api/token", "t")
	store := filepath.Join(t.TempDir(), "artifacts")
	wantStatuses(t, p.mustRun("--store", store), map[string]string{"a": "succeeded", "b": "succeeded"})
	rec := p.lock().Steps["b"]
	if rec == nil || !strings.HasPrefix(rec.Manifest, store+string(filepath.Separator)) {
		t.Fatalf("lock does not point into %s: %+v", store, rec)
	}
	if _, err := os.Stat(rec.Outputs["out"].Location); err != nil {
		t.Errorf("output not in the store: %v", err)
	}
	if _, err := os.Stat(p.path(".wurzel/runs")); !os.IsNotExist(err) {
		t.Errorf("runs written beside the pipeline too (%v)", err)
	}
	wantStatuses(t, p.mustRun("--store", store), map[string]string{"a": "skipped", "b": "skipped"})
}

const pinnedGit = `
pipeline "pinned" {
  sources { allowed_schemes = ["git", "file"] }
}

step "a" {
  command = ["python3", "-c", file("tool.py"), "--log", "@DIR@/events.log"]
  input "seed" { source = "git::file://@REPO@//data?ref=@REF@" }
  output "out" { path = "out/a.txt" }
}
`

// TestGitSourcePinnedToACommit: a git source whose ref is a full commit id
// cannot change, so the second run skips its step; on a branch it runs
// every time.
func TestGitSourcePinnedToACommit(t *testing.T) {
	repo := t.TempDir()
	gitIn := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...)
		cmd.Dir = repo
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	gitIn("init", "-q", "-b", "main")
	if err := os.MkdirAll(filepath.Join(repo, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(repo, "data", "seed.txt"), []byte("from git\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	gitIn("add", ".")
	gitIn("commit", "-q", "-m", "seed")
	commit := gitIn("rev-parse", "HEAD")

	for ref, second := range map[string]string{commit: "skipped", "main": "succeeded"} {
		src := strings.NewReplacer("@REPO@", repo, "@REF@", ref).Replace(pinnedGit)
		p := newProject(t, src)
		wantStatuses(t, p.mustRun(), map[string]string{"a": "succeeded"})
		if got := p.output("a", "out"); got != "a\nfrom git\n" {
			t.Errorf("ref %s: output %q", ref, got)
		}
		wantStatuses(t, p.mustRun(), map[string]string{"a": second})
	}
}
