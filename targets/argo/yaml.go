package argo

import (
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/internal/yamlout"
)

// The lowering builds each document directly as the YAML nodes
// internal/yamlout writes: key order follows the order the lowering chose
// (the order an Argo operator writes by hand), and yamlout alone decides how
// each scalar is written, so that every string is quoted unless both YAML
// 1.1 and YAML 1.2 readers read it back as that string. The package doc says
// why the documents are not typed structs.
//
// A large workflow has hundreds of thousands of nodes, so the lowering
// shares what it can, since the writer only reads nodes: a part every step
// template has in common is one node in all of them (stepShared), and so is
// every boolean and every short string of one Generate call (builder).

// builder makes the nodes of one Generate call. Its state lives as long as
// the call: nothing is shared between calls, so generating is safe to run
// concurrently and its cost does not depend on what ran before.
type builder struct {
	// strings holds one node per short string: a workflow repeats the same
	// keys, volume names, paths and images in every step template, and a
	// node costs more than the string it holds.
	strings       map[string]*yaml.Node
	isTrue, isNot *yaml.Node
	// err is the first value the lowering set that cannot be written;
	// emitDocuments reports it.
	err error
}

func newBuilder() *builder {
	return &builder{strings: map[string]*yaml.Node{}, isTrue: yamlout.Bool(true), isNot: yamlout.Bool(false)}
}

// maxSharedString is the longest string whose node is shared: longer ones
// (commands, step specs) are rarely repeated.
const maxSharedString = 64

// str is the node of a string, a mapping key or a value.
func (b *builder) str(s string) *yaml.Node {
	if len(s) > maxSharedString {
		return yamlout.String(s)
	}
	n, ok := b.strings[s]
	if !ok {
		n = yamlout.String(s)
		b.strings[s] = n
	}
	return n
}

func (b *builder) fail(err error) {
	if b.err == nil {
		b.err = err
	}
}

// mapping is an empty mapping to set entries in.
func (b *builder) mapping() *mapping {
	return &mapping{node: yaml.Node{Kind: yaml.MappingNode}, b: b}
}

// mapping is a YAML mapping under construction.
type mapping struct {
	node yaml.Node
	b    *builder
}

// sequence is a YAML sequence under construction: mappings, strings and
// numbers, turned into a node when it is set.
type sequence []any

// The scalar values a mapping or sequence may hold are string, int, int32,
// int64 and bool.

// set appends key with value. Nil values (nil maps, nil sequences, nil
// *mapping) are skipped, so optional fields can be set unconditionally.
func (m *mapping) set(key string, value any) *mapping {
	if n := m.b.node(value); n != nil {
		m.node.Content = append(m.node.Content, m.b.str(key), n)
	}
	return m
}

// setString sets key only when value is not empty.
func (m *mapping) setString(key, value string) *mapping {
	if value == "" {
		return m
	}
	return m.set(key, value)
}

// orNil returns nil for an empty mapping, so that set skips it.
func (m *mapping) orNil() *mapping {
	if m == nil || len(m.node.Content) == 0 {
		return nil
	}
	return m
}

// yamlNode is the mapping's node, and the first value of the Generate call
// that could not be written.
func (m *mapping) yamlNode() (*yaml.Node, error) {
	return &m.node, m.b.err
}

// node is the node of a value set in a mapping or a sequence; nil for the
// nil values set skips and for a value that cannot be written, which is
// recorded in b.err.
func (b *builder) node(v any) *yaml.Node {
	switch v := v.(type) {
	case *mapping:
		if v == nil {
			return nil
		}
		return &v.node
	case sequence:
		if v == nil {
			return nil
		}
		return b.sequenceNode(v)
	case *yaml.Node:
		// Built before: a part every step template shares.
		return v
	case string:
		return b.str(v)
	case int:
		return yamlout.Int(int64(v))
	case int32:
		return yamlout.Int(int64(v))
	case int64:
		return yamlout.Int(v)
	case bool:
		if v {
			return b.isTrue
		}
		return b.isNot
	case nil:
		return nil
	}
	// The lowering builds only the types above; anything else is a mistake
	// in it, reported rather than written.
	b.fail(fmt.Errorf("argo: cannot write a value of type %T to YAML", v))
	return nil
}

func (b *builder) sequenceNode(s sequence) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Content: make([]*yaml.Node, len(s))}
	for i, item := range s {
		if n.Content[i] = b.node(item); n.Content[i] == nil {
			b.fail(fmt.Errorf("argo: a sequence holds an empty value"))
			return nil
		}
	}
	return n
}

// emitDocuments writes docs as one multi-document YAML stream, laid out the
// way kubectl writes Kubernetes objects. sizeHint is the expected size in
// bytes, to spare the buffer's regrowth on large pipelines.
func emitDocuments(docs []*mapping, sizeHint int) ([]byte, error) {
	roots := make([]*yaml.Node, len(docs))
	for i, d := range docs {
		var err error
		if roots[i], err = d.yamlNode(); err != nil {
			return nil, err
		}
	}
	return yamlout.Marshal(yamlout.Options{Layout: yamlout.KubernetesLayout, SizeHint: sizeHint}, roots...)
}
