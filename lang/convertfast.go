package lang

import (
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// uniformConversion is one of tolist, toset and tomap (inner) with a fast
// path for their most common large argument: a tuple (an object, for
// tomap) whose elements all have one primitive type, as
// toset([for i in range(n) : format(...)]) gives for a for_each. go-cty
// unifies the element types of such a value by sorting them with a
// pairwise comparison, quadratic in their number: 10,000 keys took three
// seconds. Elements of one primitive type need no unifying, and the value
// is built directly; any other argument goes to inner, which gives the
// same results as before (TestUniformConversionMatchesGoCty).
//
// fromObject says which argument takes the fast path: an object (tomap)
// or a tuple (tolist, toset).
func uniformConversion(inner function.Function, fromObject bool, collection func(cty.Type) cty.Type, build func(cty.Value) cty.Value) function.Function {
	return function.New(&function.Spec{
		Description: inner.Description(),
		Params:      inner.Params(),
		VarParam:    inner.VarParam(),
		Type: func(args []cty.Value) (cty.Type, error) {
			if et, ok := uniformElements(args, fromObject); ok {
				return collection(et), nil
			}
			return inner.ReturnTypeForValues(args)
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if _, ok := uniformElements(args, fromObject); ok {
				return build(args[0]), nil
			}
			return inner.Call(args)
		},
	})
}

// uniformElements returns the one primitive type of the elements of a
// single object (fromObject) or tuple argument that is known, unmarked and
// free of nulls, with at least two elements.
func uniformElements(args []cty.Value, fromObject bool) (cty.Type, bool) {
	if len(args) != 1 {
		return cty.NilType, false
	}
	v := args[0]
	if v.IsNull() || !v.IsWhollyKnown() || v.ContainsMarked() {
		return cty.NilType, false
	}
	var types []cty.Type
	switch t := v.Type(); {
	case t.IsTupleType() && !fromObject:
		types = t.TupleElementTypes()
	case t.IsObjectType() && fromObject:
		for _, at := range t.AttributeTypes() {
			types = append(types, at)
		}
	default:
		return cty.NilType, false
	}
	if len(types) < 2 || !types[0].IsPrimitiveType() {
		return cty.NilType, false
	}
	for _, et := range types[1:] {
		if !et.Equals(types[0]) {
			return cty.NilType, false
		}
	}
	for it := v.ElementIterator(); it.Next(); {
		if _, ev := it.Element(); ev.IsNull() {
			return cty.NilType, false
		}
	}
	return types[0], true
}

func listOf(v cty.Value) cty.Value { return cty.ListVal(v.AsValueSlice()) }
func setOf(v cty.Value) cty.Value  { return cty.SetVal(v.AsValueSlice()) }

func mapOf(v cty.Value) cty.Value { return cty.MapVal(v.AsValueMap()) }
