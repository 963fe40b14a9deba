package lang

import (
	"fmt"
	"testing"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// TestUniformConversionMatchesGoCty: on every kind of argument, the fast
// tolist, toset and tomap give what go-cty's own give, type, value and
// error alike.
func TestUniformConversionMatchesGoCty(t *testing.T) {
	strs := func(n int) []cty.Value {
		var out []cty.Value
		for i := range n {
			out = append(out, cty.StringVal(fmt.Sprintf("k%d", i%7)))
		}
		return out
	}
	args := map[string]cty.Value{
		"strings":        cty.TupleVal(strs(50)),
		"numbers":        cty.TupleVal([]cty.Value{cty.NumberIntVal(1), cty.NumberIntVal(2), cty.NumberIntVal(1)}),
		"bools":          cty.TupleVal([]cty.Value{cty.True, cty.False}),
		"mixed":          cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.NumberIntVal(2)}),
		"with null":      cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.NullVal(cty.String)}),
		"with unknown":   cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.UnknownVal(cty.String)}),
		"marked":         cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b").Mark("sensitive")}),
		"one":            cty.TupleVal([]cty.Value{cty.StringVal("a")}),
		"empty":          cty.EmptyTupleVal,
		"lists":          cty.TupleVal([]cty.Value{cty.ListVal([]cty.Value{cty.StringVal("a")}), cty.ListVal([]cty.Value{cty.StringVal("b")})}),
		"object":         cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal("x"), "b": cty.StringVal("y")}),
		"mixed object":   cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal("x"), "b": cty.True}),
		"null":           cty.NullVal(cty.Tuple([]cty.Type{cty.String, cty.String})),
		"a list already": cty.ListVal(strs(3)),
		"a string":       cty.StringVal("a"),
	}
	table := functions("", nil, nil)
	for fn, want := range map[string]cty.Type{
		"tolist": cty.List(cty.DynamicPseudoType),
		"toset":  cty.Set(cty.DynamicPseudoType),
		"tomap":  cty.Map(cty.DynamicPseudoType),
	} {
		goCty := stdlib.MakeToFunc(want)
		for name, arg := range args {
			gotV, gotErr := table[fn].Call([]cty.Value{arg})
			wantV, wantErr := goCty.Call([]cty.Value{arg})
			if (gotErr != nil) != (wantErr != nil) {
				t.Errorf("%s(%s): error %v, go-cty's %v", fn, name, gotErr, wantErr)
				continue
			}
			if gotErr == nil && (!gotV.Type().Equals(wantV.Type()) || !gotV.RawEquals(wantV)) {
				t.Errorf("%s(%s) = %#v, go-cty gives %#v", fn, name, gotV, wantV)
			}
		}
	}
}
