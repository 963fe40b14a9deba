package dvc_test

import (
	"bytes"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/driver"
	"github.com/wurzel-dev/wurzel/internal/testcase"
	"github.com/wurzel-dev/wurzel/internal/yamlout/yamltest"
	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/lang"
	"github.com/wurzel-dev/wurzel/targets/dvc"
)

// These tests take pipelines through the front end, as `wurzel generate
// --target dvc` does.

// load loads and checks a pipeline for the DVC target and fails the test on
// any error.
func load(t *testing.T, path string) *ir.Pipeline {
	t.Helper()
	res := driver.Check(path, lang.Options{})
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
	files, err := dvc.New().Generate(p, backend.GenerateOptions{Version: "test"})
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

// conformanceCases are every pipeline the repository ships (the examples
// and the front end's valid cases) and this package's own test pipelines.
func conformanceCases(t *testing.T) map[string]testcase.Case {
	t.Helper()
	cases := map[string]testcase.Case{}
	for _, c := range testcase.Repository(t, dvc.RepoRoot(t)) {
		cases[c.Name] = c
	}
	own, _ := filepath.Glob(filepath.Join("testdata", "pipelines", "*"))
	played, _ := filepath.Glob(filepath.Join("testdata", "repro", "*"))
	for _, o := range append(own, played...) {
		name := "targets/dvc/" + filepath.ToSlash(o)
		cases[name] = testcase.Case{Name: name, Dir: o}
	}
	return cases
}

// options returns the variable values a case is loaded with.
func options(c testcase.Case) lang.Options {
	return lang.Options{Vars: c.Vars, VarFiles: c.VarFiles, Environ: c.Environ}
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
		res := driver.Check(c.Dir, options(c))
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
				t.Run(name+"/"+path, func(t *testing.T) { yamltest.Read(t, data) })
			}
		}
		again := generateFiles(t, driver.Check(c.Dir, options(c)).Pipeline)
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
