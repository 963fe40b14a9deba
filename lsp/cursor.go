package lsp

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// cursor says where in the native syntax an offset is: in which block, and
// whether at the start of a body line (where an attribute or block may
// begin) or inside an attribute's expression. It is computed from the token
// stream, not the syntax tree, so that it works on the half-written text an
// editor sends while the user types.
type cursor struct {
	// blocks are the types of the enclosing blocks, outermost first.
	blocks []string
	// attr is the attribute whose expression holds the offset; empty at a
	// body position.
	attr string
	// inBody is true where a new attribute or block may start: the line
	// before the offset holds at most a partly typed name.
	inBody bool
	// seen are the attributes and blocks already written in the innermost
	// block, to leave them out of completion.
	seen map[string]bool
	// inString is true inside a quoted string of an expression.
	inString bool
}

// frame is one open block during the scan.
type frame struct {
	typ  string
	seen map[string]bool
}

// cursorAt reads t up to off. Only the top-level item around off is lexed,
// from its start to the end of off's line, so that the answer costs the
// same in a file of any size; the names of the items before it are all
// the rest needs.
func cursorAt(t *text, off int) cursor {
	start := t.itemBefore(off)
	end := off
	for end < len(t.src) && t.src[end] != '\n' {
		end++
	}
	tokens, _ := hclsyntax.LexConfig(t.src[start:end], "", hcl.Pos{Line: 1, Column: 1, Byte: start})
	root := &frame{seen: map[string]bool{}}
	for _, item := range t.items {
		if item >= start {
			break
		}
		if name := leadingName(t.src, item); name != "" {
			root.seen[name] = true
		}
	}
	stack := []*frame{root}
	var line []hclsyntax.Token // tokens of the current body line
	attr := ""
	depth := 0 // brackets open inside the current expression
	var last hclsyntax.Token
	for _, tok := range tokens {
		if tok.Range.Start.Byte >= off || tok.Type == hclsyntax.TokenEOF {
			break
		}
		last = tok
		if depth > 0 {
			depth += nesting(tok.Type)
			continue
		}
		top := stack[len(stack)-1]
		switch tok.Type {
		case hclsyntax.TokenNewline:
			line, attr = nil, ""
			continue
		case hclsyntax.TokenComment:
			// A line comment holds its newline; block comments are
			// skipped like spaces.
			if n := len(tok.Bytes); n > 0 && tok.Bytes[n-1] == '\n' {
				line, attr = nil, ""
			}
			continue
		case hclsyntax.TokenOBrace:
			if attr == "" {
				typ := ""
				if len(line) > 0 && line[0].Type == hclsyntax.TokenIdent {
					typ = string(line[0].Bytes)
					top.seen[typ] = true
				}
				stack = append(stack, &frame{typ: typ, seen: map[string]bool{}})
				line = nil
				continue
			}
			depth++
		case hclsyntax.TokenCBrace:
			if attr == "" && len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
			line, attr = nil, ""
			continue
		case hclsyntax.TokenEqual:
			if attr == "" && len(line) == 1 && line[0].Type == hclsyntax.TokenIdent {
				attr = string(line[0].Bytes)
				top.seen[attr] = true
			}
		case hclsyntax.TokenOBrack, hclsyntax.TokenOParen, hclsyntax.TokenOHeredoc:
			if attr != "" {
				depth++
			}
		}
		line = append(line, tok)
	}
	c := cursor{seen: stack[len(stack)-1].seen, attr: attr}
	for _, f := range stack[1:] {
		c.blocks = append(c.blocks, f.typ)
	}
	if attr == "" {
		// A body position: nothing on the line yet, or the name being typed
		// right up to the offset.
		c.inBody = len(line) == 0 ||
			(len(line) == 1 && line[0].Type == hclsyntax.TokenIdent && line[0].Range.End.Byte >= off)
		if c.inBody && len(line) == 1 {
			delete(c.seen, string(line[0].Bytes))
		}
	}
	c.inString = last.Type == hclsyntax.TokenOQuote ||
		(last.Type == hclsyntax.TokenQuotedLit && last.Range.End.Byte >= off)
	return c
}

// leadingName is the name that starts the line at off, if any.
func leadingName(src []byte, off int) string {
	start := nameStart(src, off)
	end := start
	for end < len(src) && (isWordByte(src[end]) && src[end] != '.') {
		end++
	}
	return string(src[start:end])
}

// nesting is how a token changes the bracket depth inside an expression.
func nesting(t hclsyntax.TokenType) int {
	switch t {
	case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen, hclsyntax.TokenOHeredoc:
		return 1
	case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenCHeredoc:
		return -1
	}
	return 0
}

// wordBefore returns the reference-like text that ends at off (letters,
// digits, "_", "-" and "."), and where it starts.
func wordBefore(src []byte, off int) (string, int) {
	start := off
	for start > 0 && isWordByte(src[start-1]) {
		start--
	}
	return string(src[start:off]), start
}

func isWordByte(c byte) bool {
	return c == '_' || c == '-' || c == '.' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
