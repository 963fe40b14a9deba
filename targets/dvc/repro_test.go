package dvc_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/driver"
	"github.com/wurzel-dev/wurzel/internal/dvcplay"
	"github.com/wurzel-dev/wurzel/internal/testbin"
	"github.com/wurzel-dev/wurzel/internal/testtool"
	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/lang"
	"github.com/wurzel-dev/wurzel/targets/dvc"
)

// The tests in this file play `dvc repro` on generated projects (see
// internal/dvcplay) with the real wurzel binary and runner.

// wurzelBinDir builds cmd/wurzel and its fetch helper once per test binary
// and returns the directory holding them, to put first on PATH.
func wurzelBinDir(t *testing.T) string {
	t.Helper()
	testtool.Need(t, "sh", "a POSIX shell")
	return testbin.Dir(t)
}

func TestMain(m *testing.M) {
	code := m.Run()
	testbin.Cleanup()
	os.Exit(code)
}

// withPath returns the environment with dir first on PATH.
func withPath(dir string, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PATH=") && !strings.HasPrefix(kv, "WURZEL_") {
			env = append(env, kv)
		}
	}
	env = append(env, "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	return append(env, extra...)
}

func writeFiles(t *testing.T, dir string, files []backend.File) {
	t.Helper()
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			if d.Name() == ".wurzel" || d.Name() == "data" && rel == "data" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}

const secretValue = "s3cr3t-value-that-must-not-leak"

// provideSecrets writes a test value into every key file of every secret
// whose local directory the project does not ship, and returns the values of
// all key files, shipped or written.
func provideSecrets(t *testing.T, dir string, p *ir.Pipeline) []string {
	t.Helper()
	var values []string
	for _, s := range p.Secrets {
		if s.Local == nil || s.Local.Dir == "" {
			continue
		}
		sd := filepath.Join(dir, filepath.FromSlash(s.Local.Dir))
		if err := os.MkdirAll(sd, 0o700); err != nil {
			t.Fatal(err)
		}
		for _, k := range s.Keys {
			kf := filepath.Join(sd, k)
			if data, err := os.ReadFile(kf); err == nil {
				values = append(values, strings.TrimSpace(string(data)))
				continue
			}
			if err := os.WriteFile(kf, []byte(secretValue), 0o600); err != nil {
				t.Fatal(err)
			}
			values = append(values, secretValue)
		}
	}
	return values
}

// assertNoSecret fails when a secret value appears in a generated file or
// in what the stages printed.
func assertNoSecret(t *testing.T, secrets []string, files []backend.File, logs string) {
	t.Helper()
	for _, v := range secrets {
		if len(v) < 8 {
			t.Fatalf("secret value %q is too short to search for", v)
		}
		for _, f := range files {
			if bytes.Contains(f.Data, []byte(v)) {
				t.Errorf("secret value in generated %s", f.Path)
			}
		}
		if strings.Contains(logs, v) {
			t.Errorf("secret value in the stages' logs")
		}
	}
}

// TestReproExample generates the bundled example through the front end and
// plays `dvc repro` on it.
func TestReproExample(t *testing.T) {
	testtool.Need(t, "python3", "Debian package python3")
	root := dvc.RepoRoot(t)
	project := t.TempDir()
	copyDir(t, filepath.Join(root, "examples", "rag-ingest"), project)

	res := driver.Check(project, lang.Options{})
	if res.Pipeline == nil || res.Diagnostics.HasErrors() {
		t.Fatalf("loading the example: %v", res.Diagnostics)
	}
	target := dvc.New()
	for _, d := range target.Check(res.Pipeline) {
		if d.Severity == ir.Error {
			t.Fatalf("dvc check: %s: %s: %s", d.Subject, d.Summary, d.Detail)
		}
	}
	files, err := target.Generate(res.Pipeline, backend.GenerateOptions{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, project, files)
	secrets := provideSecrets(t, project, res.Pipeline)

	logs := dvcplay.Play(t, project, withPath(wurzelBinDir(t)))
	assertNoSecret(t, secrets, files, logs)
	assertManifests(t, project, res.Pipeline)
}

// assertManifests checks that every step left a manifest listing its
// outputs, as consumers require.
func assertManifests(t *testing.T, project string, p *ir.Pipeline) {
	t.Helper()
	dataDir := "data"
	if b := p.Extension("dvc"); b != nil && b.Attrs["data_dir"] != nil {
		dataDir = b.Attrs["data_dir"].Value.(string)
	}
	for _, s := range p.Steps {
		data, err := os.ReadFile(filepath.Join(project, dataDir, s.Name, "manifest.json"))
		if err != nil {
			t.Fatalf("step %s: %v", s.Name, err)
		}
		var m struct {
			Version string
			Step    string
			Outputs []struct{ Name string }
		}
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatalf("step %s: manifest: %v", s.Name, err)
		}
		if m.Version != "wurzel.dev/manifest/v1" || m.Step != s.Name || len(m.Outputs) != len(s.Outputs) {
			t.Errorf("step %s: manifest = %s", s.Name, data)
		}
	}
}

// generatedProject copies testdata/repro/<name> to a fresh directory and
// generates the DVC project there.
func generatedProject(t *testing.T, name string) (string, *ir.Pipeline, []backend.File) {
	t.Helper()
	project := t.TempDir()
	copyDir(t, filepath.Join("testdata", "repro", name), project)
	p := load(t, project)
	if errs := dvcErrors(p); len(errs) > 0 {
		t.Fatalf("dvc check: %+v", errs)
	}
	files, err := dvc.New().Generate(p, backend.GenerateOptions{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, project, files)
	return project, p, files
}

// TestReproDiamond plays a pipeline that needs nothing but sh: a local
// source, a fan-out and fan-in, depends_on, a secret from the environment,
// a scratch volume and a watch path holding "${".
func TestReproDiamond(t *testing.T) {
	project, p, files := generatedProject(t, "diamond")

	logs := dvcplay.Play(t, project, withPath(wurzelBinDir(t), "DIAMOND_TOKEN="+secretValue))
	assertNoSecret(t, []string{secretValue}, files, logs)
	assertManifests(t, project, p)

	joined, err := os.ReadFile(filepath.Join(project, "data", "join", "joined"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "ALPHA\nBETA\n${not-a-dvc-var}\n2\n"; strings.ReplaceAll(string(joined), " ", "") != want {
		t.Errorf("joined = %q, want %q", joined, want)
	}
	if _, err := os.Stat(filepath.Join(project, ".wurzel", "volumes", "tmp")); err != nil {
		t.Errorf("scratch volume not created: %v", err)
	}
	// The metric and the plot are where dvc.yaml's metrics and plots say,
	// with the extension DVC reads them by.
	var scores struct{ Words int }
	if data, err := os.ReadFile(filepath.Join(project, "data", "measure", "scores.json")); err != nil || json.Unmarshal(data, &scores) != nil || scores.Words != 2 {
		t.Errorf("metric: %q, %v", data, err)
	}
	if data, err := os.ReadFile(filepath.Join(project, "data", "measure", "words.csv")); err != nil || string(data) != "step,words\n1,2\n" {
		t.Errorf("plot: %q, %v", data, err)
	}
	// The claim's local directory was not in the checkout: the stage made
	// it, and the step wrote to it.
	if got, err := os.ReadFile(filepath.Join(project, "cache", "lines")); err != nil || strings.TrimSpace(string(got)) != "2" {
		t.Errorf("claim volume: %q, %v", got, err)
	}
}

// TestReproFromAbove generates the diamond into a directory above the
// pipeline, as for a DVC project at the root of a repository: the stages
// then run with the pipeline directory as their wdir.
func TestReproFromAbove(t *testing.T) {
	project := t.TempDir()
	pipelineDir := filepath.Join(project, "pipelines", "diamond")
	copyDir(t, filepath.Join("testdata", "repro", "diamond"), pipelineDir)
	p := load(t, pipelineDir)
	files, err := dvc.New().Generate(p, backend.GenerateOptions{OutputDir: project})
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, project, files)
	dvcplay.Play(t, project, withPath(wurzelBinDir(t), "DIAMOND_TOKEN="+secretValue))
	if _, err := os.Stat(filepath.Join(pipelineDir, "data", "notify", "done")); err != nil {
		t.Errorf("the last stage's output is not in the pipeline directory: %v", err)
	}
}

// TestReproReadsEditedParams edits params.yaml after generating, as `dvc
// exp run -S suffix=...` does, and plays dvc repro: the step sees the new
// value, and its spec (a dep of the stage) names the variable rather than
// holding the value, so editing params.yaml changes only params.yaml.
func TestReproReadsEditedParams(t *testing.T) {
	project := t.TempDir()
	copyDir(t, filepath.Join("testdata", "repro", "diamond"), project)
	p := load(t, project)
	files, err := dvc.New().Generate(p, backend.GenerateOptions{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, project, files)
	spec, err := os.ReadFile(filepath.Join(project, "wurzel", "steps", "upper.json"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(spec), "not-a-dvc-var") || !strings.Contains(string(spec), `"var": "suffix"`) {
		t.Fatalf("the spec holds the value rather than naming the variable:\n%s", spec)
	}
	params := filepath.Join(project, "params.yaml")
	data, err := os.ReadFile(params)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(data), `suffix: "${not-a-dvc-var}"`, `suffix: "edited: 'at run time'"`, 1)
	if edited == string(data) {
		t.Fatalf("params.yaml has no suffix to edit:\n%s", data)
	}
	if err := os.WriteFile(params, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	dvcplay.Play(t, project, withPath(wurzelBinDir(t), "DIAMOND_TOKEN="+secretValue))
	upper, err := os.ReadFile(filepath.Join(project, "data", "upper", "upper"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "ALPHA\nBETA\nedited: 'at run time'\n"; string(upper) != want {
		t.Errorf("upper = %q, want %q", upper, want)
	}

	// A variable params.yaml lacks fails the stage before its command runs,
	// naming it.
	if err := os.WriteFile(params, []byte("other: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(filepath.Join(wurzelBinDir(t), "wurzel"), "step", "exec", "--spec", "wurzel/steps/upper.json")
	cmd.Dir = project
	cmd.Env = withPath(wurzelBinDir(t))
	out, err := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); err == nil || code != 120 || !strings.Contains(string(out), `variable \"suffix\" is not in params.yaml`) {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

// TestReproForEach plays a pipeline with steps with for_each: DVC expands
// their foreach stages, each instance runs with its own key and source, and
// the fan-in sees every instance's output in key order.
func TestReproForEach(t *testing.T) {
	project, p, files := generatedProject(t, "foreach")
	dvcYAML := string(files[0].Data)
	for _, want := range []string{"  prepare:\n    foreach:\n", "  count:\n    foreach:\n", "data/prepare-${item}/rows", "always_changed: true"} {
		if !strings.Contains(dvcYAML, want) {
			t.Errorf("dvc.yaml lacks %q:\n%s", want, dvcYAML)
		}
	}
	if strings.Contains(dvcYAML, "prepare-north:") {
		t.Errorf("the instances are written as stages of their own:\n%s", dvcYAML)
	}

	dvcplay.Play(t, project, withPath(wurzelBinDir(t)))
	assertManifests(t, project, p)
	all, err := os.ReadFile(filepath.Join(project, "data", "merge", "all"))
	if err != nil {
		t.Fatal(err)
	}
	want := "east\nnorth\nsouth\nrows of east\neast rows\nrows of north\nnorth rows\nrows of south\nsouth rows\n2\n2\n2\n"
	if got := strings.ReplaceAll(string(all), " 2", "2"); got != want {
		t.Errorf("merge wrote %q, want %q", all, want)
	}
}
