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

// The `dvc` block of a step: which of its outputs DVC shows as metrics and
// plots.
var (
	attrMetrics = schema.NewStringList(schema.Attribute{Name: "metrics", Description: "Names of this step's file outputs that are DVC metrics (JSON, YAML or TOML), for dvc metrics show and diff."})
	attrPlots   = schema.NewStringList(schema.Attribute{Name: "plots", Description: "Names of this step's outputs that are DVC plots (JSON, YAML, CSV or TSV data, or images), for dvc plots show and diff."})

	stepBlock = &schema.Block{
		Type:        "dvc",
		Description: "Options of this step that only the DVC target uses.",
		Attributes:  []*schema.Attribute{attrMetrics.Attribute, attrPlots.Attribute},
	}
)

// Extensions are the blocks the target adds to the language.
func (Target) Extensions() []schema.Extension {
	return []schema.Extension{{Parent: "pipeline", Block: pipelineBlock}, {Parent: "step", Block: stepBlock}}
}

// stepOptions are the values of a step's dvc block.
type stepOptions struct {
	Metrics, Plots ir.List
}

func stepOptionsOf(s *ir.Step) stepOptions {
	b := s.Extension(stepBlock.Type)
	return stepOptions{Metrics: attrMetrics.Get(b), Plots: attrPlots.Get(b)}
}

// outputRole is how DVC lists an output: an out, a metric or a plot.
type outputRole int

const (
	roleOut outputRole = iota
	roleMetric
	rolePlot
)

// roleOf says how DVC lists output name of step s.
func roleOf(s *ir.Step, name string) outputRole {
	o := stepOptionsOf(s)
	for _, m := range o.Metrics.Value {
		if m == name {
			return roleMetric
		}
	}
	for _, pl := range o.Plots.Value {
		if pl == name {
			return rolePlot
		}
	}
	return roleOut
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
