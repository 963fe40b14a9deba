package stepcmd

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/runner"
	"github.com/wurzel-dev/wurzel/runner/manifest"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

// writeSpec writes the spec of a step that runs script with sh and
// publishes out.txt under dir/store, and returns the spec file's path.
func writeSpec(t *testing.T, dir, script string) string {
	t.Helper()
	data, err := spec.Marshal(&spec.Step{
		Version: spec.Version, Pipeline: "demo", Step: "hello",
		Command: []string{"sh", "-c", script},
		Workdir: filepath.Join(dir, "work"),
		Outputs: []spec.Output{{Name: "out", Path: "out.txt", Kind: spec.KindFile,
			Location: filepath.Join(dir, "store", "out.txt")}},
		Manifest: filepath.Join(dir, "store", "manifest.json"),
	})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "spec.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func runStep(environ []string, args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = Main("v1.2.3-test", args, append([]string{"PATH=" + os.Getenv("PATH")}, environ...), &out, &errb)
	return code, out.String(), errb.String()
}

func TestRunsTheStepAndWritesTheManifest(t *testing.T) {
	dir := t.TempDir()
	specFile := writeSpec(t, dir, `printf 'step %s' "$WURZEL_RUN_ID" > out.txt`)
	code, _, stderr := runStep([]string{spec.EnvRunID + "=run-7"}, "--spec", specFile)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	data, err := os.ReadFile(filepath.Join(dir, "store", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := manifest.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte("step run-7"))
	if m.RunID != "run-7" || len(m.Outputs) != 1 || len(m.Outputs[0].Files) != 1 ||
		m.Outputs[0].Files[0].SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("manifest = %s; want run-7 and out.txt holding %q", data, "step run-7")
	}
	if !strings.Contains(stderr, `"msg":"step succeeded"`) {
		t.Errorf("stderr has no runner log:\n%s", stderr)
	}
}

func TestSpecFromTheEnvironmentAndRunIDFlag(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile(writeSpec(t, dir, `printf '%s' "$WURZEL_RUN_ID" > out.txt`))
	if err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runStep([]string{spec.EnvSpec + "=" + string(data), spec.EnvRunID + "=from-env"}, "--run-id", "from-flag")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	got, err := os.ReadFile(filepath.Join(dir, "store", "out.txt"))
	if err != nil || string(got) != "from-flag" {
		t.Errorf("out.txt = %q, %v; want the run id of the flag", got, err)
	}
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	specFile := writeSpec(t, dir, "exit 3")
	for name, tc := range map[string]struct {
		args   []string
		code   int
		stderr string
	}{
		"command's own status": {[]string{"--spec", specFile}, 3, `"exit_code":3`},
		"no spec":              {nil, runner.CodeBadSpec, "wurzel-step: no step spec"},
		"two specs":            {[]string{"--spec", specFile, "--spec-json", "{}"}, runner.CodeBadSpec, "mutually exclusive"},
		"missing file":         {[]string{"--spec", filepath.Join(dir, "none.json")}, runner.CodeBadSpec, "reading the step spec"},
		"bad JSON":             {[]string{"--spec-json", "{"}, runner.CodeBadSpec, "wurzel-step: "},
		"unknown flag":         {[]string{"--nope"}, runner.CodeBadSpec, "flag provided but not defined: -nope"},
		"argument":             {[]string{"--spec", specFile, "extra"}, runner.CodeBadSpec, `takes no arguments, got ["extra"]`},
		"help":                 {[]string{"--help"}, 0, "usage: wurzel-step"},
	} {
		t.Run(name, func(t *testing.T) {
			code, _, stderr := runStep(nil, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d and %q", code, stderr, tc.code, tc.stderr)
			}
		})
	}
}

// TestRefusesS3WithoutTheHelper: wurzel-step reaches S3 through the fetch
// helper, so without one a spec with an s3:// location is refused before
// its command runs, saying what is missing.
func TestRefusesS3WithoutTheHelper(t *testing.T) {
	dir := t.TempDir()
	data, err := spec.Marshal(&spec.Step{
		Version: spec.Version, Pipeline: "demo", Step: "hello",
		Command:  []string{"sh", "-c", "touch ran"},
		Workdir:  filepath.Join(dir, "work"),
		Manifest: "s3://bucket/demo/manifest.json",
	})
	if err != nil {
		t.Fatal(err)
	}
	// No helper on PATH either, whatever the machine has.
	code, _, stderr := runStep([]string{"PATH=" + dir}, "--spec-json", string(data))
	if code != runner.CodeBadSpec || !strings.Contains(stderr, "location s3://bucket/demo/manifest.json: s3:// locations: the fetch helper wurzel-fetch is not installed") {
		t.Errorf("exit %d, stderr:\n%s\nwant 120 naming the location and the helper", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "work", "ran")); err == nil {
		t.Error("the command ran")
	}
}

// TestRefusesParamsFiles: wurzel-step reads no YAML, so a spec whose
// variables come from a params file (DVC's params.yaml) is refused before
// its command runs, saying what to use; the parameter files of one value
// each that Argo pods get still work.
func TestRefusesParamsFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "params.yaml"), []byte("greeting: hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "values"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "values", "greeting"), []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	step := func(params spec.Params) string {
		params.Types = map[string]string{"greeting": spec.TypeString}
		params.Args = []spec.ArgValue{{Index: 2, Value: spec.Value{{Text: "echo "}, {Var: "greeting"}, {Text: " > ran"}}}}
		data, err := spec.Marshal(&spec.Step{
			Version: spec.Version, Pipeline: "demo", Step: "hello",
			Command:  []string{"sh", "-c", "placeholder"},
			Workdir:  filepath.Join(dir, "work"),
			Manifest: filepath.Join(dir, "manifest.json"),
			Params:   &params,
		})
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}

	code, _, stderr := runStep(nil, "--spec-json", step(spec.Params{File: filepath.Join(dir, "params.yaml")}))
	if code != runner.CodeBadSpec || !strings.Contains(stderr, "this runner reads no params files") ||
		!strings.Contains(stderr, "wurzel step exec") {
		t.Errorf("params file: exit %d, stderr:\n%s\nwant 120 naming wurzel step exec", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "work", "ran")); err == nil {
		t.Error("params file: the command ran")
	}

	code, _, stderr = runStep(nil, "--spec-json", step(spec.Params{Dir: filepath.Join(dir, "values")}))
	if code != 0 {
		t.Fatalf("parameter files: exit %d, stderr:\n%s", code, stderr)
	}
	if got, err := os.ReadFile(filepath.Join(dir, "work", "ran")); err != nil || string(got) != "hello\n" {
		t.Errorf("parameter files: the command wrote %q (%v), want %q", got, err, "hello\n")
	}
}

func TestVersion(t *testing.T) {
	code, stdout, _ := runStep(nil, "--version")
	if code != 0 || stdout != "wurzel-step v1.2.3-test\n" {
		t.Errorf("--version: exit %d, %q", code, stdout)
	}
}
