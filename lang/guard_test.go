package lang

import (
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2/ext/customdecode"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// awkwardValues are arguments that functions must survive: zeros,
// negatives, extremes, infinities, empty and odd strings, nulls, unknowns
// and collections of each kind.
func awkwardValues() []cty.Value {
	return []cty.Value{
		cty.Zero, cty.NumberIntVal(-1), cty.NumberFloatVal(0.5), cty.NumberIntVal(-8),
		cty.NumberFloatVal(1e308), cty.MustParseNumberVal("1e400"), cty.PositiveInfinity, cty.NegativeInfinity,
		cty.StringVal(""), cty.StringVal("a,b\nc"), cty.StringVal("%999999999d"), cty.StringVal("%[2]*d %!"),
		cty.StringVal("(a+)+$"), cty.StringVal("2006-01-02T15:04:05Z"), cty.StringVal("\u202e\u00e9"),
		cty.StringVal("-1"), cty.StringVal("1e9999"), cty.StringVal(`{"a":[1,{}]}`),
		cty.True, cty.False,
		cty.NullVal(cty.String), cty.NullVal(cty.DynamicPseudoType), cty.UnknownVal(cty.String), cty.DynamicVal,
		cty.ListValEmpty(cty.String), cty.ListVal([]cty.Value{cty.NumberIntVal(3), cty.NumberIntVal(3)}),
		cty.ListVal([]cty.Value{cty.StringVal("x"), cty.StringVal("")}),
		cty.SetVal([]cty.Value{cty.StringVal("a")}), cty.MapVal(map[string]cty.Value{"k": cty.StringVal("v")}),
		cty.TupleVal([]cty.Value{cty.Zero, cty.StringVal("z"), cty.EmptyTupleVal}),
		cty.ObjectVal(map[string]cty.Value{"a": cty.Zero}), cty.EmptyObjectVal,
		cty.ListVal([]cty.Value{cty.ListVal([]cty.Value{cty.Zero})}),
	}
}

// TestFunctionsFailPlainly calls every function of the language with
// random awkward arguments: each call returns a value or an error, never a
// panic or an error holding a Go stack trace, and never an infinite number.
func TestFunctionsFailPlainly(t *testing.T) {
	funcs := functions(t.TempDir(), newBudget(), nil)
	pool := awkwardValues()
	rng := rand.New(rand.NewSource(1))
	for _, name := range sortedKeys(funcs) {
		fn := funcs[name]
		if isClosureFunction(fn) || strings.HasPrefix(name, "\x00") {
			continue // can and try take expressions; see the HCL-level tests
		}
		for i := 0; i < 3000; i++ {
			args := randomArgs(rng, fn, pool)
			got, err := callSafely(fn, args)
			if err != nil && (strings.Contains(err.Error(), "goroutine") || strings.Contains(err.Error(), "panic")) {
				t.Fatalf("%s%v: %v", name, args, err)
			}
			if err == nil && checkNumber(got) != nil {
				t.Fatalf("%s%v = %#v: infinite", name, args, got)
			}
		}
	}
}

// TestFunctionResultsStayMarked calls every function with arguments of
// which one is marked, deep inside or whole: a result must carry the mark.
func TestFunctionResultsStayMarked(t *testing.T) {
	funcs := functions(t.TempDir(), newBudget(), nil)
	pool := awkwardValues()
	rng := rand.New(rand.NewSource(2))
	for _, name := range sortedKeys(funcs) {
		fn := funcs[name]
		if isClosureFunction(fn) || strings.HasPrefix(name, "\x00") {
			continue
		}
		for i := 0; i < 2000; i++ {
			args := randomArgs(rng, fn, pool)
			if len(args) == 0 {
				continue
			}
			j := rng.Intn(len(args))
			args[j] = markSomewhere(args[j], rng)
			got, err := callSafely(fn, args)
			if err == nil && !got.ContainsMarked() {
				t.Fatalf("%s%v = %#v lost the mark", name, args, got)
			}
		}
	}
}

func isClosureFunction(fn function.Function) bool {
	for _, p := range fn.Params() {
		if p.Type == customdecode.ExpressionClosureType {
			return true
		}
	}
	vp := fn.VarParam()
	return vp != nil && vp.Type == customdecode.ExpressionClosureType
}

func randomArgs(rng *rand.Rand, fn function.Function, pool []cty.Value) []cty.Value {
	n := len(fn.Params())
	if fn.VarParam() != nil {
		n += rng.Intn(3)
	}
	args := make([]cty.Value, n)
	for i := range args {
		args[i] = pool[rng.Intn(len(pool))]
	}
	return args
}

// markSomewhere marks v, or, for a collection, one of its elements.
func markSomewhere(v cty.Value, rng *rand.Rand) cty.Value {
	if !v.IsKnown() || v.IsNull() || !v.CanIterateElements() || v.LengthInt() == 0 || rng.Intn(2) == 0 {
		return v.Mark(sensitiveMark)
	}
	ty := v.Type()
	switch {
	case ty.IsListType() || ty.IsTupleType():
		vals := v.AsValueSlice()
		vals[0] = vals[0].Mark(sensitiveMark)
		if ty.IsListType() {
			return cty.ListVal(vals)
		}
		return cty.TupleVal(vals)
	case ty.IsMapType() || ty.IsObjectType():
		m := v.AsValueMap()
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		m[keys[0]] = m[keys[0]].Mark(sensitiveMark)
		if ty.IsMapType() {
			return cty.MapVal(m)
		}
		return cty.ObjectVal(m)
	}
	return v.Mark(sensitiveMark)
}

// callSafely calls fn, turning a panic that escapes it into an error that
// fails the tests above.
func callSafely(fn function.Function, args []cty.Value) (v cty.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic escaped: %v", r)
		}
	}()
	return fn.Call(args)
}

// TestRangeLength: range is charged, before it runs, for the numbers
// go-cty walks to make its result, up to the one past its limit where it
// fails.
func TestRangeLength(t *testing.T) {
	n := func(f float64) cty.Value { return cty.NumberFloatVal(f) }
	for _, c := range []struct {
		args []cty.Value
		want int64
	}{
		{[]cty.Value{n(10)}, 10},
		{[]cty.Value{n(0)}, 0},
		{[]cty.Value{n(-3)}, 3},
		{[]cty.Value{n(1024)}, 1024},
		{[]cty.Value{n(1030)}, rangeMaxValues + 1},
		{[]cty.Value{n(1e300)}, rangeMaxValues + 1},
		{[]cty.Value{cty.PositiveInfinity}, rangeMaxValues + 1},
		{[]cty.Value{n(1), n(5)}, 4},
		{[]cty.Value{n(5), n(1)}, 4},
		{[]cty.Value{n(0), n(1), n(0.25)}, 4},
		{[]cty.Value{n(0), n(1), n(0.3)}, 4},
		{[]cty.Value{n(10), n(0), n(-2)}, 5},
		{[]cty.Value{n(0), n(10), n(-1)}, 0},
		{[]cty.Value{n(0), n(10), n(0)}, 0},
		{[]cty.Value{cty.UnknownVal(cty.Number)}, 0},
		{[]cty.Value{cty.NullVal(cty.Number), n(3)}, 0},
		{[]cty.Value{n(10).Mark("sensitive")}, 10},
	} {
		if got := rangeLength(c.args); got != c.want {
			t.Errorf("rangeLength(%#v) = %d, want %d", c.args, got, c.want)
		}
	}
	// What go-cty walks: range(1024) makes 1,024 numbers, range(1025)
	// fails after as many.
	funcs := functions(t.TempDir(), nil, nil)
	if v, err := funcs["range"].Call([]cty.Value{n(1024)}); err != nil || v.LengthInt() != 1024 {
		t.Errorf("range(1024) = %#v, %v", v, err)
	}
	if _, err := funcs["range"].Call([]cty.Value{n(1025)}); err == nil {
		t.Error("range(1025) succeeded: go-cty's limit moved, and rangeMaxValues with it")
	}
}
