package dvc

import (
	"path"
	"strings"

	"github.com/wurzel-dev/wurzel/internal/lazyre"
	"github.com/wurzel-dev/wurzel/ir"
)

// stageName is what DVC accepts as a stage name without ambiguity: ":"
// separates a dvc.yaml path from a stage, "@" a foreach key, "/" a path.
var stageName = lazyre.New(`^[A-Za-z0-9_-]+$`)

// Check reports what DVC would reject and its schema does not catch, and
// what a DVC run cannot provide.
func (Target) Check(p *ir.Pipeline) []ir.Diagnostic {
	var diags []ir.Diagnostic
	diags = append(diags, checkStageNames(p)...)
	diags = append(diags, checkDataDir(p)...)
	diags = append(diags, checkStepPaths(p)...)
	diags = append(diags, checkSecrets(p)...)
	diags = append(diags, checkOverlaps(p)...)
	diags = append(diags, checkMetricsAndPlots(p)...)
	diags = append(diags, checkParams(p)...)
	return diags
}

func checkStageNames(p *ir.Pipeline) []ir.Diagnostic {
	var diags []ir.Diagnostic
	for _, s := range p.Steps {
		if !stageName.MatchString(s.Name) {
			diags = append(diags, ir.Errorf(s.Range, "Invalid DVC stage name",
				"The step %q becomes a DVC stage of the same name, and DVC stage names may contain only letters, digits, \"-\" and \"_\".", s.Name))
		}
	}
	return diags
}

func checkDataDir(p *ir.Pipeline) []ir.Diagnostic {
	dir := optionsOf(p).DataDir
	if problem := projectPathProblem(dir.Value); problem != "" {
		return []ir.Diagnostic{ir.Errorf(dir.Range, "Invalid DVC data directory",
			"The data_dir %q %s; DVC keeps outputs inside the project, so use a relative path such as \"data\".", dir.Value, problem)}
	}
	first, _, _ := strings.Cut(path.Clean(dir.Value), "/")
	if first == ".dvc" || first == ".git" {
		return []ir.Diagnostic{ir.Errorf(dir.Range, "Invalid DVC data directory",
			"The data_dir %q is inside %s, which DVC and Git manage themselves.", dir.Value, first)}
	}
	return nil
}

// checkStepPaths reports watch paths that leave the project, since DVC
// tracks deps inside the project only, and warns about local sources that
// do: the runner can copy them, but DVC cannot see them change.
func checkStepPaths(p *ir.Pipeline) []ir.Diagnostic {
	var diags []ir.Diagnostic
	for _, s := range p.Steps {
		for i, w := range s.Watch {
			if problem := projectPathProblem(w); problem != "" {
				diags = append(diags, ir.Errorf(s.Ranges.Watch.Elem(i).Or(s.Range),
					"Watch path outside the DVC project",
					"The watch path %q of step %q %s; DVC can only track files inside the project.", w, s.BlockName(), problem))
			}
		}
		for _, in := range s.Inputs {
			if in.Source == "" {
				continue
			}
			if kind, local := classifySource(in.Source, p.Dir); kind == localOutside {
				diags = append(diags, ir.Warningf(in.Ranges.Source.Or(in.Range),
					"Source outside the DVC project",
					"The source %q of input %q of step %q is outside the project, so DVC cannot track it and the stage runs on every dvc repro. Move the data into the pipeline directory, or add ?checksum= to the address.", local, in.Name, s.BlockName()))
			}
		}
	}
	return diags
}

// projectPathProblem says why a path cannot be a DVC dep or out, or returns
// "" when it can.
func projectPathProblem(p string) string {
	if p == "" {
		return "is empty"
	}
	if path.IsAbs(p) || strings.HasPrefix(p, `\`) || (len(p) > 1 && p[1] == ':') {
		return "is absolute"
	}
	c := path.Clean(p)
	if c == ".." || strings.HasPrefix(c, "../") {
		return "leaves the project directory"
	}
	return ""
}

// checkSecrets reports secrets used by a step without a local source: DVC
// runs the step on this machine, so the runner reads keys from there.
func checkSecrets(p *ir.Pipeline) []ir.Diagnostic {
	var diags []ir.Diagnostic
	for _, s := range p.Steps {
		for _, name := range s.Secrets {
			sec := p.Secret(name)
			if sec == nil || (sec.Local != nil && (sec.Local.Dir != "" || len(sec.Local.Env) > 0)) {
				continue
			}
			diags = append(diags, ir.Requiref(s.Ranges.Secrets.Range.Or(s.Range),
				"Secret without a local source",
				"The step %q uses secret %q, which has no local source (secret declared at %s). DVC runs steps on this machine, so the runner needs the keys from a local directory (local { dir = \"...\" }) or environment variables (local { env = { key = \"VAR\" } }).",
				s.BlockName(), name, sec.Range))
		}
	}
	return diags
}

// metricExtensions are the formats `dvc metrics show` reads.
var metricExtensions = map[string]bool{".json": true, ".yaml": true, ".yml": true, ".toml": true}

// checkMetricsAndPlots checks that a step's metrics and plots name its
// outputs, each at most once, and that metrics are files DVC can read.
func checkMetricsAndPlots(p *ir.Pipeline) []ir.Diagnostic {
	var diags []ir.Diagnostic
	for i := range p.Steps {
		s := &p.Steps[i]
		o := stepOptionsOf(s)
		seen := map[string]string{}
		check := func(list ir.List, what string) {
			for j, name := range list.Value {
				r := list.Ranges.Elem(j).Or(list.Ranges.Range).Or(s.Range)
				out := outputOf(s, name)
				switch {
				case out == nil:
					diags = append(diags, ir.Errorf(r, "Unknown output", "Step %q has no output %q to list among its DVC %s.", s.Name, name, what))
					continue
				case seen[name] != "":
					diags = append(diags, ir.Errorf(r, "Output listed twice", "Output %q of step %q is already among its DVC %s; an output is one of out, metric or plot.", name, s.Name, seen[name]))
					continue
				}
				seen[name] = what
				if what != "metrics" {
					continue
				}
				if out.Kind != ir.OutputFile {
					diags = append(diags, ir.Errorf(r, "Metric is not a file", "Output %q of step %q is a directory; a DVC metric is one JSON, YAML or TOML file.", name, s.Name))
				} else if !metricExtensions[strings.ToLower(path.Ext(out.Path))] {
					diags = append(diags, ir.Warningf(r, "Metric DVC may not read", "DVC reads metrics by their extension (.json, .yaml, .yml, .toml); the path %q of output %q has none of them, so DVC reads it as YAML.", out.Path, name))
				}
			}
		}
		check(o.Metrics, "metrics")
		check(o.Plots, "plots")
	}
	return diags
}
