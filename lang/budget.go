package lang

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/wurzel-dev/wurzel/internal/srclimit"
)

// The evaluation budget of one load: what evaluating all of a pipeline's
// expressions may cost together. Without it a few lines (nested for
// expressions, a string doubled through locals, jsonencode of a large
// structure) take minutes and gigabytes, in validate and in the editor's
// language server alike. docs/limits.md documents the figures.
const (
	// maxEvalSteps bounds the work: for iterations, function calls, and
	// the elements that functions and comparisons walk.
	maxEvalSteps = 10_000_000
	// maxEvalElements bounds the list, map and object elements built.
	maxEvalElements = 2_000_000
	// maxEvalBytes bounds the string bytes built.
	maxEvalBytes = 64 << 20
)

// budgetSentinel ends the message of the error a function returns when the
// budget runs out in it, so that eval can find and restate it.
const budgetSentinel = "(evaluation budget)"

// budget counts the cost of evaluation against the limits. Once exceeded,
// every budgeted operation yields an unknown value at once, so that the
// rest of the load ends quickly; eval reports the first place.
type budget struct {
	steps, elements, bytes int64
	limits                 [3]int64

	exceeded bool
	what     string
	// reported is set once a diagnostic says the budget was exceeded.
	reported bool
	// at is the top-level expression being evaluated when the budget ran
	// out, for when the error was swallowed (by can or try).
	at      hcl.Range
	current hcl.Range

	// instrumented maps each native-syntax expression evaluated to its
	// instrumented form.
	instrumented map[hclsyntax.Expression]hclsyntax.Expression
	// funcs are the functions calls may name, for their parameter types.
	funcs map[string]function.Function
}

func newBudget() *budget {
	return &budget{limits: [3]int64{maxEvalSteps, maxEvalElements, maxEvalBytes}}
}

// charge adds costs; it returns an error the first time a limit is passed.
func (b *budget) charge(steps, elements, bytes int64) error {
	if b.exceeded {
		return nil
	}
	b.steps += steps
	b.elements += elements
	b.bytes += bytes
	switch {
	case b.steps > b.limits[0]:
		b.what = fmt.Sprintf("more than %d steps of work", b.limits[0])
	case b.elements > b.limits[1]:
		b.what = fmt.Sprintf("more than %d list, map or object elements", b.limits[1])
	case b.bytes > b.limits[2]:
		b.what = fmt.Sprintf("more than %d MiB of strings", b.limits[2]>>20)
	default:
		return nil
	}
	b.exceeded, b.at = true, b.current
	return fmt.Errorf("evaluation budget exceeded %s", budgetSentinel)
}

// remaining is how many more steps may be charged.
func (b *budget) remaining() int64 { return max(0, b.limits[0]-b.steps) }

func (b *budget) message() string {
	return fmt.Sprintf("Evaluating the pipeline's expressions would take %s, the most wurzel allows for one pipeline (see docs/limits.md). This expression is where the budget ran out; make it, or the values it uses, smaller.", b.what)
}

// sizeOf returns the elements and string bytes of v, walking at most limit
// elements: shared parts count each time they appear, as they would in
// jsonencode's output or in a walk over the value.
func sizeOf(v cty.Value, limit int64) (elements, bytes int64) {
	m := measure(v, limit)
	return m.elements, m.bytes
}

// valueMeasure is what one walk over a value finds.
type valueMeasure struct {
	elements, bytes int64
	// outOfRange is set when the value holds a number out of range (see
	// numberOutOfRange).
	outOfRange bool
}

// measure walks v, at most limit elements, counting its elements and string
// bytes and looking for numbers out of range.
func measure(v cty.Value, limit int64) valueMeasure {
	var m valueMeasure
	var walk func(v cty.Value)
	walk = func(v cty.Value) {
		if m.elements > limit {
			return
		}
		v, _ = v.Unmark()
		if !v.IsKnown() || v.IsNull() {
			return
		}
		ty := v.Type()
		switch {
		case ty == cty.String:
			m.bytes += int64(len(v.AsString()))
		case ty == cty.Number:
			m.outOfRange = m.outOfRange || numberOutOfRange(v)
		case ty.IsListType() || ty.IsSetType() || ty.IsMapType() || ty.IsTupleType() || ty.IsObjectType():
			m.elements += int64(v.LengthInt())
			for it := v.ElementIterator(); it.Next() && m.elements <= limit; {
				_, e := it.Element()
				walk(e)
			}
		}
	}
	walk(v)
	return m
}

// maxBinaryExponent bounds the magnitude of numbers, about 10^±1000: go-cty
// writes a number as a string digit by digit, so 1e100000000 would become a
// string of a hundred million digits wherever a string is wanted.
const maxBinaryExponent = 3322

// numberOutOfRange reports an infinite number, or one beyond
// maxBinaryExponent in magnitude either way (zero is in range).
func numberOutOfRange(v cty.Value) bool {
	f := v.AsBigFloat()
	if f.IsInf() {
		return true
	}
	if f.Sign() == 0 {
		return false
	}
	exp := f.MantExp(nil)
	return exp > maxBinaryExponent || exp < -maxBinaryExponent
}

// maxNumberText bounds the length of a string converted to a number:
// parsing one takes time quadratic in its digits, a minute and a half for
// four million of them.
const maxNumberText = srclimit.MaxNumberLength

// longNumberText reports whether v holds a string longer than
// maxNumberText where ty would have it converted to a number.
func longNumberText(v cty.Value, ty cty.Type) bool {
	if !typeHasNumber(ty) {
		return false
	}
	found := false
	cty.Walk(v, func(_ cty.Path, e cty.Value) (bool, error) {
		e, _ = e.Unmark()
		if found || !e.IsKnown() || e.IsNull() {
			return false, nil
		}
		found = e.Type() == cty.String && len(e.AsString()) > maxNumberText
		return !found, nil
	})
	return found
}

func typeHasNumber(ty cty.Type) bool {
	switch {
	case ty == cty.Number:
		return true
	case ty.IsListType() || ty.IsSetType() || ty.IsMapType():
		return typeHasNumber(ty.ElementType())
	case ty.IsTupleType():
		for _, et := range ty.TupleElementTypes() {
			if typeHasNumber(et) {
				return true
			}
		}
	case ty.IsObjectType():
		for _, at := range ty.AttributeTypes() {
			if typeHasNumber(at) {
				return true
			}
		}
	}
	return false
}

const numberTextMessage = "A string of more than 1000 characters is used where a number is wanted; no number is written that long, and reading one would take minutes."

const numberRangeMessage = "A number here is beyond 10^1000 or below 10^-1000 in magnitude (or infinite), the range wurzel computes with (see docs/limits.md)."

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
// walk. The tree is rewritten in place, once; expressions of other syntaxes
// come back as they are.
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

// rewrite instruments the tree under e and returns what replaces e.
func (b *budget) rewrite(e hclsyntax.Expression) hclsyntax.Expression {
	switch n := e.(type) {
	case *chargedExpr, *keyMarkedIndex:
		return n // instrumented already
	case *hclsyntax.FunctionCallExpr:
		for i, a := range n.Args {
			n.Args[i] = b.wrapOperand(b.rewrite(a), b.paramType(n.Name, i))
		}
		return b.wrap(chargeGate, n)
	case *hclsyntax.ForExpr:
		n.CollExpr = b.wrap(chargeIterate, b.rewrite(n.CollExpr))
		if n.KeyExpr != nil {
			n.KeyExpr = b.rewrite(n.KeyExpr)
		}
		n.ValExpr = b.wrap(chargeJoin, b.rewrite(n.ValExpr))
		if n.CondExpr != nil {
			n.CondExpr = b.rewrite(n.CondExpr)
		}
	case *hclsyntax.SplatExpr:
		n.Source = b.wrap(chargeIterate, b.rewrite(n.Source))
	case *hclsyntax.TemplateExpr:
		for i, p := range n.Parts {
			n.Parts[i] = b.wrap(chargeString, b.rewrite(p))
		}
	case *hclsyntax.TupleConsExpr:
		for i, x := range n.Exprs {
			n.Exprs[i] = b.wrap(chargeJoin, b.rewrite(x))
		}
	case *hclsyntax.ObjectConsExpr:
		for i := range n.Items {
			n.Items[i].KeyExpr = b.rewrite(n.Items[i].KeyExpr)
			n.Items[i].ValueExpr = b.wrap(chargeJoin, b.rewrite(n.Items[i].ValueExpr))
		}
	case *hclsyntax.BinaryOpExpr:
		n.LHS, n.RHS = b.rewrite(n.LHS), b.rewrite(n.RHS)
		if params := n.Op.Impl.Params(); len(params) == 2 {
			n.LHS, n.RHS = b.wrapOperand(n.LHS, params[0].Type), b.wrapOperand(n.RHS, params[1].Type)
		}
		if n.Op == hclsyntax.OpEqual || n.Op == hclsyntax.OpNotEqual {
			n.LHS, n.RHS = b.wrap(chargeWalk, n.LHS), b.wrap(chargeWalk, n.RHS)
		}
		if n.Op.Type == cty.Number {
			return b.wrap(chargeNumber, n)
		}
	case *hclsyntax.UnaryOpExpr:
		n.Val = b.rewrite(n.Val)
		if params := n.Op.Impl.Params(); len(params) == 1 {
			n.Val = b.wrapOperand(n.Val, params[0].Type)
		}
		if n.Op.Type == cty.Number {
			return b.wrap(chargeNumber, n)
		}
	case *hclsyntax.ConditionalExpr:
		n.Condition, n.TrueResult, n.FalseResult = b.rewrite(n.Condition), b.rewrite(n.TrueResult), b.rewrite(n.FalseResult)
	case *hclsyntax.IndexExpr:
		n.Collection, n.Key = b.rewrite(n.Collection), b.rewrite(n.Key)
		return &keyMarkedIndex{ParenthesesExpr: &hclsyntax.ParenthesesExpr{Expression: n, SrcRange: n.Range()}, index: n}
	case *hclsyntax.RelativeTraversalExpr:
		n.Source = b.rewrite(n.Source)
	case *hclsyntax.ParenthesesExpr:
		n.Expression = b.rewrite(n.Expression)
	case *hclsyntax.ObjectConsKeyExpr:
		n.Wrapped = b.rewrite(n.Wrapped)
	case *hclsyntax.TemplateJoinExpr:
		n.Tuple = b.rewrite(n.Tuple)
	case *hclsyntax.TemplateWrapExpr:
		n.Wrapped = b.rewrite(n.Wrapped)
	}
	return e
}

// eval evaluates expr in ctx within the loader's budget. Every evaluation
// of the loader goes through it. A diagnostic of an exceeded budget is
// restated plainly, at the expression that exceeded it.
func (l *loader) eval(expr hcl.Expression, ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	b := l.budget
	if b.exceeded {
		return cty.DynamicVal, nil
	}
	b.current = expr.Range()
	v, diags := l.evalSub(b.instrument(expr), ctx)
	if !b.exceeded {
		// What follows walks the value (conversion, marks, the IR).
		n, bytes := sizeOf(v, b.remaining())
		if err := b.charge(1+n+bytes/64, 0, 0); err != nil {
			r := expr.Range()
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Subject: &r, Detail: err.Error()})
		}
	}
	if b.exceeded {
		// Never hand on a value the budget did not cover: walking it
		// (for marks, say) could take as long as building it.
		v = cty.DynamicVal
	}
	for _, d := range diags {
		if d.Severity == hcl.DiagError && containsSentinel(d.Detail) {
			d.Summary, d.Detail = "Evaluation budget exceeded", b.message()
			if d.Context != nil && d.Context.Filename == d.Subject.Filename {
				d.Subject = d.Context // the whole call, not its name
			}
			d.Expression, d.EvalContext = nil, nil
			b.reported = true
		}
	}
	return v, diags
}

func containsSentinel(s string) bool { return strings.Contains(s, budgetSentinel) }

// reportBudget makes sure an exceeded budget is reported, also when the
// error was swallowed by can or try.
func (l *loader) reportBudget() {
	if b := l.budget; b.exceeded && !b.reported {
		r := b.at
		l.diags = append(l.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Evaluation budget exceeded", Detail: b.message(), Subject: &r})
		b.reported = true
	}
}
