package lsp

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/wurzel-dev/wurzel/driver"
	"github.com/wurzel-dev/wurzel/lang"
	"github.com/wurzel-dev/wurzel/schema"
)

func (s *Server) completion(_ *glsp.Context, p *protocol.CompletionParams) (any, error) {
	path, err := uriToPath(p.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.ws.textOf(path)
	if t == nil {
		return nil, nil
	}
	// The last check's declarations, even when the text was edited
	// since: completion must keep up with typing, and the check follows
	// once typing pauses.
	var decls []*lang.Decl
	if c := s.ws.checks[dirOf(path)]; c != nil {
		decls = c.res.Decls
	}
	items := complete(t, t.offset(p.Position), decls, isJSONFile(path))
	if s.snippets {
		addSnippets(items)
	}
	return protocol.CompletionList{Items: items}, nil
}

// complete lists what may be written at off: a reference's next part after
// a dot (both syntaxes), otherwise (native syntax only; JSON files get their
// completion from the JSON Schema) the attributes and blocks of the
// enclosing block, or the values an attribute accepts.
func complete(t *text, off int, decls []*lang.Decl, isJSON bool) []protocol.CompletionItem {
	if items, ok := instanceKeyItems(t, off, decls); ok {
		return items
	}
	word, start := wordBefore(t.src, off)
	if strings.Contains(word, ".") {
		return referenceItems(t, word, start, off, decls)
	}
	if isJSON {
		return nil
	}
	c := cursorAt(t, off)
	schema := driver.Schema().Lookup(c.blocks...)
	if schema == nil {
		return nil
	}
	edit := t.rangeOf(start, off)
	switch {
	case c.inBody:
		return bodyItems(schema, c.seen, edit)
	case c.attr != "":
		a := schema.Attribute(c.attr)
		items := valueItems(a, c.inString, edit)
		if len(c.blocks) > 0 && c.blocks[0] == "step" && !c.inString && (a == nil || len(a.ReferenceKinds) == 0) && c.attr != "for_each" {
			items = append(items, item("each", protocol.CompletionItemKindKeyword, rootDetail["each"], "", "each", "1each", edit))
		}
		return items
	}
	return nil
}

// instanceKeyItems completes an instance key after step.<name>[ or
// step.<name>[" with the keys of that step's for_each, [*] and each.key.
func instanceKeyItems(t *text, off int, decls []*lang.Decl) ([]protocol.CompletionItem, bool) {
	start := off
	for start > 0 && isKeyByte(t.src[start-1]) {
		start--
	}
	at := start
	quoted := at > 0 && t.src[at-1] == '"'
	if quoted {
		at--
	}
	if at == 0 || t.src[at-1] != '[' {
		return nil, false
	}
	word, _ := wordBefore(t.src, at-1)
	step, ok := strings.CutPrefix(word, "step.")
	if !ok || strings.Contains(step, ".") {
		return nil, false
	}
	var keys []string
	for _, d := range decls {
		if d.Kind == lang.DeclStep && d.Name == step {
			keys = d.Keys
		}
	}
	edit := t.rangeOf(start, off)
	var items []protocol.CompletionItem
	for _, k := range keys {
		insert := `"` + k + `"`
		if quoted {
			insert = k
		}
		items = append(items, item(k, protocol.CompletionItemKindEnumMember, "instance of step "+step, "", insert, "0"+k, edit))
	}
	if !quoted && keys != nil {
		items = append(items,
			item("*", protocol.CompletionItemKindOperator, "every instance (a fan-in)", "", "*", "1*", edit),
			item("each.key", protocol.CompletionItemKindKeyword, "the instance with this instance's key", "", "each.key", "1each", edit))
	}
	return items, true
}

func isKeyByte(c byte) bool { return c == '-' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

// bodyItems are the attributes not yet set and the blocks that may still be
// added in a block.
func bodyItems(schema *schema.Block, seen map[string]bool, edit protocol.Range) []protocol.CompletionItem {
	var items []protocol.CompletionItem
	for _, a := range schema.Attributes {
		if seen[a.Name] {
			continue
		}
		sortKey := "1"
		if a.Required {
			sortKey = "0"
		}
		items = append(items, item(a.Name, protocol.CompletionItemKindProperty, attributeDetail(a),
			attributeDoc(a), a.Name+" = ", sortKey+a.Name, edit))
	}
	for _, b := range schema.Blocks {
		if seen[b.Type] && !b.Repeatable {
			continue
		}
		items = append(items, item(b.Type, protocol.CompletionItemKindModule, blockDetail(b),
			blockDoc(b), b.Type, "2"+b.Type, edit))
	}
	return items
}

// valueItems are the closed set of values of an attribute, its boolean
// values, or the roots of the references it may hold.
func valueItems(a *schema.Attribute, inString bool, edit protocol.Range) []protocol.CompletionItem {
	var items []protocol.CompletionItem
	if a != nil {
		for _, v := range a.Allowed {
			insert := v
			if !inString {
				insert = `"` + v + `"`
			}
			items = append(items, item(v, protocol.CompletionItemKindEnumMember, a.Name, "", insert, "0"+v, edit))
		}
		if a.Type == "bool" && !inString {
			for _, v := range []string{"true", "false"} {
				items = append(items, item(v, protocol.CompletionItemKindValue, "bool", "", v, "0"+v, edit))
			}
		}
	}
	if inString && (a == nil || len(a.ReferenceKinds) == 0) {
		return items
	}
	for _, root := range referenceRoots(a) {
		items = append(items, item(root, protocol.CompletionItemKindKeyword, rootDetail[root], "", root, "1"+root, edit))
	}
	if a == nil || len(a.ReferenceKinds) == 0 {
		// Ordinary expressions may call functions; reference-only
		// attributes (from, depends_on, secrets, ...) may not.
		for _, name := range lang.FunctionNames() {
			items = append(items, item(name, protocol.CompletionItemKindFunction, "function", "", name, "2"+name, edit))
		}
	}
	return items
}

var rootDetail = map[string]string{
	"each":   "each.key, each.value: the instance's key and value (steps with for_each)",
	"step":   "step.<name> or step.<name>.output.<output>",
	"secret": "secret.<name>",
	"volume": "volume.<name>",
	"var":    "var.<name>: a variable's value",
	"local":  "local.<name>: a local value",
}

// referenceRoots are the reference roots an attribute may use: those of its
// reference kinds, or var and local in ordinary expressions (step outputs
// exist only at run time and may not appear there).
func referenceRoots(a *schema.Attribute) []string {
	if a == nil || len(a.ReferenceKinds) == 0 {
		return []string{"var", "local"}
	}
	var roots []string
	add := func(r string) {
		for _, have := range roots {
			if have == r {
				return
			}
		}
		roots = append(roots, r)
	}
	for _, k := range a.ReferenceKinds {
		add(strings.Fields(k)[0])
	}
	return roots
}

// declKindOfRoot maps a reference root to the declarations it names.
var declKindOfRoot = map[string]lang.DeclKind{
	"step":   lang.DeclStep,
	"secret": lang.DeclSecret,
	"volume": lang.DeclVolume,
	"var":    lang.DeclVariable,
	"local":  lang.DeclLocal,
}

// referenceItems completes the last part of a reference being typed:
// step. → steps, step.x. → output, step.x.output. → x's outputs, secret.,
// volume., var., local. → their names.
func referenceItems(t *text, word string, start, off int, decls []*lang.Decl) []protocol.CompletionItem {
	parts := strings.Split(word, ".")
	last := parts[len(parts)-1]
	edit := t.rangeOf(off-len(last), off)
	root := parts[0]
	var items []protocol.CompletionItem
	switch {
	case len(parts) == 2 && declKindOfRoot[root] != "":
		for _, d := range decls {
			if d.Kind == declKindOfRoot[root] {
				items = append(items, declItem(d, edit))
			}
		}
	case len(parts) == 2 && root == "each":
		items = append(items,
			item("key", protocol.CompletionItemKindField, "each.key: the instance's key", "", "key", "0key", edit),
			item("value", protocol.CompletionItemKindField, "each.value: the instance's value in the for_each map (the key for a set)", "", "value", "0value", edit))
	case len(parts) == 3 && root == "step":
		items = append(items, item("output", protocol.CompletionItemKindKeyword, "step."+parts[1]+".output.<name>", "", "output", "0", edit))
	case len(parts) == 4 && root == "step" && parts[2] == "output":
		for _, d := range decls {
			if d.Kind == lang.DeclOutput && d.Step == parts[1] {
				items = append(items, declItem(d, edit))
			}
		}
	}
	return items
}

func declItem(d *lang.Decl, edit protocol.Range) protocol.CompletionItem {
	detail := fmt.Sprintf("%s, %s:%d", d.Kind, filepath.Base(d.DefRange.Filename), d.DefRange.Start.Line)
	if d.Kind == lang.DeclOutput {
		detail = fmt.Sprintf("output of step %s, %s:%d", d.Step, filepath.Base(d.DefRange.Filename), d.DefRange.Start.Line)
	}
	return item(d.Name, declItemKind[d.Kind], detail, "", d.Name, d.Name, edit)
}

var declItemKind = map[lang.DeclKind]protocol.CompletionItemKind{
	lang.DeclStep:     protocol.CompletionItemKindFunction,
	lang.DeclOutput:   protocol.CompletionItemKindField,
	lang.DeclSecret:   protocol.CompletionItemKindConstant,
	lang.DeclVolume:   protocol.CompletionItemKindFolder,
	lang.DeclVariable: protocol.CompletionItemKindVariable,
	lang.DeclLocal:    protocol.CompletionItemKindVariable,
}

func item(label string, kind protocol.CompletionItemKind, detail, doc, insert, sortText string, edit protocol.Range) protocol.CompletionItem {
	it := protocol.CompletionItem{
		Label:    label,
		Kind:     &kind,
		SortText: &sortText,
		TextEdit: protocol.TextEdit{Range: edit, NewText: insert},
	}
	if detail != "" {
		it.Detail = &detail
	}
	if doc != "" {
		it.Documentation = protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: doc}
	}
	return it
}

// addSnippets turns the inserts of attributes, blocks and functions into
// snippets that place the cursor where the value, body or arguments go:
// `name = "|"`, `type "name" {\n  |\n}`, `upper(|)`.
func addSnippets(items []protocol.CompletionItem) {
	snippet := protocol.InsertTextFormatSnippet
	for i := range items {
		it := &items[i]
		edit, ok := it.TextEdit.(protocol.TextEdit)
		if !ok || it.Kind == nil {
			continue
		}
		var text string
		switch *it.Kind {
		case protocol.CompletionItemKindProperty:
			text = attributeSnippet(it.Label, it.Detail)
		case protocol.CompletionItemKindModule:
			text = blockSnippet(it.Label)
		case protocol.CompletionItemKindFunction:
			text = it.Label + "($1)"
		default:
			continue
		}
		edit.NewText = text
		it.TextEdit = edit
		it.InsertTextFormat = &snippet
	}
}

func attributeSnippet(name string, detail *string) string {
	typ := ""
	if detail != nil {
		typ = *detail
	}
	switch {
	case strings.HasPrefix(typ, "string"):
		return name + ` = "$1"`
	case strings.HasPrefix(typ, "list"):
		return name + " = [$1]"
	case strings.HasPrefix(typ, "map"):
		return name + " = {\n  $1\n}"
	}
	return name + " = $1"
}

// blockSnippet writes a block with a placeholder per label; labels come
// from the schema table.
func blockSnippet(typ string) string {
	var labels []string
	for _, b := range allBlocks() {
		if b.Type == typ {
			labels = b.Labels
			break
		}
	}
	var s strings.Builder
	s.WriteString(typ)
	for i, l := range labels {
		fmt.Fprintf(&s, ` "${%d:%s}"`, i+1, l)
	}
	s.WriteString(" {\n  $0\n}")
	return s.String()
}

// allBlocks lists every block schema of the language.
func allBlocks() []*schema.Block {
	var out []*schema.Block
	schema.Walk(driver.Schema(), func(_ []string, b *schema.Block) { out = append(out, b) })
	return out
}

func isJSONFile(path string) bool { return strings.HasSuffix(path, ".json") }
