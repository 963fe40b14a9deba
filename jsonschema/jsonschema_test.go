package jsonschema

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	sj "github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/wurzel-dev/wurzel/driver"
	"github.com/wurzel-dev/wurzel/internal/testcase"
	"github.com/wurzel-dev/wurzel/lang"
)

// compile compiles the generated schema; the compiler checks it against the
// draft 2020-12 meta-schema first.
func compile(t *testing.T) *sj.Schema {
	t.Helper()
	doc, err := sj.UnmarshalJSON(bytes.NewReader(Generate(driver.Schema())))
	if err != nil {
		t.Fatalf("the schema is not JSON: %v", err)
	}
	c := sj.NewCompiler()
	c.DefaultDraft(sj.Draft2020)
	if err := c.AddResource(ID, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(ID)
	if err != nil {
		t.Fatalf("the schema does not compile: %v", err)
	}
	return s
}

func validate(t *testing.T, s *sj.Schema, src []byte) error {
	t.Helper()
	v, err := sj.UnmarshalJSON(bytes.NewReader(src))
	if err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	return s.Validate(v)
}

func TestDeterministic(t *testing.T) {
	if !bytes.Equal(Generate(driver.Schema()), Generate(driver.Schema())) {
		t.Error("two generations differ")
	}
}

// TestAcceptsWhatTheFrontEndAccepts validates every JSON pipeline file of the
// repository (examples, test data) that the front end loads without error,
// and this package's own example.
func TestAcceptsWhatTheFrontEndAccepts(t *testing.T) {
	s := compile(t)
	files := jsonPipelineFiles(t, "..") // the repository, never what lies beside it
	if len(files) == 0 {
		t.Fatal("found no .wurzel.hcl.json files")
	}
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		res := driver.Check(path, lang.Options{})
		if res.Diagnostics.HasErrors() {
			if strings.HasPrefix(path, filepath.Join("testdata")) {
				t.Errorf("%s: the front end rejects this package's own example: %v", path, res.Diagnostics)
			}
			continue
		}
		if err := validate(t, s, src); err != nil {
			t.Errorf("%s: the front end accepts it but the schema rejects it:\n%v", path, err)
		}
	}
}

// TestAcceptsTheValidFixtures validates the JSON files of the txtar
// fixtures of valid pipelines (lang's golden tests), loading each archive's
// files together, since a pipeline may span files of both syntaxes.
func TestAcceptsTheValidFixtures(t *testing.T) {
	s := compile(t)
	archives, _ := filepath.Glob(filepath.Join("..", "testdata", "valid", "*.txtar"))
	checked := 0
	for _, path := range archives {
		c := testcase.Extract(t, path)
		opts := lang.Options{Vars: c.Vars, VarFiles: c.VarFiles, Environ: c.Environ}
		res := driver.Check(c.Dir, opts)
		if res.Diagnostics.HasErrors() {
			t.Fatalf("%s: a valid fixture does not load: %v", path, res.Diagnostics)
		}
		names, _ := filepath.Glob(filepath.Join(c.Dir, "*"+lang.JSONSuffix))
		for _, name := range names {
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			checked++
			if err := validate(t, s, data); err != nil {
				t.Errorf("%s: %s: the front end accepts it but the schema rejects it:\n%v", path, filepath.Base(name), err)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no JSON files found in the valid fixtures")
	}
	t.Logf("validated %d JSON files of valid fixtures", checked)
}

// TestRejectsTheUnknownAttributeFixture checks the invalid fixture whose
// mistake is one of shape, which the schema sees without evaluating
// anything. (The other invalid JSON fixtures need the checker: a bad
// duration is still a string, a reference to nothing is still a string.)
func TestRejectsTheUnknownAttributeFixture(t *testing.T) {
	s := compile(t)
	path := filepath.Join("..", "testdata", "invalid", "json_unknown_attribute"+lang.JSONSuffix)
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("fixture missing: %v", err)
	}
	err = validate(t, s, src)
	if err == nil || !strings.Contains(err.Error(), "comand") {
		t.Errorf("%s: want a rejection naming comand, got %v", path, err)
	}
}

func jsonPipelineFiles(t *testing.T, root string) []string {
	t.Helper()
	files := []string{filepath.Join("testdata", "rag-ingest.wurzel.hcl.json")}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, lang.JSONSuffix) && !strings.Contains(path, filepath.Join("jsonschema", "testdata")) {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestRejects checks that mistakes an editor should flag are refused.
func TestRejects(t *testing.T) {
	s := compile(t)
	base, err := os.ReadFile(filepath.Join("testdata", "rag-ingest.wurzel.hcl.json"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		mutate func(doc map[string]any)
		want   string // part of the validation error
	}{
		{"unknown step attribute", func(doc map[string]any) {
			step(doc, "read")["imagee"] = "x"
		}, "imagee"},
		{"unknown top-level block", func(doc map[string]any) {
			doc["stepp"] = map[string]any{}
		}, "stepp"},
		{"wrong type", func(doc map[string]any) {
			step(doc, "read")["command"] = 5.0
		}, "command"},
		{"value outside the allowed set", func(doc map[string]any) {
			doc["volume"].(map[string]any)["embed-cache"].(map[string]any)["type"] = "tmpfs"
		}, "type"},
		{"missing required attribute", func(doc map[string]any) {
			delete(step(doc, "read"), "command")
		}, "command"},
		{"fractional integer", func(doc map[string]any) {
			step(doc, "embed")["retry"].(map[string]any)["attempts"] = 1.5
		}, "attempts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc map[string]any
			if err := json.Unmarshal(base, &doc); err != nil {
				t.Fatal(err)
			}
			tt.mutate(doc)
			src, _ := json.Marshal(doc)
			err := validate(t, s, src)
			if err == nil {
				t.Fatal("the schema accepts it")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error does not mention %q:\n%v", tt.want, err)
			}
		})
	}
}

func step(doc map[string]any, name string) map[string]any {
	return doc["step"].(map[string]any)[name].(map[string]any)
}

// TestAcceptsTemplatesAndArrays checks HCL JSON forms beyond plain values:
// interpolations where numbers and bools go, blocks given as arrays, and
// comments.
func TestAcceptsTemplatesAndArrays(t *testing.T) {
	s := compile(t)
	src := `{
  "//": "comment",
  "step": [
    {"a": {"command": ["x"], "timeout": "1h", "retry": {"attempts": "${var.n}"}}},
    {"b": {"command": "${split(\",\", var.cmd)}", "output": [{"o": {"path": "o"}}]}}
  ],
  "variable": {"n": {"default": 3, "sensitive": "${false}"}}
}`
	if err := validate(t, s, []byte(src)); err != nil {
		t.Error(err)
	}
}
