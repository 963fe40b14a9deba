package argo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

// The instances of a step with for_each share one template. Each instance
// is built as if it were a step of its own; wherever the instances differ
// (the step's name in WURZEL_STEP, the keys of its artifacts, a value in its
// step spec), the template holds {{inputs.parameters.NAME}} and each
// instance's DAG task passes its own value. Only the part that differs is
// passed: the text the values share before and after it stays in the
// template, so that usually one short parameter, the instance's key, is all
// a task carries. Inside the step spec (JSON in an environment variable),
// instances are compared value by value, so one differing string does not
// make the whole spec a parameter.

// blockTemplate is the lowering of one step block: its templates (one,
// unless the instances differ where Argo takes no parameter) and, by step
// name, the template and parameters of each task.
type blockTemplate struct {
	templates []*mapping
	tasks     map[string]taskTemplate
}

// taskTemplate is what a DAG task needs of its step's template.
type taskTemplate struct {
	name   string
	params sequence
	// keyInputs is set when the template reads its inputs by key: the task
	// passes no artifacts.
	keyInputs bool
}

// instanceTemplate lowers the instances of one step block.
func instanceTemplate(b *builder, p *ir.Pipeline, steps []*ir.Step, shared *stepShared) (blockTemplate, error) {
	params := newParamTable(b, steps)
	specs := make([]*jsonValue, len(steps))
	for i, s := range steps {
		data, err := spec.Marshal(backend.StepSpec(p, s, layout{}))
		if err != nil {
			return blockTemplate{}, fmt.Errorf("step %s: encoding the step spec: %w", s.Name, err)
		}
		if specs[i], err = parseJSON(data); err != nil {
			return blockTemplate{}, fmt.Errorf("step %s: reading the step spec: %w", s.Name, err)
		}
	}
	var specText bytes.Buffer
	params.unifyJSON(&specText, specs)
	specArt := specArtifact(b, specText.String())

	trees := make([]*yaml.Node, len(steps))
	for i, s := range steps {
		t, err := stepTemplate(b, p, s, shared, templateOptions{name: steps[0].BlockName(), spec: specArt, keyInputs: true})
		if err != nil {
			return blockTemplate{}, err
		}
		if trees[i], err = t.yamlNode(); err != nil {
			return blockTemplate{}, err
		}
	}
	if unified, ok := params.unifyTree(trees, nil); ok {
		// The unified tree may be an instance's own: change a copy.
		t := &mapping{node: *unified, b: b}
		t.node.Content = slices.Clone(t.node.Content)
		setInputParameters(t, params.names)
		out := blockTemplate{templates: []*mapping{t}, tasks: map[string]taskTemplate{}}
		for i, s := range steps {
			out.tasks[s.Name] = taskTemplate{name: steps[0].BlockName(), params: params.arguments(i), keyInputs: true}
		}
		return out, nil
	}
	// The instances differ where Argo substitutes no parameter (a resource
	// quantity, a retry limit, the shape of the template): one template
	// each.
	out := blockTemplate{tasks: map[string]taskTemplate{}}
	for _, s := range steps {
		t, err := stepTemplate(b, p, s, shared, templateOptions{name: s.Name})
		if err != nil {
			return blockTemplate{}, err
		}
		out.templates = append(out.templates, t)
		out.tasks[s.Name] = taskTemplate{name: s.Name}
	}
	return out, nil
}

// setInputParameters declares the template's parameters, before its
// artifacts.
func setInputParameters(t *mapping, names []string) {
	if len(names) == 0 {
		return
	}
	b := t.b
	decl := make(sequence, len(names))
	for i, n := range names {
		decl[i] = b.mapping().set("name", n)
	}
	in := b.mapping().set("parameters", decl)
	entries := t.node.Content
	for i := 0; i < len(entries); i += 2 {
		if entries[i].Value != "inputs" {
			continue
		}
		in.node.Content = append(in.node.Content, entries[i+1].Content...)
		entries[i+1] = &in.node
		return
	}
	// No inputs yet: declare them after the name and metadata.
	at := 2
	if len(entries) > 2 && entries[2].Value == "metadata" {
		at = 4
	}
	t.node.Content = slices.Insert(entries, at, b.str("inputs"), &in.node)
}

// paramTable collects the template's parameters: one per distinct list of
// per-instance values, named "key" when the values are the instances' keys.
type paramTable struct {
	b      *builder
	keys   []string
	names  []string
	values [][]string
	byVals map[string]string
	// others counts the parameters other than the key.
	others int
}

func newParamTable(b *builder, steps []*ir.Step) *paramTable {
	t := &paramTable{b: b, byVals: map[string]string{}}
	for _, s := range steps {
		t.keys = append(t.keys, s.Instance.Key)
	}
	return t
}

// param returns the placeholder of a parameter with the given values.
func (t *paramTable) param(vals []string) string {
	id := strings.Join(vals, "\x00")
	name, ok := t.byVals[id]
	if !ok {
		if id == strings.Join(t.keys, "\x00") {
			name = "key"
		} else {
			t.others++
			name = "p" + strconv.Itoa(t.others)
		}
		t.byVals[id] = name
		t.names = append(t.names, name)
		t.values = append(t.values, vals)
	}
	return "{{inputs.parameters." + name + "}}"
}

// arguments are instance i's parameters for its DAG task.
func (t *paramTable) arguments(i int) sequence {
	if len(t.names) == 0 {
		return nil
	}
	out := make(sequence, len(t.names))
	for j, n := range t.names {
		out[j] = t.b.mapping().set("name", n).set("value", t.values[j][i])
	}
	return out
}

// unifyTree merges the instances' template trees into one, putting a
// parameter wherever strings differ. It fails where Argo reads a value
// before substituting parameters or refuses a placeholder (resources,
// retries), on values other than strings that differ, and on trees of
// different shapes.
func (t *paramTable) unifyTree(vals []*yaml.Node, path []string) (*yaml.Node, bool) {
	if allEqual(vals) {
		return vals[0], true
	}
	if len(path) > 0 {
		switch path[len(path)-1] {
		case "resources", "retryStrategy", "activeDeadlineSeconds":
			return nil, false
		}
	}
	first := vals[0]
	for _, v := range vals[1:] {
		if v.Kind != first.Kind || v.Tag != first.Tag || len(v.Content) != len(first.Content) {
			return nil, false
		}
	}
	switch first.Kind {
	case yaml.MappingNode:
		return t.unifyMapping(vals, path)
	case yaml.SequenceNode:
		return t.unifySequence(vals, path)
	case yaml.ScalarNode:
		if first.Tag != "!!str" {
			return nil, false
		}
		if s, ok := t.unifyString(vals); ok {
			return t.b.str(s), true
		}
	}
	return nil, false
}

// unifyMapping merges mappings with the same keys in the same order.
func (t *paramTable) unifyMapping(vals []*yaml.Node, path []string) (*yaml.Node, bool) {
	first := vals[0]
	out := &yaml.Node{Kind: yaml.MappingNode, Content: make([]*yaml.Node, len(first.Content))}
	for i := 0; i < len(first.Content); i += 2 {
		key := first.Content[i]
		for _, v := range vals[1:] {
			if v.Content[i].Value != key.Value {
				return nil, false
			}
		}
		value, ok := t.unifyChildren(vals, i+1, append(path, key.Value))
		if !ok {
			return nil, false
		}
		out.Content[i], out.Content[i+1] = key, value
	}
	return out, true
}

// unifySequence merges sequences of the same length item by item.
func (t *paramTable) unifySequence(vals []*yaml.Node, path []string) (*yaml.Node, bool) {
	out := &yaml.Node{Kind: yaml.SequenceNode, Content: make([]*yaml.Node, len(vals[0].Content))}
	for i := range out.Content {
		item, ok := t.unifyChildren(vals, i, path)
		if !ok {
			return nil, false
		}
		out.Content[i] = item
	}
	return out, true
}

// unifyChildren merges the i-th child of each node.
func (t *paramTable) unifyChildren(vals []*yaml.Node, i int, path []string) (*yaml.Node, bool) {
	children := make([]*yaml.Node, len(vals))
	for j, v := range vals {
		children[j] = v.Content[i]
	}
	return t.unifyTree(children, path)
}

// unifyString is one string for differing strings, with a parameter where
// they differ.
func (t *paramTable) unifyString(vals []*yaml.Node) (string, bool) {
	strs := make([]string, len(vals))
	for j, v := range vals {
		strs[j] = v.Value
	}
	if prefix, suffix, ok := splitAtKeys(strs, t.keys); ok && !strings.HasSuffix(prefix, "{") {
		return prefix + t.param(t.keys) + suffix, true
	}
	prefix, middles, suffix, ok := splitCommon(strs, true)
	if !ok {
		return "", false
	}
	return prefix + t.param(middles) + suffix, true
}

// allEqual reports whether the trees are equal. Shared subtrees (the same
// node) compare at once.
func allEqual(vals []*yaml.Node) bool {
	for _, v := range vals[1:] {
		if !treeEqual(vals[0], v) {
			return false
		}
	}
	return true
}

func treeEqual(a, b *yaml.Node) bool {
	if a == b {
		return true
	}
	if a.Kind != b.Kind || a.Tag != b.Tag || a.Value != b.Value || len(a.Content) != len(b.Content) {
		return false
	}
	for i := range a.Content {
		if !treeEqual(a.Content[i], b.Content[i]) {
			return false
		}
	}
	return true
}

// splitAtKeys finds in each string its instance's key, with the same text
// before and after it in every string: most differences between instances
// are their names and keys, and a parameter that is the key reads best.
func splitAtKeys(strs, keys []string) (prefix, suffix string, ok bool) {
	for _, at := range []int{strings.Index(strs[0], keys[0]), strings.LastIndex(strs[0], keys[0])} {
		if at < 0 {
			return "", "", false
		}
		prefix, suffix = strs[0][:at], strs[0][at+len(keys[0]):]
		ok = true
		for i, s := range strs {
			if s != prefix+keys[i]+suffix {
				ok = false
				break
			}
		}
		if ok {
			return prefix, suffix, true
		}
	}
	return "", "", false
}

// splitCommon splits differing strings into the text they all start and end
// with and the middles that differ, never inside a character. With braces
// (text Argo substitutes in), the common parts also never end next to a
// brace, so that no "{{" forms across a placeholder, and it fails when a
// middle would hold "{{" or "}}", which Argo does not substitute in a
// parameter's value. Inside the step spec a "{{" is JSON-escaped data (and
// the Argo target refuses "{{" in what a spec holds), so only characters
// matter there.
func splitCommon(strs []string, braces bool) (prefix string, middles []string, suffix string, ok bool) {
	shortest := len(strs[0])
	for _, s := range strs[1:] {
		shortest = min(shortest, len(s))
	}
	first := strs[0]
	p := 0
	for p < shortest && sameByteAt(strs, p) {
		p++
	}
	for p > 0 && (p < len(first) && !utf8.RuneStart(first[p]) ||
		braces && (first[p-1] == '{' || strings.Count(first[:p], "{{") > strings.Count(first[:p], "}}"))) {
		p--
	}
	sfx := 0
	for sfx < shortest-p && sameByteFromEnd(strs, sfx) {
		sfx++
	}
	for sfx > 0 {
		tail := first[len(first)-sfx:]
		if utf8.RuneStart(tail[0]) && (!braces || tail[0] != '}' && strings.Count(tail, "}}") <= strings.Count(tail, "{{")) {
			break
		}
		sfx--
	}
	middles = make([]string, len(strs))
	for i, s := range strs {
		middles[i] = s[p : len(s)-sfx]
		if braces && (strings.Contains(middles[i], "{{") || strings.Contains(middles[i], "}}")) {
			return "", nil, "", false
		}
	}
	return first[:p], middles, first[len(first)-sfx:], true
}

func sameByteAt(strs []string, i int) bool {
	for _, s := range strs[1:] {
		if s[i] != strs[0][i] {
			return false
		}
	}
	return true
}

func sameByteFromEnd(strs []string, i int) bool {
	c := strs[0][len(strs[0])-1-i]
	for _, s := range strs[1:] {
		if s[len(s)-1-i] != c {
			return false
		}
	}
	return true
}

// jsonValue is a JSON value that keeps the order of object members, so that
// a template's step spec reads like every other spec.
type jsonValue struct {
	// raw is a scalar other than a string (number, true, false, null) as
	// written.
	raw []byte
	// str is the value of a string scalar, encoded only when it is written:
	// most of the instances' strings are compared and never written.
	str   string
	isStr bool
	// For an object: keys and elems in order; for an array: elems.
	object bool
	array  bool
	keys   []string
	elems  []*jsonValue
}

func parseJSON(data []byte) (*jsonValue, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := readJSON(dec)
	if err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("trailing data")
	}
	return v, nil
}

func readJSON(dec *json.Decoder) (*jsonValue, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok := tok.(type) {
	case json.Delim:
		v := &jsonValue{object: tok == '{', array: tok == '['}
		for dec.More() {
			if v.object {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v.keys = append(v.keys, k.(string))
			}
			e, err := readJSON(dec)
			if err != nil {
				return nil, err
			}
			v.elems = append(v.elems, e)
		}
		if _, err := dec.Token(); err != nil {
			return nil, err
		}
		return v, nil
	case string:
		return &jsonValue{str: tok, isStr: true}, nil
	case json.Number:
		return &jsonValue{raw: []byte(tok.String())}, nil
	case bool:
		return &jsonValue{raw: []byte(strconv.FormatBool(tok))}, nil
	case nil:
		return &jsonValue{raw: []byte("null")}, nil
	}
	return nil, fmt.Errorf("unexpected token %v", tok)
}

// jsonString encodes s as a JSON string the way spec.Marshal does (no HTML
// escaping).
func jsonString(s string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// jsonStringContent is s encoded inside a JSON string, without the quotes.
// Characters that are not printable are written as \u escapes, so that Argo,
// which quotes a parameter's value with Go's rules before putting it into
// the template's JSON, leaves the value as it is.
func jsonStringContent(s string) string {
	enc := jsonString(s)
	enc = enc[1 : len(enc)-1]
	var b strings.Builder
	for _, r := range string(enc) {
		if r == utf8.RuneError || r == 0x7f || !strconv.IsPrint(r) {
			if r > 0xffff {
				r1, r2 := utf16Pair(r)
				fmt.Fprintf(&b, `\u%04x\u%04x`, r1, r2)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func utf16Pair(r rune) (rune, rune) {
	r -= 0x10000
	return 0xd800 + (r>>10)&0x3ff, 0xdc00 + r&0x3ff
}

func (v *jsonValue) write(b *bytes.Buffer) {
	switch {
	case v.object:
		b.WriteByte('{')
		for i, e := range v.elems {
			if i > 0 {
				b.WriteByte(',')
			}
			b.Write(jsonString(v.keys[i]))
			b.WriteByte(':')
			e.write(b)
		}
		b.WriteByte('}')
	case v.array:
		b.WriteByte('[')
		for i, e := range v.elems {
			if i > 0 {
				b.WriteByte(',')
			}
			e.write(b)
		}
		b.WriteByte(']')
	case v.isStr:
		b.Write(jsonString(v.str))
	default:
		b.Write(v.raw)
	}
}

func (v *jsonValue) equal(w *jsonValue) bool {
	if v.object != w.object || v.array != w.array || v.isStr != w.isStr || v.str != w.str || len(v.elems) != len(w.elems) || !bytes.Equal(v.raw, w.raw) {
		return false
	}
	for i := range v.elems {
		if v.object && v.keys[i] != w.keys[i] {
			return false
		}
		if !v.elems[i].equal(w.elems[i]) {
			return false
		}
	}
	return true
}

// unifyJSON writes the instances' specs as one, with parameters where they
// differ: inside a string, only the part that differs; a value of another
// kind, or of different shapes, whole. Every "$", in the text and in the
// parameters' values, is written \u0024, as in any spec the target writes
// (see specArtifact).
func (t *paramTable) unifyJSON(b *bytes.Buffer, vals []*jsonValue) {
	first := vals[0]
	same, shape := true, true
	for _, v := range vals[1:] {
		same = same && first.equal(v)
		shape = shape && v.object == first.object && v.array == first.array && v.isStr == first.isStr && len(v.elems) == len(first.elems)
		for i := 0; shape && first.object && i < len(first.keys); i++ {
			shape = v.keys[i] == first.keys[i]
		}
	}
	switch {
	case same:
		var raw bytes.Buffer
		first.write(&raw)
		b.WriteString(noDollar(raw.String()))
	case shape && (first.object || first.array):
		open, close := byte('['), byte(']')
		if first.object {
			open, close = '{', '}'
		}
		b.WriteByte(open)
		for i := range first.elems {
			if i > 0 {
				b.WriteByte(',')
			}
			if first.object {
				b.WriteString(noDollar(string(jsonString(first.keys[i]))))
				b.WriteByte(':')
			}
			children := make([]*jsonValue, len(vals))
			for j, v := range vals {
				children[j] = v.elems[i]
			}
			t.unifyJSON(b, children)
		}
		b.WriteByte(close)
	case shape && first.isStr:
		strs := make([]string, len(vals))
		for j, v := range vals {
			strs[j] = v.str
		}
		prefix, suffix, atKeys := splitAtKeys(strs, t.keys)
		middles := t.keys
		if !atKeys {
			prefix, middles, suffix, _ = splitCommon(strs, false)
		}
		middles = append([]string(nil), middles...)
		for j := range middles {
			middles[j] = noDollar(jsonStringContent(middles[j]))
		}
		b.WriteByte('"')
		b.WriteString(noDollar(jsonStringContent(prefix)))
		b.WriteString(t.param(middles))
		b.WriteString(noDollar(jsonStringContent(suffix)))
		b.WriteByte('"')
	default:
		raws := make([]string, len(vals))
		for j, v := range vals {
			var raw bytes.Buffer
			v.write(&raw)
			raws[j] = noDollar(raw.String())
		}
		b.WriteString(t.param(raws))
	}
}
