package runner

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wurzel-dev/wurzel/runner/internal/privdir"
	"github.com/wurzel-dev/wurzel/runner/manifest"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

// The secret value used by the tests; it must never show up in logs,
// errors, manifests or specs.
const secretValue = "s3cr3t-T0KEN-value-9f2c"

// TestLocalProducerConsumer runs two steps through the whole contract with
// local locations: a go-getter `file` source, secrets from a directory and
// from the environment, a volume, outputs published to a store and a
// consumer reading them through the producer's manifest.
func TestLocalProducerConsumer(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "corpus", "a.md"), "# A\n")
	writeFile(t, filepath.Join(dir, "corpus", "sub", "b.md"), "# B\n")
	writeFile(t, filepath.Join(dir, "secrets", "api", "token"), secretValue)
	if err := os.MkdirAll(filepath.Join(dir, "vol"), 0o755); err != nil {
		t.Fatal(err)
	}
	// The command checks its environment itself and fails with a distinct
	// code for each broken promise, so that the secret never needs to leave
	// it.
	script := `set -e
[ "$WURZEL_RUN_ID" = run-1 ] || exit 11
[ "$WURZEL_STEP" = read ] || exit 12
[ "$WURZEL_PIPELINE" = demo ] || exit 13
[ "$READ__CHUNK_SIZE" = 64 ] || exit 14
[ "$(pwd)" = "$WURZEL_WORKDIR" ] || exit 15
[ "$WURZEL_INPUT_MY_CORPUS" = "$WURZEL_WORKDIR/inputs/corpus" ] || exit 16
[ -f inputs/corpus/sub/b.md ] && [ ! -L inputs/corpus ] || exit 17
[ "$API_TOKEN" = "$(cat "$WURZEL_SECRET_API_DIR/token")" ] || exit 18
[ "$(cat "$WURZEL_SECRET_ENVSEC_DIR/key")" = "$(cat "$WURZEL_SECRET_API_DIR/token")" ] || exit 19
[ "$(stat -c %a "$WURZEL_SECRET_ENVSEC_DIR")" = 700 ] || exit 20
[ "$(stat -c %a "$WURZEL_SECRET_ENVSEC_DIR/key")" = 400 ] || exit 21
[ -z "${SOURCE_OF_SECRET+x}" ] || exit 22
[ -d "$WURZEL_VOLUME_CACHE" ] || exit 23
mkdir -p out/pages
cp -r inputs/corpus/. out/pages/
printf '%s' "$WURZEL_SECRET_ENVSEC_DIR" > out/secret-dir.txt
`
	producer := newSpec(dir, "sh", "-c", script)
	producer.Step = "read"
	producer.Env = map[string]string{"READ__CHUNK_SIZE": "64"}
	producer.Inputs = []spec.Input{{Name: "my-corpus", Path: "inputs/corpus", Source: "./corpus"}}
	producer.Outputs = []spec.Output{
		{Name: "pages", Path: "out/pages", Kind: spec.KindDir, Type: "markdown", Location: "store/read/pages"},
		{Name: "secret-dir", Path: "out/secret-dir.txt", Kind: spec.KindFile, Location: "store/read/secret-dir.txt"},
	}
	producer.Manifest = "store/read/manifest.json"
	producer.Secrets = []spec.Secret{
		{Name: "api", Keys: []string{"token"}, Dir: "secrets/api", ExportEnv: map[string]string{"token": "API_TOKEN"}},
		{Name: "envsec", Keys: []string{"key"}, FromEnv: map[string]string{"key": "SOURCE_OF_SECRET"}},
	}
	producer.Volumes = []spec.Volume{{Name: "cache", Path: "vol"}}
	withSecretEnv := func(o *Options) { o.Environ = append(o.Environ, "SOURCE_OF_SECRET="+secretValue) }

	res := execSpec(t, producer, withSecretEnv)
	wantCode(t, res, 0)
	m := readManifest(t, filepath.Join(dir, "store", "read", "manifest.json"))
	if m.Pipeline != "demo" || m.Step != "read" || m.RunID != "run-1" || len(m.Outputs) != 2 {
		t.Fatalf("manifest header = %+v", m)
	}
	pages := m.Outputs[0]
	if pages.Name != "pages" || pages.Kind != manifest.KindDir || pages.Type != "markdown" || pages.Path != "out/pages" ||
		len(pages.Files) != 2 || pages.Files[0].Path != "a.md" || pages.Files[1].Path != "sub/b.md" || pages.Files[0].Size != 4 {
		t.Fatalf("pages in manifest = %+v", pages)
	}
	if m.Outputs[1].Kind != manifest.KindFile || m.Outputs[1].Files[0].Path != "." {
		t.Fatalf("secret-dir in manifest = %+v", m.Outputs[1])
	}
	if got := readFile(t, filepath.Join(dir, "store", "read", "pages", "sub", "b.md")); got != "# B\n" {
		t.Fatalf("published b.md = %q", got)
	}
	secretDir := readFile(t, filepath.Join(dir, "store", "read", "secret-dir.txt"))
	if secretDir == "" || exists(secretDir) {
		t.Errorf("the private directory of the from_env secret (%q) was not removed", secretDir)
	}

	consumer := newSpec(dir, "sh", "-c", `cat "$WURZEL_INPUT_PAGES/sub/b.md" > out.txt`)
	consumer.Step = "split"
	consumer.Workdir = filepath.Join(dir, "work2")
	consumer.Inputs = []spec.Input{{Name: "pages", Path: "in/pages",
		From: &spec.Ref{Step: "read", Output: "pages", Location: "store/read/pages", Manifest: "store/read/manifest.json"}}}
	consumer.Outputs = []spec.Output{{Name: "out", Path: "out.txt", Kind: spec.KindFile, Location: "store/split/out.txt"}}
	consumer.Manifest = "store/split/manifest.json"
	res2 := execSpec(t, consumer)
	wantCode(t, res2, 0)
	if got := readFile(t, filepath.Join(dir, "store", "split", "out.txt")); got != "# B\n" {
		t.Fatalf("consumer output = %q", got)
	}

	// The secret appears nowhere the runner writes.
	specJSON, _ := spec.Marshal(producer)
	for what, text := range map[string]string{
		"producer logs": res.logs, "consumer logs": res2.logs, "spec": string(specJSON),
		"manifest": readFile(t, filepath.Join(dir, "store", "read", "manifest.json")),
	} {
		if strings.Contains(text, secretValue) {
			t.Errorf("the secret value appears in the %s", what)
		}
	}
}

func TestCommandExitCodePassesThrough(t *testing.T) {
	eachStart(t, func(t *testing.T, start func(*Options)) {
		dir := t.TempDir()
		st := newSpec(dir, "sh", "-c", "echo out; echo err >&2; exit 7")
		res := execSpec(t, st, start)
		wantCode(t, res, 7, "exited with status 7")
		if res.stdout != "out\n" || res.stderr != "err\n" {
			t.Errorf("stdout %q, stderr %q: the command's output must pass through unchanged", res.stdout, res.stderr)
		}
		if exists(st.Manifest) {
			t.Error("a failed step wrote a manifest")
		}
	})
}

func TestCommandKilledBySignal(t *testing.T) {
	eachStart(t, func(t *testing.T, start func(*Options)) {
		dir := t.TempDir()
		res := execSpec(t, newSpec(dir, "sh", "-c", "kill -KILL $$"), start)
		wantCode(t, res, 128+9, "killed by signal 9")
	})
}

func TestCommandNotFoundAndNotExecutable(t *testing.T) {
	eachStart(t, func(t *testing.T, start func(*Options)) {
		dir := t.TempDir()
		res := execSpec(t, newSpec(dir, "no-such-command-wurzel"), start)
		wantCode(t, res, CodeNotFound, "no-such-command-wurzel")

		script := filepath.Join(dir, "script.sh")
		writeFile(t, script, "#!/bin/sh\nexit 0\n") // mode 0644: not executable
		res = execSpec(t, newSpec(dir, script), start)
		wantCode(t, res, CodeNotExecutable, "not executable")

		// Found and executable, but the interpreter its first line names
		// is missing: the start itself fails, as a shell's would (127).
		script = filepath.Join(dir, "orphan.sh")
		writeExecutable(t, script, "#!/no/such/interpreter\nexit 0\n")
		res = execSpec(t, newSpec(dir, script), start)
		wantCode(t, res, CodeNotFound, "orphan.sh")
	})
}

func TestRunsWithoutAShell(t *testing.T) {
	eachStart(t, func(t *testing.T, start func(*Options)) {
		dir := t.TempDir()
		st := newSpec(dir, "printf", "%s|", "$HOME", "a b", "`x`;")
		res := execSpec(t, st, start)
		wantCode(t, res, 0)
		if res.stdout != "$HOME|a b|`x`;|" {
			t.Fatalf("arguments were interpreted: %q", res.stdout)
		}
	})
}

func TestTimeoutKillsTheProcessGroup(t *testing.T) {
	eachStart(t, func(t *testing.T, start func(*Options)) {
		dir := t.TempDir()
		pidFile := filepath.Join(dir, "child.pid")
		// The command starts a child that ignores SIGTERM; the group must
		// still go down.
		st := newSpec(dir, "sh", "-c", `sh -c 'trap "" TERM; sleep 60' & echo $! > `+pidFile+`; wait`)
		st.TimeoutSeconds = 1
		res := execSpec(t, st, start, func(o *Options) { o.KillGrace = 200 * time.Millisecond })
		wantCode(t, res, CodeTimeout, "timed out")
		waitGone(t, pidFile, "child %s of the timed-out command is still running")
	})
}

// waitGone waits up to 5 s for the process whose id is in pidFile to be
// gone (or a zombie), and fails with msg, formatted with the id, if it is
// not.
func waitGone(t *testing.T, pidFile, msg string) {
	t.Helper()
	pid := strings.TrimSpace(readFile(t, pidFile))
	deadline := time.Now().Add(5 * time.Second)
	for exists("/proc/"+pid) && !isZombie(pid) {
		if time.Now().After(deadline) {
			t.Fatalf(msg, pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func isZombie(pid string) bool {
	data, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return true
	}
	fields := strings.Fields(string(data))
	return len(fields) > 2 && fields[2] == "Z"
}

func TestCancelForwardsSIGTERM(t *testing.T) {
	eachStart(t, func(t *testing.T, start func(*Options)) {
		dir := t.TempDir()
		ready := filepath.Join(dir, "ready")
		got := filepath.Join(dir, "got-term")
		st := newSpec(dir, "sh", "-c", `trap 'echo term > `+got+`; exit 3' TERM; touch `+ready+`; while :; do sleep 0.05; done`)
		st.Outputs = []spec.Output{{Name: "o", Path: "o.txt", Kind: spec.KindFile, Location: filepath.Join(dir, "store", "o.txt")}}
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			for !exists(ready) {
				time.Sleep(10 * time.Millisecond)
			}
			cancel()
		}()
		res := execSpecCtx(t, ctx, st, start)
		wantCode(t, res, 3)
		if readFile(t, got) != "term\n" {
			t.Fatal("the command did not receive SIGTERM")
		}
		if exists(st.Manifest) || exists(filepath.Join(dir, "store", "o.txt")) {
			t.Error("a cancelled step published something")
		}
	})
}

func TestMissingOutput(t *testing.T) {
	dir := t.TempDir()
	st := newSpec(dir, "true")
	st.Outputs = []spec.Output{{Name: "chunks", Path: "out/chunks.jsonl", Kind: spec.KindFile, Location: filepath.Join(dir, "store", "c")}}
	res := execSpec(t, st)
	wantCode(t, res, CodeOutput, `output "chunks"`, "out/chunks.jsonl")
	if exists(st.Manifest) {
		t.Error("manifest written for a step with a missing output")
	}
}

// TestOutputKindMismatch: an output is what its declaration says. A file
// output whose command made a directory (or the reverse) fails the step,
// naming the output, and nothing is published.
func TestOutputKindMismatch(t *testing.T) {
	for _, c := range []struct {
		declared, script, want string
	}{
		{spec.KindFile, "mkdir -p out/model && echo w > out/model/weights", `output "model" is declared a file but the command created a directory at out/model; declare it with kind = "dir"`},
		{spec.KindDir, "mkdir -p out && echo w > out/model", `output "model" is declared a directory but the command created a file at out/model`},
	} {
		t.Run(c.declared, func(t *testing.T) {
			dir := t.TempDir()
			st := newSpec(dir, "sh", "-c", c.script)
			st.Outputs = []spec.Output{{Name: "model", Path: "out/model", Kind: c.declared, Location: filepath.Join(dir, "store", "model")}}
			wantCode(t, execSpec(t, st), CodeOutput, c.want)
			if exists(st.Manifest) || exists(filepath.Join(dir, "store", "model")) {
				t.Error("a step with a mismatched output published something")
			}
		})
	}
}

func TestOutputSymlinkRefused(t *testing.T) {
	dir := t.TempDir()
	st := newSpec(dir, "ln", "-s", "/etc/passwd", "o")
	st.Outputs = []spec.Output{{Name: "o", Path: "o", Kind: spec.KindFile, Location: filepath.Join(dir, "store", "o")}}
	wantCode(t, execSpec(t, st), CodeOutput, "symbolic link")
}

func TestBadSpec(t *testing.T) {
	dir := t.TempDir()
	for name, mutate := range map[string]func(*spec.Step){
		"escaping output":     func(s *spec.Step) { s.Outputs = []spec.Output{{Name: "o", Path: "../o", Kind: spec.KindFile}} },
		"output without kind": func(s *spec.Step) { s.Outputs = []spec.Output{{Name: "o", Path: "o"}} },
		"absolute input":      func(s *spec.Step) { s.Inputs = []spec.Input{{Name: "i", Path: "/etc", Source: "./x"}} },
		"two origins": func(s *spec.Step) {
			s.Inputs = []spec.Input{{Name: "i", Path: "i", Source: "./x", From: &spec.Ref{Step: "a", Output: "b", Manifest: "m"}}}
		},
		"bad name":    func(s *spec.Step) { s.Step = "Bad_Name" },
		"no manifest": func(s *spec.Step) { s.Manifest = "" },
		"no command":  func(s *spec.Step) { s.Command = nil },
	} {
		t.Run(name, func(t *testing.T) {
			st := newSpec(dir, "true")
			mutate(st)
			err := Exec(context.Background(), st, Options{Stderr: &syncBuffer{}})
			if ExitCode(err) != CodeBadSpec {
				t.Fatalf("exit code %d (%v), want %d", ExitCode(err), err, CodeBadSpec)
			}
		})
	}
}

func TestMissingSecretKeyFile(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "sec", "user"), "admin")
	st := newSpec(dir, "true")
	st.Secrets = []spec.Secret{{Name: "db", Keys: []string{"user", "password"}, Dir: filepath.Join(dir, "sec")}}
	res := execSpec(t, st)
	wantCode(t, res, CodeSecret, `secret "db"`, filepath.Join(dir, "sec", "password"), "does not exist")
}

func TestMissingSecretDirAndEnv(t *testing.T) {
	dir := t.TempDir()
	st := newSpec(dir, "true")
	st.Secrets = []spec.Secret{{Name: "db", Keys: []string{"k"}, Dir: filepath.Join(dir, "nope")}}
	wantCode(t, execSpec(t, st), CodeSecret, `secret "db"`, "nope")
	st.Secrets = []spec.Secret{{Name: "db", Keys: []string{"k"}, FromEnv: map[string]string{"k": "DB_K"}}}
	wantCode(t, execSpec(t, st), CodeSecret, "DB_K", "not set")
}

func TestMissingVolume(t *testing.T) {
	dir := t.TempDir()
	st := newSpec(dir, "true")
	st.Volumes = []spec.Volume{{Name: "cache", Path: filepath.Join(dir, "missing")}}
	wantCode(t, execSpec(t, st), CodeSecret, `volume "cache"`)
}

// TestConsumerRefuses covers the consumer side of the commit marker: no
// manifest, a manifest that does not list the output, and data that does
// not match the manifest.
func TestConsumerRefuses(t *testing.T) {
	dir := t.TempDir()
	producer := newSpec(dir, "sh", "-c", "echo data > o.txt")
	producer.Outputs = []spec.Output{{Name: "o", Path: "o.txt", Kind: spec.KindFile, Location: filepath.Join(dir, "store", "o.txt")}}
	wantCode(t, execSpec(t, producer), 0)

	consume := func(ref spec.Ref) result {
		st := newSpec(dir, "cat", "in.txt")
		st.Step = "consumer"
		st.Workdir = filepath.Join(dir, "cwork")
		st.Manifest = filepath.Join(dir, "store", "consumer.json")
		st.Inputs = []spec.Input{{Name: "i", Path: "in.txt", From: &ref}}
		return execSpec(t, st)
	}
	good := spec.Ref{Step: "work", Output: "o", Location: filepath.Join(dir, "store", "o.txt"), Manifest: producer.Manifest}
	res := consume(good)
	wantCode(t, res, 0)
	if res.stdout != "data\n" {
		t.Fatalf("consumer read %q", res.stdout)
	}

	missing := good
	missing.Manifest = filepath.Join(dir, "store", "nothing.json")
	wantCode(t, consume(missing), CodeInput, "has no manifest")

	unlisted := good
	unlisted.Output = "other"
	wantCode(t, consume(unlisted), CodeInput, `does not list output "other"`)

	writeFile(t, filepath.Join(dir, "store", "o.txt"), "tampered\n")
	wantCode(t, consume(good), CodeInput, "does not match the manifest")
}

// TestEmptyLocations covers back ends that move data themselves: outputs
// stay in the work directory and inputs are verified where they are.
func TestEmptyLocations(t *testing.T) {
	dir := t.TempDir()
	producer := newSpec(dir, "sh", "-c", "mkdir -p out && echo x > out/f")
	producer.Outputs = []spec.Output{{Name: "o", Path: "out", Kind: spec.KindDir}}
	wantCode(t, execSpec(t, producer), 0)
	if readFile(t, filepath.Join(dir, "work", "out", "f")) != "x\n" {
		t.Fatal("output left in the work directory is gone")
	}
	consumer := newSpec(dir, "cat", "out/f")
	consumer.Step = "next"
	consumer.Manifest = filepath.Join(dir, "next.json")
	consumer.Inputs = []spec.Input{{Name: "o", Path: "out", From: &spec.Ref{Step: "work", Output: "o", Manifest: producer.Manifest}}}
	res := execSpec(t, consumer)
	wantCode(t, res, 0)
	writeFile(t, filepath.Join(dir, "work", "out", "f"), "y\n")
	wantCode(t, execSpec(t, consumer), CodeInput, "does not match the manifest")
}

// TestPlacedInputIsExactlyTheManifest plays a back end that places inputs
// itself from keys a failed attempt of the producer also wrote to: the
// consumer's command sees exactly the files the manifest lists.
func TestPlacedInputIsExactlyTheManifest(t *testing.T) {
	dir := t.TempDir()
	producer := newSpec(dir, "sh", "-c", "mkdir -p out/set/sub && echo a > out/set/a && echo b > out/set/sub/b")
	producer.Outputs = []spec.Output{{Name: "set", Path: "out/set", Kind: spec.KindDir}}
	wantCode(t, execSpec(t, producer), 0)
	placed := filepath.Join(dir, "work", "out", "set")
	// Left by attempt 1 under the same keys: a file beside the committed
	// ones, one in a committed directory and a directory of its own.
	writeFile(t, filepath.Join(placed, "c"), "stale\n")
	writeFile(t, filepath.Join(placed, "sub", "c"), "stale\n")
	writeFile(t, filepath.Join(placed, "old", "d"), "stale\n")

	consumer := newSpec(dir, "sh", "-c", `cd "$WURZEL_INPUT_SET" && find . -type f | sort > "$WURZEL_WORKDIR/seen.txt"`)
	consumer.Step = "next"
	consumer.Workdir = filepath.Join(dir, "work")
	consumer.Manifest = filepath.Join(dir, "next.json")
	consumer.Inputs = []spec.Input{{Name: "set", Path: "out/set", From: &spec.Ref{Step: "work", Output: "set", Manifest: producer.Manifest}}}
	res := execSpec(t, consumer)
	wantCode(t, res, 0)
	if got := readFile(t, filepath.Join(dir, "work", "seen.txt")); got != "./a\n./sub/b\n" {
		t.Errorf("the command saw:\n%s", got)
	}
	if !strings.Contains(res.logs, "input files not in the manifest removed") {
		t.Errorf("the removal is not logged:\n%s", res.logs)
	}
}

// TestPlacedEmptyDirectory: an object store keeps nothing for an empty
// directory output, so a back end that places inputs itself places
// nothing; the manifest says the directory exists, and the runner makes it.
func TestPlacedEmptyDirectory(t *testing.T) {
	dir := t.TempDir()
	producer := newSpec(dir, "mkdir", "-p", "out/findings")
	producer.Outputs = []spec.Output{{Name: "findings", Path: "out/findings", Kind: spec.KindDir}}
	wantCode(t, execSpec(t, producer), 0)
	if m := readManifest(t, producer.Manifest); len(m.Outputs[0].Files) != 0 || m.Outputs[0].Kind != spec.KindDir {
		t.Fatalf("manifest: %+v", m.Outputs)
	}
	consumer := newSpec(t.TempDir(), "sh", "-c", `test -d "$WURZEL_INPUT_FINDINGS" && test -z "$(ls -A "$WURZEL_INPUT_FINDINGS")"`)
	consumer.Step = "report"
	consumer.Inputs = []spec.Input{{Name: "findings", Path: "inputs/findings", From: &spec.Ref{Step: "work", Output: "findings", Manifest: producer.Manifest}}}
	wantCode(t, execSpec(t, consumer), 0)
}

// TestFailedStepWithdrawsCollectedOutputs: Argo's wait container uploads
// what is at an output's path even after the command failed. A failed
// step leaves nothing there, so that its partial outputs never travel;
// outputs the runner publishes itself are simply not published.
func TestFailedStepWithdrawsCollectedOutputs(t *testing.T) {
	dir := t.TempDir()
	st := newSpec(dir, "sh", "-c", "mkdir -p out/set && echo a > out/set/a && echo b > out/set/b && echo c > out/set/c && exit 125")
	st.Outputs = []spec.Output{{Name: "set", Path: "out/set", Kind: spec.KindDir}}
	wantCode(t, execSpec(t, st), CodeRetryable)
	if exists(filepath.Join(dir, "work", "out", "set")) {
		t.Error("a failed step left its output for the back end to collect")
	}
	if exists(st.Manifest) {
		t.Error("a failed step wrote a manifest")
	}
}

// TestSecretRedactedFromErrors: a secret value that ends up in a runner
// error (here in a source address that fails) is redacted from the error
// and from every log line.
func TestSecretRedactedFromErrors(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "sec", "token"), secretValue+"\n")
	st := newSpec(dir, "true")
	st.Secrets = []spec.Secret{{Name: "tok", Keys: []string{"token"}, Dir: filepath.Join(dir, "sec")}}
	st.Inputs = []spec.Input{{Name: "i", Path: "i", Source: "http://127.0.0.1:1/" + secretValue + "/data.csv"}}
	res := execSpec(t, st)
	wantCode(t, res, CodeRetryable, "REDACTED")
	if strings.Contains(res.err.Error(), secretValue) || strings.Contains(res.logs, secretValue) {
		t.Fatalf("secret leaked:\nerr: %v\nlogs: %s", res.err, res.logs)
	}
}

// TestSIGTERMToRunnerProcess signals a real runner process, as a pod's
// eviction or the local executor's Ctrl-C does, and checks that the command
// gets SIGTERM, its status passes through and nothing is published.
func TestSIGTERMToRunnerProcess(t *testing.T) {
	dir := t.TempDir()
	ready := filepath.Join(dir, "ready")
	got := filepath.Join(dir, "got-term")
	st := newSpec(dir, "sh", "-c", `trap 'echo term > `+got+`; exit 5' TERM; touch `+ready+`; while :; do sleep 0.05; done`)
	st.Outputs = []spec.Output{{Name: "o", Path: "o.txt", Kind: spec.KindFile, Location: filepath.Join(dir, "store", "o.txt")}}
	data, err := spec.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	child := exec.Command(exe, "-test.run=^$")
	child.Env = []string{childEnv + "=1", "WURZEL_STEP_SPEC=" + string(data), "PATH=" + os.Getenv("PATH")}
	var logs syncBuffer
	child.Stdout, child.Stderr = &logs, &logs
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for !exists(ready) {
		if time.Now().After(deadline) {
			_ = child.Process.Kill()
			t.Fatalf("the command never started; runner log:\n%s", logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := child.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err = child.Wait()
	if code := child.ProcessState.ExitCode(); code != 5 {
		t.Fatalf("runner exited %d (%v), want the command's 5; log:\n%s", code, err, logs.String())
	}
	if readFile(t, got) != "term\n" {
		t.Error("the command did not get SIGTERM")
	}
	if exists(st.Manifest) || exists(filepath.Join(dir, "store", "o.txt")) {
		t.Error("a terminated step published something")
	}
}

// TestNothingOutlivesTheCommand: what a command leaves running in its
// process group when it exits is stopped with it.
func TestNothingOutlivesTheCommand(t *testing.T) {
	eachStart(t, func(t *testing.T, start func(*Options)) {
		dir := t.TempDir()
		pidFile := filepath.Join(dir, "child.pid")
		st := newSpec(dir, "sh", "-c", `sleep 300 > /dev/null 2>&1 & echo $! > `+pidFile)
		wantCode(t, execSpec(t, st, start), 0)
		waitGone(t, pidFile, "the command's child %s is still running after the step")
	})
}

// TestSecretsSkipAForeignRuntimeDir: an XDG_RUNTIME_DIR the runner cannot
// write to (another user's, after sudo) is passed over for the next place.
func TestSecretsSkipAForeignRuntimeDir(t *testing.T) {
	runtimeDir := t.TempDir()
	// A file where the per-user area should be: the area cannot be made.
	if err := os.WriteFile(privdir.Area(runtimeDir), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	st := newSpec(dir, "sh", "-c", `cat "$WURZEL_SECRET_TOK_DIR/token" > token.txt`)
	st.Secrets = []spec.Secret{{Name: "tok", Keys: []string{"token"}, FromEnv: map[string]string{"token": "TOKEN_SOURCE"}}}
	wantCode(t, execSpec(t, st, func(o *Options) {
		o.Environ = append(o.Environ, "XDG_RUNTIME_DIR="+runtimeDir, "TOKEN_SOURCE="+secretValue)
	}), 0)
	if got := readFile(t, filepath.Join(dir, "work", "token.txt")); got != secretValue {
		t.Errorf("the command read %q", got)
	}
}
