package lang

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/wurzel-dev/wurzel/ir"
)

// evaluateDVC decodes the pipeline's `dvc { ... }` block.
func (l *loader) evaluateDVC(b *hcl.Block) ir.DVCOptions {
	body := l.decodeBody(b, dvcSchema)
	o := ir.DVCOptions{Declared: true, DataDir: "data", Range: toIRRange(b.DefRange), Attrs: ir.Attrs{}}
	a := l.attrSet(dvcSchema, body.attrs, o.Attrs, "")
	if dir, ok := a.str("data_dir"); ok && l.checkRelPath(dir, "data_dir", a.rangeOf("data_dir", b.DefRange)) {
		o.DataDir = dir
	}
	if p, ok := a.boolean("params"); ok {
		o.Params = p
	}
	return o
}
