package driver

import (
	"sync"

	"github.com/hashicorp/hcl/v2"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/lang"
	"github.com/wurzel-dev/wurzel/schema"
	"github.com/wurzel-dev/wurzel/targets"
)

// Schema is the whole language: the front end's blocks with the blocks of
// every back end. Editors' completion and hover, `wurzel schema` and the
// generated reference read it.
func Schema() *schema.Block {
	language.once.Do(func() { language.root = targets.Language(lang.Schema) })
	return language.root
}

var language struct {
	once sync.Once
	root *schema.Block
}

// withSchema sets the language the front end decodes.
func withSchema(opts lang.Options) lang.Options {
	if opts.Schema == nil {
		opts.Schema = Schema()
	}
	return opts
}

// Check loads the pipeline at path and runs the checks of every given target
// on it. The result's Diagnostics hold the front end's and the targets'.
func Check(path string, opts lang.Options, targets ...backend.Target) *lang.Result {
	return checkTargets(lang.Load(path, withSchema(opts)), targets)
}

// CheckSources is Check for sources held in memory, such as an editor's
// unsaved buffers: files maps names relative to the pipeline directory dir
// to their content (see lang.LoadSources). The language server uses it so
// that editors show exactly what `wurzel validate` reports.
func CheckSources(dir string, files map[string][]byte, opts lang.Options, targets ...backend.Target) *lang.Result {
	return checkTargets(lang.LoadSources(dir, files, withSchema(opts)), targets)
}

// checkTargets adds the targets' checks to a loaded pipeline's diagnostics.
func checkTargets(res *lang.Result, targets []backend.Target) *lang.Result {
	if res.Pipeline == nil || res.Diagnostics.HasErrors() {
		return res
	}
	for _, t := range targets {
		res.Diagnostics = append(res.Diagnostics, ToHCL(t.Check(res.Pipeline))...)
	}
	// A target checks each instance of a step with for_each, and says the
	// same about each.
	res.Diagnostics = lang.UniqueDiagnostics(res.Diagnostics)
	return res
}

// Generate loads and checks the pipeline at path for target and lowers it.
// Files is nil whenever the diagnostics hold an error, so that a caller never
// writes partial output.
func Generate(path string, opts lang.Options, target backend.Target, gopts backend.GenerateOptions) (*lang.Result, []backend.File, error) {
	res := Check(path, opts, target)
	if res.Pipeline == nil || res.Diagnostics.HasErrors() {
		return res, nil, nil
	}
	if gc, ok := target.(backend.GenerateChecker); ok {
		res.Diagnostics = append(res.Diagnostics, ToHCL(gc.CheckGenerate(res.Pipeline, gopts))...)
		lang.SortDiagnostics(res.Diagnostics)
	}
	files, err := target.Generate(res.Pipeline, gopts)
	if err != nil {
		return res, nil, err
	}
	if oc, ok := target.(backend.OutputChecker); ok {
		res.Diagnostics = append(res.Diagnostics, ToHCL(oc.CheckOutput(res.Pipeline, files))...)
		lang.SortDiagnostics(res.Diagnostics)
		if res.Diagnostics.HasErrors() {
			return res, nil, nil
		}
	}
	return res, files, nil
}

// ToHCL converts diagnostics of later passes to hcl.Diagnostics.
func ToHCL(diags []ir.Diagnostic) hcl.Diagnostics {
	out := make(hcl.Diagnostics, 0, len(diags))
	for _, d := range diags {
		sev := hcl.DiagError
		if d.Severity == ir.Warning {
			sev = hcl.DiagWarning
		}
		hd := &hcl.Diagnostic{Severity: sev, Summary: d.Summary, Detail: d.Detail}
		if d.Subject.Filename != "" {
			r := lang.HCLRange(d.Subject)
			hd.Subject = &r
		}
		out = append(out, hd)
	}
	return out
}
