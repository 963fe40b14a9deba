package argo

import (
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/internal/yamlout"
)

// The lowering builds each document as a small tree of ordered mappings,
// sequences and scalars, and internal/yamlout writes it: key order follows
// the order the lowering chose (the order an Argo operator writes by hand),
// and every string is quoted unless both YAML 1.1 and YAML 1.2 readers read
// it back as that string. The package doc says why the tree is not typed.

// mapping is a YAML mapping whose keys keep their insertion order.
type mapping struct{ entries []entry }

type entry struct {
	key   string
	value any
}

// sequence is a YAML sequence.
type sequence []any

// The scalar values a tree may hold are string, int, int32, int64 and bool.

// set appends key with value. Nil values (nil maps, nil sequences, nil
// *mapping) are skipped, so optional fields can be set unconditionally.
func (m *mapping) set(key string, value any) *mapping {
	switch v := value.(type) {
	case nil:
		return m
	case *mapping:
		if v == nil {
			return m
		}
	case sequence:
		if v == nil {
			return m
		}
	}
	m.entries = append(m.entries, entry{key, value})
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
	if m == nil || len(m.entries) == 0 {
		return nil
	}
	return m
}

// emitDocuments writes docs as one multi-document YAML stream, laid out the
// way kubectl writes Kubernetes objects. sizeHint is the expected size in
// bytes, to spare the buffer's regrowth on large pipelines.
func emitDocuments(docs []*mapping, sizeHint int) ([]byte, error) {
	c := converter{strings: map[string]*yaml.Node{}}
	roots := make([]*yaml.Node, len(docs))
	for i, d := range docs {
		n, err := c.node(d)
		if err != nil {
			return nil, err
		}
		roots[i] = n
	}
	return yamlout.Marshal(yamlout.Options{Layout: yamlout.KubernetesLayout, SizeHint: sizeHint}, roots...)
}

// converter turns the lowering's tree into YAML nodes. A large workflow has
// hundreds of thousands of them, most of them the same few keys and short
// values, so every short string gets one node that all its uses share (the
// writer only reads nodes).
type converter struct {
	strings map[string]*yaml.Node
}

// maxSharedString is the longest string whose node is shared: longer ones
// (commands, step specs) are rarely repeated and costly to look up.
const maxSharedString = 64

func (c converter) str(s string) *yaml.Node {
	if len(s) > maxSharedString {
		return yamlout.String(s)
	}
	n, ok := c.strings[s]
	if !ok {
		n = yamlout.String(s)
		c.strings[s] = n
	}
	return n
}

func (c converter) node(v any) (*yaml.Node, error) {
	switch v := v.(type) {
	case *mapping:
		n := yamlout.Map()
		n.Content = make([]*yaml.Node, 0, 2*len(v.entries))
		for _, e := range v.entries {
			value, err := c.node(e.value)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, c.str(e.key), value)
		}
		return n, nil
	case sequence:
		n := yamlout.Seq()
		n.Content = make([]*yaml.Node, len(v))
		for i, item := range v {
			var err error
			if n.Content[i], err = c.node(item); err != nil {
				return nil, err
			}
		}
		return n, nil
	case string:
		return c.str(v), nil
	case int:
		return yamlout.Int(int64(v)), nil
	case int32:
		return yamlout.Int(int64(v)), nil
	case int64:
		return yamlout.Int(v), nil
	case bool:
		return yamlout.Bool(v), nil
	}
	// The lowering builds only the types above; anything else is a mistake
	// in it, reported rather than written.
	return nil, fmt.Errorf("argo: cannot write a value of type %T to YAML", v)
}
