package lang

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/wurzel-dev/wurzel/compiler/ir"
)

// Options are the values given from outside the pipeline's files.
type Options struct {
	// VarFiles are HCL files of `name = value`, applied in order.
	VarFiles []string
	// Vars are --var name=value assignments in the order given.
	Vars []string
	// Environ is the environment to read WURZEL_VAR_<name> from; nil means
	// no environment variables.
	Environ []string
}

// Result is what loading a pipeline gives.
type Result struct {
	// Pipeline is nil when errors kept the IR from being built.
	Pipeline *ir.Pipeline
	// Diagnostics are all errors and warnings, sorted by file and position.
	Diagnostics hcl.Diagnostics
	// Files are the parsed files by name, for printing source snippets.
	Files map[string]*hcl.File
}

// Load loads the pipeline at path: one file, or a directory whose
// *.wurzel.hcl and *.wurzel.hcl.json files form one pipeline.
func Load(path string, opts Options) *Result {
	return &Result{Diagnostics: hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Not implemented",
		Detail:   "The front end is being written.",
	}}}
}
