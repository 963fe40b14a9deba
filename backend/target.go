package backend

import (
	"os"
	"path"
	"path/filepath"
	"sort"

	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/schema"
)

// Target is a back end: it checks what only it cares about and lowers the IR
// to files. A target never parses HCL.
type Target interface {
	// Name is the value of --target.
	Name() string
	// Extensions are the blocks the back end adds to the language, such as
	// an `argo` block in `pipeline`. The front end decodes them generically
	// into the IR's Extensions; the back end reads them back through the
	// handles of package schema and checks the rest itself.
	Extensions() []schema.Extension
	// Check reports what this target cannot express, against the user's
	// source ranges. `wurzel validate` runs it too.
	Check(p *ir.Pipeline) []ir.Diagnostic
	// Generate lowers a pipeline that passed Check. Output must be
	// byte-identical for identical input.
	Generate(p *ir.Pipeline, opts GenerateOptions) ([]File, error)
}

// GenerateChecker is a Target with checks that depend on how it generates,
// such as the generating wurzel's version. driver.Generate adds their
// diagnostics to Check's.
type GenerateChecker interface {
	CheckGenerate(p *ir.Pipeline, opts GenerateOptions) []ir.Diagnostic
}

// OutputChecker is a Target with checks of the files it generated, such as
// a document larger than a cluster stores. driver.Generate adds their
// diagnostics to Check's; when one is an error, nothing is written.
type OutputChecker interface {
	CheckOutput(p *ir.Pipeline, files []File) []ir.Diagnostic
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

// FileOwner is a Target that owns some of the files under its output
// directory: every file matching one of OwnedFiles' patterns (filepath.Match
// syntax, slash-separated, relative to the output directory) is one it
// generates. Files there that it no longer generates, such as the spec of a
// removed step, are stale and `wurzel generate` removes them.
type FileOwner interface {
	OwnedFiles() []string
}

// StaleFiles lists the files under dir that t owns but did not generate this
// time, relative to dir and slash-separated, sorted.
func StaleFiles(dir string, t Target, generated []File) ([]string, error) {
	owner, ok := t.(FileOwner)
	if !ok {
		return nil, nil
	}
	fresh := map[string]bool{}
	for _, f := range generated {
		fresh[path.Clean(f.Path)] = true
	}
	var stale []string
	for _, pattern := range owner.OwnedFiles() {
		matches, err := filepath.Glob(filepath.Join(dir, filepath.FromSlash(pattern)))
		if err != nil {
			return nil, err
		}
		for _, m := range matches {
			rel, err := filepath.Rel(dir, m)
			if err != nil {
				return nil, err
			}
			rel = filepath.ToSlash(rel)
			if info, err := os.Lstat(m); err == nil && info.Mode().IsRegular() && !fresh[rel] {
				stale = append(stale, rel)
			}
		}
	}
	sort.Strings(stale)
	return stale, nil
}
