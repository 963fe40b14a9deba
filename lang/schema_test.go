package lang

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/compiler/ir"
	"github.com/wurzel-dev/wurzel/internal/testcase"
)

const (
	beginSchema = "<!-- BEGIN GENERATED REFERENCE (go test ./lang -run TestDocs -update) -->\n"
	endSchema   = "<!-- END GENERATED REFERENCE -->\n"
)

// TestDocs checks that docs/language.md holds the reference generated from
// Schema, and that the prose mentions every block type.
func TestDocs(t *testing.T) {
	path := "../docs/language.md"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	start, end := strings.Index(doc, beginSchema), strings.Index(doc, endSchema)
	if start < 0 || end < start {
		t.Fatalf("%s lacks the generated reference markers", path)
	}
	want := schemaMarkdown()
	got := doc[start+len(beginSchema) : end]
	if *update {
		doc = doc[:start+len(beginSchema)] + want + doc[end:]
		if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got != want {
		t.Errorf("the reference in %s is out of date: run go test ./lang -run TestDocs -update", path)
	}
	prose := doc[:start] + doc[end:]
	Walk(Schema, func(p []string, b *BlockSchema) {
		for _, a := range b.Attributes {
			if !strings.Contains(doc, "`"+a.Name+"`") {
				t.Errorf("docs do not mention attribute %s.%s", strings.Join(p, "."), a.Name)
			}
		}
		if !strings.Contains(prose, b.Type) {
			t.Errorf("the prose of the docs never mentions block %s", strings.Join(p, "."))
		}
	})
	for _, fn := range FunctionNames() {
		if !strings.Contains(prose, "`"+fn+"`") {
			t.Errorf("docs do not list function %s", fn)
		}
	}
}

// TestSchemaTable checks the table's own consistency: names unique, types
// and formats known, allowed values only on strings.
func TestSchemaTable(t *testing.T) {
	types := map[string]bool{"string": true, "number": true, "bool": true, "list(string)": true, "map(string)": true, "map(any)": true, "any": true, "reference": true, "list(reference)": true, "type": true}
	formats := map[string]bool{"": true, "duration": true, "quantity": true, "cron": true, "timezone": true, "path": true, "env": true, "integer": true}
	Walk(Schema, func(p []string, b *BlockSchema) {
		seen := map[string]bool{}
		for _, a := range b.Attributes {
			where := strings.Join(p, ".") + "." + a.Name
			if seen[a.Name] {
				t.Errorf("%s declared twice", where)
			}
			seen[a.Name] = true
			if !types[a.Type] {
				t.Errorf("%s: unknown type %q", where, a.Type)
			}
			if !formats[a.Format] {
				t.Errorf("%s: unknown format %q", where, a.Format)
			}
			if a.Description == "" {
				t.Errorf("%s: no description", where)
			}
			if len(a.Allowed) > 0 && a.Type != "string" && a.Type != "list(string)" {
				t.Errorf("%s: allowed values on a %s", where, a.Type)
			}
		}
		if b.Description == "" {
			t.Errorf("block %s: no description", strings.Join(p, "."))
		}
	})
}

// TestDecodersCoverSchema checks that the decoders read every attribute the
// table declares: the golden pipelines together set every attribute, and
// each decoded attribute leaves its range in the IR's Attrs.
func TestDecodersCoverSchema(t *testing.T) {
	archives, _ := filepath.Glob("../testdata/valid/*.txtar")
	seen := map[string]bool{}
	index := regexp.MustCompile(`\[\d+\]`)
	note := func(prefix string, attrs ir.Attrs) {
		for k := range attrs {
			k = index.ReplaceAllString(k, "")
			parts := strings.Split(k, ".")
			// Map entries ("env.HOME") name the attribute by their first
			// part, nested blocks by their first two.
			seen[prefix+parts[0]] = true
			if len(parts) > 1 {
				seen[prefix+parts[0]+"."+parts[1]] = true
			}
		}
	}
	for _, a := range archives {
		c := testcase.Extract(t, a)
		dir, opts := c.Dir, optionsOf(c)
		res := Load(dir, opts)
		if res.Pipeline == nil {
			t.Fatalf("%s: %s", a, dump(res.Diagnostics))
		}
		p := res.Pipeline
		note("pipeline.", p.Attrs)
		note("pipeline.argo.", p.Argo.Attrs)
		note("pipeline.dvc.", p.DVC.Attrs)
		for _, s := range p.Secrets {
			note("secret.", s.Attrs)
		}
		for _, v := range p.Volumes {
			note("volume.", v.Attrs)
		}
		for _, s := range p.Steps {
			note("step.", s.Attrs)
			for _, in := range s.Inputs {
				note("step.input.", in.Attrs)
			}
			for _, out := range s.Outputs {
				note("step.output.", out.Attrs)
			}
		}
	}
	Walk(Schema, func(p []string, b *BlockSchema) {
		if p[0] == "variable" || p[0] == "locals" {
			return // not part of the IR's Attrs; covered by the variable tests
		}
		for _, a := range b.Attributes {
			key := strings.Join(p, ".") + "." + a.Name
			if !seen[key] {
				t.Errorf("no golden pipeline decodes %s", key)
			}
		}
	})
}
