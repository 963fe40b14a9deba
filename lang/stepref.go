package lang

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// rangeMap moves a range of a parsed reference to where it was written.
type rangeMap func(hcl.Range) hcl.Range

func unmoved(r hcl.Range) hcl.Range { return r }

// staticExpr returns the native-syntax expression a static reference is
// written as. A reference may be written bare (step.a.output.b) or as a
// template holding exactly one interpolation ("${step.a.output.b}"); in
// the JSON syntax both are strings, which are parsed here as the native
// syntax would read them. The rangeMap moves the ranges of the expression
// to the source, which differs when a JSON string holds escapes.
func (l *loader) staticExpr(expr hcl.Expression) (hcl.Expression, rangeMap, hcl.Diagnostics) {
	if _, native := expr.(hclsyntax.Expression); !native {
		return l.jsonStaticExpr(expr)
	}
	if w, ok := expr.(*hclsyntax.TemplateWrapExpr); ok {
		return w.Wrapped, unmoved, nil
	}
	return expr, unmoved, nil
}

// jsonStaticExpr parses a JSON string as a reference.
func (l *loader) jsonStaticExpr(expr hcl.Expression) (hcl.Expression, rangeMap, hcl.Diagnostics) {
	r := expr.Range()
	invalid := hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid reference", Detail: "A reference in the JSON syntax is a string, as in \"step.extract.output.rows\".", Subject: &r}}
	f := l.files[r.Filename]
	if f == nil || r.End.Byte > len(f.Bytes) || r.Start.Byte >= r.End.Byte {
		return nil, nil, invalid
	}
	raw := f.Bytes[r.Start.Byte:r.End.Byte]
	var text string
	if err := json.Unmarshal(raw, &text); err != nil {
		return nil, nil, invalid
	}
	// The content starts one character after the opening quote.
	start := r.Start
	start.Byte++
	start.Column++
	remap := jsonRangeMap(raw[1:len(raw)-1], start.Byte)
	var e hcl.Expression
	if strings.Contains(text, "${") {
		tmpl, diags := hclsyntax.ParseTemplate([]byte(text), r.Filename, start)
		if diags.HasErrors() {
			return nil, nil, diags
		}
		w, ok := tmpl.(*hclsyntax.TemplateWrapExpr)
		if !ok {
			return nil, nil, invalid
		}
		e = w.Wrapped
	} else {
		parsed, diags := hclsyntax.ParseExpression([]byte(text), r.Filename, start)
		if diags.HasErrors() {
			return nil, nil, invalid
		}
		e = parsed
	}
	return e, remap, nil
}

// jsonRangeMap maps ranges in the decoded content of a JSON string, which
// starts at byte base of its file, to the string as written: each escape
// (\", \u00e9) is one character of the content but several of the source.
// JSON strings hold no line breaks, so lines stay; columns move by bytes.
func jsonRangeMap(content []byte, base int) rangeMap {
	if !strings.Contains(string(content), `\`) {
		return unmoved
	}
	// src[i] is the offset in content of decoded byte i.
	var src []int
	for j := 0; j < len(content); {
		if content[j] != '\\' || j+1 >= len(content) {
			src = append(src, j)
			j++
			continue
		}
		n, width := 1, 2
		if content[j+1] == 'u' && j+6 <= len(content) {
			v, err := strconv.ParseUint(string(content[j+2:j+6]), 16, 32)
			if err != nil {
				v = 0
			}
			width = 6
			if v >= 0xd800 && v < 0xdc00 && j+12 <= len(content) && content[j+6] == '\\' {
				width, v = 12, 0x10000
			}
			n = len(string(rune(v)))
		}
		for k := 0; k < n; k++ {
			src = append(src, j)
		}
		j += width
	}
	src = append(src, len(content))
	move := func(p hcl.Pos) hcl.Pos {
		i := p.Byte - base
		if i < 0 || i >= len(src) {
			return p
		}
		delta := src[i] - i
		p.Byte += delta
		p.Column += delta
		return p
	}
	return func(r hcl.Range) hcl.Range {
		r.Start, r.End = move(r.Start), move(r.End)
		return r
	}
}

// remapTraversal moves the ranges of a traversal with m.
func remapTraversal(t hcl.Traversal, m rangeMap) hcl.Traversal {
	out := make(hcl.Traversal, len(t))
	for i, step := range t {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			s.SrcRange = m(s.SrcRange)
			out[i] = s
		case hcl.TraverseAttr:
			s.SrcRange = m(s.SrcRange)
			out[i] = s
		case hcl.TraverseIndex:
			s.SrcRange = m(s.SrcRange)
			out[i] = s
		default:
			out[i] = step
		}
	}
	return out
}

// absTraversal reads a static reference such as secret.x: bare, or as the
// one interpolation of a template, in either syntax.
func (l *loader) absTraversal(expr hcl.Expression) (hcl.Traversal, hcl.Diagnostics) {
	e, remap, diags := l.staticExpr(expr)
	if diags.HasErrors() {
		return nil, diags
	}
	t, diags := hcl.AbsTraversalForExpr(e)
	return remapTraversal(t, remap), diags
}

// instanceSelector says which instances of a step block a reference means.
type instanceSelector int

const (
	// selectNone: no selector was written (step.x).
	selectNone instanceSelector = iota
	// selectAll: step.x[*], every instance.
	selectAll
	// selectKey: step.x["k"] or step.x[each.key], one instance.
	selectKey
)

// stepRef is a reference to a step or a step output as written in from or
// depends_on, with the instance selector taken out of the traversal.
type stepRef struct {
	// t is step.<name> or step.<name>.output.<output>, with the ranges of
	// what was written.
	t   hcl.Traversal
	sel instanceSelector
	// key is the instance key of selectKey, and keyRange where it was
	// written.
	key      string
	keyRange hcl.Range
	// keyUnknown is set when the key expression could not be evaluated
	// (already reported).
	keyUnknown bool
	// rng is the whole reference.
	rng hcl.Range
}

// parseStepRef reads a reference to a step or a step output in any of the
// forms the language allows:
//
//	step.x                    step.x.output.y
//	step.x["k"]               step.x["k"].output.y
//	step.x[each.key]          step.x[each.key].output.y
//	step.x[*]                 step.x[*].output.y
//
// An instance key that is an expression is evaluated in the current scope
// (each, var, local). It returns false when expr is none of them; the
// caller reports that, unless diags hold the reason.
func (l *loader) parseStepRef(expr hcl.Expression) (stepRef, bool) {
	e, remap, diags := l.staticExpr(expr)
	if diags.HasErrors() {
		return stepRef{}, false
	}
	ref, ok := l.readStepRef(e)
	ref.t = remapTraversal(ref.t, remap)
	ref.rng, ref.keyRange = remap(ref.rng), remap(ref.keyRange)
	return ref, ok
}

// readStepRef reads the forms of parseStepRef from a native-syntax
// expression.
func (l *loader) readStepRef(e hcl.Expression) (stepRef, bool) {
	ref := stepRef{rng: e.Range()}
	switch e := e.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		ref.t = e.Traversal
		if len(ref.t) >= 3 {
			if idx, ok := ref.t[2].(hcl.TraverseIndex); ok {
				key, ok := indexKey(idx.Key)
				if !ok {
					return stepRef{}, false
				}
				ref.sel, ref.key, ref.keyRange = selectKey, key, idx.SrcRange
				ref.t = append(append(hcl.Traversal{}, ref.t[:2]...), ref.t[3:]...)
			}
		}
	case *hclsyntax.SplatExpr:
		base, ok := stepBase(e.Source)
		if !ok {
			return stepRef{}, false
		}
		ref.t, ref.sel, ref.keyRange = base, selectAll, e.MarkerRange
		switch each := e.Each.(type) {
		case *hclsyntax.AnonSymbolExpr:
		case *hclsyntax.RelativeTraversalExpr:
			if _, ok := each.Source.(*hclsyntax.AnonSymbolExpr); !ok {
				return stepRef{}, false
			}
			ref.t = append(append(hcl.Traversal{}, base...), each.Traversal...)
		default:
			return stepRef{}, false
		}
	case *hclsyntax.RelativeTraversalExpr:
		idx, ok := e.Source.(*hclsyntax.IndexExpr)
		if !ok || !l.indexedStep(idx, &ref) {
			return stepRef{}, false
		}
		ref.t = append(ref.t, e.Traversal...)
	case *hclsyntax.IndexExpr:
		if !l.indexedStep(e, &ref) {
			return stepRef{}, false
		}
	default:
		return stepRef{}, false
	}
	return ref, len(ref.t) > 0
}

// indexedStep reads step.x[<expression>], evaluating the key.
func (l *loader) indexedStep(idx *hclsyntax.IndexExpr, ref *stepRef) bool {
	base, ok := stepBase(idx.Collection)
	if !ok {
		return false
	}
	ref.t, ref.sel, ref.keyRange = base, selectKey, idx.Key.Range()
	v, ok := l.evalExpr(idx.Key, scopeBlock)
	if !ok || !v.IsWhollyKnown() {
		// Reported, or unknown because of an error reported elsewhere.
		ref.keyUnknown = true
		return true
	}
	if v.ContainsMarked() {
		r := idx.Key.Range()
		l.errorf(&r, "Sensitive value in pipeline definition", "An instance key names a step, so it cannot come from a sensitive variable.")
		ref.keyUnknown = true
		return true
	}
	key, ok := indexKey(v)
	if !ok {
		r := idx.Key.Range()
		l.errorf(&r, "Invalid instance key", "An instance key must be a string, not %s.", v.Type().FriendlyName())
		ref.keyUnknown = true
		return true
	}
	ref.key = key
	return true
}

// stepBase is the traversal of step.x written as the collection of an
// index or splat.
func stepBase(e hclsyntax.Expression) (hcl.Traversal, bool) {
	st, ok := e.(*hclsyntax.ScopeTraversalExpr)
	if !ok || len(st.Traversal) != 2 || st.Traversal.RootName() != "step" {
		return nil, false
	}
	return st.Traversal, true
}

// indexKey is an instance key given as an index: a string, or a value that
// converts to one (a number written as a key).
func indexKey(v cty.Value) (string, bool) {
	if v.IsMarked() || v.IsNull() || !v.IsKnown() {
		return "", false
	}
	s, err := convert.Convert(v, cty.String)
	if err != nil {
		return "", false
	}
	return s.AsString(), true
}

// written renders a step reference as written, for messages.
func (r stepRef) written() string {
	if len(r.t) < 2 {
		return traversalString(r.t)
	}
	out := traversalString(r.t[:2])
	switch r.sel {
	case selectAll:
		out += "[*]"
	case selectKey:
		out += fmt.Sprintf("[%q]", r.key)
	}
	return out + traversalString(r.t[2:])
}

// resolvedRef is what a step reference means.
type resolvedRef struct {
	block  *stepBlock
	output string
	// nodes are the steps meant: the step, one instance, or every instance
	// (a fan-in, or depends_on on a block with for_each), in key order.
	nodes []*stepNode
	// fanIn is true for step.x[*].
	fanIn bool
}

// resolveStepRef resolves a reference written in attr; wantOutput requires
// the output form. It reports what is wrong and returns false then, and
// also (without a report) when the block's instances are unknown because
// of an error reported at its for_each.
func (l *loader) resolveStepRef(ref stepRef, attr string, wantOutput bool) (resolvedRef, bool) {
	t := ref.t
	rng := ref.rng
	form := "step.<step> or step.<step>.output.<output>"
	if wantOutput {
		form = "step.<step>.output.<output>"
	}
	name, _, ok := traversalName(t, 1)
	if t.RootName() != "step" || !ok {
		if ok && isDeclKindRoot(t.RootName()) && t.RootName() != "var" && t.RootName() != "local" {
			l.recordStaticRef(t)
		}
		l.errorf(&rng, "Invalid reference", "%q must refer to a %s, as in %s; %s is not one.", attr, map[bool]string{true: "step output", false: "step"}[wantOutput], form, traversalString(t))
		return resolvedRef{}, false
	}
	target := l.steps[name]
	out := ""
	if len(t) == 2 {
		l.addRef(t, 1, DeclStep, "", name)
		if target == nil {
			l.errorf(&rng, "Reference to undeclared step", "There is no step named %q.%s", name, didYouMean(name, l.namesOf(DeclStep)))
			return resolvedRef{}, false
		}
		if wantOutput {
			l.errorf(&rng, "Missing output name", "%q needs a step output, as in step.%s%s.output.<output>.%s", attr, name, selectorText(ref), outputList(target))
			return resolvedRef{}, false
		}
	} else {
		kw, _, ok2 := traversalName(t, 2)
		o, _, ok3 := traversalName(t, 3)
		if !ok2 || kw != "output" || !ok3 || len(t) != 4 {
			l.errorf(&rng, "Invalid reference", "%s is not a reference to a step or a step output: write %s.", ref.written(), form)
			return resolvedRef{}, false
		}
		if target == nil {
			l.addRef(t, 1, DeclStep, "", name)
			l.errorf(&rng, "Reference to undeclared step", "There is no step named %q.%s", name, didYouMean(name, l.namesOf(DeclStep)))
			return resolvedRef{}, false
		}
		l.addRef(t, 3, DeclOutput, name, o)
		if target.outputsByName[o] == nil {
			l.errorf(&rng, "Reference to undeclared output", "Step %q has no output named %q.%s", name, o, outputSuggestion(target, o))
			return resolvedRef{}, false
		}
		out = o
	}
	nodes, ok := l.selectInstances(ref, target, attr, out)
	if !ok {
		return resolvedRef{}, false
	}
	return resolvedRef{block: target, output: out, nodes: nodes, fanIn: ref.sel == selectAll}, true
}

// selectorText is the instance selector as written, for messages.
func selectorText(ref stepRef) string {
	switch ref.sel {
	case selectAll:
		return "[*]"
	case selectKey:
		return fmt.Sprintf("[%q]", ref.key)
	}
	return ""
}

// selectInstances checks the instance selector of a reference against the
// block it names and returns the steps it means.
func (l *loader) selectInstances(ref stepRef, target *stepBlock, attr, out string) ([]*stepNode, bool) {
	name := target.decl.Name
	if target.forEach == nil {
		if ref.sel != selectNone {
			r := ref.keyRange
			l.errorf(&r, "Step has no instances", "Step %q has no for_each, so it has no instances to choose from. Did you mean %s?", name, refText(name, "", out))
			return nil, false
		}
		return target.instances, true
	}
	if target.broken {
		return nil, false
	}
	switch ref.sel {
	case selectAll:
		return target.instances, true
	case selectKey:
		if ref.keyUnknown {
			return nil, false
		}
		if n := target.byKey[ref.key]; n != nil {
			return []*stepNode{n}, true
		}
		r := ref.keyRange
		hint := didYouMean(ref.key, target.keys())
		if hint == "" {
			hint = fmt.Sprintf(" Its keys: %s.", keyList(target.keys()))
		}
		l.errorf(&r, "Reference to undeclared instance", "Step %q has no instance with the key %q.%s", name, ref.key, hint)
		return nil, false
	}
	if attr == "depends_on" {
		// depends_on = [step.x] waits for every instance.
		return target.instances, true
	}
	r := ref.rng
	l.errorf(&r, "Instance not chosen", "Step %q has for_each, so it runs as several instances: write %s for every instance (a directory with one entry per key), %s for one, or %s for the instance with the same key as this one.",
		name, refText(name, "[*]", out), refText(name, fmt.Sprintf("[%q]", target.keys()[0]), out), refText(name, "[each.key]", out))
	return nil, false
}

func refText(step, selector, out string) string {
	s := "step." + step + selector
	if out != "" {
		s += ".output." + out
	}
	return s
}

// keyList quotes keys for a message, the first few of many.
func keyList(keys []string) string {
	const most = 8
	quoted := make([]string, 0, most+1)
	for i, k := range keys {
		if i == most {
			quoted = append(quoted, fmt.Sprintf("and %d more", len(keys)-most))
			break
		}
		quoted = append(quoted, fmt.Sprintf("%q", k))
	}
	return strings.Join(quoted, ", ")
}

// keys are the block's instance keys, sorted.
func (sb *stepBlock) keys() []string {
	out := make([]string, 0, len(sb.byKey))
	for k := range sb.byKey {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
