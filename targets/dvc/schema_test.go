package dvc

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/internal/yamlout/yamltest"
)

// repoRoot is the directory holding go.mod.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
}

// schemaFile is DVC's dvc.yaml schema, vendored with its provenance in
// testdata/schema/README.md.
var schemaFile = filepath.Join("testdata", "schema", "dvc-yaml.schema.json")

// dvcSchema compiles DVC's official dvc.yaml schema.
func dvcSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	data, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := yaml12JSON(data)
	if err != nil {
		t.Fatalf("reading %s: %v", schemaFile, err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("dvc-yaml.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("dvc-yaml.schema.json")
	if err != nil {
		t.Fatalf("compiling %s: %v", schemaFile, err)
	}
	return sch
}

// TestVendoredSchemaIsCurrent compares the vendored schema with the copy in
// a shared/schemas directory beside the repository, when there is one (the
// place the project's reference schemas are kept). A clone with nothing
// beside it skips.
func TestVendoredSchemaIsCurrent(t *testing.T) {
	shared := filepath.Join(repoRoot(t), "..", "shared", "schemas", "dvc-yaml.schema.json")
	want, err := os.ReadFile(shared)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("no %s beside the repository", shared)
	}
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s: copy it over and record its commit in testdata/schema/README.md", schemaFile, shared)
	}
}

// yaml12JSON reads YAML with a YAML 1.2 reader, as DVC does, and returns
// the value in the form the schema validator expects.
func yaml12JSON(data []byte) (any, error) {
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	js, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(js))
}

// validateDVC checks one generated dvc.yaml against the schema.
func validateDVC(t *testing.T, sch *jsonschema.Schema, name string, data []byte) {
	t.Helper()
	inst, err := yaml12JSON(data)
	if err != nil {
		t.Errorf("%s: not YAML: %v", name, err)
		return
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("%s does not validate against DVC's schema: %v\n%s", name, err, data)
	}
}

func TestSchemaHandBuilt(t *testing.T) {
	sch := dvcSchema(t)
	cases := goldenCases()
	cases["hostile"] = hostile()
	names := make([]string, 0, len(cases))
	for name := range cases {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		validateDVC(t, sch, name, generate(t, cases[name])["dvc.yaml"])
	}
}

// TestSchemaRejectsBrokenFile shows the validator would catch a mistake, so
// that a passing conformance test means something.
func TestSchemaRejectsBrokenFile(t *testing.T) {
	sch := dvcSchema(t)
	for _, bad := range []string{
		"stages:\n  a:\n    deps: [x]\n",                           // no cmd
		"stages:\n  a:\n    cmd: x\n    outs: [a, a]\n",            // duplicate outs
		"stages:\n  a:\n    cmd: x\n    always_changed: \"yes\"\n", // a string, not a bool
		"stages:\n  a:\n    cmd: x\n    out: [a]\n",                // unknown field
	} {
		inst, err := yaml12JSON([]byte(bad))
		if err != nil {
			t.Fatal(err)
		}
		if sch.Validate(inst) == nil {
			t.Errorf("schema accepted:\n%s", bad)
		}
	}
}

// TestYAMLReadersAgree reads every generated YAML file with a YAML 1.2
// reader (as DVC's ruamel.yaml) and a YAML 1.1 reader and requires the same
// data from both.
func TestYAMLReadersAgree(t *testing.T) {
	cases := goldenCases()
	cases["hostile"] = hostile()
	for name, p := range cases {
		for path, data := range generate(t, p) {
			if filepath.Ext(path) == ".yaml" {
				t.Run(name+"/"+path, func(t *testing.T) { yamltest.Read(t, data) })
			}
		}
	}
}
