package lang

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/wurzel-dev/wurzel/internal/lazyre"
	"github.com/wurzel-dev/wurzel/schema"
)

// decoded is one block decoded against its schema: attributes by name and
// nested blocks by type. Values are evaluated later, once variables and
// locals are known.
type decoded struct {
	block   *hcl.Block
	schema  *schema.Block
	attrs   hcl.Attributes
	nested  map[string][]*hcl.Block
	missing hcl.Range
}

// decodeBody decodes a block's body against schema, reporting unknown
// attributes and blocks (with suggestions), missing required attributes and
// repeated blocks that may appear only once.
func (l *loader) decodeBody(b *hcl.Block, sch *schema.Block) *decoded {
	content, diags := b.Body.Content(hclSchema(sch))
	l.diags = append(l.diags, reviseUnsupported(diags, sch)...)
	d := &decoded{block: b, schema: sch, attrs: content.Attributes, missing: content.MissingItemRange}
	if len(content.Blocks) > 0 {
		d.nested = map[string][]*hcl.Block{}
	}
	if d.attrs == nil {
		d.attrs = hcl.Attributes{}
	}
	for _, nb := range content.Blocks {
		nsch := sch.Block(nb.Type)
		if nsch != nil && !nsch.Repeatable && len(d.nested[nb.Type]) > 0 {
			prev := d.nested[nb.Type][0]
			l.errorf(&nb.DefRange, fmt.Sprintf("Duplicate %s block", nb.Type),
				"A %s block may appear only once here; one was already declared at %s.", nb.Type, posString(prev.DefRange))
			continue
		}
		d.nested[nb.Type] = append(d.nested[nb.Type], nb)
	}
	return d
}

// one returns the nested block of type typ, or nil.
func (d *decoded) one(typ string) *hcl.Block {
	if bs := d.nested[typ]; len(bs) > 0 {
		return bs[0]
	}
	return nil
}

// exprRange is the range of the attribute's expression, or the fallback.
func (d *decoded) exprRange(name string, fallback hcl.Range) hcl.Range {
	if at := d.attrs[name]; at != nil {
		return at.Expr.Range()
	}
	return fallback
}

// unsupportedRE reads the name out of hcl's messages about unknown
// arguments and blocks.
var unsupportedRE = lazyre.New(`^(?:An argument named|Blocks of type) ("(?:[^"\\]|\\.)*") `)

// instead says what to write instead of constructs other HCL languages have
// and wurzel has not.
var instead = map[string]string{
	"count":   "wurzel has no count. To run a step once per element, give it for_each, a set of keys as in for_each = toset([\"a\", \"b\"]) (or toset([for i in range(3) : tostring(i)])); each.key names the instance.",
	"dynamic": "wurzel has no dynamic blocks: write each block out. To run a step once per element, give it for_each; to read the outputs of every instance of such a step, one input takes from = step.<name>[*].output.<output>.",
}

// reviseUnsupported rewrites hcl's diagnostics about unknown arguments and
// blocks: hcl suggests the first name that is close enough, wurzel the
// nearest one of the same kind (a block for a block), and says what to use
// instead of count and dynamic.
func reviseUnsupported(diags hcl.Diagnostics, sch *schema.Block) hcl.Diagnostics {
	for _, d := range diags {
		if d.Summary != "Unsupported argument" && d.Summary != "Unsupported block type" {
			continue
		}
		m := unsupportedRE.FindStringSubmatch(d.Detail)
		if m == nil {
			continue
		}
		name := strings.Trim(m[1], `"`)
		if msg, ok := instead[name]; ok {
			d.Detail = msg
			continue
		}
		if name == "for_each" && sch.Attribute("for_each") == nil {
			d.Detail = "Only a step takes for_each: the whole step runs once per key."
			continue
		}
		var candidates []string
		if d.Summary == "Unsupported block type" {
			for _, b := range sch.Blocks {
				candidates = append(candidates, b.Type)
			}
		} else {
			for _, a := range sch.Attributes {
				candidates = append(candidates, a.Name)
			}
			if !isNativeRange(d.Subject) {
				// In the JSON syntax a block looks like an argument.
				for _, b := range sch.Blocks {
					candidates = append(candidates, b.Type)
				}
			}
		}
		nearest := didYouMean(name, candidates)
		if nearest == "" {
			continue
		}
		head := d.Detail[:len(m[0])-1]
		rest := d.Detail[len(m[0])-1:]
		if i := strings.Index(rest, "."); i >= 0 {
			rest = rest[:i+1]
		}
		d.Detail = head + rest + nearest
	}
	return diags
}

func isNativeRange(r *hcl.Range) bool {
	return r == nil || !strings.HasSuffix(r.Filename, ".json")
}
