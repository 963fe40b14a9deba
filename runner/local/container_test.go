//go:build unix

package local_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wurzel-dev/wurzel/internal/gwtest"
	"github.com/wurzel-dev/wurzel/internal/podmantest"
)

// These tests run steps in containers with real podman (a storage of their
// own, images built offline: see internal/podmantest), through the real
// CLI.

// containerProject is a project whose wurzel runs use the test podman.
func containerProject(t *testing.T, pm *podmantest.Podman, source string) *project {
	t.Helper()
	p := newProject(t, source)
	p.env = pm.Env
	return p
}

// withPython is the test podman with the Python image.
func withPython(t *testing.T) *podmantest.Podman {
	t.Helper()
	needPython(t)
	pm := podmantest.Get(t)
	pm.NeedPython(t)
	return pm
}

// copyExample copies examples/NAME into a fresh directory.
func copyExample(t *testing.T, name string) *project {
	t.Helper()
	buildWurzel(t)
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "..", "examples", name))); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(filepath.Join(dir, ".wurzel"))
	os.Remove(filepath.Join(dir, "wurzel.lock"))
	return &project{t: t, dir: dir}
}

// outputHashes is the sha256 of every file of every output the lock
// records, by step/output/path.
func outputHashes(p *project) map[string]string {
	p.t.Helper()
	out := map[string]string{}
	for step, rec := range p.lock().Steps {
		for name, o := range rec.Outputs {
			root := o.Location
			if !filepath.IsAbs(root) {
				root = p.path(root)
			}
			err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				data, err := os.ReadFile(path)
				if err != nil {
					return err
				}
				rel, _ := filepath.Rel(root, path)
				sum := sha256.Sum256(data)
				out[step+"/"+name+"/"+filepath.ToSlash(rel)] = hex.EncodeToString(sum[:])
				return nil
			})
			if err != nil {
				p.t.Fatal(err)
			}
		}
	}
	return out
}

// TestContainerExamplesMatchHost runs both examples in containers of an
// image without a shell or wurzel, named as the examples name theirs, and
// compares every output file with a run on the host.
func TestContainerExamplesMatchHost(t *testing.T) {
	pm := withPython(t)
	pm.Tag(t, podmantest.Python, "ghcr.io/acme/rag-steps:1.4.2", "docker.io/library/python:3.12-slim")
	if _, err := pm.Run("run", "--rm", podmantest.Python, "/bin/sh", "-c", "true"); err == nil {
		t.Fatal("the Python image has a shell")
	}
	for _, example := range []string{"rag-ingest", "word-count"} {
		t.Run(example, func(t *testing.T) {
			host := copyExample(t, example)
			host.mustRun()
			ctr := copyExample(t, example)
			ctr.env = pm.Env
			res := ctr.mustRun("--isolation", "container")
			if !strings.Contains(res.stderr, "steps run in containers through podman") {
				t.Errorf("progress does not say where steps run:\n%s", res.stderr)
			}
			want, got := outputHashes(host), outputHashes(ctr)
			if len(want) == 0 || len(got) != len(want) {
				t.Errorf("host outputs %v, container outputs %v", want, got)
			}
			for k, h := range want {
				if got[k] != h {
					t.Errorf("%s: sha256 %s in the container, %s on the host", k, got[k], h)
				}
			}
			for step, rec := range ctr.lock().Steps {
				if !strings.HasPrefix(rec.ImageID, "sha256:") {
					t.Errorf("step %s: the lock records no image ID: %+v", step, rec)
				}
				// Run as root, what the step wrote belongs to the pod's
				// default user.
				fi, err := os.Stat(ctr.path(rec.Manifest))
				if err != nil {
					t.Fatal(err)
				}
				if st, ok := fi.Sys().(*syscall.Stat_t); ok && os.Geteuid() == 0 && st.Uid != 65532 {
					t.Errorf("step %s: the manifest belongs to uid %d, want 65532", step, st.Uid)
				}
			}
			for step := range host.lock().Steps {
				if id := host.lock().Steps[step].ImageID; id != "" {
					t.Errorf("step %s ran on the host, yet its lock names image %s", step, id)
				}
			}
			res = ctr.mustRun("--isolation", "container")
			if n := upToDateSteps(res.stdout); n != len(host.lock().Steps) {
				t.Errorf("second run: want all %d steps up to date:\n%s", len(host.lock().Steps), res.stdout)
			}
			res = ctr.mustRun("--dry-run")
			if !strings.Contains(res.stdout, "runs on the host now") {
				t.Errorf("a host run after a container run must re-run the steps:\n%s", res.stdout)
			}
		})
	}
}

// podInspector reports what a step sees of its pod, as JSON. It prints
// hashes of secret values, never the values.
const podInspector = `
import errno, hashlib, json, os
def h(b): return hashlib.sha256(b).hexdigest()
facts = {"uid": os.getuid(), "gid": os.getgid(), "groups": sorted(os.getgroups()), "secrets": {}}
for d in ["/etc/tok", "/var/run/secrets/wurzel/envtok"]:
    for name in sorted(os.listdir(d)):
        p = os.path.join(d, name)
        st = os.stat(p)
        entry = {"mode": oct(st.st_mode & 0o7777), "gid": st.st_gid, "sha256": h(open(p, "rb").read())}
        try:
            open(p, "a").close()
            entry["write"] = "ok"
        except OSError as e:
            entry["write"] = errno.errorcode[e.errno]
        facts["secrets"][p] = entry
try:
    open("/etc/tok/new", "w").close()
    facts["secret_dir_write"] = "ok"
except OSError as e:
    facts["secret_dir_write"] = errno.errorcode[e.errno]
open(os.path.join(os.environ["WURZEL_VOLUME_SCRATCH"], "v.txt"), "w").write("v")
facts["env_token"] = h(os.environ["ENV_TOKEN"].encode())
status = dict(l.split(":", 1) for l in open("/proc/self/status").read().splitlines() if ":" in l)
facts["cap_eff"] = status["CapEff"].strip()
facts["cap_bnd"] = status["CapBnd"].strip()
facts["no_new_privs"] = status["NoNewPrivs"].strip()
facts["interfaces"] = sorted(l.split(":")[0].strip() for l in open("/proc/net/dev").read().splitlines()[2:])
facts["host_env"] = "HOST_ONLY" in os.environ
def first(*paths):
    for p in paths:
        if os.path.exists(p):
            return open(p).read().strip()
    return ""
facts["memory_limit"] = first("/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory.max")
facts["cpu_shares"] = first("/sys/fs/cgroup/cpu/cpu.shares", "/sys/fs/cgroup/cpu,cpuacct/cpu.shares")
facts["cpu_weight"] = first("/sys/fs/cgroup/cpu.weight")
out = os.environ["WURZEL_OUTPUT_FACTS"]
open(out, "w").write(json.dumps(facts))
`

const podPipeline = `
pipeline "pod" {
  image = "localhost/wurzel-test/python:3"
  argo {
    pod_security_context {
      run_as_user  = 1234
      run_as_group = 2345
    }
  }
}

secret "tok" {
  keys       = ["token"]
  mount_path = "/etc/tok"
  local { dir = "secrets/tok" }
}

secret "envtok" {
  keys       = ["value"]
  export_env = { value = "ENV_TOKEN" }
  local { env = { value = "TEST_ENV_SECRET" } }
}

volume "scratch" {
  type       = "empty_dir"
  mount_path = "/scratch"
}

step "inspect" {
  command = ["python3", "-c", file("inspect.py")]
  secrets = [secret.envtok, secret.tok]
  volumes = [volume.scratch]
  output "facts" { path = "facts.json" }
  resources {
    cpu    = "500m"
    memory = "256Mi"
  }
}
`

type podFacts struct {
	UID, GID int
	Groups   []int
	Secrets  map[string]struct {
		Mode, Sha256, Write string
		GID                 int
	}
	SecretDirWrite string `json:"secret_dir_write"`
	EnvToken       string `json:"env_token"`
	CapEff         string `json:"cap_eff"`
	CapBnd         string `json:"cap_bnd"`
	NoNewPrivs     string `json:"no_new_privs"`
	Interfaces     []string
	HostEnv        bool   `json:"host_env"`
	MemoryLimit    string `json:"memory_limit"`
	CPUShares      string `json:"cpu_shares"`
	CPUWeight      string `json:"cpu_weight"`
}

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// TestContainerIsThePod checks what a step sees in its container: the
// pod's user, its secrets as read-only files with the pod's modes, its
// volume, no capabilities, no new privileges, nothing of the host's
// environment, and no network with --network none.
func TestContainerIsThePod(t *testing.T) {
	pm := withPython(t)
	p := containerProject(t, pm, podPipeline)
	p.write("inspect.py", podInspector)
	p.write("secrets/tok/token", "file-secret-1")
	os.Chmod(p.path("secrets/tok/token"), 0o600)
	p.env = append(pm.Env[:len(pm.Env):len(pm.Env)], "TEST_ENV_SECRET=env-secret-2", "HOST_ONLY=1")
	facts := func(args ...string) podFacts {
		t.Helper()
		res := p.mustRun(append([]string{"--isolation", "container", "--force"}, args...)...)
		for _, value := range []string{"file-secret-1", "env-secret-2"} {
			if strings.Contains(res.stdout+res.stderr, value) {
				t.Errorf("a secret value is in wurzel's output")
			}
		}
		var f podFacts
		if err := json.Unmarshal([]byte(p.output("inspect", "facts")), &f); err != nil {
			t.Fatal(err)
		}
		return f
	}
	f := facts()
	if f.UID != 1234 || f.GID != 2345 || !containsInt(f.Groups, 65532) {
		t.Errorf("user %d:%d groups %v, want 1234:2345 with the fsGroup 65532", f.UID, f.GID, f.Groups)
	}
	wantSecrets := map[string]string{"/etc/tok/token": sha("file-secret-1"), "/var/run/secrets/wurzel/envtok/value": sha("env-secret-2")}
	for path, hash := range wantSecrets {
		s, ok := f.Secrets[path]
		switch {
		case !ok:
			t.Errorf("secret file %s is missing: %+v", path, f.Secrets)
		case s.Sha256 != hash:
			t.Errorf("secret file %s has other content", path)
		case s.Mode != "0o440":
			t.Errorf("secret file %s has mode %s, want 0o440", path, s.Mode)
		case s.Write != "EROFS" && s.Write != "EACCES":
			t.Errorf("secret file %s could be opened for writing: %s", path, s.Write)
		}
		if os.Geteuid() == 0 && s.GID != 65532 {
			t.Errorf("secret file %s belongs to group %d, want the fsGroup 65532", path, s.GID)
		}
	}
	if f.SecretDirWrite != "EROFS" && f.SecretDirWrite != "EACCES" {
		t.Errorf("a file could be created in the secret's directory: %s", f.SecretDirWrite)
	}
	if f.EnvToken != sha("env-secret-2") {
		t.Error("export_env did not reach the command")
	}
	if f.CapEff != "0000000000000000" || f.CapBnd != "0000000000000000" || f.NoNewPrivs != "1" {
		t.Errorf("capabilities %s (bounding set %s), no_new_privs %s: want none and 1", f.CapEff, f.CapBnd, f.NoNewPrivs)
	}
	if f.HostEnv {
		t.Error("the host's environment reached the container")
	}
	if data, err := os.ReadFile(p.path(".wurzel/volumes/scratch/v.txt")); err != nil || string(data) != "v" {
		t.Errorf("the volume's local directory lacks what the step wrote: %q, %v", data, err)
	}
	// The CPU request is a weight: 512 shares for half a CPU (cgroup v2
	// weight 20, as the runtimes convert shares); memory a hard limit.
	if f.MemoryLimit != "268435456" || (f.CPUShares != "512" && f.CPUWeight != "20") {
		t.Errorf("memory limit %q, cpu shares %q, cpu weight %q: want 268435456 and 512 (or weight 20)", f.MemoryLimit, f.CPUShares, f.CPUWeight)
	}
	if len(f.Interfaces) < 2 {
		t.Errorf("the default network has interfaces %v", f.Interfaces)
	}
	if f := facts("--network", "none"); strings.Join(f.Interfaces, ",") != "lo" {
		t.Errorf("--network none: interfaces %v, want only lo", f.Interfaces)
	}
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

const peekPipeline = `
pipeline "peek" {
  image = "localhost/wurzel-test/python:3"
}

step "peek" {
  command = ["python3", "-c", "print(open('@DIR@/host.txt').read())"]
}
`

// TestContainerCannotReadUndeclaredHostFiles: a step that reads a host file
// it did not declare works on the host and fails in its container, as it
// would in its pod.
func TestContainerCannotReadUndeclaredHostFiles(t *testing.T) {
	pm := withPython(t)
	p := containerProject(t, pm, peekPipeline)
	p.write("host.txt", "on the host\n")
	if res := p.mustRun(); !strings.Contains(res.stderr, "done     peek") {
		t.Errorf("on the host:\n%s", res.stderr)
	}
	res := p.run("--isolation", "container")
	if res.code != 1 || !strings.Contains(res.stderr, "No such file or directory") {
		t.Errorf("in a container: exit %d, want 1 and a missing file\n%s", res.code, res.stderr)
	}
}

const sleepers = `
pipeline "sleepers" {
  image = "localhost/wurzel-test/python:3"
}

step "polite" {
  command = ["python3", "-c", "import time; open('started', 'w').close(); time.sleep(300)"]
}

step "stubborn" {
  command = ["python3", "-c", "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); open('started', 'w').close(); time.sleep(300)"]
}
`

// TestContainerInterruptLeavesNoContainer interrupts two running
// containers, one of which ignores SIGTERM until the grace period ends:
// wurzel exits 130 and the engine has no container left.
func TestContainerInterruptLeavesNoContainer(t *testing.T) {
	pm := withPython(t)
	p := containerProject(t, pm, sleepers)
	cmd := p.command("--isolation", "container", "-j", "2", "--grace-period", "2s")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	started := func(step string) bool {
		m, _ := filepath.Glob(p.path(".wurzel/runs/*/" + step + "/work/started"))
		return len(m) == 1
	}
	waitFor(t, func() bool { return started("polite") && started("stubborn") })
	if n := len(pm.Containers(t)); n != 2 {
		t.Errorf("%d containers run, want 2", n)
	}
	begin := time.Now()
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 130 {
		t.Fatalf("exit %v, want 130\n%s\n%s", err, stdout.String(), stderr.String())
	}
	t.Logf("stopped in %v", time.Since(begin))
	wantStatuses(t, runResult{stdout: stdout.String()}, map[string]string{"polite": "cancelled", "stubborn": "cancelled"})
	if left := pm.Containers(t); len(left) != 0 {
		t.Errorf("containers left behind: %v", left)
	}
}

const oneStep = `
pipeline "one" {
  image = "@IMAGE@"
}

step "a" {
  command = ["/bin/busybox", "true"]
}
`

func imagePipeline(image string) string { return strings.ReplaceAll(oneStep, "@IMAGE@", image) }

// TestContainerMissingImageFailsBeforeAnyStep: an image that is not there
// is named with the command that pulls it, and nothing runs or is pulled.
func TestContainerMissingImageFailsBeforeAnyStep(t *testing.T) {
	pm := podmantest.Get(t)
	p := containerProject(t, pm, imagePipeline("localhost/wurzel-test/absent:1"))
	res := p.run("--isolation", "container")
	if res.code != 1 || !strings.Contains(res.stderr, "`podman pull localhost/wurzel-test/absent:1`") {
		t.Errorf("exit %d, want 1 and the pull command\n%s", res.code, res.stderr)
	}
	if _, err := os.Stat(p.path(".wurzel/runs")); !os.IsNotExist(err) {
		t.Errorf("a step started: %v", err)
	}
	if _, err := pm.Run("image", "exists", "localhost/wurzel-test/absent:1"); err == nil {
		t.Error("the image was pulled")
	}
}

// TestContainerImageIsPartOfTheFingerprint: the same name on another image
// re-runs the step; an image named by digest runs exactly that image.
func TestContainerImageIsPartOfTheFingerprint(t *testing.T) {
	pm := podmantest.Get(t)
	const name = "localhost/wurzel-test/moving:1"
	pm.Tag(t, podmantest.Busybox, name)
	p := containerProject(t, pm, imagePipeline(name))
	wantStatuses(t, p.mustRun("--isolation", "container"), map[string]string{"a": "succeeded"})
	wantStatuses(t, p.mustRun("--isolation", "container"), map[string]string{"a": "skipped"})
	first := p.lock().Steps["a"].ImageID

	// The same name on an image with other content.
	run := append([]string{"run", "--name", "wurzel-test-derive"}, pm.Flags...)
	pm.Must(t, append(run, podmantest.Busybox, "/bin/busybox", "touch", "/tmp/derived")...)
	pm.Must(t, "commit", "--quiet", "wurzel-test-derive", name)
	pm.Must(t, "rm", "wurzel-test-derive")
	res := p.mustRun("--isolation", "container", "--dry-run")
	if !strings.Contains(res.stdout, "image content changed") {
		t.Errorf("dry run after moving the tag:\n%s", res.stdout)
	}
	wantStatuses(t, p.mustRun("--isolation", "container"), map[string]string{"a": "succeeded"})
	if id := p.lock().Steps["a"].ImageID; id == first || id == "" {
		t.Errorf("image ID %q after moving the tag from %q", id, first)
	}

	var digests []string
	json.Unmarshal([]byte(pm.Must(t, "image", "inspect", "--format", "{{json .RepoDigests}}", podmantest.Busybox)), &digests)
	if len(digests) == 0 {
		t.Fatal("the busybox image has no digest")
	}
	byDigest := containerProject(t, pm, imagePipeline(digests[0]))
	wantStatuses(t, byDigest.mustRun("--isolation", "container"), map[string]string{"a": "succeeded"})
	busybox := strings.TrimSpace(pm.Must(t, "image", "inspect", "--format", "{{.Id}}", podmantest.Busybox))
	if id := byDigest.lock().Steps["a"].ImageID; id != "sha256:"+busybox {
		t.Errorf("ran %s, want the image of digest %s (%s)", id, digests[0], busybox)
	}
}

const defaultContainer = `
pipeline "default" {
  image = "localhost/wurzel-test/python:3"
  local {
    isolation = "container"
  }
}

step "a" {
  command = ["python3", "-c", "import os; print('workdir', os.getcwd())"]
}
`

// TestPipelineDefaultIsolation: the pipeline's local block asks for
// containers; the flag overrides it, and where no engine is installed the
// steps run on the host unless the flag insists.
func TestPipelineDefaultIsolation(t *testing.T) {
	pm := withPython(t)
	p := containerProject(t, pm, defaultContainer)
	log := func() string {
		data, _ := os.ReadFile(latest(t, p.path(".wurzel/runs/*/a/stdout.log")))
		return string(data)
	}
	p.mustRun("--force")
	if !strings.Contains(log(), "workdir /wurzel/step/work") {
		t.Errorf("the pipeline's default did not run the step in a container: %s", log())
	}
	p.mustRun("--force", "--isolation", "host")
	if strings.Contains(log(), "/wurzel/step") {
		t.Errorf("--isolation host ran the step in a container: %s", log())
	}

	// An environment without podman or docker, but with python3.
	bin := t.TempDir()
	python, err := exec.Command("python3", "-c", "import sys; print(sys.executable)").Output()
	if err != nil {
		t.Fatal(err)
	}
	os.Symlink(strings.TrimSpace(string(python)), filepath.Join(bin, "python3"))
	p.env = append(pm.Env[:len(pm.Env):len(pm.Env)], "PATH="+bin)
	res := p.mustRun("--force")
	if !strings.Contains(res.stderr, "no container engine") || strings.Contains(log(), "/wurzel/step") {
		t.Errorf("without an engine the steps must run on the host, with a warning:\n%s", res.stderr)
	}
	res = p.run("--force", "--isolation", "container")
	if res.code != 1 || !strings.Contains(res.stderr, "no container engine") {
		t.Errorf("--isolation container without an engine: exit %d\n%s", res.code, res.stderr)
	}
}

// latest is the last of the files matching pattern (run ids sort by time).
func latest(t *testing.T, pattern string) string {
	t.Helper()
	m, _ := filepath.Glob(pattern)
	if len(m) == 0 {
		t.Fatalf("nothing matches %s", pattern)
	}
	return m[len(m)-1]
}

// TestContainerEngineFailure: when the engine cannot start the container,
// the step's error says so rather than passing the engine's exit code off
// as the runner's.
func TestContainerEngineFailure(t *testing.T) {
	pm := podmantest.Get(t)
	p := containerProject(t, pm, imagePipeline(podmantest.Busybox))
	res := p.run("--isolation", "container", "--engine-flags", strings.Join(pm.Flags, " ")+" --no-such-flag")
	if res.code != 1 || !strings.Contains(res.stderr, "podman could not run the step's container") {
		t.Errorf("exit %d\n%s", res.code, res.stderr)
	}
}

// TestContainerS3Store: a step in a container publishes to and reads from
// an S3 store; the credentials reach the runner by name, and the host
// network reaches a server on the loopback interface.
func TestContainerS3Store(t *testing.T) {
	pm := withPython(t)
	gw := gwtest.Start(t)
	gw.CreateBucket(t, "wurzel")
	// The steps log nowhere: the project directory is not theirs.
	source := strings.ReplaceAll(s3Chain, `, "--log", "@DIR@/events.log"`, "")
	p := containerProject(t, pm, strings.Replace(source, `pipeline "remote" {}`, `pipeline "remote" {
  image = "localhost/wurzel-test/python:3"
}`, 1))
	p.env = append(pm.Env[:len(pm.Env):len(pm.Env)], gw.Environ()...)
	res := p.mustRun("--isolation", "container", "--network", "host", "--store", "s3://wurzel/pipelines/remote")
	wantStatuses(t, res, map[string]string{"a": "succeeded", "b": "succeeded"})
	rec := p.lock().Steps["b"]
	if rec == nil || !strings.HasPrefix(rec.Outputs["out"].Location, "s3://wurzel/") {
		t.Fatalf("lock: %+v", rec)
	}
	spec := string(mustRead(t, latest(t, p.path(".wurzel/runs/*/b/spec.json"))))
	for _, kv := range gw.Environ() {
		if _, v, _ := strings.Cut(kv, "="); len(v) > 3 && strings.Contains(spec, v) {
			t.Errorf("the spec holds the value of %s", kv)
		}
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

const failing = `
pipeline "failing" {
  image = "localhost/wurzel-test/busybox:1"
}

step "bad" {
  command = ["/bin/busybox", "false"]
}

step "after-bad" {
  command    = ["/bin/busybox", "true"]
  depends_on = [step.bad]
}

step "good" {
  command = ["/bin/busybox", "true"]
}
`

// TestContainerKeepGoing: a failing container step blocks what depends on
// it, and --keep-going runs the rest, as on the host.
func TestContainerKeepGoing(t *testing.T) {
	pm := podmantest.Get(t)
	p := containerProject(t, pm, failing)
	res := p.run("--isolation", "container", "--keep-going", "-j", "1")
	if res.code != 1 || !strings.Contains(res.stderr, "failed   bad: exit status 1") {
		t.Errorf("exit %d\n%s", res.code, res.stderr)
	}
	wantStatuses(t, res, map[string]string{"bad": "failed", "after-bad": "blocked", "good": "succeeded"})
}
