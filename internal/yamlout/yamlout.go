package yamlout

import (
	"strconv"

	"go.yaml.in/yaml/v3"
)

// String is a string scalar. Marshal writes it plain when [Plain] allows,
// double-quoted otherwise, with each byte of invalid UTF-8 as U+FFFD.
func String(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}

// Int is an integer scalar.
func Int(i int64) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.FormatInt(i, 10)}
}

// Bool is true or false, the only spellings YAML 1.1 and 1.2 share.
func Bool(b bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(b)}
}

// Null is null.
func Null() *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
}

// Map is an empty block mapping; add entries with [Put].
func Map() *yaml.Node {
	return &yaml.Node{Kind: yaml.MappingNode}
}

// Put appends the entry key: value to mapping m, after the entries it
// already has. It does not look for an earlier entry with the same key:
// callers build each mapping from distinct keys.
func Put(m *yaml.Node, key string, value *yaml.Node) {
	m.Content = append(m.Content, String(key), value)
}

// Seq is a block sequence of items.
func Seq(items ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.SequenceNode, Content: items}
}

// Strings is a block sequence of string scalars.
func Strings(items []string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Content: make([]*yaml.Node, len(items))}
	for i, s := range items {
		n.Content[i] = String(s)
	}
	return n
}

// Layout is how a block sequence that is the value of a mapping entry is
// placed under its key.
type Layout int

const (
	// KubernetesLayout writes the "- " of such a sequence at the column of
	// its key, as kubectl and Argo's examples write Kubernetes objects.
	KubernetesLayout Layout = iota
	// IndentedLayout indents such a sequence by two spaces under its key.
	IndentedLayout
)

// Options shape the text Marshal writes; the data is the same either way.
type Options struct {
	// Header, when not empty, is written above the first document as
	// comment lines ("# " is added to each), followed by an empty line.
	Header string
	Layout Layout
	// SizeHint is the expected size of the output in bytes, if known: it
	// spares a large stream the growing of its buffer.
	SizeHint int
}

// Marshal writes docs (mappings, sequences or scalars built with this
// package) as one YAML stream, indented by two spaces and never folded,
// whatever the line length. A single document is written bare; in a stream
// of several, every document starts with "---".
func Marshal(opts Options, docs ...*yaml.Node) ([]byte, error) {
	w := &writer{layout: opts.Layout, buf: make([]byte, 0, max(opts.SizeHint, 4096))}
	if opts.Header != "" {
		w.header(opts.Header)
	}
	for _, root := range docs {
		if len(docs) > 1 {
			w.writeString("---\n")
		}
		if err := w.document(root); err != nil {
			return nil, err
		}
	}
	return w.buf, nil
}
