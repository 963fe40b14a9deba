package lsp

import (
	"sort"
	"unicode/utf16"
	"unicode/utf8"

	protocol "github.com/tliron/glsp/protocol_3_16"
)

// text is a document's content with its line starts, to convert between
// LSP positions (line, UTF-16 code unit) and byte offsets.
type text struct {
	src   []byte
	lines []int // byte offset of the start of each line
}

func newText(src []byte) *text {
	t := &text{src: src, lines: []int{0}}
	for i, c := range src {
		if c == '\n' {
			t.lines = append(t.lines, i+1)
		}
	}
	return t
}

// offset converts an LSP position to a byte offset, clamping positions past
// the end of a line or of the document as LSP asks.
func (t *text) offset(p protocol.Position) int {
	line := int(p.Line)
	if line >= len(t.lines) {
		return len(t.src)
	}
	start := t.lines[line]
	end := t.lineEnd(line)
	units := int(p.Character)
	off := start
	for off < end && units > 0 {
		r, size := utf8.DecodeRune(t.src[off:end])
		n := utf16.RuneLen(r)
		if n < 0 { // invalid UTF-8 counts as one unit per byte
			n = 1
		}
		if n > units {
			break
		}
		units -= n
		off += size
	}
	return off
}

// lineEnd is the offset of line's newline (or the end of the document),
// leaving out a carriage return before it.
func (t *text) lineEnd(line int) int {
	end := len(t.src)
	if line+1 < len(t.lines) {
		end = t.lines[line+1] - 1
	}
	if end > t.lines[line] && t.src[end-1] == '\r' {
		end--
	}
	return end
}

// position converts a byte offset to an LSP position.
func (t *text) position(off int) protocol.Position {
	if off < 0 {
		off = 0
	}
	if off > len(t.src) {
		off = len(t.src)
	}
	line := sort.Search(len(t.lines), func(i int) bool { return t.lines[i] > off }) - 1
	units := 0
	for i := t.lines[line]; i < off; {
		r, size := utf8.DecodeRune(t.src[i:off])
		if n := utf16.RuneLen(r); n > 0 {
			units += n
		} else {
			units++
		}
		i += size
	}
	return protocol.Position{Line: protocol.UInteger(line), Character: protocol.UInteger(units)}
}

// rangeOf converts a byte range to an LSP range.
func (t *text) rangeOf(start, end int) protocol.Range {
	if end < start {
		end = start
	}
	return protocol.Range{Start: t.position(start), End: t.position(end)}
}

// end is the position just past the document's last character.
func (t *text) end() protocol.Position { return t.position(len(t.src)) }
