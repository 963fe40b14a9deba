package jsonschema

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/wurzel-dev/wurzel/schema"
)

// ID identifies the generated schema.
const ID = "https://wurzel.dev/schemas/pipeline.wurzel.hcl.json"

// Draft is the JSON Schema dialect of the generated schema.
const Draft = "https://json-schema.org/draft/2020-12/schema"

// Generate returns the schema of root (normally lang.Schema) as indented
// JSON with a trailing newline. The output is deterministic.
func Generate(root *schema.Block) []byte {
	g := &generator{defs: map[string]any{}}
	doc := g.body(root, "")
	doc["$schema"] = Draft
	doc["$id"] = ID
	doc["title"] = "wurzel pipeline (HCL JSON syntax, .wurzel.hcl.json)"
	doc["$defs"] = g.defs
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		// The document holds only strings, bools, numbers, slices and maps
		// with string keys, which always encode.
		panic("jsonschema: " + err.Error())
	}
	return b.Bytes()
}

type generator struct {
	// defs holds the body schema of every block type, keyed by its path
	// ("step.input"), referenced from where the block may appear.
	defs map[string]any
}

// template matches a string holding an HCL interpolation or directive: in
// JSON syntax such a string may produce a value of any type.
var template = map[string]any{
	"type":        "string",
	"pattern":     `[$%]\{`,
	"description": "An HCL template, such as \"${var.name}\", evaluated to the attribute's type.",
}

// body is the schema of a block body: its attributes and nested blocks.
func (g *generator) body(b *schema.Block, path string) map[string]any {
	props := map[string]any{
		"//": map[string]any{"description": "A comment, ignored."},
	}
	var required []string
	for _, a := range b.Attributes {
		props[a.Name] = attribute(a)
		if a.Required {
			required = append(required, a.Name)
		}
	}
	for _, c := range b.Blocks {
		props[c.Type] = g.block(c, join(path, c.Type))
		// Top-level required blocks may sit in another file of the
		// pipeline's directory, so only nested ones are required here.
		if c.Required && path != "" {
			required = append(required, c.Type)
		}
	}
	s := map[string]any{"type": "object", "properties": props}
	if b.AnyAttributes {
		s["additionalProperties"] = true
	} else {
		s["additionalProperties"] = false
	}
	if len(required) > 0 {
		s["required"] = required
	}
	if b.Description != "" {
		s["description"] = b.Description
	}
	return s
}

// block is the schema of the value of a block type property: label objects
// down to the body, each level also allowed as an array of objects.
func (g *generator) block(b *schema.Block, path string) map[string]any {
	g.defs[path] = g.body(b, path)
	var level map[string]any = map[string]any{"$ref": "#/$defs/" + path}
	for i := len(b.Labels) - 1; i >= 0; i-- {
		level = oneOrMany(map[string]any{
			"type":                 "object",
			"description":          "Keyed by the block's " + b.Labels[i] + ".",
			"additionalProperties": level,
		})
	}
	if len(b.Labels) == 0 {
		level = oneOrMany(level)
	}
	level["description"] = blockDescription(b)
	return level
}

// oneOrMany accepts s or an array of values matching s, as HCL's JSON
// syntax does for blocks.
func oneOrMany(s map[string]any) map[string]any {
	return map[string]any{"anyOf": []any{s, map[string]any{"type": "array", "items": s}}}
}

func blockDescription(b *schema.Block) string {
	head := b.Type
	for _, l := range b.Labels {
		head += ` "` + l + `"`
	}
	return head + " block: " + b.Description
}

// attribute is the schema of one attribute's value.
func attribute(a *schema.Attribute) map[string]any {
	s := valueSchema(a)
	s["description"] = attributeDescription(a)
	if a.Default != "" {
		s["default"] = defaultValue(a.Default)
	}
	return s
}

func attributeDescription(a *schema.Attribute) string {
	d := a.Description
	if a.Format != "" {
		d += " Format: " + string(a.Format) + "."
	}
	if len(a.ReferenceKinds) > 0 {
		d += " Refers to: " + strings.Join(a.ReferenceKinds, ", ") + "."
	}
	return d
}

// valueSchema maps the language's type names to JSON types. A type the
// table may gain later without a mapping here accepts any value, so that
// the schema never rejects what the front end accepts.
func valueSchema(a *schema.Attribute) map[string]any {
	switch a.Type {
	case "string":
		if len(a.Allowed) > 0 {
			return orTemplate(map[string]any{"enum": a.Allowed})
		}
		return map[string]any{"type": "string"}
	case "number":
		t := "number"
		if a.Format == "integer" {
			t = "integer"
		}
		return orTemplate(map[string]any{"type": t})
	case "bool":
		return orTemplate(map[string]any{"type": "boolean"})
	case "list(string)":
		items := map[string]any{"type": "string"}
		if len(a.Allowed) > 0 {
			items = map[string]any{"enum": a.Allowed}
		}
		return orTemplate(map[string]any{"type": "array", "items": items})
	case "map(string)":
		return orTemplate(map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string"}})
	case "map(any)":
		return orTemplate(map[string]any{"type": "object"})
	case "reference", "type":
		// A reference (step.a.output.b) or a type expression (list(string))
		// is written as a string in JSON syntax.
		return map[string]any{"type": "string"}
	case "list(reference)":
		return map[string]any{"type": "array", "items": map[string]any{"type": "string"}}
	}
	return map[string]any{}
}

func orTemplate(s map[string]any) map[string]any {
	return map[string]any{"anyOf": []any{s, template}}
}

// defaultValue is the table's default text as a JSON value when it is one
// ("false", "0", `["ReadWriteOnce"]`), else as a string ("UTC").
func defaultValue(text string) any {
	var v any
	if err := json.Unmarshal([]byte(text), &v); err == nil {
		return v
	}
	return text
}

func join(path, typ string) string {
	if path == "" {
		return typ
	}
	return path + "." + typ
}
