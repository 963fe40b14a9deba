package lang

import (
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/schema"
)

// sensitiveMark marks values that come from sensitive variables.
const sensitiveMark = "sensitive"

// refScope says which references an expression may hold.
type refScope int

const (
	// scopeBlock: var and local, counting as uses (block attributes).
	scopeBlock refScope = iota
	// scopeLocal: var and local (local values).
	scopeLocal
	// scopeValidation: var only, not counting as a use.
	scopeValidation
	// scopeConst: nothing (variable defaults, var files).
	scopeConst
)

var referenceRoots = []string{"var", "local", "each", "secret", "volume", "step"}

// buildEvalContext makes the context block attributes are evaluated in.
func (l *loader) buildEvalContext() {
	l.ctx = &hcl.EvalContext{
		Variables: map[string]cty.Value{
			"var":   objectOf(l.varValues),
			"local": objectOf(l.localValues),
		},
		Functions: l.functions(),
	}
}

func objectOf(m map[string]cty.Value) cty.Value {
	if len(m) == 0 {
		return cty.EmptyObjectVal
	}
	return cty.ObjectVal(m)
}

// checkRefs reports the references expr may not hold in scope and records
// every reference for the editor. It returns false when expr must not be
// evaluated.
func (l *loader) checkRefs(expr hcl.Expression, scope refScope) bool {
	ok := true
	for _, t := range expr.Variables() {
		if !l.checkTraversal(t, scope) {
			ok = false
		}
	}
	return ok
}

func (l *loader) checkTraversal(t hcl.Traversal, scope refScope) bool {
	rng := t.SourceRange()
	root := t.RootName()
	if scope == scopeConst {
		l.errorf(&rng, "Variables not allowed", "A variable default or a value file cannot refer to %s: it must be a constant value.", root)
		return false
	}
	switch root {
	case "var", "local":
		kind := DeclVariable
		if root == "local" {
			kind = DeclLocal
			if scope == scopeValidation {
				l.errorf(&rng, "Invalid reference in variable validation", "A validation condition may refer only to variables, not to local values.")
				return false
			}
		}
		name, _, ok := traversalName(t, 1)
		if !ok {
			l.errorf(&rng, "Invalid reference", "A reference to a %s needs its name, as in %s.<name>.", kind, root)
			return false
		}
		ref := l.addRef(t, 1, kind, "", name)
		full := ref.Range
		if ref.Decl == nil {
			l.errorf(&full, "Reference to undeclared "+kindWord(kind), "There is no %s named %q.%s", kindWord(kind), name, didYouMean(name, l.namesOf(kind)))
			return false
		}
		if kind == DeclVariable && scope == scopeBlock {
			l.used[declKey{DeclVariable, name}] = true
		}
		if kind == DeclVariable && scope == scopeLocal {
			l.used[declKey{DeclVariable, name}] = true
		}
		return true
	case "step":
		l.recordStaticRef(t)
		if len(t) > 2 {
			if s, _, ok := traversalName(t, 2); ok && s == "output" {
				l.errorf(&rng, "Step output used as a value", "%s exists only at runtime: step outputs may appear only in an input's from and in depends_on, not in expressions such as function calls, templates or conditions.", traversalString(t))
				return false
			}
		}
		l.errorf(&rng, "Step reference used as a value", "A step exists only at runtime: step references may appear only in depends_on (and step outputs in an input's from).")
		return false
	case "secret":
		l.recordStaticRef(t)
		l.errorf(&rng, "Secret used as a value", "A secret may appear only in a step's secrets list: the step reads its keys from files in the mount directory (or from environment variables named by export_env). Its values never enter the pipeline definition.")
		return false
	case "volume":
		l.recordStaticRef(t)
		l.errorf(&rng, "Volume used as a value", "A volume may appear only in a step's volumes list.")
		return false
	case "each":
		return l.eachRef(t)
	}
	detail := fmt.Sprintf("There is nothing named %q here: a reference starts with var, local, each, secret, volume or step.%s", root, didYouMean(root, referenceRoots))
	if len(t) == 1 && l.interpolated(rng) {
		detail += fmt.Sprintf(" In a string, \"${\" starts a reference; write \"$${%s}\" to pass a literal \"${%s}\" to the command, for example for a shell to expand.", root, root)
	}
	l.errorf(&rng, "Unknown reference", "%s", detail)
	return false
}

// interpolated reports whether the reference at rng is written as "${name}"
// in a string. (The JSON syntax's template ranges start one character
// early.)
func (l *loader) interpolated(rng hcl.Range) bool {
	f := l.files[rng.Filename]
	if f == nil {
		return false
	}
	src, start := f.Bytes, rng.Start.Byte
	for _, at := range []int{start, start + 1} {
		if at >= 2 && at <= len(src) && string(src[at-2:at]) == "${" {
			return true
		}
	}
	return false
}

// recordStaticRef records a reference to a step, secret or volume written in
// a place where it is not allowed, so that the editor still finds it.
func (l *loader) recordStaticRef(t hcl.Traversal) {
	name, _, ok := traversalName(t, 1)
	if !ok {
		return
	}
	kind := DeclKind(t.RootName())
	if kind == DeclStep && len(t) >= 4 {
		if o, _, ok := traversalName(t, 2); ok && o == "output" {
			if out, _, ok := traversalName(t, 3); ok {
				l.addRef(t, 3, DeclOutput, name, out)
				return
			}
		}
	}
	l.addRef(t, 1, kind, "", name)
}

func kindWord(k DeclKind) string {
	if k == DeclLocal {
		return "local value"
	}
	return string(k)
}

// namesOf lists the declared names of a kind, for suggestions.
func (l *loader) namesOf(kind DeclKind) []string {
	var out []string
	switch kind {
	case DeclVariable:
		out = sortedKeys(l.variables)
	case DeclLocal:
		out = sortedKeys(l.locals)
	case DeclSecret:
		out = sortedKeys(l.secrets)
	case DeclVolume:
		out = sortedKeys(l.volumes)
	case DeclStep:
		out = sortedKeys(l.steps)
	}
	return out
}

// traversalName returns the name at step i of t: an attribute name or a
// string index.
func traversalName(t hcl.Traversal, i int) (string, hcl.Range, bool) {
	if i >= len(t) {
		return "", hcl.Range{}, false
	}
	switch s := t[i].(type) {
	case hcl.TraverseAttr:
		return s.Name, s.SrcRange, true
	case hcl.TraverseIndex:
		if s.Key.Type() == cty.String && s.Key.IsKnown() && !s.Key.IsNull() {
			return s.Key.AsString(), s.SrcRange, true
		}
	}
	return "", hcl.Range{}, false
}

// traversalString renders a traversal as written, for messages.
func traversalString(t hcl.Traversal) string {
	out := ""
	for i, s := range t {
		switch s := s.(type) {
		case hcl.TraverseRoot:
			out += s.Name
		case hcl.TraverseAttr:
			out += "." + s.Name
		case hcl.TraverseIndex:
			if s.Key.Type() == cty.String && s.Key.IsKnown() && !s.Key.IsNull() {
				out += fmt.Sprintf("[%q]", s.Key.AsString())
			} else {
				out += "[...]"
			}
		default:
			if i > 0 {
				out += "..."
			}
		}
	}
	return out
}

// evalExpr evaluates expr in the block context after checking its
// references; false when it cannot be evaluated (already reported) or is not
// wholly known.
func (l *loader) evalExpr(expr hcl.Expression, scope refScope) (cty.Value, bool) {
	if v, ok := literalValue(expr); ok {
		return v, true
	}
	if !l.checkRefs(expr, scope) {
		return cty.DynamicVal, false
	}
	v, diags := l.eval(expr, l.ctx)
	l.appendEvalDiags(expr, l.ctx, diags)
	if diags.HasErrors() {
		return cty.DynamicVal, false
	}
	return v, true
}

// appendEvalDiags adds the diagnostics of evaluating expr. When expr uses a
// sensitive value, their details are hidden: a function's error message may
// quote its arguments.
func (l *loader) appendEvalDiags(expr hcl.Expression, ctx *hcl.EvalContext, diags hcl.Diagnostics) {
	if len(diags) > 0 && usesSensitive(expr, ctx) {
		for _, d := range diags {
			d.Detail = "The details are hidden because the expression uses a sensitive value."
		}
	}
	l.diags = append(l.diags, diags...)
}

// usesSensitive reports whether any value expr refers to is sensitive.
func usesSensitive(expr hcl.Expression, ctx *hcl.EvalContext) bool {
	for _, t := range expr.Variables() {
		if v, d := t.TraverseAbs(ctx); !d.HasErrors() && v.ContainsMarked() {
			return true
		}
	}
	return false
}

// literalValue returns the value of a native-syntax literal ("text", 42,
// true) without walking or evaluating it: most attribute values are
// literals, and this keeps large pipelines cheap to check.
func literalValue(expr hcl.Expression) (cty.Value, bool) {
	switch e := expr.(type) {
	case *hclsyntax.LiteralValueExpr:
		return e.Val, true
	case *hclsyntax.TemplateExpr:
		if len(e.Parts) == 1 {
			if lit, ok := e.Parts[0].(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String {
				return lit.Val, true
			}
		}
		if len(e.Parts) == 0 {
			return cty.StringVal(""), true
		}
	}
	return cty.NilVal, false
}

// attrSet gives typed access to the attributes of one block body, as the
// block's schema declares them, and remembers where list elements and map
// values were written so that the IR can carry their ranges.
type attrSet struct {
	l      *loader
	schema *schema.Block
	attrs  hcl.Attributes
	// prefix is the block's path for messages ("resources.").
	prefix string
	elems  map[string][]ir.Range
	keys   map[string]map[string]ir.Range
}

func (l *loader) attrSet(sch *schema.Block, attrs hcl.Attributes, prefix string) *attrSet {
	return &attrSet{l: l, schema: sch, attrs: attrs, prefix: prefix}
}

// irRange is where the attribute's expression was written; zero when it
// was not.
func (a *attrSet) irRange(name string) ir.Range {
	if at := a.attrs[name]; at != nil {
		return IRRange(at.Expr.Range())
	}
	return ir.Range{}
}

// listRanges are where a list attribute read with strList and its elements
// were written.
func (a *attrSet) listRanges(name string) ir.ListRanges {
	return ir.ListRanges{Range: a.irRange(name), Elems: a.elems[name]}
}

// mapRanges are where a map attribute read with strMap and its values were
// written.
func (a *attrSet) mapRanges(name string) ir.MapRanges {
	return ir.MapRanges{Range: a.irRange(name), Keys: a.keys[name]}
}

func (a *attrSet) recordElems(name string, ranges []ir.Range) {
	if a.elems == nil {
		a.elems = map[string][]ir.Range{}
	}
	a.elems[name] = ranges
}

func (a *attrSet) recordKey(name, key string, r hcl.Range) {
	if a.keys == nil {
		a.keys = map[string]map[string]ir.Range{}
	}
	if a.keys[name] == nil {
		a.keys[name] = map[string]ir.Range{}
	}
	a.keys[name][key] = IRRange(r)
}

// has reports whether the attribute is written.
func (a *attrSet) has(name string) bool { return a.attrs[name] != nil }

// rangeOf returns the range of the attribute's expression, or the fallback.
func (a *attrSet) rangeOf(name string, fallback hcl.Range) hcl.Range {
	if at := a.attrs[name]; at != nil {
		return at.Expr.Range()
	}
	return fallback
}

func ctyTypeOf(schemaType string) cty.Type {
	switch schemaType {
	case "string":
		return cty.String
	case "number":
		return cty.Number
	case "bool":
		return cty.Bool
	case "list(string)":
		return cty.List(cty.String)
	case "map(string)":
		return cty.Map(cty.String)
	}
	return cty.DynamicPseudoType
}

// value evaluates the attribute and converts it to its schema type. It
// returns false when the attribute is absent or null, or its value is
// unusable (reported). Values that land in the IR must not be sensitive.
func (a *attrSet) value(name string) (cty.Value, bool) {
	at := a.attrs[name]
	if at == nil {
		return cty.NilVal, false
	}
	v, ok := a.l.evalExpr(at.Expr, scopeBlock)
	if !ok {
		return cty.NilVal, false
	}
	if v.IsNull() {
		if sch := a.schema.Attribute(name); sch != nil && sch.Required {
			r := at.Expr.Range()
			a.l.errorf(&r, "Missing required argument", "The argument %q is required, but its value is null.", name)
		}
		return cty.NilVal, false
	}
	if !v.IsWhollyKnown() {
		return cty.NilVal, false
	}
	if v.ContainsMarked() {
		r := a.markedRange(at, v)
		a.l.errorf(&r, "Sensitive value in pipeline definition", "The value of %q comes from a sensitive variable and would be written into generated files. Give it to the step through a secret instead.", a.prefix+name)
		return cty.NilVal, false
	}
	// Checked before the conversion, which would write a huge number out.
	if !a.l.checkNoNUL(v, at.Expr.Range(), a.prefix+name) {
		return cty.NilVal, false
	}
	sch := a.schema.Attribute(name)
	want := cty.DynamicPseudoType
	if sch != nil {
		want = ctyTypeOf(sch.Type)
	}
	if longNumberText(v, want) {
		r := at.Expr.Range()
		a.l.errorf(&r, "Number too long", "%s", numberTextMessage)
		return cty.NilVal, false
	}
	conv, err := convert.Convert(v, want)
	if err != nil {
		r := at.Expr.Range()
		a.l.errorf(&r, "Incorrect attribute value type", "Inappropriate value for attribute %q: %s.", name, convertMessage(err, v.Type(), want))
		return cty.NilVal, false
	}
	return conv, true
}

func convertMessage(err error, have, want cty.Type) string {
	if msg := convert.MismatchMessage(have, want); msg != "" {
		return msg
	}
	return err.Error()
}

// markedRange finds the element of a list or map that holds a sensitive
// value, to point at it; the whole expression otherwise.
func (a *attrSet) markedRange(at *hcl.Attribute, v cty.Value) hcl.Range {
	if items, diags := hcl.ExprList(at.Expr); !diags.HasErrors() {
		for _, it := range items {
			if iv, d := a.l.eval(it, a.l.ctx); !d.HasErrors() && iv.ContainsMarked() {
				return it.Range()
			}
		}
	}
	if pairs, diags := hcl.ExprMap(at.Expr); !diags.HasErrors() {
		for _, p := range pairs {
			if iv, d := a.l.eval(p.Value, a.l.ctx); !d.HasErrors() && iv.ContainsMarked() {
				return p.Value.Range()
			}
		}
	}
	return at.Expr.Range()
}

// str returns a string attribute.
func (a *attrSet) str(name string) (string, bool) {
	v, ok := a.value(name)
	if !ok {
		return "", false
	}
	return v.AsString(), true
}

// strOr returns a string attribute or def when it is not set.
func (a *attrSet) strOr(name, def string) string {
	if s, ok := a.str(name); ok {
		return s
	}
	return def
}

// boolean returns a bool attribute.
func (a *attrSet) boolean(name string) (bool, bool) {
	v, ok := a.value(name)
	if !ok {
		return false, false
	}
	return v.True(), true
}

// integer returns a whole-number attribute within [min, max].
func (a *attrSet) integer(name string, min, max int64) (int64, bool) {
	v, ok := a.value(name)
	if !ok {
		return 0, false
	}
	bf := v.AsBigFloat()
	r := a.attrs[name].Expr.Range()
	if !bf.IsInt() {
		a.l.errorf(&r, "Invalid value", "The value of %q must be a whole number, not %s.", name, bf.Text('g', -1))
		return 0, false
	}
	i, acc := bf.Int64()
	if acc != big.Exact || i < min || i > max {
		a.l.errorf(&r, "Invalid value", "The value of %q must be between %d and %d.", name, min, max)
		return 0, false
	}
	return i, true
}

// strList returns a list(string) attribute, recording element ranges. A
// list written out is evaluated element by element, so that an error or a
// sensitive value points at its element.
func (a *attrSet) strList(name string) ([]string, bool) {
	at := a.attrs[name]
	if at == nil {
		return nil, false
	}
	if tup, ok := at.Expr.(*hclsyntax.TupleConsExpr); ok {
		return a.strListElems(name, at, tup)
	}
	v, ok := a.value(name)
	if !ok {
		return nil, false
	}
	ranges := elementRanges(at.Expr)
	if len(ranges) != v.LengthInt() {
		ranges = nil
	}
	elems := make([]ir.Range, len(ranges))
	for i, r := range ranges {
		elems[i] = IRRange(r)
	}
	a.recordElems(name, elems)
	out := make([]string, 0, v.LengthInt())
	i := 0
	good := true
	for it := v.ElementIterator(); it.Next(); i++ {
		_, ev := it.Element()
		r := at.Expr.Range()
		if ranges != nil {
			r = ranges[i]
		}
		if ev.IsNull() {
			a.l.errorf(&r, "Invalid value", "The elements of %q must not be null.", name)
			good = false
			continue
		}
		out = append(out, ev.AsString())
	}
	return out, good
}

// strListElems evaluates a written-out list of strings element by element.
func (a *attrSet) strListElems(name string, at *hcl.Attribute, tup *hclsyntax.TupleConsExpr) ([]string, bool) {
	out := make([]string, 0, len(tup.Exprs))
	elems := make([]ir.Range, len(tup.Exprs))
	a.recordElems(name, elems)
	good := true
	for i, e := range tup.Exprs {
		r := e.Range()
		elems[i] = IRRange(r)
		v, ok := a.l.evalExpr(e, scopeBlock)
		if !ok {
			good = false
			continue
		}
		if !v.IsWhollyKnown() {
			good = false
			continue
		}
		if v.IsNull() {
			a.l.errorf(&r, "Invalid value", "The elements of %q must not be null.", name)
			good = false
			continue
		}
		if v.ContainsMarked() {
			a.l.errorf(&r, "Sensitive value in pipeline definition", "The value of %q comes from a sensitive variable and would be written into generated files. Give it to the step through a secret instead.", a.prefix+name)
			good = false
			continue
		}
		if !a.l.checkNoNUL(v, r, a.prefix+name) {
			good = false
			continue
		}
		sv, err := convert.Convert(v, cty.String)
		if err != nil {
			a.l.errorf(&r, "Incorrect attribute value type", "Inappropriate value for attribute %q: element %d: %s.", name, i, convertMessage(err, v.Type(), cty.String))
			good = false
			continue
		}
		out = append(out, sv.AsString())
	}
	return out, good
}

// elementRanges returns the ranges of the elements of a list written as a
// list constructor; nil otherwise (a function call, say).
func elementRanges(expr hcl.Expression) []hcl.Range {
	items, diags := hcl.ExprList(expr)
	if diags.HasErrors() {
		return nil
	}
	out := make([]hcl.Range, len(items))
	for i, it := range items {
		out[i] = it.Range()
	}
	return out
}

// keyRanges returns the ranges of the values of an object constructor by
// key; nil when the expression is not one.
func (l *loader) keyRanges(expr hcl.Expression) map[string]hcl.Range {
	pairs, diags := hcl.ExprMap(expr)
	if diags.HasErrors() {
		return nil
	}
	out := make(map[string]hcl.Range, len(pairs))
	for _, p := range pairs {
		var key string
		if kw := hcl.ExprAsKeyword(p.Key); kw != "" {
			key = kw
		} else {
			kv, d := l.eval(p.Key, l.ctx)
			if d.HasErrors() || !kv.IsKnown() || kv.IsNull() {
				continue
			}
			if kv, err := convert.Convert(kv, cty.String); err == nil {
				key = kv.AsString()
			} else {
				continue
			}
		}
		out[key] = p.Value.Range()
	}
	return out
}

// mapItem is one entry of a map written out as an object constructor.
type mapItem struct {
	key   string
	value hcl.Expression
}

// objectItems returns the entries of a native-syntax object constructor,
// evaluating only keys that are not plain names; false when expr is not one
// or a key cannot be used (reported).
func (l *loader) objectItems(expr hcl.Expression) ([]mapItem, bool) {
	obj, ok := expr.(*hclsyntax.ObjectConsExpr)
	if !ok {
		return nil, false
	}
	items := make([]mapItem, 0, len(obj.Items))
	good := true
	var seen map[string]bool
	if len(obj.Items) > 1 {
		seen = make(map[string]bool, len(obj.Items))
	}
	for _, it := range obj.Items {
		key := hcl.ExprAsKeyword(it.KeyExpr)
		if key == "" {
			kv, ok := l.evalExpr(it.KeyExpr, scopeBlock)
			if !ok || !kv.IsWhollyKnown() {
				good = false
				continue
			}
			kv, err := convert.Convert(kv, cty.String)
			if err != nil || kv.IsNull() || kv.IsMarked() {
				r := it.KeyExpr.Range()
				l.errorf(&r, "Invalid map key", "A map key must be a string.")
				good = false
				continue
			}
			key = kv.AsString()
		}
		if seen != nil {
			if seen[key] {
				r := it.KeyExpr.Range()
				l.errorf(&r, "Duplicate map key", "The key %q is given twice.", key)
				good = false
				continue
			}
			seen[key] = true
		}
		items = append(items, mapItem{key: key, value: it.ValueExpr})
	}
	return items, good
}

// itemValue evaluates one written-out map or list element for the IR: known,
// not null, not sensitive.
func (a *attrSet) itemValue(name, what string, e hcl.Expression) (cty.Value, bool) {
	v, ok := a.l.evalExpr(e, scopeBlock)
	if !ok || !v.IsWhollyKnown() {
		return cty.NilVal, false
	}
	r := e.Range()
	if v.IsNull() {
		a.l.errorf(&r, "Invalid value", "The value of %s in %q must not be null.", what, name)
		return cty.NilVal, false
	}
	if v.ContainsMarked() {
		a.l.errorf(&r, "Sensitive value in pipeline definition", "The value of %q comes from a sensitive variable and would be written into generated files. Give it to the step through a secret instead.", a.prefix+name)
		return cty.NilVal, false
	}
	if !a.l.checkNoNUL(v, r, a.prefix+name) {
		return cty.NilVal, false
	}
	return v, true
}

// strMap returns a map(string) attribute, recording ranges of its values.
// A map written out is evaluated entry by entry, so that problems point at
// the entry.
func (a *attrSet) strMap(name string) (map[string]string, map[string]hcl.Range, bool) {
	at := a.attrs[name]
	if at == nil {
		return nil, nil, false
	}
	if items, ok := a.l.objectItems(at.Expr); ok || items != nil {
		out := make(map[string]string, len(items))
		ranges := make(map[string]hcl.Range, len(items))
		good := ok
		for _, it := range items {
			r := it.value.Range()
			a.recordKey(name, it.key, r)
			ranges[it.key] = r
			v, ok := a.itemValue(name, strconv.Quote(it.key), it.value)
			if !ok {
				good = false
				continue
			}
			sv, err := convert.Convert(v, cty.String)
			if err != nil {
				a.l.errorf(&r, "Incorrect attribute value type", "Inappropriate value for %q in %q: %s.", it.key, name, convertMessage(err, v.Type(), cty.String))
				good = false
				continue
			}
			out[it.key] = sv.AsString()
		}
		return out, ranges, good
	}
	v, ok := a.value(name)
	if !ok {
		return nil, nil, false
	}
	ranges := a.l.keyRanges(at.Expr)
	if ranges == nil {
		ranges = map[string]hcl.Range{}
	}
	out := make(map[string]string, v.LengthInt())
	good := true
	for it := v.ElementIterator(); it.Next(); {
		k, ev := it.Element()
		key := k.AsString()
		r, ok := ranges[key]
		if ok {
			a.recordKey(name, key, r)
		} else {
			r = at.Expr.Range()
			ranges[key] = r
		}
		if ev.IsNull() {
			a.l.errorf(&r, "Invalid value", "The value of %q in %q must not be null.", key, name)
			good = false
			continue
		}
		out[key] = ev.AsString()
	}
	return out, ranges, good
}

// duration returns a Go duration attribute; it must be positive.
func (a *attrSet) duration(name string) (time.Duration, bool) {
	s, ok := a.formatted(name, schema.FormatDuration)
	if !ok {
		return 0, false
	}
	d, _ := schema.ParseDuration(s)
	return d, true
}

// quantity returns a Kubernetes quantity attribute.
func (a *attrSet) quantity(name string) (string, bool) {
	return a.formatted(name, schema.FormatQuantity)
}

// formatSummaries are the summaries of format errors.
var formatSummaries = map[schema.Format]string{
	schema.FormatDuration: "Invalid duration",
	schema.FormatQuantity: "Invalid quantity",
	schema.FormatCron:     "Invalid cron expression",
	schema.FormatTimezone: "Invalid time zone",
	schema.FormatPath:     "Invalid path",
	schema.FormatEnv:      "Invalid environment variable name",
}

// formatted returns a string attribute that must have format f.
func (a *attrSet) formatted(name string, f schema.Format) (string, bool) {
	s, ok := a.str(name)
	if !ok {
		return "", false
	}
	if err := f.Check(s); err != nil {
		r := a.attrs[name].Expr.Range()
		a.l.errorf(&r, formatSummaries[f], "The value of %q: %s.", a.prefix+name, err)
		return "", false
	}
	return s, true
}

// float returns a number attribute.
func (a *attrSet) float(name string) (float64, bool) {
	v, ok := a.value(name)
	if !ok {
		return 0, false
	}
	f, _ := v.AsBigFloat().Float64()
	return f, true
}

// enum returns a string attribute that must be one of its schema's allowed
// values.
func (a *attrSet) enum(name string) (string, bool) {
	s, ok := a.str(name)
	if !ok {
		return "", false
	}
	allowed := a.schema.Attribute(name).Allowed
	for _, v := range allowed {
		if s == v {
			return s, true
		}
	}
	r := a.attrs[name].Expr.Range()
	a.l.errorf(&r, "Invalid value", "The value of %q must be one of %s, not %q.%s", name, quoteList(allowed), s, didYouMean(s, allowed))
	return "", false
}

func quoteList(vals []string) string {
	out := ""
	for i, v := range vals {
		switch {
		case i == 0:
		case i == len(vals)-1:
			out += " or "
		default:
			out += ", "
		}
		out += fmt.Sprintf("%q", v)
	}
	return out
}

// sortedCopy returns a sorted copy of s without duplicates.
func sortedCopy(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	out := append([]string(nil), s...)
	sort.Strings(out)
	j := 0
	for i := range out {
		if i == 0 || out[i] != out[j-1] {
			out[j] = out[i]
			j++
		}
	}
	return out[:j]
}
