package yamlout

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// The writer below covers what the constructors build: block mappings and
// sequences, flow {} and [] for empty ones, and plain or double-quoted
// scalars. It stands in for yaml.v3's Encoder, which keeps every event of a
// stream in memory until the stream ends (its event queue is never
// trimmed): on a document of 1,000 Argo-like steps the Encoder allocates
// 30 times the memory and takes 5 times as long, on 10,000 steps 40 times
// as long (BenchmarkLibraryEncoder against BenchmarkMarshal). This writer
// writes each node as it reaches it.

// maxImplicitKey is the longest key written as an implicit key ("key:"):
// even with every byte escaped as \uXXXX it stays under YAML's limit of
// 1024 characters for implicit keys. A longer key is written in the
// explicit form "? key".
const maxImplicitKey = 128

type writer struct {
	buf    []byte
	layout Layout
}

func (w *writer) document(root *yaml.Node) error {
	if empty, flow := emptyCollection(root); empty {
		w.writeString(flow)
		w.writeByte('\n')
		return nil
	}
	switch root.Kind {
	case yaml.MappingNode:
		return w.mapping(root, 0, false)
	case yaml.SequenceNode:
		return w.sequence(root, 0, false)
	}
	if err := w.scalar(root); err != nil {
		return err
	}
	w.writeByte('\n')
	return nil
}

// header writes text as comment lines and an empty line after them.
func (w *writer) header(text string) {
	for line := range strings.SplitSeq(text, "\n") {
		w.writeByte('#')
		if line != "" {
			w.writeByte(' ')
			w.writeString(line)
		}
		w.writeByte('\n')
	}
	w.writeByte('\n')
}

// mapping writes the entries of m with their keys at column indent. When
// inline, the first entry continues the current line (after "- ").
func (w *writer) mapping(m *yaml.Node, indent int, inline bool) error {
	if len(m.Content)%2 != 0 {
		return fmt.Errorf("yamlout: a mapping with a key and no value")
	}
	for i := 0; i < len(m.Content); i += 2 {
		if i > 0 || !inline {
			w.indent(indent)
		}
		key := m.Content[i]
		if key.Kind != yaml.ScalarNode {
			return fmt.Errorf("yamlout: a mapping key must be a scalar")
		}
		if len(key.Value) > maxImplicitKey {
			w.writeString("? ")
			if err := w.scalar(key); err != nil {
				return err
			}
			w.writeByte('\n')
			w.indent(indent)
		} else if err := w.scalar(key); err != nil {
			return err
		}
		w.writeByte(':')
		if err := w.entryValue(m.Content[i+1], indent); err != nil {
			return err
		}
	}
	return nil
}

// entryValue writes the value of a mapping entry whose key is at column
// indent, right after the key's colon.
func (w *writer) entryValue(v *yaml.Node, indent int) error {
	if empty, flow := emptyCollection(v); empty {
		w.writeByte(' ')
		w.writeString(flow)
		w.writeByte('\n')
		return nil
	}
	switch v.Kind {
	case yaml.MappingNode:
		w.writeByte('\n')
		return w.mapping(v, indent+2, false)
	case yaml.SequenceNode:
		w.writeByte('\n')
		if w.layout == IndentedLayout {
			indent += 2
		}
		return w.sequence(v, indent, false)
	}
	w.writeByte(' ')
	if err := w.scalar(v); err != nil {
		return err
	}
	w.writeByte('\n')
	return nil
}

// sequence writes the items of s as "- item" at column indent. When inline,
// the first item continues the current line (after another "- ").
func (w *writer) sequence(s *yaml.Node, indent int, inline bool) error {
	for i, item := range s.Content {
		if i > 0 || !inline {
			w.indent(indent)
		}
		w.writeString("- ")
		if empty, flow := emptyCollection(item); empty {
			w.writeString(flow)
			w.writeByte('\n')
			continue
		}
		var err error
		switch item.Kind {
		case yaml.MappingNode:
			err = w.mapping(item, indent+2, true)
		case yaml.SequenceNode:
			err = w.sequence(item, indent+2, true)
		default:
			if err = w.scalar(item); err == nil {
				w.writeByte('\n')
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// emptyCollection reports whether n is an empty mapping or sequence, and
// its flow form.
func emptyCollection(n *yaml.Node) (bool, string) {
	if len(n.Content) > 0 {
		return false, ""
	}
	switch n.Kind {
	case yaml.MappingNode:
		return true, "{}"
	case yaml.SequenceNode:
		return true, "[]"
	}
	return false, ""
}

func (w *writer) indent(n int) {
	for range n {
		w.buf = append(w.buf, ' ')
	}
}

func (w *writer) writeByte(c byte)     { w.buf = append(w.buf, c) }
func (w *writer) writeString(s string) { w.buf = append(w.buf, s...) }

// scalar writes a scalar node: a string plain when [Plain] allows it and
// the node does not ask for double quotes, double-quoted otherwise; any
// other scalar plain, as its constructor spelled it.
func (w *writer) scalar(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("yamlout: cannot write a node of kind %d here", n.Kind)
	}
	switch n.Tag {
	case "!!str":
		if n.Style&yaml.DoubleQuotedStyle == 0 && Plain(n.Value) {
			w.writeString(n.Value)
		} else {
			w.doubleQuoted(n.Value)
		}
	case "!!int", "!!float", "!!bool", "!!null":
		w.writeString(n.Value)
	default:
		return fmt.Errorf("yamlout: cannot write a scalar tagged %q", n.Tag)
	}
	return nil
}

// doubleQuoted writes s as a double-quoted scalar. It uses only the escapes
// YAML 1.1 and 1.2 share: \" \\ \n \t \r, and \uXXXX for every character
// YAML does not allow unescaped or that YAML 1.1 reads as a line break
// (controls, DEL, C1 controls, U+2028, U+2029, the byte order mark, U+FFFE,
// U+FFFF) and for each byte of invalid UTF-8 (as U+FFFD).
func (w *writer) doubleQuoted(s string) {
	w.writeByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"':
				w.writeString(`\"`)
			case c == '\\':
				w.writeString(`\\`)
			case c == '\n':
				w.writeString(`\n`)
			case c == '\t':
				w.writeString(`\t`)
			case c == '\r':
				w.writeString(`\r`)
			case c < 0x20 || c == 0x7f:
				w.unicodeEscape(rune(c))
			default:
				w.writeByte(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			w.unicodeEscape(utf8.RuneError)
		case r >= 0x80 && r <= 0x9f, r == 0x2028, r == 0x2029, r == 0xfeff, r == 0xfffe, r == 0xffff:
			w.unicodeEscape(r)
		default:
			w.writeString(s[i : i+size])
		}
		i += size
	}
	w.writeByte('"')
}

func (w *writer) unicodeEscape(r rune) {
	const hex = "0123456789ABCDEF"
	w.writeString(`\u`)
	w.writeByte(hex[r>>12&0xf])
	w.writeByte(hex[r>>8&0xf])
	w.writeByte(hex[r>>4&0xf])
	w.writeByte(hex[r&0xf])
}
