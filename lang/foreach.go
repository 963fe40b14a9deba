package lang

import (
	"fmt"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/wurzel-dev/wurzel/internal/names"
	"github.com/wurzel-dev/wurzel/ir"
)

// maxInstances bounds the instances of all steps with for_each of one
// pipeline: each is a step of its own, evaluated, checked and lowered, and
// 10,000 of them take about a second and 200 MB to validate (docs/limits.md).
const maxInstances = 10_000

// forEachEntry is one element of a for_each value.
type forEachEntry struct {
	key   string
	value cty.Value
	// rng is where the key was written, or the whole for_each.
	rng hcl.Range
}

// expandSteps makes the steps of every block: one for a block without
// for_each, one instance per key with it. Instance names must not clash
// with each other or with other steps. It runs before any step is
// evaluated, so that a reference to an instance can be checked wherever
// the referring step is declared.
func (l *loader) expandSteps() {
	l.nodes = map[string]*stepNode{}
	for _, sb := range l.stepOrd {
		if sb.forEach == nil {
			n := &stepNode{block: sb}
			n.ir.Name = sb.decl.Name
			sb.instances = []*stepNode{n}
			l.nodes[n.ir.Name] = n
		}
	}
	instances := 0
	for _, sb := range l.stepOrd {
		if sb.forEach != nil {
			l.expandForEach(sb, &instances)
		}
	}
	for _, sb := range l.stepOrd {
		l.nodeOrd = append(l.nodeOrd, sb.instances...)
	}
}

// expandForEach evaluates a block's for_each and makes its instances;
// total counts the instances of the pipeline so far.
func (l *loader) expandForEach(sb *stepBlock, total *int) {
	entries, ok := l.forEachEntries(sb)
	if !ok {
		sb.broken = true
		return
	}
	if *total+len(entries) > maxInstances {
		r := sb.forEach.Expr.Range()
		l.errorf(&r, "Too many instances", "for_each gives step %q %d instances, which makes %d in the pipeline; a pipeline may have at most %d instances of steps with for_each.",
			sb.decl.Name, len(entries), *total+len(entries), maxInstances)
		sb.broken = true
		return
	}
	*total += len(entries)
	sb.byKey = make(map[string]*stepNode, len(entries))
	name := sb.decl.Name
	for _, e := range entries {
		if !names.ValidKey(name, e.key) {
			l.errorf(&e.rng, "Invalid instance key", "The key %q cannot name an instance of step %q (%q): %s.", e.key, name, names.Instance(name, e.key), names.KeyRule)
			sb.broken = true
			continue
		}
		n := &stepNode{block: sb, each: cty.ObjectVal(map[string]cty.Value{"key": cty.StringVal(e.key), "value": e.value})}
		n.ir.Name = names.Instance(name, e.key)
		n.ir.Instance = &ir.Instance{Of: name, Key: e.key, Value: ctyToGo(e.value)}
		if prev := l.nodes[n.ir.Name]; prev != nil {
			l.errorf(&e.rng, "Duplicate step name", "Instance %q of step %q is named %q, like %s (%s). Rename a step or change the key.",
				e.key, name, n.ir.Name, nodeDescription(prev), posString(prev.block.decl.DefRange))
			sb.broken = true
			continue
		}
		l.nodes[n.ir.Name] = n
		sb.byKey[e.key] = n
		sb.instances = append(sb.instances, n)
	}
}

// nodeDescription names a step or an instance for messages.
func nodeDescription(n *stepNode) string {
	if n.ir.Instance == nil {
		return fmt.Sprintf("step %q", n.ir.Name)
	}
	return fmt.Sprintf("instance %q of step %q", n.ir.Instance.Key, n.ir.Instance.Of)
}

// forEachEntries evaluates for_each: a map (or object) gives its keys and
// values, a set of strings its elements as both key and value. Keys come
// sorted.
func (l *loader) forEachEntries(sb *stepBlock) ([]forEachEntry, bool) {
	at := sb.forEach
	rng := at.Expr.Range()
	// Read before evaluating: evaluation instruments the expression tree
	// in place (see budget.instrument).
	keyRanges := forEachKeyRanges(at.Expr)
	l.inForEach = true
	v, ok := l.evalExpr(at.Expr, scopeBlock)
	l.inForEach = false
	if !ok || !v.IsWhollyKnown() {
		return nil, false
	}
	if v.IsNull() {
		l.errorf(&rng, "Invalid for_each", "for_each must not be null: give a map, or a set of strings, as in toset([\"a\", \"b\"]).")
		return nil, false
	}
	if v.ContainsMarked() {
		l.errorf(&rng, "Sensitive value in for_each", "The keys of for_each name steps, so they cannot come from a sensitive variable. Give the sensitive value to the steps through a secret instead.")
		return nil, false
	}
	var entries []forEachEntry
	t := v.Type()
	switch {
	case t.IsMapType() || t.IsObjectType():
		for it := v.ElementIterator(); it.Next(); {
			k, ev := it.Element()
			entries = append(entries, forEachEntry{key: k.AsString(), value: ev})
		}
	case t.IsSetType():
		if et := t.ElementType(); et != cty.String && !(et == cty.DynamicPseudoType && v.LengthInt() == 0) {
			l.errorf(&rng, "Invalid for_each", "A set in for_each must hold strings (the instances' keys), not %s. Convert the elements, as in toset([for n in var.numbers : tostring(n)]).", et.FriendlyName())
			return nil, false
		}
		for it := v.ElementIterator(); it.Next(); {
			_, ev := it.Element()
			if ev.IsNull() {
				l.errorf(&rng, "Invalid for_each", "A set in for_each must not hold null.")
				return nil, false
			}
			entries = append(entries, forEachEntry{key: ev.AsString(), value: ev})
		}
	case t.IsListType() || t.IsTupleType():
		l.errorf(&rng, "Invalid for_each", "for_each takes a map, or a set of strings, not a list: a list may repeat an element, and its positions would name the instances. Convert it with toset(...), or build a map with a for expression.")
		return nil, false
	default:
		l.errorf(&rng, "Invalid for_each", "for_each takes a map, or a set of strings, not %s.", t.FriendlyName())
		return nil, false
	}
	if len(entries) == 0 {
		l.errorf(&rng, "Empty for_each", "for_each has no elements, so the step would have no instance. Give it at least one key, or remove the step.")
		return nil, false
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].key < entries[j].key })
	for i := range entries {
		entries[i].rng = rng
		if r, ok := keyRanges[entries[i].key]; ok {
			entries[i].rng = r
		}
	}
	return entries, true
}

// forEachKeyRanges finds where keys were written: the keys of a map written
// out, or the elements of toset([...]) written out.
func forEachKeyRanges(expr hcl.Expression) map[string]hcl.Range {
	out := map[string]hcl.Range{}
	switch e := expr.(type) {
	case *hclsyntax.ObjectConsExpr:
		for _, it := range e.Items {
			if k := hcl.ExprAsKeyword(it.KeyExpr); k != "" {
				out[k] = it.KeyExpr.Range()
			} else if v, ok := literalValue(unwrapKey(it.KeyExpr)); ok && v.Type() == cty.String {
				out[v.AsString()] = it.KeyExpr.Range()
			}
		}
	case *hclsyntax.FunctionCallExpr:
		if e.Name != "toset" || len(e.Args) != 1 {
			break
		}
		if tup, ok := e.Args[0].(*hclsyntax.TupleConsExpr); ok {
			for _, el := range tup.Exprs {
				if v, ok := literalValue(el); ok && v.Type() == cty.String {
					out[v.AsString()] = el.Range()
				}
			}
		}
	}
	return out
}

// unwrapKey looks through the wrapper hclsyntax puts around object keys.
func unwrapKey(e hclsyntax.Expression) hclsyntax.Expression {
	if k, ok := e.(*hclsyntax.ObjectConsKeyExpr); ok {
		return k.Wrapped
	}
	return e
}

// enterInstance puts each in scope for the attributes of one instance and
// returns the function that leaves it.
func (l *loader) enterInstance(each cty.Value) func() {
	outer, outerEach := l.ctx, l.each
	ctx := outer.NewChild()
	ctx.Variables = map[string]cty.Value{"each": each}
	l.ctx, l.each = ctx, each
	return func() { l.ctx, l.each = outer, outerEach }
}

// eachRef checks a reference to each: only in the attributes of a step with
// for_each, and only each.key and each.value.
func (l *loader) eachRef(t hcl.Traversal) bool {
	rng := t.SourceRange()
	switch {
	case l.inForEach:
		l.errorf(&rng, "each in for_each", "for_each decides the instances that each stands for, so it cannot refer to each.")
		return false
	case l.each == cty.NilVal:
		l.errorf(&rng, "each outside for_each", "each.key and each.value exist only in the attributes of a step with for_each.")
		return false
	}
	if attr, _, ok := traversalName(t, 1); !ok || (attr != "key" && attr != "value") {
		l.errorf(&rng, "Invalid reference", "each has two attributes: each.key, the instance's key, and each.value, its value in the for_each map (the key again for a set).")
		return false
	}
	return true
}
