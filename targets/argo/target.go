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

var _ backend.SecurityDecider = Target{}

// Security is who the step's main container runs as: the container
// security context over the pod's, over wurzel's defaults.
func (Target) Security(p *ir.Pipeline, _ *ir.Step) backend.Security {
	o := optionsOf(p)
	pod, ctr := o.PodSecurityContext, o.SecurityContext
	return backend.Security{
		UID:          or(ctr.RunAsUser, or(pod.RunAsUser, defaultUID)),
		GID:          or(ctr.RunAsGroup, or(pod.RunAsGroup, defaultUID)),
		FSGroup:      or(pod.FSGroup, defaultUID),
		ReadOnlyRoot: ctr.ReadOnlyRootFilesystem.Value,
	}
}
