package lang

import (
	"reflect"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// relocate returns a copy of body, the parse of some text, as the parse of
// the same text moved by lines lines and bytes bytes would be: every
// position in it moved by as much (the text starts a line in both places,
// so columns stay). The parse cache uses it for the items after an edit,
// which are the same text at another place: copying a parse costs a
// fraction of making it. body itself is left alone: a previous load may
// still use it.
//
// The copy walks the syntax tree by reflection, so that it follows every
// node type hclsyntax has, now and in later versions: it copies the values
// of the hcl and hclsyntax packages' types and shares everything else
// (cty values and types, the operations of operators), which no position
// lives in. TestRelocatedParseEqualsParse compares its result with a parse
// at the new place, unexported fields included.
func relocate(body *hclsyntax.Body, lines, bytes int) *hclsyntax.Body {
	r := relocator{lines: lines, bytes: bytes}
	return r.copy(reflect.ValueOf(body)).Interface().(*hclsyntax.Body)
}

type relocator struct {
	lines, bytes int
	// symbols maps a splat's anonymous symbol, which the tree points to
	// twice, to its copy.
	symbols map[*hclsyntax.AnonSymbolExpr]reflect.Value
}

var (
	posType       = reflect.TypeFor[hcl.Pos]()
	rangeType     = reflect.TypeFor[hcl.Range]()
	symbolType    = reflect.TypeFor[*hclsyntax.AnonSymbolExpr]()
	operationType = reflect.TypeFor[hclsyntax.Operation]()
	hclPackage    = posType.PkgPath()
	syntaxPackage = reflect.TypeFor[hclsyntax.Body]().PkgPath()
)

// owned reports whether values of t belong to the tree and are copied.
func owned(t reflect.Type) bool {
	return (t.PkgPath() == syntaxPackage && t != operationType) || t.PkgPath() == hclPackage
}

func (r *relocator) shift(p *hcl.Pos) {
	p.Line += r.lines
	p.Byte += r.bytes
}

func (r *relocator) copy(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || !owned(v.Type().Elem()) {
			return v
		}
		if v.Type() == symbolType {
			return r.symbol(v)
		}
		c := reflect.New(v.Type().Elem())
		r.fill(c.Elem(), v.Elem())
		return c
	case reflect.Struct:
		c := reflect.New(v.Type()).Elem()
		r.fill(c, v)
		return c
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(c, v)
		if mayHold(v.Type().Elem()) {
			for i := range v.Len() {
				r.set(c.Index(i), v.Index(i))
			}
		}
		return c
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		c := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			c.SetMapIndex(r.copy(it.Key()), r.copy(it.Value()))
		}
		return c
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		c := reflect.New(v.Type()).Elem()
		c.Set(r.copy(v.Elem()))
		return c
	}
	return v
}

// symbol copies an anonymous symbol once, however often the tree points
// to it.
func (r *relocator) symbol(v reflect.Value) reflect.Value {
	s := v.Interface().(*hclsyntax.AnonSymbolExpr)
	if c, ok := r.symbols[s]; ok {
		return c
	}
	if r.symbols == nil {
		r.symbols = map[*hclsyntax.AnonSymbolExpr]reflect.Value{}
	}
	c := reflect.New(v.Type().Elem())
	r.symbols[s] = c
	r.fill(c.Elem(), v.Elem())
	return c
}

// fill makes dst, an addressable value of src's type, the relocated copy
// of src.
func (r *relocator) fill(dst, src reflect.Value) {
	dst.Set(src) // everything but what holds a position, unexported fields included
	switch src.Type() {
	case posType:
		r.shift(dst.Addr().Interface().(*hcl.Pos))
		return
	case rangeType:
		rng := dst.Addr().Interface().(*hcl.Range)
		r.shift(&rng.Start)
		r.shift(&rng.End)
		return
	}
	if src.Kind() != reflect.Struct || !owned(src.Type()) {
		return
	}
	for _, i := range fieldsToCopy(src.Type()) {
		r.set(dst.Field(i), src.Field(i))
	}
}

// set makes dst, addressable, the relocated copy of src.
func (r *relocator) set(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Struct:
		r.fill(dst, src)
	default:
		dst.Set(r.copy(src))
	}
}

// fieldsToCopy lists the settable fields of the struct type t that may
// hold a position; the others are copied as they are.
func fieldsToCopy(t reflect.Type) []int {
	if f, ok := fieldPlans.Load(t); ok {
		return f.([]int)
	}
	var out []int
	for i := range t.NumField() {
		if f := t.Field(i); f.IsExported() && mayHold(f.Type) {
			out = append(out, i)
		}
	}
	fieldPlans.Store(t, out)
	return out
}

var fieldPlans sync.Map // reflect.Type -> []int

// mayHold reports whether a value of type t may hold a position, directly
// or through what it points to.
func mayHold(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Interface:
		return true
	case reflect.Pointer, reflect.Slice:
		return mayHold(t.Elem())
	case reflect.Map:
		return mayHold(t.Key()) || mayHold(t.Elem())
	case reflect.Struct:
		return owned(t)
	}
	return false
}
