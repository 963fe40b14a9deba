package lsp

import (
	"bytes"
	"encoding/json"

	"github.com/wurzel-dev/wurzel/driver"
)

// jsonFrame is one open JSON object or array during jsonKeyAt's scan.
type jsonFrame struct {
	object    bool
	expectKey bool
	key       string // the object's current key
}

// jsonKeyAt finds the object key at off in a JSON document: the keys from
// the root down to it (arrays add none) and its byte range. ok is false
// when off is not on a key or the text before it is not JSON.
func jsonKeyAt(src []byte, off int) (path []string, start, end int, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(src))
	var stack []*jsonFrame
	for {
		before := int(dec.InputOffset())
		if before > off {
			return nil, 0, 0, false
		}
		tok, err := dec.Token()
		if err != nil {
			return nil, 0, 0, false
		}
		after := int(dec.InputOffset())
		var top *jsonFrame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			stack = append(stack, &jsonFrame{object: tok == json.Delim('{'), expectKey: tok == json.Delim('{')})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			if len(stack) > 0 && stack[len(stack)-1].object {
				stack[len(stack)-1].expectKey = true
			}
			continue
		}
		if top == nil || !top.object {
			continue // a value in an array or at the root
		}
		if !top.expectKey {
			top.expectKey = true // a scalar value ends the member
			continue
		}
		key, _ := tok.(string)
		top.key, top.expectKey = key, false
		start = before + bytes.IndexByte(src[before:after], '"')
		if start <= off && off < after {
			for _, f := range stack {
				if f.object {
					path = append(path, f.key)
				}
			}
			return path, start, after, true
		}
	}
}

// jsonSchemaDoc documents the key at the end of path, read with HCL's JSON
// mapping: block types, then one key per label, then the body's attributes
// and nested blocks. Keys inside attribute values (map keys, locals) and
// comments ("//") have no documentation.
func jsonSchemaDoc(path []string) string {
	b := driver.Schema()
	for i := 0; i < len(path); i++ {
		key := path[i]
		if a := b.Attribute(key); a != nil {
			if i == len(path)-1 {
				return attributeDoc(a)
			}
			return ""
		}
		c := b.Block(key)
		if c == nil {
			return ""
		}
		// The block's type key and its label keys all show the block.
		if i+len(c.Labels) >= len(path)-1 {
			return blockDoc(c)
		}
		i += len(c.Labels)
		b = c
	}
	return ""
}
