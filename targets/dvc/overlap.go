package dvc

import (
	"fmt"
	"path"
	"strings"

	"github.com/wurzel-dev/wurzel/ir"
)

// claim is a path the DVC project uses for one purpose.
type claim struct {
	path string
	// out is true for a stage's outs: DVC deletes them before the stage runs
	// and refuses two outs at the same or nested paths.
	out bool
	// what describes the claim in a message ("output pages of step read").
	what string
	// user is true when the path is written in the pipeline (a watch path, a
	// source, a secret or volume directory): a conflict is reported there.
	user  bool
	rng   ir.Range
	index int
}

// checkOverlaps reports outs that coincide with or nest inside another out,
// or any other path the project uses: DVC rejects overlapping outs (also
// across stages) and would delete, before running a stage, whatever lies
// inside its outs.
func checkOverlaps(p *ir.Pipeline) []ir.Diagnostic {
	claims := projectClaims(p)
	byPath := map[string][]*claim{}
	for _, c := range claims {
		byPath[c.path] = append(byPath[c.path], c)
	}
	var diags []ir.Diagnostic
	for _, c := range claims {
		for _, anc := range selfAndAncestors(c.path) {
			for _, d := range byPath[anc] {
				if d == c || !(c.out || d.out) || (anc == c.path && d.index > c.index) {
					continue
				}
				diags = append(diags, overlapDiagnostic(c, d))
			}
		}
	}
	return diags
}

// overlapDiagnostic reports c, which lies at or inside d.
func overlapDiagnostic(c, d *claim) ir.Diagnostic {
	relation := "is inside"
	if c.path == d.path {
		relation = "is the same path as"
	}
	at, other := c, d
	if !c.user && d.user {
		at, other = d, c
	}
	where := ""
	if other.rng.Filename != "" {
		where = fmt.Sprintf(" (%s)", other.rng)
	}
	why := "DVC refuses outputs at the same or nested paths and deletes a stage's outputs before it runs, so every output needs a path of its own."
	if c.user || d.user {
		why = "DVC deletes a stage's outputs before it runs, so outputs may not overlap paths the pipeline reads or keeps. To read another step's output, declare an input with from = step.<step>.output.<output>; otherwise choose another path or data_dir."
	}
	return ir.Errorf(at.rng, "Overlapping DVC paths", "In the DVC project, %s (%q) %s %s (%q)%s. %s",
		c.what, c.path, relation, d.what, d.path, where, why)
}

// projectClaims lists every path the generated project uses: outs first, in
// step order, then generated files, then paths from the pipeline.
func projectClaims(p *ir.Pipeline) []*claim {
	l := newLayout(p)
	var claims []*claim
	add := func(c claim) {
		c.path = path.Clean(c.path)
		c.index = len(claims)
		claims = append(claims, &c)
	}
	for _, s := range p.Steps {
		for _, o := range s.Outputs {
			add(claim{path: l.outputPath(s.Name, o.Name), out: true, what: fmt.Sprintf("output %q of step %q", o.Name, s.Name), rng: o.Range})
		}
		add(claim{path: l.manifestPath(s.Name), out: true, what: fmt.Sprintf("the manifest of step %q", s.Name), rng: s.Range})
	}
	for _, f := range []string{DVCFile, "dvc.lock", ParamsFile, specDir} {
		add(claim{path: f, what: "the generated " + f, rng: p.Range})
	}
	for _, f := range p.Files {
		add(claim{path: f, what: "the pipeline file " + f, rng: p.Range})
	}
	for _, s := range p.Steps {
		for i, w := range s.Watch {
			if projectPathProblem(w) == "" {
				add(claim{path: w, what: fmt.Sprintf("watch path of step %q", s.BlockName()), user: true,
					rng: s.Ranges.Watch.Elem(i).Or(s.Range)})
			}
		}
		for _, in := range s.Inputs {
			if kind, local := classifySource(in.Source, p.Dir); in.Source != "" && kind == localInside {
				add(claim{path: local, what: fmt.Sprintf("source of input %q of step %q", in.Name, s.BlockName()), user: true,
					rng: in.Ranges.Source.Or(in.Range)})
			}
		}
	}
	for _, sec := range p.Secrets {
		if sec.Local != nil && sec.Local.Dir != "" && projectPathProblem(sec.Local.Dir) == "" {
			add(claim{path: sec.Local.Dir, what: fmt.Sprintf("the local directory of secret %q", sec.Name), user: true,
				rng: sec.Ranges.LocalDir.Or(sec.Range)})
		}
	}
	for _, v := range p.Volumes {
		if dir := volumeDir(&v); projectPathProblem(dir) == "" {
			add(claim{path: dir, what: fmt.Sprintf("the local directory of volume %q", v.Name), user: true,
				rng: v.Ranges.LocalDir.Or(v.Range)})
		}
	}
	return claims
}

// selfAndAncestors returns p and every directory above it, up to ".".
func selfAndAncestors(p string) []string {
	out := []string{p}
	for p != "." {
		i := strings.LastIndex(p, "/")
		if i < 0 {
			p = "."
		} else {
			p = p[:i]
		}
		out = append(out, p)
	}
	return out
}
