package lang

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// chargeKind says what a chargedExpr charges for.
type chargeKind int

const (
	// chargeGate: a function call, one step; skipped once the budget is
	// spent, so that go-cty never walks its arguments.
	chargeGate chargeKind = iota
	// chargeIterate: the collection of a for expression or splat, one step
	// per element.
	chargeIterate
	// chargeString: a template interpolation, its bytes.
	chargeString
	// chargeJoin: a value that becomes part of a larger one (a for
	// expression's element, a list or object constructor's item), its
	// elements as a walk over the larger one will meet them: values
	// shared many times count each time.
	chargeJoin
	// chargeWalk: an operand of == or !=, which walks it.
	chargeWalk
	// chargeNumber: an arithmetic operation, one step; its result must be
	// a number in range.
	chargeNumber
	// chargeOperand: an operand or argument converted to want: a string
	// to become a number must be short enough to read.
	chargeOperand
)

// chargedExpr evaluates the expression it wraps and charges the budget for
// it; once the budget is spent it yields an unknown value without
// evaluating anything. It embeds ParenthesesExpr, a node that is only its
// inner expression, so that HCL walks, ranges and lists its variables as
// the inner one's.
type chargedExpr struct {
	*hclsyntax.ParenthesesExpr
	kind chargeKind
	b    *budget
	want cty.Type // for chargeOperand
}

// UnwrapExpression lets hcl.UnwrapExpression see through the wrapper.
func (e *chargedExpr) UnwrapExpression() hcl.Expression { return e.Expression }

func (e *chargedExpr) Value(ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	b := e.b
	if b.exceeded {
		return cty.DynamicVal, nil
	}
	v, diags := e.Expression.Value(ctx)
	if e.kind == chargeOperand && longNumberText(v, e.want) {
		r := e.Range()
		return cty.DynamicVal, append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Number too long", Detail: numberTextMessage, Subject: &r})
	}
	if e.kind == chargeString || e.kind == chargeNumber {
		if u, _ := v.Unmark(); u.IsKnown() && !u.IsNull() && u.Type() == cty.Number && numberOutOfRange(u) {
			r := e.Range()
			return cty.DynamicVal, append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Number out of range", Detail: numberRangeMessage, Subject: &r})
		}
	}
	if err := b.charge(e.cost(v)); err != nil {
		r := e.Range()
		b.reported = true
		return cty.DynamicVal, append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Evaluation budget exceeded", Detail: b.message(), Subject: &r})
	}
	return v, diags
}

func (e *chargedExpr) cost(v cty.Value) (steps, elements, bytes int64) {
	switch e.kind {
	case chargeIterate:
		// The elements the loop builds are counted where they join its
		// result (chargeJoin).
		return 1 + lengthOf(v), 0, 0
	case chargeString:
		return 1, 0, strLen(v)
	case chargeJoin:
		n, nb := sizeOf(v, e.b.remaining())
		return 1 + n + nb/64, n, 0
	case chargeWalk:
		n, nb := sizeOf(v, e.b.remaining())
		return 1 + n + nb/64, 0, 0
	}
	return 1, 0, 0
}

// keyMarkedIndex is an index expression whose result carries the marks of
// its key: HCL drops them when it indexes an object, so local.m[var.secret]
// would say which key the sensitive value is, unmarked.
type keyMarkedIndex struct {
	*hclsyntax.ParenthesesExpr
	index *hclsyntax.IndexExpr
}

// UnwrapExpression lets hcl.UnwrapExpression see through the wrapper.
func (e *keyMarkedIndex) UnwrapExpression() hcl.Expression { return e.index }

func (e *keyMarkedIndex) Value(ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	coll, diags := e.index.Collection.Value(ctx)
	key, keyDiags := e.index.Key.Value(ctx)
	diags = append(diags, keyDiags...)
	if ct := coll.Type(); (ct.IsListType() || ct.IsTupleType()) && longNumberText(key, cty.Number) {
		r := e.index.Key.Range()
		return cty.DynamicVal, append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Number too long", Detail: numberTextMessage, Subject: &r})
	}
	val, indexDiags := hcl.Index(coll, key, &e.index.BracketRange)
	for _, d := range indexDiags {
		if d.Expression == nil {
			d.Expression, d.EvalContext = e.index, ctx
		}
	}
	diags = append(diags, indexDiags...)
	if _, marks := key.UnmarkDeep(); len(marks) > 0 {
		val = val.WithMarks(marks)
	}
	return val, diags
}

// instrument returns expr with what its evaluation costs made visible to
// the budget: function calls gated, for expressions and splats charged for
// their iterations, interpolations for their bytes, the items of for
// expressions and constructors for their size, equality tests for the
// walk. Each tree is instrumented once per load; expressions of other
// syntaxes come back as they are.
func (b *budget) instrument(expr hcl.Expression) hcl.Expression {
	e, ok := expr.(hclsyntax.Expression)
	if !ok {
		return expr
	}
	if done, ok := b.instrumented[e]; ok {
		return done
	}
	root := b.rewrite(e)
	if b.instrumented == nil {
		b.instrumented = map[hclsyntax.Expression]hclsyntax.Expression{}
	}
	b.instrumented[e] = root
	return root
}

func (b *budget) wrap(kind chargeKind, e hclsyntax.Expression) hclsyntax.Expression {
	if _, lit := e.(*hclsyntax.LiteralValueExpr); lit && kind != chargeGate {
		return e // bounded by the source already
	}
	return &chargedExpr{ParenthesesExpr: &hclsyntax.ParenthesesExpr{Expression: e, SrcRange: e.Range()}, kind: kind, b: b}
}

// wrapOperand wraps e, converted to want where it is used, so that a long
// string is refused before it is read as a number.
func (b *budget) wrapOperand(e hclsyntax.Expression, want cty.Type) hclsyntax.Expression {
	if !typeHasNumber(want) {
		return e
	}
	if _, lit := e.(*hclsyntax.LiteralValueExpr); lit {
		return e // bounded by srclimit
	}
	return &chargedExpr{ParenthesesExpr: &hclsyntax.ParenthesesExpr{Expression: e, SrcRange: e.Range()}, kind: chargeOperand, b: b, want: want}
}

// paramType is the type of the i-th parameter of the function name, or
// cty.DynamicPseudoType.
func (b *budget) paramType(name string, i int) cty.Type {
	fn, ok := b.funcs[name]
	if !ok {
		return cty.DynamicPseudoType
	}
	if params := fn.Params(); i < len(params) {
		return params[i].Type
	}
	if vp := fn.VarParam(); vp != nil {
		return vp.Type
	}
	return cty.DynamicPseudoType
}

// rewrite instruments the tree under e and returns what replaces e. The
// nodes on the way are copied, never changed: a parsed file stays as the
// parser made it, so that it can be loaded again (the language server keeps
// parsed files between checks).
func (b *budget) rewrite(e hclsyntax.Expression) hclsyntax.Expression {
	switch n := e.(type) {
	case *chargedExpr, *keyMarkedIndex:
		return n // instrumented already
	case *hclsyntax.FunctionCallExpr:
		c := *n
		c.Args = make([]hclsyntax.Expression, len(n.Args))
		for i, a := range n.Args {
			c.Args[i] = b.wrapOperand(b.rewrite(a), b.paramType(n.Name, i))
		}
		return b.wrap(chargeGate, &c)
	case *hclsyntax.ForExpr:
		c := *n
		c.CollExpr = b.wrap(chargeIterate, b.rewrite(n.CollExpr))
		if n.KeyExpr != nil {
			c.KeyExpr = b.rewrite(n.KeyExpr)
		}
		c.ValExpr = b.wrap(chargeJoin, b.rewrite(n.ValExpr))
		if n.CondExpr != nil {
			c.CondExpr = b.rewrite(n.CondExpr)
		}
		return &c
	case *hclsyntax.SplatExpr:
		c := *n
		c.Source = b.wrap(chargeIterate, b.rewrite(n.Source))
		return &c
	case *hclsyntax.TemplateExpr:
		c := *n
		c.Parts = make([]hclsyntax.Expression, len(n.Parts))
		for i, p := range n.Parts {
			c.Parts[i] = b.wrap(chargeString, b.rewrite(p))
		}
		return &c
	case *hclsyntax.TupleConsExpr:
		c := *n
		c.Exprs = make([]hclsyntax.Expression, len(n.Exprs))
		for i, x := range n.Exprs {
			c.Exprs[i] = b.wrap(chargeJoin, b.rewrite(x))
		}
		return &c
	case *hclsyntax.ObjectConsExpr:
		c := *n
		c.Items = make([]hclsyntax.ObjectConsItem, len(n.Items))
		for i, it := range n.Items {
			c.Items[i] = hclsyntax.ObjectConsItem{KeyExpr: b.rewrite(it.KeyExpr), ValueExpr: b.wrap(chargeJoin, b.rewrite(it.ValueExpr))}
		}
		return &c
	case *hclsyntax.BinaryOpExpr:
		c := *n
		c.LHS, c.RHS = b.rewrite(n.LHS), b.rewrite(n.RHS)
		if params := n.Op.Impl.Params(); len(params) == 2 {
			c.LHS, c.RHS = b.wrapOperand(c.LHS, params[0].Type), b.wrapOperand(c.RHS, params[1].Type)
		}
		if n.Op == hclsyntax.OpEqual || n.Op == hclsyntax.OpNotEqual {
			c.LHS, c.RHS = b.wrap(chargeWalk, c.LHS), b.wrap(chargeWalk, c.RHS)
		}
		if n.Op.Type == cty.Number {
			return b.wrap(chargeNumber, &c)
		}
		return &c
	case *hclsyntax.UnaryOpExpr:
		c := *n
		c.Val = b.rewrite(n.Val)
		if params := n.Op.Impl.Params(); len(params) == 1 {
			c.Val = b.wrapOperand(c.Val, params[0].Type)
		}
		if n.Op.Type == cty.Number {
			return b.wrap(chargeNumber, &c)
		}
		return &c
	case *hclsyntax.ConditionalExpr:
		c := *n
		c.Condition, c.TrueResult, c.FalseResult = b.rewrite(n.Condition), b.rewrite(n.TrueResult), b.rewrite(n.FalseResult)
		return &c
	case *hclsyntax.IndexExpr:
		c := *n
		c.Collection, c.Key = b.rewrite(n.Collection), b.rewrite(n.Key)
		return &keyMarkedIndex{ParenthesesExpr: &hclsyntax.ParenthesesExpr{Expression: &c, SrcRange: c.Range()}, index: &c}
	case *hclsyntax.RelativeTraversalExpr:
		c := *n
		c.Source = b.rewrite(n.Source)
		return &c
	case *hclsyntax.ParenthesesExpr:
		c := *n
		c.Expression = b.rewrite(n.Expression)
		return &c
	case *hclsyntax.ObjectConsKeyExpr:
		c := *n
		c.Wrapped = b.rewrite(n.Wrapped)
		return &c
	case *hclsyntax.TemplateJoinExpr:
		c := *n
		c.Tuple = b.rewrite(n.Tuple)
		return &c
	case *hclsyntax.TemplateWrapExpr:
		c := *n
		c.Wrapped = b.rewrite(n.Wrapped)
		return &c
	}
	return e
}
