package lang

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
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
	l.diags = append(l.diags, diags...)
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
