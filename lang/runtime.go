package lang

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/wurzel-dev/wurzel/ir"
)

// Runtime variables. A back end can let a variable be set when the pipeline
// runs (`argo submit -p`, `dvc exp run -S`) only where the runner can
// compute what the variable feeds without HCL: a command argument, an env
// value or a setting written as var.NAME or as a template of text and
// var.NAME. analyzeRuntime finds those values (ir.Binding) and decides for
// each variable whether every use is one of them.

// runtimeUse is what analyzeRuntime decided for one variable.
type runtimeUse struct {
	ok      bool
	why     string
	fixedAt hcl.Range
}

// analyzeRuntime records each step's bindings and each variable's runtime
// use, and reports a variable declared `runtime = true` that cannot be.
func (l *loader) analyzeRuntime() {
	inBinding := map[posKey]bool{}
	type found struct {
		n *stepNode
		b ir.Binding
	}
	var all []found
	json := false
	for _, f := range l.fileNames {
		json = json || strings.HasSuffix(f, JSONSuffix)
	}
	if !json {
		for _, sb := range l.stepOrd {
			for _, n := range sb.instances {
				for _, b := range l.stepBindings(n, inBinding) {
					all = append(all, found{n, b})
				}
			}
		}
	}
	fixed := map[string]*Ref{}
	for _, r := range l.refs {
		if r.Kind == DeclVariable && !inBinding[keyOf(r.Range)] && fixed[r.Name] == nil {
			fixed[r.Name] = r
		}
	}
	for _, v := range l.varOrder {
		v.runtime = l.runtimeUseOf(v, fixed[v.decl.Name], json)
		if v.askRuntime != nil && *v.askRuntime && !v.runtime.ok {
			r := v.runtime.fixedAt
			if r == (hcl.Range{}) {
				r = v.askRuntimeRange
			}
			l.errorf(&r, "Variable cannot be set at run time",
				"Variable %q is declared runtime = true, but %s. Only a non-sensitive string, number or bool without validation rules, used only in command arguments, env and settings as var.%s or in a template of text and var.%s, can be set when the pipeline runs; remove runtime = true or change the use.",
				v.decl.Name, v.runtime.why, v.decl.Name, v.decl.Name)
		}
	}
	for _, f := range all {
		if l.allRuntime(f.b) {
			f.n.ir.Bindings = append(f.n.ir.Bindings, f.b)
		}
	}
	for _, sb := range l.stepOrd {
		for _, n := range sb.instances {
			bs := n.ir.Bindings
			sort.Slice(bs, func(i, j int) bool {
				if bs[i].Arg != bs[j].Arg {
					return bs[i].Arg >= 0 && (bs[j].Arg < 0 || bs[i].Arg < bs[j].Arg)
				}
				return bs[i].Env < bs[j].Env
			})
		}
	}
}

func (l *loader) allRuntime(b ir.Binding) bool {
	for _, p := range b.Parts {
		if v := l.variables[p.Var]; p.Var != "" && (v == nil || !v.runtime.ok) {
			return false
		}
	}
	return true
}

// runtimeUseOf decides whether variable v can be set at run time; use is
// its first use outside a binding, nil when there is none.
func (l *loader) runtimeUseOf(v *variableBlock, use *Ref, json bool) runtimeUse {
	no := func(format string, args ...any) runtimeUse { return runtimeUse{why: fmt.Sprintf(format, args...)} }
	switch {
	case v.askRuntime != nil && !*v.askRuntime:
		return no("it is declared runtime = false")
	case v.sensitive:
		return no("it is sensitive, and sensitive values never reach generated files")
	case v.typ != cty.String && v.typ != cty.Number && v.typ != cty.Bool:
		return no("its type is %s, not string, number or bool", v.typeText)
	case len(v.body.nested["validation"]) > 0:
		return no("its validation rules can only be checked when the pipeline is generated")
	case json:
		return no("the pipeline has files in JSON syntax, whose uses of variables are not analyzed")
	case use != nil:
		u := runtimeUse{why: "it is used here, where only generating the pipeline can compute its effect (not a command argument, env value or setting written as var." + v.decl.Name + " or a template of text and variables)", fixedAt: use.Range}
		return u
	}
	return runtimeUse{ok: true}
}

// posKey identifies a reference by where it starts.
type posKey struct {
	file string
	at   int
}

func keyOf(r hcl.Range) posKey { return posKey{r.Filename, r.Start.Byte} }

// stepBindings finds the values of a step's command, env and settings
// written as var.NAME or a template of text and var.NAME, and marks the
// references they hold in inBinding. The instances of a step with for_each
// share their block's syntax, so each gets the same bindings.
func (l *loader) stepBindings(n *stepNode, inBinding map[posKey]bool) []ir.Binding {
	sb, s := n.block, &n.ir
	var out []ir.Binding
	add := func(b ir.Binding, expr hclsyntax.Expression) {
		parts, refs, ok := bindingParts(expr)
		if !ok {
			return
		}
		b.Parts = parts
		for _, r := range refs {
			inBinding[keyOf(r)] = true
		}
		out = append(out, b)
	}
	if at := sb.body.attrs["command"]; at != nil {
		syn, _ := at.Expr.(hclsyntax.Expression)
		if tup, ok := unwrap(syn).(*hclsyntax.TupleConsExpr); ok && len(tup.Exprs) == len(s.Command) {
			for i, e := range tup.Exprs {
				add(ir.Binding{Arg: i}, e)
			}
		}
	}
	for key, e := range literalItems(sb.body.attrs["env"]) {
		if _, ok := s.Env[key]; ok {
			add(ir.Binding{Arg: -1, Env: key}, e)
		}
	}
	for key, e := range literalItems(sb.body.attrs["settings"]) {
		for _, st := range s.Settings {
			if st.Key == key {
				add(ir.Binding{Arg: -1, Env: st.EnvName}, e)
			}
		}
	}
	return out
}

// literalItems are the items of an object constructor whose keys are
// written out, by key.
func literalItems(at *hcl.Attribute) map[string]hclsyntax.Expression {
	if at == nil {
		return nil
	}
	syn, ok := at.Expr.(hclsyntax.Expression)
	if !ok {
		return nil
	}
	obj, ok := unwrap(syn).(*hclsyntax.ObjectConsExpr)
	if !ok {
		return nil
	}
	out := map[string]hclsyntax.Expression{}
	for _, it := range obj.Items {
		key := hcl.ExprAsKeyword(it.KeyExpr)
		if key == "" {
			if k, ok := it.KeyExpr.(*hclsyntax.ObjectConsKeyExpr); ok {
				if t, ok := k.Wrapped.(*hclsyntax.TemplateExpr); ok && len(t.Parts) == 1 {
					if lit, ok := t.Parts[0].(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String {
						key = lit.Val.AsString()
					}
				}
			}
		}
		if key != "" {
			out[key] = it.ValueExpr
		}
	}
	return out
}

// bindingParts reads an expression that is var.NAME, "${var.NAME}" or a
// template of literal text and var.NAME, and returns its parts and the
// ranges of its references; false for anything else.
func bindingParts(e hclsyntax.Expression) ([]ir.BindingPart, []hcl.Range, bool) {
	e = unwrap(e)
	if w, ok := e.(*hclsyntax.TemplateWrapExpr); ok {
		e = unwrap(w.Wrapped)
	}
	if name, ok := varName(e); ok {
		return []ir.BindingPart{{Var: name}}, []hcl.Range{e.Range()}, true
	}
	t, ok := e.(*hclsyntax.TemplateExpr)
	if !ok {
		return nil, nil, false
	}
	var parts []ir.BindingPart
	var refs []hcl.Range
	for _, p := range t.Parts {
		p = unwrap(p)
		if lit, ok := p.(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String {
			parts = append(parts, ir.BindingPart{Text: lit.Val.AsString()})
			continue
		}
		name, ok := varName(p)
		if !ok {
			return nil, nil, false
		}
		parts = append(parts, ir.BindingPart{Var: name})
		refs = append(refs, p.Range())
	}
	if len(refs) == 0 {
		return nil, nil, false
	}
	return parts, refs, true
}

// unwrap sees through the nodes that only hold another: parentheses, and
// the evaluation budget's instrumentation (chargedExpr).
func unwrap(e hclsyntax.Expression) hclsyntax.Expression {
	for {
		switch n := e.(type) {
		case *hclsyntax.ParenthesesExpr:
			e = n.Expression
		case interface{ UnwrapExpression() hcl.Expression }:
			inner, ok := n.UnwrapExpression().(hclsyntax.Expression)
			if !ok {
				return e
			}
			e = inner
		default:
			return e
		}
	}
}

// varName reads var.NAME, exactly.
func varName(e hclsyntax.Expression) (string, bool) {
	e = unwrap(e)
	s, ok := e.(*hclsyntax.ScopeTraversalExpr)
	if !ok || len(s.Traversal) != 2 || s.Traversal.RootName() != "var" {
		return "", false
	}
	a, ok := s.Traversal[1].(hcl.TraverseAttr)
	return a.Name, ok
}
