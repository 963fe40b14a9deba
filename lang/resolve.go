package lang

import (
	"container/heap"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/wurzel-dev/wurzel/ir"
)

// evaluateBlocks evaluates every block now that variables and locals are
// known. Steps are evaluated in declaration order; references between them
// only need the declarations, which are all known by now.
func (l *loader) evaluateBlocks() {
	defaultImage := ""
	if len(l.pipelines) > 0 {
		l.evaluatePipeline(l.pipelines[0])
		defaultImage = l.pipelines[0].ir.Image
	}
	for _, sb := range l.secretOrd {
		l.evaluateSecret(sb)
	}
	for _, vb := range l.volumeOrd {
		l.evaluateVolume(vb)
	}
	for _, sb := range l.stepOrd {
		l.evaluateStep(sb, defaultImage)
	}
}

// resolveGraph checks data edges' types, finds dependency cycles and orders
// the steps.
func (l *loader) resolveGraph() {
	for _, sb := range l.stepOrd {
		l.checkInputTypes(sb)
		var needs []string
		for _, d := range sb.deps {
			needs = append(needs, d.step)
		}
		sb.ir.Needs = sortedCopy(needs)
	}
	names := make([]string, 0, len(l.stepOrd))
	for _, sb := range l.stepOrd {
		names = append(names, sb.decl.Name)
	}
	sort.Strings(names)
	sccs := tarjan(names, func(n string) []string { return l.steps[n].ir.Needs })
	for _, scc := range sccs {
		if len(scc) > 1 || hasSelfLoop(scc[0], l.steps[scc[0]].ir.Needs) {
			l.reportStepCycle(scc)
		}
	}
}

// checkInputTypes reports inputs whose declared type differs from the type of
// the output they come from.
func (l *loader) checkInputTypes(sb *stepBlock) {
	for _, d := range sb.deps {
		if d.kind != ir.DataEdge {
			continue
		}
		in := d.input
		out := l.steps[d.step].outputsByName[d.output]
		if in.ir.Type == "" || out.ir.Type == "" || in.ir.Type == out.ir.Type {
			continue
		}
		r := in.body.exprRange("type", in.decl.DefRange)
		l.errorf(&r, "Input type mismatch", "Input %q of step %q has type %q, but it comes from output %q of step %q (%s), which has type %q.",
			in.decl.Name, sb.decl.Name, in.ir.Type, d.output, d.step, posString(out.body.exprRange("type", out.decl.DefRange)), out.ir.Type)
	}
}

// reportStepCycle reports one dependency cycle, naming every member with
// where it is declared, members sorted by name; the diagnostic points at the
// first member.
func (l *loader) reportStepCycle(scc []string) {
	sortStrings(scc)
	var parts []string
	for _, n := range scc {
		parts = append(parts, fmt.Sprintf("step %q (%s)", n, posString(l.steps[n].decl.DefRange)))
	}
	first := l.steps[scc[0]].decl.DefRange
	if len(scc) == 1 {
		l.errorf(&first, "Dependency cycle", "Step %q depends on itself (%s), so it can never run.", scc[0], posString(first))
		return
	}
	path := cyclePath(scc, func(n string) []string { return l.steps[n].ir.Needs })
	l.errorf(&first, "Dependency cycle", "These steps depend on each other through from and depends_on, so none of them can run: %s. One cycle: %s.", strings.Join(parts, ", "), strings.Join(path, " needs "))
}

// cyclePath returns a shortest cycle through the first member of a strongly
// connected component (sorted), as names from it back to it, following succ
// within the component in name order, so that the result is deterministic.
func cyclePath(scc []string, succ func(string) []string) []string {
	in := make(map[string]bool, len(scc))
	for _, n := range scc {
		in[n] = true
	}
	start := scc[0]
	prev := map[string]string{}
	queue := []string{start}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, m := range succ(n) {
			if !in[m] {
				continue
			}
			if m == start {
				path := []string{start}
				for c := n; c != start; c = prev[c] {
					path = append(path, c)
				}
				path = append(path, start)
				// path runs backwards from start; reverse it.
				for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
					path[i], path[j] = path[j], path[i]
				}
				return path
			}
			if _, seen := prev[m]; !seen {
				prev[m] = n
				queue = append(queue, m)
			}
		}
	}
	return scc
}

// nameHeap is a min-heap of step names, for Kahn's algorithm with ties broken
// by name.
type nameHeap []string

func (h nameHeap) Len() int           { return len(h) }
func (h nameHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h nameHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *nameHeap) Push(x any)        { *h = append(*h, x.(string)) }
func (h *nameHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// topoOrder orders the steps so that each comes after the steps it needs,
// ties broken by name. It assumes the graph has no cycle.
func (l *loader) topoOrder() []*stepBlock {
	indeg := make(map[string]int, len(l.stepOrd))
	dependents := make(map[string][]string, len(l.stepOrd))
	h := &nameHeap{}
	for _, sb := range l.stepOrd {
		indeg[sb.decl.Name] = len(sb.ir.Needs)
		for _, n := range sb.ir.Needs {
			dependents[n] = append(dependents[n], sb.decl.Name)
		}
		if len(sb.ir.Needs) == 0 {
			*h = append(*h, sb.decl.Name)
		}
	}
	heap.Init(h)
	out := make([]*stepBlock, 0, len(l.stepOrd))
	for h.Len() > 0 {
		n := heap.Pop(h).(string)
		out = append(out, l.steps[n])
		for _, d := range dependents[n] {
			indeg[d]--
			if indeg[d] == 0 {
				heap.Push(h, d)
			}
		}
	}
	return out
}

// checkUnused warns about variables, secrets and volumes nothing uses.
func (l *loader) checkUnused() {
	for _, v := range l.varOrder {
		if !l.used[declKey{DeclVariable, v.decl.Name}] {
			l.warnf(&v.decl.DefRange, "Unused variable", "Variable %q is declared but nothing refers to it.", v.decl.Name)
		}
	}
	for _, s := range l.secretOrd {
		if !l.used[declKey{DeclSecret, s.decl.Name}] {
			l.warnf(&s.decl.DefRange, "Unused secret", "Secret %q is declared but no step lists it in secrets.", s.decl.Name)
		}
		// A missing kubernetes or local source matters only to the back
		// ends that need it; they report it (as a warning when no target is
		// chosen, see backend.Lenient) only for secrets a step uses.
	}
	for _, v := range l.volumeOrd {
		if !l.used[declKey{DeclVolume, v.decl.Name}] {
			l.warnf(&v.decl.DefRange, "Unused volume", "Volume %q is declared but no step lists it in volumes.", v.decl.Name)
		}
	}
}

// buildIR assembles the IR; called only when there are no errors.
func (l *loader) buildIR() *ir.Pipeline {
	if len(l.pipelines) == 0 {
		return nil
	}
	p := l.pipelines[0].ir
	p.Dir = l.absDir
	p.Files = sortedCopy(l.relNames)
	for _, v := range l.varOrder {
		iv := ir.Variable{Name: v.decl.Name, Description: v.description, Type: v.typeText, Sensitive: v.sensitive, Range: IRRange(v.decl.DefRange)}
		if !v.sensitive {
			iv.Value = ctyToGo(v.value)
		}
		iv.Runtime, iv.Fixed = v.runtime.ok, v.runtime.why
		if v.runtime.fixedAt.Filename != "" {
			iv.FixedAt = IRRange(v.runtime.fixedAt)
		}
		p.Variables = append(p.Variables, iv)
	}
	sort.Slice(p.Variables, func(i, j int) bool { return p.Variables[i].Name < p.Variables[j].Name })
	for _, s := range l.secretOrd {
		p.Secrets = append(p.Secrets, s.ir)
	}
	sort.Slice(p.Secrets, func(i, j int) bool { return p.Secrets[i].Name < p.Secrets[j].Name })
	for _, v := range l.volumeOrd {
		p.Volumes = append(p.Volumes, v.ir)
	}
	sort.Slice(p.Volumes, func(i, j int) bool { return p.Volumes[i].Name < p.Volumes[j].Name })
	for _, sb := range l.topoOrder() {
		p.Steps = append(p.Steps, sb.ir)
		for _, d := range sb.deps {
			e := ir.Edge{From: d.step, To: sb.decl.Name, Kind: d.kind, Output: d.output}
			if d.input != nil {
				e.Input = d.input.decl.Name
			}
			p.Edges = append(p.Edges, e)
		}
	}
	sort.Slice(p.Edges, func(i, j int) bool { return edgeLess(p.Edges[i], p.Edges[j]) })
	return &p
}

func edgeLess(a, b ir.Edge) bool {
	if a.From != b.From {
		return a.From < b.From
	}
	if a.To != b.To {
		return a.To < b.To
	}
	if a.Kind != b.Kind {
		return a.Kind < b.Kind
	}
	if a.Output != b.Output {
		return a.Output < b.Output
	}
	return a.Input < b.Input
}

// ctyToGo converts a known, unmarked value to a JSON-compatible Go value:
// nil, bool, string, json.Number, []any or map[string]any.
func ctyToGo(v cty.Value) any {
	if v == cty.NilVal || v.IsNull() || !v.IsWhollyKnown() {
		return nil
	}
	v, _ = v.UnmarkDeep()
	t := v.Type()
	switch {
	case t == cty.String:
		return v.AsString()
	case t == cty.Number:
		return json.Number(numberText(v.AsBigFloat()))
	case t == cty.Bool:
		return v.True()
	case t.IsListType() || t.IsSetType() || t.IsTupleType():
		out := make([]any, 0, v.LengthInt())
		for it := v.ElementIterator(); it.Next(); {
			_, ev := it.Element()
			out = append(out, ctyToGo(ev))
		}
		return out
	case t.IsMapType() || t.IsObjectType():
		out := make(map[string]any, v.LengthInt())
		for it := v.ElementIterator(); it.Next(); {
			k, ev := it.Element()
			out[k.AsString()] = ctyToGo(ev)
		}
		return out
	}
	return nil
}
