package lang

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
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

// budgetLimits are the limits of every new budget: steps, elements, bytes.
// Only tests change them (the fuzz target, whose instrumented workers would
// otherwise spend seconds on one input that exhausts the budget).
var budgetLimits = [3]int64{maxEvalSteps, maxEvalElements, maxEvalBytes}

func newBudget() *budget {
	return &budget{limits: budgetLimits}
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
	m := measure(v, limit, false)
	return m.elements, m.bytes
}

// valueMeasure is what one walk over a value finds.
type valueMeasure struct {
	elements, bytes int64
	// outOfRange is set when the value holds a number out of range (see
	// numberOutOfRange), when checkNumbers is.
	outOfRange bool
}

// measure walks v, at most limit elements, counting its elements and string
// bytes and, when checkNumbers is set, looking for numbers out of range
// (which costs a copy of each number).
func measure(v cty.Value, limit int64, checkNumbers bool) valueMeasure {
	var m valueMeasure
	if u, _ := v.Unmark(); !u.IsKnown() || u.IsNull() || u.Type() == cty.Bool || (u.Type() == cty.Number && !checkNumbers) {
		return m // the common cases, without a walk
	} else if u.Type() == cty.String {
		m.bytes = int64(len(u.AsString()))
		return m
	}
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
		case ty == cty.Number && checkNumbers:
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
