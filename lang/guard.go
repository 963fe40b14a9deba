package lang

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"

	"github.com/hashicorp/hcl/v2/ext/customdecode"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/wurzel-dev/wurzel/internal/lazyre"
)

// guard wraps a function of the expression language so that
//
//   - its result stays marked (sensitive) when any argument holds a marked
//     value, also where the function itself drops marks (can and try
//     evaluate expressions whose marks the caller never sees);
//   - a panic inside it (go-cty's math functions panic on NaN), an
//     infinite result or one out of range (see numberOutOfRange), and a
//     string too long to read given to tonumber or parseint are ordinary
//     errors, never a Go stack trace or minutes of work;
//   - its cost is charged to the budget b (when not nil) before it runs,
//     from its arguments, and after, from its result; once the budget is
//     spent it returns an unknown value without running.
func guard(name string, inner function.Function, b *budget) function.Function {
	// Marked and unknown arguments reach Impl, which gathers the marks and
	// leaves the rest to inner.
	params := inner.Params()
	for i := range params {
		params[i].AllowMarked, params[i].AllowUnknown, params[i].AllowDynamicType = true, true, true
	}
	var varParam *function.Parameter
	if vp := inner.VarParam(); vp != nil {
		p := *vp
		p.AllowMarked, p.AllowUnknown, p.AllowDynamicType = true, true, true
		varParam = &p
	}
	return function.New(&function.Spec{
		Description: inner.Description(),
		Params:      params,
		VarParam:    varParam,
		Type: func(args []cty.Value) (cty.Type, error) {
			ty, err := inner.ReturnTypeForValues(args)
			return ty, plainError(err)
		},
		Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
			if b != nil {
				if b.exceeded {
					return cty.UnknownVal(retType).WithMarks(argumentMarks(args)...), nil
				}
				steps, elements, bytes, longNumber := callCost(name, args, b.remaining())
				if longNumber {
					return cty.NilVal, errors.New("a string of more than 1000 characters cannot be read as a number")
				}
				if err := b.charge(steps, elements, bytes); err != nil {
					return cty.NilVal, err
				}
			}
			ret, err := inner.Call(args)
			if err != nil {
				return cty.NilVal, plainError(err)
			}
			if err := checkNumber(ret); err != nil {
				return cty.NilVal, err
			}
			if b != nil {
				n, bytes := sizeOf(ret, b.remaining())
				if err := b.charge(n, n, bytes); err != nil {
					return cty.NilVal, err
				}
			}
			if marks := argumentMarks(args); len(marks) > 0 {
				ret = ret.WithMarks(marks...)
			}
			return ret, nil
		},
	})
}

// plainError turns a panic reported by go-cty, whose message holds a Go
// stack trace, into a plain message.
func plainError(err error) error {
	var pe function.PanicError
	if !errors.As(err, &pe) {
		return err
	}
	if _, nan := pe.Value.(big.ErrNaN); nan {
		return errors.New("the result is not a number (NaN)")
	}
	return fmt.Errorf("the function cannot be computed for these arguments: %v", pe.Value)
}

// checkNumber refuses infinite numbers, which have no place in a pipeline
// and print as "+Inf", and numbers out of range.
func checkNumber(v cty.Value) error {
	v, _ = v.Unmark()
	if !v.IsKnown() || v.IsNull() || v.Type() != cty.Number {
		return nil
	}
	if v.AsBigFloat().IsInf() {
		return errors.New("the result is infinite")
	}
	if numberOutOfRange(v) {
		return errors.New("the result is beyond 10^1000 or below 10^-1000 in magnitude")
	}
	return nil
}

// argumentMarks gathers the marks of every argument, deep, and of every
// value an expression argument (of can or try) refers to.
func argumentMarks(args []cty.Value) []cty.ValueMarks {
	var out []cty.ValueMarks
	for _, a := range args {
		if a.Type() == customdecode.ExpressionClosureType && a.IsKnown() && !a.IsNull() {
			out = append(out, closureMarks(customdecode.ExpressionClosureFromVal(a))...)
			continue
		}
		if _, marks := a.UnmarkDeep(); len(marks) > 0 {
			out = append(out, marks)
		}
	}
	return out
}

// closureMarks returns the marks of the values the closure's expression
// refers to. A reference that does not resolve (what can() may be asked
// about) counts by the variable it starts from.
func closureMarks(c *customdecode.ExpressionClosure) []cty.ValueMarks {
	var out []cty.ValueMarks
	for _, t := range c.Expression.Variables() {
		v, diags := t.TraverseAbs(c.EvalContext)
		for n := min(2, len(t)); diags.HasErrors() && n > 0; n-- {
			v, diags = t[:n].TraverseAbs(c.EvalContext)
		}
		if diags.HasErrors() {
			continue
		}
		if _, marks := v.UnmarkDeep(); len(marks) > 0 {
			out = append(out, marks)
		}
	}
	return out
}

// callCost estimates what calling name with args costs before it runs:
// one step, the elements and (by 64) string bytes of the arguments that it
// reads, and for functions whose work or output grows faster than their
// input, that growth, so that they are refused before they allocate. It
// also says whether a string to read as a number is too long.
func callCost(name string, args []cty.Value, limit int64) (steps, elements, bytes int64, longNumber bool) {
	steps = 1
	for _, a := range args {
		if a.Type() == customdecode.ExpressionClosureType {
			continue
		}
		// Numbers are bounded where they are made (literals, operators,
		// function results, variables), so they need no check here.
		n, nb := sizeOf(a, limit)
		steps += n + nb/64
	}
	switch name {
	case "tonumber", "parseint":
		// Reading a number takes time quadratic in its digits.
		longNumber = strLen(args[0]) > maxNumberText
	case "distinct":
		// go-cty compares each element with every one kept before.
		if n := lengthOf(args[0]); n > 0 {
			steps += n * n / 2
		}
	case "sort":
		n := lengthOf(args[0])
		steps += n * 20
	case "join":
		sep := strLen(args[0])
		for _, l := range args[1:] {
			bytes += sep * lengthOf(l)
		}
	case "replace":
		bytes += replaceGrowth(args)
	case "regex_replace":
		// At most one match per position.
		bytes += (strLen(args[0]) + 1) * strLen(args[2])
	case "indent":
		if w, ok := wholeNumber(args[0]); ok {
			bytes += w * (int64(strings.Count(strOf(args[1]), "\n")) + 1)
		}
	case "formatlist":
		n := int64(1)
		for _, a := range args[1:] {
			n = max(n, lengthOf(a))
		}
		bytes += n * strLen(args[0])
	case "range":
		steps += rangeStepsPerValue * rangeLength(args)
	}
	return steps, 0, bytes, longNumber
}

// rangeMaxValues is the most values go-cty's range generates: past it, the
// call fails.
const rangeMaxValues = 1024

// rangeStepsPerValue is what each number range makes costs: a comparison
// and an addition in arbitrary precision and an append, about 0.5 µs, four
// times an iteration of a for expression. Charged so, the costliest way to
// spend the budget on range (a call that fails, in nested for expressions)
// is refused in about a second, as other ways are.
const rangeStepsPerValue = 4

// rangeLength is how many numbers range(args...) walks: go-cty makes them
// one at a time, in arbitrary precision, and fails once it has made more
// than rangeMaxValues. A call that fails has done that work and returns no
// value to charge afterwards, so it is charged before: range(1030) in a
// nested for expression otherwise costs the budget one step a call and
// keeps a load busy for minutes.
func rangeLength(args []cty.Value) int64 {
	var nums [3]float64
	for i, a := range args {
		a, _ = a.Unmark()
		if i >= len(nums) || !a.IsKnown() || a.IsNull() || a.Type() != cty.Number {
			return 0
		}
		nums[i], _ = a.AsBigFloat().Float64()
	}
	var start, end, step float64
	switch len(args) {
	case 1:
		end, step = nums[0], 1
	case 2:
		start, end, step = nums[0], nums[1], 1
	case 3:
		start, end, step = nums[0], nums[1], nums[2]
	default:
		return 0
	}
	if len(args) < 3 && end < start {
		step = -1
	}
	if step == 0 {
		return 0 // it fails at once
	}
	n := math.Ceil((end - start) / step)
	if !(n > 0) { // none, the wrong way, or NaN from infinities
		return 0
	}
	return int64(min(n, rangeMaxValues+1))
}

// replaceGrowth is how much replace(str, substr, replacement) adds.
func replaceGrowth(args []cty.Value) int64 {
	str, sub, repl := strOf(args[0]), strOf(args[1]), strLen(args[2])
	if strings.HasPrefix(sub, "/") && strings.HasSuffix(sub, "/") && len(sub) > 1 {
		return (int64(len(str)) + 1) * repl // a regular expression
	}
	count := int64(strings.Count(str, sub))
	return count * max(0, repl-int64(len(sub)))
}

func lengthOf(v cty.Value) int64 {
	v, _ = v.Unmark()
	if !v.IsKnown() || v.IsNull() || !v.CanIterateElements() {
		return 0
	}
	return int64(v.LengthInt())
}

func strOf(v cty.Value) string {
	v, _ = v.Unmark()
	if !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		return ""
	}
	return v.AsString()
}

func strLen(v cty.Value) int64 { return int64(len(strOf(v))) }

func wholeNumber(v cty.Value) (int64, bool) {
	v, _ = v.Unmark()
	if !v.IsKnown() || v.IsNull() || v.Type() != cty.Number {
		return 0, false
	}
	i, acc := v.AsBigFloat().Int64()
	return i, acc == big.Exact
}

// maxFormatWidth bounds the width and precision of a format verb: go-cty
// would pad to any width, and fails with "%!(NOVERB)" on very large ones.
const maxFormatWidth = 1000

// formatVerbRE finds a verb's flags, width and precision (go-cty's format
// syntax is Go's, without "*").
var formatVerbRE = lazyre.New(`%%|%[-+# 0]*(?:\[\d+\])?(\d*)(?:\.(\d*))?`)

// checkFormat refuses a format string with a width or precision above
// maxFormatWidth.
func checkFormat(format string) error {
	for _, m := range formatVerbRE.FindAllStringSubmatch(format, -1) {
		for _, n := range m[1:] {
			if len(n) > 4 || (n != "" && atoi(n) > maxFormatWidth) {
				return fmt.Errorf("a width or precision of %s is more than the %d allowed", n, maxFormatWidth)
			}
		}
	}
	return nil
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// boundedFormat is format or formatlist refusing widths above
// maxFormatWidth before formatting.
func boundedFormat(inner function.Function) function.Function {
	return checkedFirst(inner, func(args []cty.Value) error {
		if f := args[0]; f.IsKnown() && !f.IsNull() {
			if err := checkFormat(f.AsString()); err != nil {
				return function.NewArgError(0, err)
			}
		}
		return nil
	})
}
