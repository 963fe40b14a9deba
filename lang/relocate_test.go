package lang

import (
	"bytes"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/wurzel-dev/wurzel/internal/benchgen"
)

// everySyntax has a node of every kind the native syntax makes: splats
// (whose anonymous symbol the tree points to twice), for expressions,
// templates with directives, heredocs, conditionals, operators, indexes,
// function calls with an expanded final argument, nested blocks.
const everySyntax = `step "all" {
  image   = "alpine:${local.tag}"
  command = concat(["sh", "-c"], [for i, v in local.list : "${i}=${v}" if v != ""], local.args...)
  env = {
    A = local.objs[*].name
    B = local.objs.*.id
    C = !local.flag ? -local.n * (2 + 3) % 4 : local.n / 2
    D = local.map["key"][0]
    E = { for k, v in local.map : upper(k) => v... }
    F = <<-EOT
      %{ for x in local.list ~}
      ${x}
      %{ endfor ~}
      %{ if local.flag }yes%{ else }no%{ endif }
    EOT
  }
  retry {
    attempts = 1 + length(local.list) >= 2 && true || false ? 3 : 1
  }
}
`

// TestRelocatedParseEqualsParse relocates the parse of every seed file (and
// of everySyntax) and compares it, unexported fields included, with a parse
// of the same text at the new place; the original must not change.
func TestRelocatedParseEqualsParse(t *testing.T) {
	files := append(seeds(t), seedFile{"every.wurzel.hcl", []byte(everySyntax)})
	checked := 0
	for _, s := range files {
		if strings.HasSuffix(s.name, ".json") {
			continue
		}
		orig, diags := hclsyntax.ParseConfig(s.data, "p.wurzel.hcl", hcl.InitialPos)
		if diags.HasErrors() {
			continue
		}
		body := orig.Body.(*hclsyntax.Body)
		for _, shift := range []hcl.Pos{{Line: 1, Column: 1, Byte: 7}, {Line: 40, Column: 1, Byte: 1234}} {
			want, _ := hclsyntax.ParseConfig(s.data, "p.wurzel.hcl", shift)
			got := relocate(body, shift.Line-1, shift.Byte)
			if !reflect.DeepEqual(got, want.Body) {
				t.Fatalf("%s: relocated by %v, the parse differs from a parse there", s.name, shift)
			}
		}
		again, _ := hclsyntax.ParseConfig(s.data, "p.wurzel.hcl", hcl.InitialPos)
		if !reflect.DeepEqual(body, again.Body) {
			t.Fatalf("%s: relocating changed the original", s.name)
		}
		checked++
	}
	if checked < 20 {
		t.Errorf("only %d files checked", checked)
	}
}

// TestCacheRelocatesMovedItems edits the top of a pipeline so that every
// item after the edit moves: those items are relocated, not parsed, and
// the load equals one without a cache.
func TestCacheRelocatesMovedItems(t *testing.T) {
	dir := t.TempDir()
	src := benchgen.Pipeline(benchgen.Chain, 40)
	cache := NewParseCache()
	opts := Options{Schema: language, Cache: cache}
	LoadSources(dir, map[string][]byte{"p.wurzel.hcl": src}, opts)
	// One more line and a longer description in step 2: every later item
	// moves by a line and some bytes.
	edited := bytes.Replace(src, []byte(`"step s00002"`), []byte("\"step s00002, edited\"\n  # a new line"), 1)
	if bytes.Equal(edited, src) {
		t.Fatal("the edit did not apply")
	}
	res := LoadSources(dir, map[string][]byte{"p.wurzel.hcl": edited}, opts)
	items := cache.files[filepath.Join(dir, "p.wurzel.hcl")].items
	relocated := 0
	for _, it := range items {
		if it.relocated {
			relocated++
		}
	}
	if relocated < 35 {
		t.Errorf("%d of %d items relocated; want every step after s00002", relocated, len(items))
	}
	plain := LoadSources(dir, map[string][]byte{"p.wurzel.hcl": edited}, Options{Schema: language})
	assertSameResult(t, res, plain)
	whole, _ := hclsyntax.ParseConfig(edited, filepath.Join(dir, "p.wurzel.hcl"), hcl.InitialPos)
	if !reflect.DeepEqual(cache.files[filepath.Join(dir, "p.wurzel.hcl")].file.Body, whole.Body) {
		t.Errorf("the cached parse differs from a parse of the edited file")
	}
}

// TestRelocatedSplatEvaluates: a splat's anonymous symbol is one node the
// tree points to twice; the copy must keep it one node, or the splat
// evaluates to unknowns.
func TestRelocatedSplatEvaluates(t *testing.T) {
	src := []byte("x = [{ n = 1 }, { n = 2 }][*].n\ny = [{ n = 3 }].*.n\n")
	f, diags := hclsyntax.ParseConfig(src, "p.wurzel.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	moved := relocate(f.Body.(*hclsyntax.Body), 2, 30)
	for name, want := range map[string]string{"x": "[1,2]", "y": "[3]"} {
		v, diags := moved.Attributes[name].Expr.Value(nil)
		if diags.HasErrors() || !v.IsWhollyKnown() {
			t.Fatalf("%s = %#v, %v", name, v, diags)
		}
		got, err := ctyjson.Marshal(v, v.Type())
		if err != nil || string(got) != want {
			t.Errorf("%s = %s (%v), want %s", name, got, err, want)
		}
	}
}
