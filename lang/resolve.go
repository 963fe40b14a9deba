package lang

import (
	"container/heap"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/wurzel-dev/wurzel/ir"
)

// evaluateBlocks evaluates every block now that variables and locals are
// known. Steps are evaluated in declaration order, each instance of a block
// with for_each in key order; references between them only need the
// declarations and the instances, which are all known by now.
func (l *loader) evaluateBlocks() {
	defaultImage := ""
	var env map[string]string
	var envRanges ir.MapRanges
	if len(l.pipelines) > 0 {
		pb := l.pipelines[0]
		l.evaluatePipeline(pb)
		defaultImage, env, envRanges = pb.ir.Image, pb.ir.Env, pb.ir.Ranges.Env
	}
	for _, sb := range l.secretOrd {
		l.evaluateSecret(sb)
	}
	for _, vb := range l.volumeOrd {
		l.evaluateVolume(vb)
	}
	l.expandSteps()
	for _, sb := range l.stepOrd {
		if sb.broken && len(sb.instances) == 0 {
			// for_each failed: check the rest of the block once, with an
			// unknown each, so that its other mistakes are still found.
			probe := &stepNode{block: sb, each: cty.ObjectVal(map[string]cty.Value{"key": cty.UnknownVal(cty.String), "value": cty.DynamicVal})}
			probe.ir.Name = sb.decl.Name
			probe.ir.Instance = &ir.Instance{Of: sb.decl.Name}
			l.evaluateStep(probe, defaultImage, env, envRanges)
			continue
		}
		l.evaluateInstances(sb, defaultImage, env, envRanges)
	}
}

// evaluateInstances evaluates the steps of a block. What every instance of
// a step with for_each reports alike is kept once (see result); what only
// some report says which instance it concerns.
func (l *loader) evaluateInstances(sb *stepBlock, defaultImage string, env map[string]string, envRanges ir.MapRanges) {
	if sb.forEach == nil || len(sb.instances) < 2 {
		for _, n := range sb.instances {
			l.evaluateStep(n, defaultImage, env, envRanges)
		}
		return
	}
	type reported struct {
		diag *hcl.Diagnostic
		key  string
	}
	var all []reported
	seen := map[string]int{}
	for _, n := range sb.instances {
		start := len(l.diags)
		l.evaluateStep(n, defaultImage, env, envRanges)
		mine := map[string]bool{}
		for _, d := range l.diags[start:] {
			id := diagID(d)
			if !mine[id] {
				mine[id] = true
				seen[id]++
			}
			all = append(all, reported{d, n.ir.Instance.Key})
		}
	}
	for _, r := range all {
		if seen[diagID(r.diag)] < len(sb.instances) {
			r.diag.Detail += fmt.Sprintf(" This is the instance of step %q with the key %q.", sb.decl.Name, r.key)
		}
	}
}

// diagID identifies a diagnostic by what it says and where.
func diagID(d *hcl.Diagnostic) string {
	var at string
	if d.Subject != nil {
		at = d.Subject.String()
	}
	return fmt.Sprintf("%d\x00%s\x00%s\x00%s", d.Severity, d.Summary, d.Detail, at)
}

// resolveGraph checks data edges' types, finds dependency cycles and orders
// the steps.
func (l *loader) resolveGraph() {
	for _, n := range l.nodeOrd {
		l.checkInputTypes(n)
		var needs []string
		for _, d := range n.deps {
			needs = append(needs, d.step)
		}
		n.ir.Needs = sortedCopy(needs)
	}
	names := make([]string, 0, len(l.nodeOrd))
	for _, n := range l.nodeOrd {
		names = append(names, n.ir.Name)
	}
	sort.Strings(names)
	sccs := tarjan(names, func(n string) []string { return l.nodes[n].ir.Needs })
	for _, scc := range sccs {
		if len(scc) > 1 || hasSelfLoop(scc[0], l.nodes[scc[0]].ir.Needs) {
			l.reportStepCycle(scc)
		}
	}
}

// checkInputTypes reports inputs whose declared type differs from the type of
// the output they come from.
func (l *loader) checkInputTypes(n *stepNode) {
	for _, d := range n.deps {
		if d.kind != ir.DataEdge {
			continue
		}
		in := n.block.inputs[d.input]
		inType := n.ir.Inputs[d.input].Type
		producer := l.nodes[d.step]
		out := producer.ir.Output(d.output)
		if out == nil || inType == "" || out.Type == "" || inType == out.Type {
			continue
		}
		od := producer.block.outputsByName[d.output]
		r := in.body.exprRange("type", in.decl.DefRange)
		l.errorf(&r, "Input type mismatch", "Input %q of step %q has type %q, but it comes from output %q of %s (%s), which has type %q.",
			in.decl.Name, n.block.decl.Name, inType, d.output, nodeDescription(producer), posString(od.body.exprRange("type", od.decl.DefRange)), out.Type)
	}
}

// reportStepCycle reports one dependency cycle, naming every member with
// where it is declared, members sorted by name; the diagnostic points at the
// first member.
func (l *loader) reportStepCycle(scc []string) {
	sortStrings(scc)
	var parts []string
	for _, n := range scc {
		parts = append(parts, fmt.Sprintf("step %q (%s)", n, posString(l.nodes[n].block.decl.DefRange)))
	}
	first := l.nodes[scc[0]].block.decl.DefRange
	if len(scc) == 1 {
		l.errorf(&first, "Dependency cycle", "Step %q depends on itself (%s), so it can never run.", scc[0], posString(first))
		return
	}
	path := cyclePath(scc, func(n string) []string { return l.nodes[n].ir.Needs })
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
func (l *loader) topoOrder() []*stepNode {
	indeg := make(map[string]int, len(l.nodeOrd))
	dependents := make(map[string][]string, len(l.nodeOrd))
	h := &nameHeap{}
	for _, n := range l.nodeOrd {
		indeg[n.ir.Name] = len(n.ir.Needs)
		for _, need := range n.ir.Needs {
			dependents[need] = append(dependents[need], n.ir.Name)
		}
		if len(n.ir.Needs) == 0 {
			*h = append(*h, n.ir.Name)
		}
	}
	heap.Init(h)
	out := make([]*stepNode, 0, len(l.nodeOrd))
	for h.Len() > 0 {
		name := heap.Pop(h).(string)
		out = append(out, l.nodes[name])
		for _, d := range dependents[name] {
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
	order := l.topoOrder()
	// ir.Step is large: a slice grown by appending would copy the steps
	// over and over.
	p.Steps = make([]ir.Step, 0, len(order))
	for _, n := range order {
		p.Steps = append(p.Steps, n.ir)
		for _, d := range n.deps {
			e := ir.Edge{From: d.step, To: n.ir.Name, Kind: d.kind, Output: d.output}
			if d.input >= 0 {
				e.Input = n.block.inputs[d.input].decl.Name
			}
			p.Edges = append(p.Edges, e)
		}
	}
	sort.Slice(p.Edges, func(i, j int) bool { return edgeLess(p.Edges[i], p.Edges[j]) })
	p.IndexSteps()
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
