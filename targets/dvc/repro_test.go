package dvc_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/driver"
	"github.com/wurzel-dev/wurzel/internal/testbin"
	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/lang"
	"github.com/wurzel-dev/wurzel/targets/dvc"
)

// The tests in this file play `dvc repro` on generated projects: real DVC
// cannot be installed here, so they do what it does with a dvc.yaml (stages
// in dependency order, outs removed before a stage runs, cmd run with sh -c
// in the stage's wdir) and check what DVC checks (every dep exists before the
// stage, every out after it), with the real wurzel binary and runner.

// wurzelBinDir builds cmd/wurzel and its fetch helper once per test binary
// and returns the directory holding them, to put first on PATH.
func wurzelBinDir(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("sh"); err != nil {
		dvc.RequireTool(t, "sh not found: %v", err)
	}
	return testbin.Dir(t)
}

func TestMain(m *testing.M) {
	code := m.Run()
	testbin.Cleanup()
	os.Exit(code)
}

// playStage is a dvc.yaml stage as DVC sees it after templating.
type playStage struct {
	name       string
	cmds       []string
	wdir       string
	deps, outs []string
}

// readStages parses dvc.yaml in file order and undoes DVC's escaping of
// "${" as DVC's templating does.
func readStages(t *testing.T, data []byte) []playStage {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	root := doc.Content[0]
	var stagesNode *yaml.Node
	for i := 0; i < len(root.Content); i += 2 {
		if root.Content[i].Value == "stages" {
			stagesNode = root.Content[i+1]
		}
	}
	if stagesNode == nil {
		t.Fatal("dvc.yaml has no stages")
	}
	var stages []playStage
	for i := 0; i < len(stagesNode.Content); i += 2 {
		var raw struct {
			Cmd  any
			Wdir string
			Deps []string
			Outs []any
		}
		if err := stagesNode.Content[i+1].Decode(&raw); err != nil {
			t.Fatal(err)
		}
		st := playStage{name: stagesNode.Content[i].Value, wdir: unescape(raw.Wdir)}
		switch c := raw.Cmd.(type) {
		case string:
			st.cmds = []string{unescape(c)}
		case []any:
			for _, x := range c {
				st.cmds = append(st.cmds, unescape(fmt.Sprint(x)))
			}
		}
		for _, d := range raw.Deps {
			st.deps = append(st.deps, unescape(d))
		}
		for _, o := range raw.Outs {
			switch x := o.(type) {
			case string:
				st.outs = append(st.outs, unescape(x))
			case map[string]any:
				for k := range x {
					st.outs = append(st.outs, unescape(k))
				}
			}
		}
		stages = append(stages, st)
	}
	return stages
}

func unescape(s string) string { return strings.ReplaceAll(s, `\${`, "${") }

// within reports whether path a is b or inside it.
func within(a, b string) bool {
	return a == b || strings.HasPrefix(a, b+"/")
}

// dependencyOrder sorts stages as DVC does: a stage runs after every stage
// whose outs its deps are, contain or lie inside; ties keep file order.
func dependencyOrder(t *testing.T, stages []playStage) []playStage {
	t.Helper()
	after := make([]map[int]bool, len(stages))
	for b := range stages {
		after[b] = map[int]bool{}
		for _, d := range stages[b].deps {
			for a := range stages {
				for _, o := range stages[a].outs {
					if a != b && (within(d, o) || within(o, d)) {
						after[b][a] = true
					}
				}
			}
		}
	}
	var order []playStage
	done := make([]bool, len(stages))
	for len(order) < len(stages) {
		progress := false
		for b := range stages {
			if done[b] {
				continue
			}
			ready := true
			for a := range after[b] {
				ready = ready && done[a]
			}
			if ready {
				done[b] = true
				order = append(order, stages[b])
				progress = true
				break
			}
		}
		if !progress {
			t.Fatal("the stages form a cycle")
		}
	}
	return order
}

// playRepro runs every stage of project/dvc.yaml and returns the combined
// output of the commands.
func playRepro(t *testing.T, project string, env []string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(project, "dvc.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	for _, st := range dependencyOrder(t, readStages(t, data)) {
		wdir := filepath.Join(project, filepath.FromSlash(st.wdir))
		for _, d := range st.deps {
			if _, err := os.Stat(filepath.Join(wdir, d)); err != nil {
				t.Fatalf("stage %s: dep %s is missing before the stage runs: %v", st.name, d, err)
			}
		}
		for _, o := range st.outs {
			// DVC removes a stage's (non-persistent) outs before running it.
			if err := os.RemoveAll(filepath.Join(wdir, o)); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range st.cmds {
			cmd := exec.Command("sh", "-c", c)
			cmd.Dir = wdir
			cmd.Env = env
			out, err := cmd.CombinedOutput()
			logs.Write(out)
			if err != nil {
				t.Fatalf("stage %s: %s: %v\n%s", st.name, c, err, out)
			}
		}
		for _, o := range st.outs {
			if _, err := os.Stat(filepath.Join(wdir, o)); err != nil {
				t.Fatalf("stage %s: out %s is missing after the stage ran: %v", st.name, o, err)
			}
		}
		t.Logf("stage %s: %d deps present, ran, %d outs present", st.name, len(st.deps), len(st.outs))
	}
	return logs.String()
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
	if _, err := exec.LookPath("python3"); err != nil {
		dvc.RequireTool(t, "python3 not found: %v", err)
	}
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

	logs := playRepro(t, project, withPath(wurzelBinDir(t)))
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

// TestReproDiamond plays a pipeline that needs nothing but sh: a local
// source, a fan-out and fan-in, depends_on, a secret from the environment,
// a scratch volume and a watch path holding "${".
func TestReproDiamond(t *testing.T) {
	project := t.TempDir()
	copyDir(t, filepath.Join("testdata", "repro", "diamond"), project)
	p := load(t, project)
	if errs := dvcErrors(p); len(errs) > 0 {
		t.Fatalf("dvc check: %+v", errs)
	}
	files, err := dvc.New().Generate(p, backend.GenerateOptions{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, project, files)

	logs := playRepro(t, project, withPath(wurzelBinDir(t), "DIAMOND_TOKEN="+secretValue))
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
	playRepro(t, project, withPath(wurzelBinDir(t), "DIAMOND_TOKEN="+secretValue))
	if _, err := os.Stat(filepath.Join(pipelineDir, "data", "notify", "done")); err != nil {
		t.Errorf("the last stage's output is not in the pipeline directory: %v", err)
	}
}
