package dvc

import (
	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/schema"
)

// The `dvc` block of the pipeline: what only DVC knows.
var (
	attrDataDir = schema.NewString(schema.Attribute{Name: "data_dir", Format: schema.FormatPath, Default: "data", Description: "Directory of the DVC project where step outputs live."})
	attrParams  = schema.NewBool(schema.Attribute{Name: "params", Default: "false", Description: "Expose the non-sensitive variables as DVC params (params.yaml) so that a changed value reruns the stages that use it."})

	pipelineBlock = &schema.Block{
		Type:        "dvc",
		Description: "Options that only the DVC target uses.",
		Attributes:  []*schema.Attribute{attrDataDir.Attribute, attrParams.Attribute},
	}
)

// Extensions are the blocks the target adds to the language.
func (Target) Extensions() []schema.Extension {
	return []schema.Extension{{Parent: "pipeline", Block: pipelineBlock}}
}

// options are the values of the pipeline's `dvc` block.
type options struct {
	// DataDir is where step outputs live, relative to the DVC project.
	DataDir ir.Scalar[string]
	// Params exposes the pipeline's non-sensitive variables as DVC params.
	Params ir.Scalar[bool]
}

// optionsOf reads the pipeline's dvc block, with its defaults when there is
// none.
func optionsOf(p *ir.Pipeline) options {
	b := p.Extension(pipelineBlock.Type)
	o := options{DataDir: attrDataDir.Get(b), Params: attrParams.Get(b)}
	o.DataDir.Range = o.DataDir.Range.Or(p.Range)
	return o
}
