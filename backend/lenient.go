package backend

import (
	"fmt"

	"github.com/wurzel-dev/wurzel/ir"
)

// Lenient wraps targets for checking a pipeline when the user has not chosen
// a target, as `wurzel validate` and the language server do by default. Their
// Check reports a Requirement error (something only that target needs, such
// as an image for Argo) as a warning that names the target, so that a
// pipeline meant for one back end is not called invalid because another back
// end could not run it. Every other diagnostic is unchanged; Generate is the
// target's own.
func Lenient(targets ...Target) []Target {
	out := make([]Target, len(targets))
	for i, t := range targets {
		out[i] = lenient{t}
	}
	return out
}

type lenient struct{ Target }

func (l lenient) Check(p *ir.Pipeline) []ir.Diagnostic {
	diags := l.Target.Check(p)
	for i := range diags {
		d := &diags[i]
		if d.Requirement && d.Severity == ir.Error {
			d.Severity = ir.Warning
			d.Detail += fmt.Sprintf(" This is needed only to generate for %s (wurzel generate --target %s); wurzel validate --target %s reports it as an error.", l.Name(), l.Name(), l.Name())
		}
	}
	return diags
}
