package schema

import (
	"time"

	"github.com/wurzel-dev/wurzel/ir"
)

// The handles below declare an attribute or nested block of a back end's
// block and read its value from the decoded ir.Block. A back end declares
// each attribute once, as a handle, lists the handle's schema in its block
// and reads the value through the same handle, so that the table and the
// reader cannot disagree on a name or a type.

// String is a handle of a "string" attribute.
type String struct{ *Attribute }

// Bool is a handle of a "bool" attribute.
type Bool struct{ *Attribute }

// Int is a handle of a whole-number attribute (format "integer").
type Int struct{ *Attribute }

// StringList is a handle of a "list(string)" attribute.
type StringList struct{ *Attribute }

// StringMap is a handle of a "map(string)" attribute.
type StringMap struct{ *Attribute }

// Nested is a handle of a nested block type.
type Nested struct{ *Block }

// NewString declares a string attribute.
func NewString(a Attribute) String { a.Type = "string"; return String{&a} }

// NewBool declares a bool attribute.
func NewBool(a Attribute) Bool { a.Type = "bool"; return Bool{&a} }

// NewInt declares a whole-number attribute from 0 to a.Max.
func NewInt(a Attribute) Int { a.Type, a.Format = "number", FormatInteger; return Int{&a} }

// NewStringList declares a list(string) attribute.
func NewStringList(a Attribute) StringList { a.Type = "list(string)"; return StringList{&a} }

// NewStringMap declares a map(string) attribute.
func NewStringMap(a Attribute) StringMap { a.Type = "map(string)"; return StringMap{&a} }

// NewNested declares a nested block type.
func NewNested(b Block) Nested { return Nested{&b} }

// value returns the attribute's decoded value in b, or nil.
func value(b *ir.Block, a *Attribute) *ir.Value {
	if b == nil {
		return nil
	}
	return b.Attrs[a.Name]
}

// scalar reads a single value. An attribute that is not in b (a block the
// front end did not decode, or no block at all) reads as its default.
func scalar[T any](b *ir.Block, a *Attribute) ir.Scalar[T] {
	v := value(b, a)
	if v == nil {
		d, _ := a.DefaultValue()
		t, _ := d.(T)
		return ir.Scalar[T]{Value: t}
	}
	t, _ := v.Value.(T)
	return ir.Scalar[T]{Value: t, Range: v.Range, Set: !v.Default}
}

// Get reads the attribute from b (nil b: not set).
func (h String) Get(b *ir.Block) ir.Scalar[string] { return scalar[string](b, h.Attribute) }

// Get reads the attribute from b (nil b: not set).
func (h Bool) Get(b *ir.Block) ir.Scalar[bool] { return scalar[bool](b, h.Attribute) }

// Get reads the attribute from b (nil b: not set).
func (h Int) Get(b *ir.Block) ir.Scalar[int64] { return scalar[int64](b, h.Attribute) }

// Get reads the attribute from b (nil b: not set).
func (h StringList) Get(b *ir.Block) ir.List {
	v := value(b, h.Attribute)
	if v == nil {
		return ir.List{}
	}
	l, _ := v.Value.([]string)
	return ir.List{Value: l, Ranges: ir.ListRanges{Range: v.Range, Elems: v.Elems}, Set: !v.Default}
}

// Get reads the attribute from b (nil b: not set).
func (h StringMap) Get(b *ir.Block) ir.Map {
	v := value(b, h.Attribute)
	if v == nil {
		return ir.Map{}
	}
	m, _ := v.Value.(map[string]string)
	return ir.Map{Value: m, Ranges: ir.MapRanges{Range: v.Range, Keys: v.Keys}, Set: !v.Default}
}

// All returns the nested blocks of this type in b, in the order written.
func (h Nested) All(b *ir.Block) []*ir.Block {
	if b == nil {
		return nil
	}
	return b.Blocks[h.Type]
}

// One returns the nested block of this type in b, or nil.
func (h Nested) One(b *ir.Block) *ir.Block {
	if all := h.All(b); len(all) > 0 {
		return all[0]
	}
	return nil
}

// Duration is a handle of a duration attribute (a string of format
// "duration").
type Duration struct{ *Attribute }

// NewDuration declares a duration attribute.
func NewDuration(a Attribute) Duration {
	a.Type, a.Format = "string", FormatDuration
	return Duration{&a}
}

// Get reads the attribute from b (nil b: not set). The front end has
// checked the format, so a value that does not parse is never handed on.
func (h Duration) Get(b *ir.Block) ir.Scalar[time.Duration] {
	s := scalar[string](b, h.Attribute)
	d, _ := ParseDuration(s.Value)
	return ir.Scalar[time.Duration]{Value: d, Range: s.Range, Set: s.Set}
}
