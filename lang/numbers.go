package lang

import (
	"github.com/zclconf/go-cty/cty"

	"github.com/wurzel-dev/wurzel/internal/srclimit"
)

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
	switch u, _ := v.Unmark(); {
	case !u.IsKnown() || u.IsNull():
		return false
	case u.Type() == cty.String:
		return len(u.AsString()) > maxNumberText
	case u.Type().IsPrimitiveType():
		return false // the common case, without a walk
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
