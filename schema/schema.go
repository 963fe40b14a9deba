package schema

import (
	"encoding/json"
	"strconv"
)

// Block describes one block type of the language: its labels, its
// attributes and the blocks nested in it.
type Block struct {
	// Type is the block type keyword ("step"); empty for the file's root body.
	Type string
	// Labels names the block's labels in order ("name"); empty when it takes
	// none.
	Labels []string
	// Description is one line of text for humans.
	Description string
	// Required means the block must appear (for top-level blocks: in the
	// pipeline's files taken together).
	Required bool
	// Repeatable means the block may appear more than once in its parent
	// (with distinct labels, when it has labels).
	Repeatable bool
	// Attributes are the block's arguments, in documentation order.
	Attributes []*Attribute
	// Blocks are the nested block types, in documentation order.
	Blocks []*Block
	// ExactlyOneOf lists attributes of which exactly one must be set.
	ExactlyOneOf []string
	// AnyAttributes means the body is a set of arbitrary `name = value`
	// attributes (the `locals` block); Attributes is then empty.
	AnyAttributes bool
	// Owner names the back end that added the block to the language (see
	// Extension); empty for the language's own blocks.
	Owner string
}

// Attribute describes one attribute (argument) of a block.
type Attribute struct {
	Name string
	// Type is the HCL type the value must convert to: "string", "number",
	// "bool", "list(string)", "map(string)", "map(any)", "any", or one of the
	// two reference forms "reference" (a static reference such as
	// step.a.output.b; a string holding it in JSON syntax) and
	// "list(reference)". For variable "type", the value is a type expression
	// ("type").
	Type string
	// Format narrows a string or number further; see the Format constants.
	Format Format
	// Max bounds an "integer" attribute: values from 0 to Max are accepted
	// (zero Max: up to the largest int64).
	Max int64
	// Required means the attribute must be set.
	Required bool
	// Description is one line of text for humans.
	Description string
	// Allowed lists the only values accepted, when the set is closed.
	Allowed []string
	// Default is the value used when the attribute is not set, as text;
	// empty when there is none. For blocks of back ends it is the literal
	// value ("false", "Equal", "data"), which the front end applies.
	Default string
	// ReferenceKinds lists, for reference attributes, the kinds of object the
	// references may name: "step", "step output", "secret", "volume".
	ReferenceKinds []string
	// OnlyFor, when set, lists the values of the block's `type` attribute for
	// which this attribute applies (volume attributes); elsewhere it is an
	// error. RequiredFor lists the types for which it must be set.
	OnlyFor     []string
	RequiredFor []string
}

// Attribute returns the attribute called name, or nil.
func (b *Block) Attribute(name string) *Attribute {
	for _, a := range b.Attributes {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// Block returns the nested block type typ, or nil.
func (b *Block) Block(typ string) *Block {
	for _, c := range b.Blocks {
		if c.Type == typ {
			return c
		}
	}
	return nil
}

// Lookup returns the block at path below b, for example
// root.Lookup("pipeline", "argo", "cron"); nil when there is none.
func (b *Block) Lookup(path ...string) *Block {
	for _, p := range path {
		if b = b.Block(p); b == nil {
			return nil
		}
	}
	return b
}

// Walk calls fn for every block below root (depth first, in table order)
// with its path of block types.
func Walk(root *Block, fn func(path []string, b *Block)) {
	var walk func(path []string, b *Block)
	walk = func(path []string, b *Block) {
		for _, c := range b.Blocks {
			p := append(append([]string(nil), path...), c.Type)
			fn(p, c)
			walk(p, c)
		}
	}
	walk(nil, root)
}

// Extension is a block a back end adds to the language, nested in one of
// the language's own blocks.
type Extension struct {
	// Parent is the type of the language block that holds it: "pipeline"
	// or "step".
	Parent string
	// Block is the extension's schema; it takes no labels and may appear at
	// most once in its parent.
	Block *Block
}

// Extend returns a copy of root in which each extension's block is nested
// in its parent, owned by owner. root itself is not changed.
func Extend(root *Block, owner string, exts []Extension) *Block {
	out := *root
	out.Blocks = append([]*Block(nil), root.Blocks...)
	for _, e := range exts {
		for i, b := range out.Blocks {
			if b.Type != e.Parent {
				continue
			}
			parent := *b
			parent.Blocks = append(append([]*Block(nil), b.Blocks...), owned(e.Block, owner))
			out.Blocks[i] = &parent
		}
	}
	return &out
}

// owned marks b and every block below it as the back end's.
func owned(b *Block, owner string) *Block {
	c := *b
	c.Owner = owner
	c.Blocks = make([]*Block, len(b.Blocks))
	for i, n := range b.Blocks {
		c.Blocks[i] = owned(n, owner)
	}
	return &c
}

// DefaultValue reads the attribute's Default as its type: a string, bool,
// int64 (format "integer"), float64, []string or map[string]string. It is
// false when there is no default or it does not read as the type.
func (a *Attribute) DefaultValue() (any, bool) {
	if a.Default == "" {
		return nil, false
	}
	switch a.Type {
	case "string":
		return a.Default, true
	case "bool":
		b, err := strconv.ParseBool(a.Default)
		return b, err == nil
	case "number":
		if a.Format == FormatInteger {
			n, err := strconv.ParseInt(a.Default, 10, 64)
			return n, err == nil
		}
		f, err := strconv.ParseFloat(a.Default, 64)
		return f, err == nil
	case "list(string)":
		var l []string
		return l, json.Unmarshal([]byte(a.Default), &l) == nil
	case "map(string)":
		var m map[string]string
		return m, json.Unmarshal([]byte(a.Default), &m) == nil
	}
	return nil, false
}
