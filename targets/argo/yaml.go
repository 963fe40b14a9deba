package argo

import (
	"fmt"
	"sync"

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
// every boolean and every short string (sharedStrings).

// mapping is a YAML mapping under construction.
type mapping struct {
	node yaml.Node
	// err is the first value set in the mapping, or in one below it, that
	// the lowering cannot write; emitDocuments reports it.
	err error
}

// sequence is a YAML sequence under construction: mappings, strings and
// numbers, turned into a node when it is set.
type sequence []any

// The scalar values a mapping or sequence may hold are string, int, int32,
// int64 and bool.

// set appends key with value. Nil values (nil maps, nil sequences, nil
// *mapping) are skipped, so optional fields can be set unconditionally.
func (m *mapping) set(key string, value any) *mapping {
	n, err := valueNode(value)
	switch {
	case err != nil:
		m.fail(err)
	case n != nil:
		m.node.Content = append(m.node.Content, keyNode(key), n)
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
	if m == nil || len(m.node.Content) == 0 && m.err == nil {
		return nil
	}
	return m
}

func (m *mapping) fail(err error) {
	if m.err == nil {
		m.err = err
	}
}

// yamlNode is the mapping's node, and the first value that could not be set
// in it.
func (m *mapping) yamlNode() (*yaml.Node, error) {
	m.node.Kind = yaml.MappingNode
	return &m.node, m.err
}

// yamlNode is the sequence's node.
func (s sequence) yamlNode() (*yaml.Node, error) {
	n := &yaml.Node{Kind: yaml.SequenceNode, Content: make([]*yaml.Node, len(s))}
	for i, item := range s {
		in, err := valueNode(item)
		if err != nil {
			return nil, err
		}
		if in == nil {
			return nil, fmt.Errorf("argo: a sequence holds an empty value")
		}
		n.Content[i] = in
	}
	return n, nil
}

// valueNode is the node of a value set in a mapping; nil for the nil values
// set skips.
func valueNode(v any) (*yaml.Node, error) {
	switch v := v.(type) {
	case *mapping:
		if v == nil {
			return nil, nil
		}
		return v.yamlNode()
	case sequence:
		if v == nil {
			return nil, nil
		}
		return v.yamlNode()
	case *yaml.Node:
		// Built before: a part every step template shares.
		return v, nil
	case string:
		return stringNode(v), nil
	case int:
		return yamlout.Int(int64(v)), nil
	case int32:
		return yamlout.Int(int64(v)), nil
	case int64:
		return yamlout.Int(v), nil
	case bool:
		if v {
			return trueNode, nil
		}
		return falseNode, nil
	case nil:
		return nil, nil
	}
	// The lowering builds only the types above; anything else is a mistake
	// in it, reported rather than written.
	return nil, fmt.Errorf("argo: cannot write a value of type %T to YAML", v)
}

// trueNode and falseNode are shared by every document; nothing changes a
// node once it is built.
var trueNode, falseNode = yamlout.Bool(true), yamlout.Bool(false)

// keyNode is the node of a mapping key.
func keyNode(key string) *yaml.Node { return sharedStrings.node(key) }

// stringNode is the node of a string value.
func stringNode(s string) *yaml.Node { return sharedStrings.node(s) }

// sharedStrings holds one node per short string for every document the
// target writes: a workflow repeats the same keys, volume names, paths and
// images in every step template, and a node costs more than the string it
// holds.
var sharedStrings = stringNodes{nodes: map[string]*yaml.Node{}}

const (
	// maxSharedString is the longest string whose node is shared: longer
	// ones (commands, step specs) are rarely repeated.
	maxSharedString = 64
	// maxSharedStrings bounds the memory the shared nodes keep (about
	// 2 MiB); when it is reached, sharing starts over.
	maxSharedStrings = 8192
)

// stringNodes shares the nodes of short strings, safely for concurrent
// generation.
type stringNodes struct {
	mu    sync.RWMutex
	nodes map[string]*yaml.Node
}

func (c *stringNodes) node(s string) *yaml.Node {
	if len(s) > maxSharedString {
		return yamlout.String(s)
	}
	c.mu.RLock()
	n := c.nodes[s]
	c.mu.RUnlock()
	if n != nil {
		return n
	}
	n = yamlout.String(s)
	c.mu.Lock()
	if len(c.nodes) >= maxSharedStrings {
		clear(c.nodes)
	}
	c.nodes[s] = n
	c.mu.Unlock()
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
