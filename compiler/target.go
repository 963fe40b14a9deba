package compiler

import "github.com/wurzel-dev/wurzel/compiler/ir"

// Target is a back end: it checks what only it cares about and lowers the IR
// to files. A target never parses HCL.
type Target interface {
	// Name is the value of --target.
	Name() string
	// Check reports what this target cannot express, against the user's
	// source ranges. `wurzel validate` runs it too.
	Check(p *ir.Pipeline) []ir.Diagnostic
	// Generate lowers a pipeline that passed Check. Output must be
	// byte-identical for identical input.
	Generate(p *ir.Pipeline, opts GenerateOptions) ([]File, error)
}

// GenerateOptions are the settings of one generate run.
type GenerateOptions struct {
	// Version is the wurzel version generating, used for example to pick the
	// runner image tag.
	Version string
	// OutputDir is the directory the files are written to (-o), absolute or
	// relative to the working directory; empty means the pipeline's
	// directory. Targets whose files refer to each other and to the
	// pipeline directory by relative paths (DVC) need it; it never appears
	// in the output itself.
	OutputDir string
}

// File is one generated file. Path is relative to the output directory; a
// target that writes a single stream (Argo) returns one file.
type File struct {
	Path string
	Data []byte
}
