package argo

import (
	"sort"
	"strings"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

// Runtime variables (ir.Variable.Runtime) are workflow parameters: `argo
// submit -p NAME=VALUE` sets them, their default is the value the pipeline
// was generated with. Argo substitutes {{workflow.parameters.NAME}} when it
// creates a pod; each step receives the parameters it uses as raw input
// artifacts, one file per variable under paramsDir, and the runner puts
// them where the step spec's params say. Files rather than environment
// variables, so that the runner gets the value as it was given.

const (
	paramsDir            = metaDir + "/params"
	paramArtifactPrefix  = "wurzel_param_"
	workflowParamsPrefix = "{{workflow.parameters."
)

// ParamSource makes the runner read runtime variables from the files Argo
// writes.
func (layout) ParamSource(p *ir.Pipeline) *spec.Params {
	return &spec.Params{Dir: paramsDir}
}

// workflowParameters are the workflow's parameters: every runtime
// variable, with its generate-time value as default.
func workflowParameters(b *builder, p *ir.Pipeline) sequence {
	var out sequence
	for i := range p.Variables {
		v := &p.Variables[i]
		if v.Runtime {
			out = append(out, b.mapping().set("name", v.Name).set("value", backend.ParamText(v)))
		}
	}
	return out
}

// paramArtifacts are the raw input artifacts that bring a step the values
// of the parameters it uses.
func paramArtifacts(b *builder, s *ir.Step, shared *stepShared) sequence {
	used := map[string]bool{}
	for _, bind := range s.Bindings {
		for _, part := range bind.Parts {
			if part.Var != "" {
				used[part.Var] = true
			}
		}
	}
	names := make([]string, 0, len(used))
	for n := range used {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make(sequence, 0, len(names))
	for _, n := range names {
		a, ok := shared.paramArtifacts[n]
		if !ok {
			a = b.mapping().
				set("name", paramArtifactPrefix+n).
				set("path", paramsDir+"/"+n).
				set("raw", b.mapping().set("data", workflowParamsPrefix+n+"}}"))
			shared.paramArtifacts[n] = a
		}
		out = append(out, a)
	}
	return out
}

// boundEnv is the container's view of an env entry made of parameters:
// Argo substitutes them, so that `kubectl describe` shows what the step
// gets. The runner itself takes the value from the parameter files.
func boundEnv(s *ir.Step, name string) (string, bool) {
	for _, b := range s.Bindings {
		if b.Arg >= 0 || b.Env != name {
			continue
		}
		var out strings.Builder
		for _, part := range b.Parts {
			if part.Var != "" {
				out.WriteString(workflowParamsPrefix + part.Var + "}}")
			} else {
				out.WriteString(escapeDollar(part.Text))
			}
		}
		return out.String(), true
	}
	return "", false
}
