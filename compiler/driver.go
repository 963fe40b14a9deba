package compiler

import (
	"sort"

	"github.com/hashicorp/hcl/v2"

	"github.com/wurzel-dev/wurzel/compiler/ir"
	"github.com/wurzel-dev/wurzel/lang"
)

// Check loads the pipeline at path and runs the checks of every given target
// on it. The result's Diagnostics hold the front end's and the targets'.
func Check(path string, opts lang.Options, targets ...Target) *lang.Result {
	return checkTargets(lang.Load(path, opts), targets)
}

// CheckSources is Check for sources held in memory, such as an editor's
// unsaved buffers: files maps names relative to the pipeline directory dir
// to their content (see lang.LoadSources). The language server uses it so
// that editors show exactly what `wurzel validate` reports.
func CheckSources(dir string, files map[string][]byte, opts lang.Options, targets ...Target) *lang.Result {
	return checkTargets(lang.LoadSources(dir, files, opts), targets)
}

// checkTargets adds the targets' checks to a loaded pipeline's diagnostics.
func checkTargets(res *lang.Result, targets []Target) *lang.Result {
	if res.Pipeline == nil || res.Diagnostics.HasErrors() {
		return res
	}
	for _, t := range targets {
		res.Diagnostics = append(res.Diagnostics, ToHCL(t.Check(res.Pipeline))...)
	}
	SortDiagnostics(res.Diagnostics)
	return res
}

// Generate loads and checks the pipeline at path for target and lowers it.
// Files is nil whenever the diagnostics hold an error, so that a caller never
// writes partial output.
func Generate(path string, opts lang.Options, target Target, gopts GenerateOptions) (*lang.Result, []File, error) {
	res := Check(path, opts, target)
	if res.Pipeline == nil || res.Diagnostics.HasErrors() {
		return res, nil, nil
	}
	if gc, ok := target.(GenerateChecker); ok {
		res.Diagnostics = append(res.Diagnostics, ToHCL(gc.CheckGenerate(res.Pipeline, gopts))...)
		SortDiagnostics(res.Diagnostics)
	}
	files, err := target.Generate(res.Pipeline, gopts)
	if err != nil {
		return res, nil, err
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
			r := toHCLRange(d.Subject)
			hd.Subject = &r
		}
		out = append(out, hd)
	}
	return out
}

func toHCLRange(r ir.Range) hcl.Range {
	return hcl.Range{
		Filename: r.Filename,
		Start:    hcl.Pos{Line: r.Start.Line, Column: r.Start.Column, Byte: r.Start.Byte},
		End:      hcl.Pos{Line: r.End.Line, Column: r.End.Column, Byte: r.End.Byte},
	}
}

// SortDiagnostics orders diagnostics by file and position, errors before
// warnings at the same place, so that output is deterministic.
func SortDiagnostics(diags hcl.Diagnostics) {
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i], diags[j]
		af, bf := subjectOf(a), subjectOf(b)
		if af.Filename != bf.Filename {
			return af.Filename < bf.Filename
		}
		if af.Start.Byte != bf.Start.Byte {
			return af.Start.Byte < bf.Start.Byte
		}
		return a.Severity < b.Severity
	})
}

func subjectOf(d *hcl.Diagnostic) hcl.Range {
	if d.Subject != nil {
		return *d.Subject
	}
	return hcl.Range{}
}
