package lang

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// localDef is one local value: an attribute of a `locals` block.
type localDef struct {
	decl *Decl
	attr *hcl.Attribute
	// deps are the names of the locals it refers to.
	deps []string
}

// decodeLocalsBlock decodes `locals { name = expr ... }`. Names must be
// unique across all locals blocks of the pipeline.
func (l *loader) decodeLocalsBlock(b *hcl.Block) {
	attrs, diags := b.Body.JustAttributes()
	l.diags = append(l.diags, diags...)
	for _, name := range sortedByPos(attrs) {
		at := attrs[name]
		d := &Decl{Kind: DeclLocal, Name: name, DefRange: at.NameRange, NameRange: at.NameRange, Range: at.Range}
		if !l.declare(d) {
			continue
		}
		ld := &localDef{decl: d, attr: at}
		l.locals[name] = ld
		l.localList = append(l.localList, ld)
	}
}

// sortedByPos returns the attribute names in source order.
func sortedByPos(attrs hcl.Attributes) []string {
	names := sortedKeys(attrs)
	sortSliceBy(names, func(a, b string) bool { return rangeLess(attrs[a].Range, attrs[b].Range) })
	return names
}

// evaluateLocals evaluates local values in dependency order. A cycle is
// reported once, naming its members, and they become unknown so that no
// follow-up errors appear.
func (l *loader) evaluateLocals() {
	if len(l.localList) == 0 {
		return
	}
	ok := map[string]bool{}
	for _, ld := range l.localList {
		// checkRefs reports undeclared and disallowed references once.
		ok[ld.decl.Name] = l.checkRefs(ld.attr.Expr, scopeLocal)
		seen := map[string]bool{}
		for _, t := range ld.attr.Expr.Variables() {
			if t.RootName() != "local" {
				continue
			}
			if n, _, good := traversalName(t, 1); good && l.locals[n] != nil && !seen[n] {
				seen[n] = true
				ld.deps = append(ld.deps, n)
			}
		}
		sortStrings(ld.deps)
	}
	names := sortedKeys(l.locals)
	sccs := tarjan(names, func(n string) []string { return l.locals[n].deps })
	for _, scc := range sccs {
		if len(scc) > 1 || hasSelfLoop(scc[0], l.locals[scc[0]].deps) {
			l.reportLocalCycle(scc)
			for _, n := range scc {
				l.localValues[n] = cty.DynamicVal
			}
			continue
		}
		name := scc[0]
		ld := l.locals[name]
		if !ok[name] {
			l.localValues[name] = cty.DynamicVal
			continue
		}
		l.localValues[name] = l.evalLocal(ld)
	}
}

// evalLocal evaluates one local with the variables and the locals it
// depends on (already evaluated).
func (l *loader) evalLocal(ld *localDef) cty.Value {
	deps := make(map[string]cty.Value, len(ld.deps))
	for _, d := range ld.deps {
		deps[d] = l.localValues[d]
	}
	ctx := &hcl.EvalContext{
		Variables: map[string]cty.Value{"var": objectOf(l.varValues), "local": objectOf(deps)},
		Functions: l.functions(),
	}
	v, diags := l.eval(ld.attr.Expr, ctx)
	l.appendEvalDiags(ld.attr.Expr, ctx, diags)
	if diags.HasErrors() {
		return cty.DynamicVal
	}
	return v
}

func (l *loader) reportLocalCycle(scc []string) {
	sortStrings(scc)
	var parts []string
	for _, n := range scc {
		parts = append(parts, fmt.Sprintf("local.%s (%s)", n, posString(l.locals[n].decl.DefRange)))
	}
	first := l.locals[scc[0]].decl.DefRange
	l.errorf(&first, "Cycle in local values", "These local values refer to each other, so none can be evaluated: %s.", strings.Join(parts, ", "))
}

func hasSelfLoop(n string, deps []string) bool {
	for _, d := range deps {
		if d == n {
			return true
		}
	}
	return false
}
