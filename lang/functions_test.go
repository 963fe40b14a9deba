package lang

import (
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func TestBoundedSetProduct(t *testing.T) {
	list := func(n int) cty.Value {
		vals := make([]cty.Value, n)
		for i := range vals {
			vals[i] = cty.NumberIntVal(int64(i))
		}
		if n == 0 {
			return cty.ListValEmpty(cty.Number)
		}
		return cty.ListVal(vals)
	}
	f := boundedSetProduct(100)
	for i, tt := range []struct {
		args    []cty.Value
		wantLen int // -1: an error
	}{
		{[]cty.Value{list(10), list(10)}, 100},
		{[]cty.Value{list(10), list(11)}, -1},
		{[]cty.Value{list(1000), list(1000), list(0)}, -1}, // refused before the empty list is seen
		{[]cty.Value{list(0), list(1000), list(1000)}, 0},
		{[]cty.Value{list(10).Mark("sensitive"), list(10)}, 100},
		{[]cty.Value{cty.UnknownVal(cty.List(cty.Number)), list(10)}, 0},
		{[]cty.Value{cty.UnknownVal(cty.List(cty.Number)), list(1000)}, -1}, // the known part is too large already
	} {
		got, err := f.Call(tt.args)
		got, _ = got.Unmark()
		switch {
		case tt.wantLen < 0:
			if err == nil || !strings.Contains(err.Error(), "more than 100 elements") {
				t.Errorf("case %d: err = %v, want the limit", i, err)
			}
		case err != nil:
			t.Errorf("case %d: %v", i, err)
		case got.IsKnown() && got.LengthInt() != tt.wantLen:
			t.Errorf("case %d: %d elements, want %d", i, got.LengthInt(), tt.wantLen)
		}
	}
}
