package lang

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// jsonExpr is what an expression of HCL's JSON syntax offers besides
// hcl.Expression: its array elements and object members.
type jsonExpr interface {
	hcl.Expression
	ExprList() []hcl.Expression
	ExprMap() []hcl.KeyValuePair
}

// evalJSON evaluates an expression of HCL's JSON syntax as package json
// does, except that each string is parsed as a template here, so that it
// can be instrumented (see instrument) before it is evaluated: HCL would
// parse and evaluate it out of reach of the budget.
func (l *loader) evalJSON(e jsonExpr, ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	if items := e.ExprList(); items != nil {
		var diags hcl.Diagnostics
		vals := make([]cty.Value, 0, len(items))
		for _, it := range items {
			v, d := l.evalJoined(it, ctx)
			vals = append(vals, v)
			diags = append(diags, d...)
		}
		return cty.TupleVal(vals), diags
	}
	if pairs := e.ExprMap(); pairs != nil {
		return l.evalJSONObject(pairs, ctx)
	}
	v, diags := e.Value(nil) // a literal, strings verbatim
	if diags.HasErrors() || v.Type() != cty.String || v.IsNull() {
		return v, diags
	}
	start := e.Range().Start
	start.Byte++ // after the opening quote, as package json does
	start.Column++
	tmpl, diags := hclsyntax.ParseTemplate([]byte(v.AsString()), e.Range().Filename, start)
	if diags.HasErrors() {
		return cty.DynamicVal, diags
	}
	return l.budget.instrument(tmpl).Value(ctx)
}

func (l *loader) evalSub(e hcl.Expression, ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	if je, ok := e.(jsonExpr); ok {
		if _, native := e.(hclsyntax.Expression); !native {
			return l.evalJSON(je, ctx)
		}
	}
	return e.Value(ctx)
}

// evalJoined evaluates an element of a JSON array or object, charged like
// the items of native constructors (see chargeJoin).
func (l *loader) evalJoined(e hcl.Expression, ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	b := l.budget
	if b.exceeded {
		return cty.DynamicVal, nil
	}
	v, diags := l.evalSub(e, ctx)
	n, nb := sizeOf(v, b.remaining())
	if err := b.charge(1+n+nb/64, n, 0); err != nil {
		r := e.Range()
		b.reported = true
		return cty.DynamicVal, append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Evaluation budget exceeded", Detail: b.message(), Subject: &r})
	}
	return v, diags
}

// evalJSONObject evaluates the members of a JSON object; their names may be
// templates too.
func (l *loader) evalJSONObject(pairs []hcl.KeyValuePair, ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	attrs := make(map[string]cty.Value, len(pairs))
	ranges := make(map[string]hcl.Range, len(pairs))
	known := true
	for _, p := range pairs {
		name, nameDiags := l.evalSub(p.Key, ctx)
		val, valDiags := l.evalJoined(p.Value, ctx)
		diags = append(diags, nameDiags...)
		diags = append(diags, valDiags...)
		r := p.Key.Range()
		name, err := convert.Convert(name, cty.String)
		switch {
		case err != nil:
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid object key expression", Detail: fmt.Sprintf("Cannot use this expression as an object key: %s.", err), Subject: &r})
			continue
		case name.IsNull():
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid object key expression", Detail: "Cannot use null value as an object key.", Subject: &r})
			continue
		case !name.IsKnown():
			known = false
			continue
		}
		name, _ = name.Unmark()
		key := name.AsString()
		if prev, dup := ranges[key]; dup {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Duplicate object attribute", Detail: fmt.Sprintf("An attribute named %q was already defined at %s.", key, prev), Subject: &r})
			continue
		}
		attrs[key], ranges[key] = val, r
	}
	if !known {
		return cty.DynamicVal, diags
	}
	return cty.ObjectVal(attrs), diags
}
