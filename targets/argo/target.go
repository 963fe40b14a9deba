package argo

import (
	"fmt"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/ir"
)

// bytesPerStep is about what one step adds to the stream (its template and
// DAG task); it sizes the output buffer.
const bytesPerStep = 4096

// Target is the Argo Workflows back end.
type Target struct{}

var _ backend.Target = Target{}

// New returns the Argo Workflows back end.
func New() Target { return Target{} }

// Name is the value of --target.
func (Target) Name() string { return "argo" }

// Check reports what Argo Workflows or Kubernetes would refuse.
func (Target) Check(p *ir.Pipeline) []ir.Diagnostic {
	return check(p)
}

// Generate lowers p to one YAML stream in a single file, pipeline.argo.yaml.
func (Target) Generate(p *ir.Pipeline, opts backend.GenerateOptions) ([]backend.File, error) {
	if p == nil {
		return nil, fmt.Errorf("argo: no pipeline to generate")
	}
	docs, err := lower(p, opts)
	if err != nil {
		return nil, err
	}
	data, err := emitDocuments(docs, bytesPerStep*len(p.Steps))
	if err != nil {
		return nil, err
	}
	return []backend.File{{Path: p.Name + ".argo.yaml", Data: data}}, nil
}
