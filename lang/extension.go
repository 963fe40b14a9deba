package lang

import (
	"math"
	"sort"
	"strconv"

	"github.com/hashicorp/hcl/v2"

	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/schema"
)

// evaluateExtensions decodes the blocks that back ends added to a block of
// the language (schema.Extension), sorted by type. The front end knows none
// of their words: it checks what their schema says (types, formats, allowed
// values, required attributes) and applies their defaults; the back end
// that owns a block checks and lowers the rest.
func (l *loader) evaluateExtensions(body *decoded) []*ir.Block {
	var out []*ir.Block
	for _, sch := range body.schema.Blocks {
		if sch.Owner == "" {
			continue
		}
		if b := body.one(sch.Type); b != nil {
			out = append(out, l.evaluateExtension(b, sch, sch.Type+"."))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Type < out[j].Type })
	return out
}

// evaluateExtension decodes one back end's block and the blocks nested in
// it.
func (l *loader) evaluateExtension(b *hcl.Block, sch *schema.Block, prefix string) *ir.Block {
	body := l.decodeBody(b, sch)
	out := &ir.Block{Type: b.Type, Range: IRRange(b.DefRange), Attrs: map[string]*ir.Value{}}
	a := l.attrSet(sch, body.attrs, prefix)
	for _, as := range sch.Attributes {
		if v := l.extensionValue(a, as, b.DefRange); v != nil {
			out.Attrs[as.Name] = v
		}
	}
	l.checkExactlyOneOf(body, b)
	for _, nsch := range sch.Blocks {
		for i, nb := range body.nested[nsch.Type] {
			p := prefix + nsch.Type + "."
			if nsch.Repeatable {
				p = prefix + nsch.Type + "[" + strconv.Itoa(i) + "]."
			}
			if out.Blocks == nil {
				out.Blocks = map[string][]*ir.Block{}
			}
			out.Blocks[nsch.Type] = append(out.Blocks[nsch.Type], l.evaluateExtension(nb, nsch, p))
		}
	}
	return out
}

// extensionValue evaluates one attribute as its schema declares it; nil
// when it is neither written (or unusable, reported) nor defaulted.
func (l *loader) extensionValue(a *attrSet, as *schema.Attribute, def hcl.Range) *ir.Value {
	if !a.has(as.Name) {
		v, ok := as.DefaultValue()
		if !ok {
			return nil
		}
		return &ir.Value{Value: v, Range: IRRange(def), Default: true}
	}
	v := &ir.Value{Range: a.irRange(as.Name)}
	var ok bool
	switch {
	case as.Type == "string" && len(as.Allowed) > 0:
		v.Value, ok = a.enum(as.Name)
	case as.Type == "string":
		v.Value, ok = a.formatted(as.Name, as.Format)
	case as.Type == "bool":
		v.Value, ok = a.boolean(as.Name)
	case as.Type == "number" && as.Format == schema.FormatInteger:
		v.Value, ok = a.integer(as.Name, 0, maxOf(as))
	case as.Type == "number":
		v.Value, ok = a.float(as.Name)
	case as.Type == "list(string)":
		var list []string
		list, ok = a.strList(as.Name)
		ok = ok && a.checkElems(as, list)
		v.Value, v.Elems = list, a.listRanges(as.Name).Elems
	case as.Type == "map(string)":
		var m map[string]string
		m, _, ok = a.strMap(as.Name)
		v.Value, v.Keys = m, a.mapRanges(as.Name).Keys
	}
	if !ok {
		return nil
	}
	return v
}

func maxOf(as *schema.Attribute) int64 {
	if as.Max > 0 {
		return as.Max
	}
	return math.MaxInt64
}

// checkElems checks the elements of a list(string) against the attribute's
// allowed values and format.
func (a *attrSet) checkElems(as *schema.Attribute, list []string) bool {
	ranges := a.listRanges(as.Name)
	good := true
	for i, e := range list {
		r := HCLRange(ranges.Elem(i))
		if len(as.Allowed) > 0 && !contains(as.Allowed, e) {
			a.l.errorf(&r, "Invalid value", "The elements of %q must be %s, not %q.%s", a.prefix+as.Name, quoteList(as.Allowed), e, didYouMean(e, as.Allowed))
			good = false
		} else if err := as.Format.Check(e); err != nil {
			a.l.errorf(&r, "Invalid value", "An element of %q: %s.", a.prefix+as.Name, err)
			good = false
		}
	}
	return good
}

// checkExactlyOneOf reports a block that sets none or more than one of its
// schema's ExactlyOneOf attributes.
func (l *loader) checkExactlyOneOf(body *decoded, b *hcl.Block) {
	names := body.schema.ExactlyOneOf
	if len(names) == 0 {
		return
	}
	var set []string
	for _, n := range names {
		if body.attrs[n] != nil {
			set = append(set, n)
		}
	}
	switch {
	case len(set) == 0:
		l.errorf(&b.DefRange, "Missing argument", "A %s block needs exactly one of %s.", b.Type, quoteList(names))
	case len(set) > 1:
		r := body.attrs[set[1]].NameRange
		l.errorf(&r, "Conflicting arguments", "A %s block takes exactly one of %s; %s.", b.Type, quoteList(names), quoteList(set)+" are set")
	}
}
