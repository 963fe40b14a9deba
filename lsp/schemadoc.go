package lsp

import (
	"fmt"
	"strings"

	"github.com/wurzel-dev/wurzel/schema"
)

// attributeDetail is an attribute's type in one line: "list(string),
// required".
func attributeDetail(a *schema.Attribute) string {
	parts := []string{a.Type}
	if a.Format != "" {
		parts[0] += " (" + string(a.Format) + ")"
	}
	if a.Required {
		parts = append(parts, "required")
	}
	return strings.Join(parts, ", ")
}

// attributeDoc documents an attribute in Markdown, from the schema table.
func attributeDoc(a *schema.Attribute) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** `%s`", a.Name, a.Type)
	if a.Format != "" {
		fmt.Fprintf(&b, " (%s)", a.Format)
	}
	if a.Required {
		b.WriteString(", required")
	}
	b.WriteString("\n\n")
	b.WriteString(a.Description)
	if len(a.Allowed) > 0 {
		fmt.Fprintf(&b, "\n\nOne of: `%s`.", strings.Join(a.Allowed, "`, `"))
	}
	if a.Default != "" {
		fmt.Fprintf(&b, "\n\nDefault: `%s`.", a.Default)
	}
	if len(a.ReferenceKinds) > 0 {
		fmt.Fprintf(&b, "\n\nRefers to: %s.", strings.Join(a.ReferenceKinds, ", "))
	}
	return b.String()
}

// blockDetail is a block's header form: `step "name" { ... }`.
func blockDetail(b *schema.Block) string {
	var s strings.Builder
	s.WriteString(b.Type)
	for _, l := range b.Labels {
		fmt.Fprintf(&s, " %q", l)
	}
	s.WriteString(" { ... }")
	return s.String()
}

// blockDoc documents a block in Markdown, with its attributes and blocks.
func blockDoc(b *schema.Block) string {
	var s strings.Builder
	fmt.Fprintf(&s, "**%s** block\n\n%s", blockDetail(b), b.Description)
	if b.Required {
		s.WriteString(" Required.")
	}
	if b.AnyAttributes {
		s.WriteString("\n\nHolds any `name = value` attributes.")
	}
	if len(b.Attributes) > 0 {
		s.WriteString("\n\nAttributes:")
		for _, a := range b.Attributes {
			fmt.Fprintf(&s, "\n- `%s` %s", a.Name, attributeDetail(a))
		}
	}
	if len(b.Blocks) > 0 {
		s.WriteString("\n\nBlocks:")
		for _, c := range b.Blocks {
			fmt.Fprintf(&s, "\n- `%s`", c.Type)
		}
	}
	return s.String()
}
