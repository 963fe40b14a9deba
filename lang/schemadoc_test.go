package lang

import (
	"fmt"
	"strings"
)

// schemaMarkdown renders the language reference from Schema: one section per
// block type with a table of its attributes. docs/language.md embeds it, and
// TestDocs keeps the two identical.
func schemaMarkdown() string {
	var b strings.Builder
	Walk(Schema, func(path []string, bs *BlockSchema) {
		level := strings.Repeat("#", min(len(path)+2, 6))
		header := bs.Type
		for _, l := range bs.Labels {
			header += fmt.Sprintf(" \"<%s>\"", l)
		}
		fmt.Fprintf(&b, "%s `%s`\n\n", level, strings.Join(append(path[:len(path)-1:len(path)-1], header), " > "))
		fmt.Fprintf(&b, "%s\n\n", bs.Description)
		var facts []string
		if bs.Required {
			facts = append(facts, "required")
		}
		if bs.Repeatable {
			facts = append(facts, "repeatable")
		} else if len(path) > 0 {
			facts = append(facts, "at most once")
		}
		if len(bs.Blocks) > 0 {
			var names []string
			for _, c := range bs.Blocks {
				names = append(names, "`"+c.Type+"`")
			}
			facts = append(facts, "nested blocks: "+strings.Join(names, ", "))
		}
		if len(bs.ExactlyOneOf) > 0 {
			var names []string
			for _, n := range bs.ExactlyOneOf {
				names = append(names, "`"+n+"`")
			}
			facts = append(facts, "exactly one of "+strings.Join(names, ", "))
		}
		fmt.Fprintf(&b, "Block: %s.\n\n", strings.Join(facts, "; "))
		if bs.AnyAttributes {
			b.WriteString("Any number of `name = expression` attributes.\n\n")
			return
		}
		if len(bs.Attributes) == 0 {
			return
		}
		b.WriteString("| Attribute | Type | Required | Default | Description |\n")
		b.WriteString("| --- | --- | --- | --- | --- |\n")
		for _, a := range bs.Attributes {
			typ := "`" + a.Type + "`"
			if a.Format != "" {
				typ += " (" + a.Format + ")"
			}
			req := "no"
			if a.Required {
				req = "yes"
			}
			def := ""
			if a.Default != "" {
				def = "`" + a.Default + "`"
			}
			desc := a.Description
			if len(a.Allowed) > 0 {
				var vals []string
				for _, v := range a.Allowed {
					vals = append(vals, "`"+v+"`")
				}
				desc += " One of " + strings.Join(vals, ", ") + "."
			}
			if len(a.RequiredFor) > 0 {
				desc += " Required for type " + strings.Join(a.RequiredFor, ", ") + "."
			}
			if len(a.OnlyFor) > 0 {
				desc += " Only for type " + strings.Join(a.OnlyFor, ", ") + "."
			}
			if len(a.ReferenceKinds) > 0 {
				desc += " References to: " + strings.Join(a.ReferenceKinds, ", ") + "."
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", a.Name, typ, req, def, strings.ReplaceAll(desc, "|", "\\|"))
		}
		b.WriteString("\n")
	})
	return b.String()
}
