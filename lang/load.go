package lang

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/wurzel-dev/wurzel/internal/srclimit"
	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/schema"
)

// Options are the values given from outside the pipeline's files. A
// variable's value is, from lowest to highest precedence: its default,
// WURZEL_VAR_<name> in Environ, VarFiles in order, Vars in order.
type Options struct {
	// VarFiles are HCL files of `name = value`, applied in order.
	VarFiles []string
	// Vars are --var name=value assignments in the order given.
	Vars []string
	// Environ is the environment to read WURZEL_VAR_<name> from; nil means
	// no environment variables.
	Environ []string
	// Schema is the language to decode: Schema extended with the blocks of
	// back ends (schema.Extend), which are decoded generically into
	// ir.Block values. Nil means Schema alone, where any back end's block
	// is unknown; package driver sets it.
	Schema *schema.Block
	// Cache, when set, keeps the parse of each file for the next load
	// (see ParseCache).
	Cache *ParseCache
	// RecordExternal asks for Result.External.
	RecordExternal bool
}

// Result is what loading a pipeline gives.
type Result struct {
	// Pipeline is nil when errors kept the IR from being built.
	Pipeline *ir.Pipeline
	// Diagnostics are all errors and warnings, sorted by file and position.
	Diagnostics hcl.Diagnostics
	// Files are the parsed files by name, for printing source snippets.
	Files map[string]*hcl.File

	// Decls are the named declarations found in the files (also when the
	// pipeline has errors), in file and position order.
	Decls []*Decl
	// Refs are the references written in the files, in file and position
	// order.
	Refs []*Ref

	// External are the files outside the pipeline files the load read or
	// looked at, sorted by path; only with Options.RecordExternal.
	External []ExternalFile
}

// DeclKind is the kind of a named declaration.
type DeclKind string

// The declaration kinds.
const (
	DeclPipeline DeclKind = "pipeline"
	DeclStep     DeclKind = "step"
	DeclSecret   DeclKind = "secret"
	DeclVolume   DeclKind = "volume"
	DeclVariable DeclKind = "variable"
	DeclLocal    DeclKind = "local"
	DeclInput    DeclKind = "input"
	DeclOutput   DeclKind = "output"
)

// Decl is a named declaration: a block with a name label, or a local value.
type Decl struct {
	Kind DeclKind
	Name string
	// Step is the name of the enclosing step for inputs and outputs.
	Step string
	// DefRange is the block's header (`step "crawl"`), or a local's name.
	DefRange hcl.Range
	// NameRange is the range of the name label (a local's name).
	NameRange hcl.Range
	// Range covers the whole block (or the whole local attribute).
	Range hcl.Range
	// Keys are the instance keys of a step with for_each, sorted, when its
	// for_each could be evaluated.
	Keys []string
}

// Ref is one reference written in the files: var.x, local.x, secret.x,
// volume.x, step.x or step.x.output.y.
type Ref struct {
	// Range covers the whole reference as written.
	Range hcl.Range
	// Kind and Name say what the reference names; Step is set for outputs.
	Kind DeclKind
	Name string
	Step string
	// NameRange is the traversal step that names Name (".read" or
	// `["read"]`, as written), and StepRange, for outputs, the one that names
	// Step: what renaming the declaration rewrites.
	NameRange, StepRange hcl.Range
	// Decl is the declaration referred to; nil when it is not declared.
	Decl *Decl
}

// Suffixes of pipeline files.
const (
	NativeSuffix = ".wurzel.hcl"
	JSONSuffix   = ".wurzel.hcl.json"
)

// IsPipelineFile reports whether name has a pipeline file suffix.
func IsPipelineFile(name string) bool {
	return strings.HasSuffix(name, NativeSuffix) || strings.HasSuffix(name, JSONSuffix)
}

// Load loads the pipeline at path: one file, or a directory whose
// *.wurzel.hcl and *.wurzel.hcl.json files form one pipeline (sub-directories
// are not read). File names in ranges are path joined with the file name.
func Load(path string, opts Options) *Result {
	dir, files, diags := ReadPipeline(path)
	if dir == "" {
		return &Result{Diagnostics: diags, Files: map[string]*hcl.File{}}
	}
	res := LoadSources(dir, files, opts)
	if len(diags) > 0 {
		res.Diagnostics = append(diags, res.Diagnostics...)
		res.Pipeline = nil
	}
	return res
}

// ReadPipeline reads the files of the pipeline at path, as Load does: it
// returns the pipeline directory and the content of each file by name. The
// directory is empty when the files could not be listed; a file that could
// not be read is left out and reported in diags.
func ReadPipeline(path string) (dir string, files map[string][]byte, diags hcl.Diagnostics) {
	dir, names, err := pipelineFiles(path)
	if err != nil {
		return "", nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read pipeline",
			Detail:   err.Error(),
		}}
	}
	files = make(map[string][]byte, len(names))
	for _, name := range names {
		// Regular files only: a FIFO named like a pipeline file would
		// block the load, a device exhaust memory.
		src, err := srclimit.ReadFile(filepath.Join(dir, name), srclimit.MaxFileSize)
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read pipeline file", Detail: fmt.Sprintf("Cannot read %s: %s.", filepath.Join(dir, name), describeFSError(err))})
			continue
		}
		files[name] = src
	}
	return dir, files, diags
}

// PipelineDir is the absolute directory of the pipeline at path (a
// pipeline file or a directory of them), the ir.Pipeline's Dir once it is
// loaded: for a file, the directory holding it.
func PipelineDir(path string) (string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	return filepath.Abs(pipelineDir(path, info))
}

func pipelineDir(path string, info os.FileInfo) string {
	if info.IsDir() {
		return path
	}
	return filepath.Dir(path)
}

// pipelineFiles returns the directory of the pipeline at path and the names
// of its files in that directory, sorted.
func pipelineFiles(path string) (string, []string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return "", nil, err
	}
	if !info.IsDir() {
		return pipelineDir(path, info), []string{filepath.Base(path)}, nil
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return "", nil, err
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && IsPipelineFile(e.Name()) {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		return "", nil, fmt.Errorf("%s holds no %s or %s files", path, NativeSuffix, JSONSuffix)
	}
	sort.Strings(names)
	return path, names, nil
}

// LoadSources loads a pipeline from the given sources: files maps a file name
// (relative to dir) to its content. dir is the pipeline directory: file()
// and watch paths are read relative to it, and file names in ranges are dir
// joined with the name. A name ending in ".json" is read as HCL JSON syntax,
// any other as native syntax.
func LoadSources(dir string, files map[string][]byte, opts Options) *Result {
	l := newLoader(dir, opts)
	l.load(files)
	return l.result()
}
