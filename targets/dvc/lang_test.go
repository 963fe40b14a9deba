package dvc_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	k8syaml "sigs.k8s.io/yaml"

	"github.com/wurzel-dev/wurzel/compiler"
	"github.com/wurzel-dev/wurzel/compiler/ir"
	"github.com/wurzel-dev/wurzel/lang"
	"github.com/wurzel-dev/wurzel/targets/dvc"
)

// These tests take pipelines through the front end, as `wurzel generate
// --target dvc` does.

// load loads and checks a pipeline for the DVC target and fails the test on
// any error.
func load(t *testing.T, path string) *ir.Pipeline {
	t.Helper()
	res := lang.Load(path, lang.Options{})
	if res.Pipeline == nil || res.Diagnostics.HasErrors() {
		t.Fatalf("%s: %v", path, res.Diagnostics)
	}
	return res.Pipeline
}

func dvcErrors(p *ir.Pipeline) []ir.Diagnostic {
	var errs []ir.Diagnostic
	for _, d := range dvc.New().Check(p) {
		if d.Severity == ir.Error {
			errs = append(errs, d)
		}
	}
	return errs
}

func generateFiles(t *testing.T, p *ir.Pipeline) map[string][]byte {
	t.Helper()
	files, err := dvc.New().Generate(p, compiler.GenerateOptions{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		out[f.Path] = f.Data
	}
	return out
}

// TestGoldenThroughLang compares what the front end and the target make of
// the pipelines in testdata/pipelines with testdata/golden/lang-<name>.txtar.
func TestGoldenThroughLang(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("testdata", "pipelines", "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no pipelines in testdata/pipelines: %v", err)
	}
	for _, dir := range dirs {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			p := load(t, dir)
			if errs := dvcErrors(p); len(errs) > 0 {
				t.Fatalf("dvc check: %+v", errs)
			}
			dvc.CheckGolden(t, filepath.Join("testdata", "golden", "lang-"+name+".txtar"), generateFiles(t, p))
		})
	}
}

// pipelineCase is a pipeline lang.Load accepts, with its options.
type pipelineCase struct {
	path string
	opts lang.Options
}

// conformanceCases are every pipeline the repository ships: the examples,
// the valid front-end test cases and this package's own pipelines.
func conformanceCases(t *testing.T) map[string]pipelineCase {
	t.Helper()
	root := dvc.RepoRoot(t)
	cases := map[string]pipelineCase{}
	examples, _ := filepath.Glob(filepath.Join(root, "examples", "*"))
	for _, e := range examples {
		if fi, err := os.Stat(e); err == nil && fi.IsDir() {
			cases["examples/"+filepath.Base(e)] = pipelineCase{path: e}
		}
	}
	if len(cases) == 0 {
		t.Fatal("no examples found")
	}
	valid, _ := filepath.Glob(filepath.Join(root, "testdata", "valid", "*.txtar"))
	for _, v := range valid {
		cases["testdata/valid/"+filepath.Base(v)] = extractTxtar(t, v)
	}
	own, _ := filepath.Glob(filepath.Join("testdata", "pipelines", "*"))
	played, _ := filepath.Glob(filepath.Join("testdata", "repro", "*"))
	for _, o := range append(own, played...) {
		cases["targets/dvc/"+filepath.ToSlash(o)] = pipelineCase{path: o}
	}
	return cases
}

// extractTxtar writes the pipeline files of a front-end test archive into a
// fresh directory and reads its "options" section (lines "var NAME=VALUE",
// "var-file FILE", "env KEY=VALUE"); the expected IR and diagnostics
// sections are left out.
func extractTxtar(t *testing.T, file string) pipelineCase {
	t.Helper()
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	c := pipelineCase{path: dir}
	for _, f := range ar.Files {
		switch f.Name {
		case "ir.json", "diagnostics":
			continue
		case "options":
			c.opts = parseOptions(t, dir, f.Data)
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if !strings.HasPrefix(p, dir+string(filepath.Separator)) {
			t.Fatalf("%s: file %q leaves the archive", file, f.Name)
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func parseOptions(t *testing.T, dir string, data []byte) lang.Options {
	t.Helper()
	var o lang.Options
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		kind, val, _ := strings.Cut(strings.TrimSpace(line), " ")
		switch kind {
		case "var":
			o.Vars = append(o.Vars, val)
		case "var-file":
			o.VarFiles = append(o.VarFiles, filepath.Join(dir, val))
		case "env":
			o.Environ = append(o.Environ, val)
		case "":
		default:
			t.Fatalf("options: unknown line %q", line)
		}
	}
	return o
}

// TestConformance validates the dvc.yaml of every shipped pipeline against
// DVC's official schema, requires YAML 1.1 and 1.2 readers to agree on every
// YAML file, and requires byte-identical output from a second load.
func TestConformance(t *testing.T) {
	sch := dvc.DVCSchema(t)
	cases := conformanceCases(t)
	names := make([]string, 0, len(cases))
	for n := range cases {
		names = append(names, n)
	}
	sort.Strings(names)
	validated := 0
	for _, name := range names {
		c := cases[name]
		res := lang.Load(c.path, c.opts)
		if res.Pipeline == nil || res.Diagnostics.HasErrors() {
			t.Errorf("%s: does not load: %v", name, res.Diagnostics)
			continue
		}
		if errs := dvcErrors(res.Pipeline); len(errs) > 0 {
			// A valid pipeline may still use what DVC cannot run (a secret
			// without a local source); the check says so and nothing is
			// generated.
			t.Logf("%s: not generated for DVC: %s: %s", name, errs[0].Summary, errs[0].Detail)
			continue
		}
		files := generateFiles(t, res.Pipeline)
		dvc.ValidateDVC(t, sch, name, files["dvc.yaml"])
		for path, data := range files {
			if strings.HasSuffix(path, ".yaml") {
				readersAgree(t, name+"/"+path, data)
			}
		}
		again := generateFiles(t, lang.Load(c.path, c.opts).Pipeline)
		for path, data := range files {
			if !bytes.Equal(again[path], data) {
				t.Errorf("%s: %s differs between two runs", name, path)
			}
		}
		validated++
	}
	if validated < 4 {
		t.Errorf("only %d pipelines validated", validated)
	}
	t.Logf("%d of %d pipelines validated against DVC's schema", validated, len(names))
}

func readersAgree(t *testing.T, name string, data []byte) {
	t.Helper()
	v12, err := dvc.YAML12JSON(data)
	if err != nil {
		t.Errorf("%s: YAML 1.2: %v", name, err)
		return
	}
	j12, _ := json.Marshal(v12)
	j11, err := k8syaml.YAMLToJSON(data)
	if err != nil {
		t.Errorf("%s: YAML 1.1: %v", name, err)
		return
	}
	var a, b any
	_ = json.Unmarshal(j11, &a)
	_ = json.Unmarshal(j12, &b)
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Errorf("%s: YAML readers disagree\n1.1: %s\n1.2: %s", name, ja, jb)
	}
}
