package lang

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/internal/testcase"
	"github.com/wurzel-dev/wurzel/schema"
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
	want := SchemaMarkdown(language)
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
	schema.Walk(language, func(p []string, b *schema.Block) {
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
	formats := map[schema.Format]bool{"": true, "duration": true, "quantity": true, "cron": true, "timezone": true, "path": true, "env": true, "integer": true}
	schema.Walk(language, func(p []string, b *schema.Block) {
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
			// The front end applies the defaults of back ends' blocks: they
			// must read as the attribute's type.
			if b.Owner != "" && a.Default != "" {
				if _, ok := a.DefaultValue(); !ok {
					t.Errorf("%s: default %q is not a %s", where, a.Default, a.Type)
				}
			}
		}
		if b.Description == "" {
			t.Errorf("block %s: no description", strings.Join(p, "."))
		}
	})
}

// rangeFields maps the language's own attributes (block path and name) to
// the field of the IR's Ranges that records where they were written, where
// the field's name is not the attribute's in CamelCase. Attributes mapped
// to "" have no range in the IR.
var rangeFields = map[string]string{
	"pipeline.sources.timeout":  "SourceTimeout",
	"pipeline.sources.max_size": "SourceMaxSize",
	"secret.kubernetes.name":    "KubernetesName",
	"secret.local.dir":          "LocalDir",
	"secret.local.env":          "LocalEnv",
	"volume.local.dir":          "LocalDir",
	"step.resources.cpu":        "CPU",
	"step.resources.gpu":        "GPU",
	"step.resources.cpu_limit":  "CPULimit",
	"step.retry.attempts":       "RetryAttempts",
	"secret.description":        "",
	"volume.access_modes":       "AccessModes",
	"step.retry.backoff":        "",
	"step.retry.factor":         "",
	"step.retry.max_backoff":    "",
	"step.retry.policy":         "",
}

// TestDecodersCoverSchema checks that the decoders read every attribute of
// the language's own blocks: the golden pipelines together set every
// attribute, and each decoded attribute leaves its range in the IR.
func TestDecodersCoverSchema(t *testing.T) {
	archives, _ := filepath.Glob("../testdata/valid/*.txtar")
	seen := map[string]bool{}
	for _, a := range archives {
		c := testcase.Extract(t, a)
		res := Load(c.Dir, optionsOf(c))
		if res.Pipeline == nil {
			t.Fatalf("%s: %s", a, dump(res.Diagnostics))
		}
		p := res.Pipeline
		noteRanges(seen, "pipeline", p.Ranges)
		for _, s := range p.Secrets {
			noteRanges(seen, "secret", s.Ranges)
		}
		for _, v := range p.Volumes {
			noteRanges(seen, "volume", v.Ranges)
		}
		for _, s := range p.Steps {
			noteRanges(seen, "step", s.Ranges)
			for _, in := range s.Inputs {
				noteRanges(seen, "input", in.Ranges)
			}
			for _, out := range s.Outputs {
				noteRanges(seen, "output", out.Ranges)
			}
		}
	}
	schema.Walk(Schema, func(p []string, b *schema.Block) {
		if p[0] == "variable" || p[0] == "locals" {
			return // not in the IR's ranges; covered by the variable tests
		}
		for _, a := range b.Attributes {
			key := strings.Join(p, ".") + "." + a.Name
			field, ok := rangeFields[key]
			if !ok {
				field = camel(a.Name)
			}
			if field == "" {
				continue
			}
			owner := p[0]
			if p[len(p)-1] == "input" || p[len(p)-1] == "output" {
				owner = p[len(p)-1]
			}
			if !seen[owner+"."+field] {
				t.Errorf("no golden pipeline leaves a range for %s (IR field %s.Ranges.%s)", key, owner, field)
			}
		}
	})
}

// noteRanges records the Ranges fields of v that hold a range.
func noteRanges(seen map[string]bool, owner string, v any) {
	rv := reflect.ValueOf(v)
	for i := 0; i < rv.NumField(); i++ {
		if !rv.Field(i).IsZero() {
			seen[owner+"."+rv.Type().Field(i).Name] = true
		}
	}
}

// camel turns an attribute name into the IR's field name ("mount_path" ->
// "MountPath").
func camel(name string) string {
	var b strings.Builder
	for _, part := range strings.Split(name, "_") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}
