package lsp

import (
	"bytes"
	"sort"
	"unicode/utf16"
	"unicode/utf8"

	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/wurzel-dev/wurzel/internal/srclimit"
)

// text is a document's content with its line starts, to convert between
// LSP positions (line, UTF-16 code unit) and byte offsets.
type text struct {
	src   []byte
	lines []int // byte offset of the start of each line
	// items are the offsets where top-level items start (srclimit.Items),
	// in order: every one before scanned is known. Completion reads only
	// the item around its position, from the last start before it.
	items   []int
	scanned int
}

func newText(src []byte) *text {
	t := &text{src: src, lines: make([]int, 1, bytes.Count(src, []byte{'\n'})+1)}
	for i := 0; ; {
		n := bytes.IndexByte(src[i:], '\n')
		if n < 0 {
			return t
		}
		i += n + 1
		t.lines = append(t.lines, i)
	}
}

// itemBefore returns the start of the top-level item that holds off (or of
// an earlier one), scanning only the text from the last item known.
func (t *text) itemBefore(off int) int {
	if len(t.items) == 0 {
		t.items = []int{0}
	}
	if off > t.scanned {
		last := t.items[len(t.items)-1]
		for _, rel := range srclimit.Items(t.src[last:off])[1:] {
			t.items = append(t.items, last+rel)
		}
		t.scanned = off
	}
	return t.items[sort.SearchInts(t.items, off+1)-1]
}

// inherit takes over what old knew of the items that the edit from old to
// t left in place: those whose start, and the name that starts them, come
// before the first changed byte.
func (t *text) inherit(old *text) {
	same := commonPrefix(old.src, t.src)
	for _, start := range old.items {
		if start >= old.scanned || nameStart(old.src, start) >= same {
			break
		}
		t.items = append(t.items, start)
	}
	if n := len(t.items); n > 0 {
		t.scanned = t.items[n-1]
	}
}

// nameStart is the offset of the first byte after the blanks of the line
// at start.
func nameStart(src []byte, start int) int {
	for start < len(src) && (src[start] == ' ' || src[start] == '\t') {
		start++
	}
	return start
}

// commonPrefix is the length of the longest common prefix of a and b,
// compared a block at a time.
func commonPrefix(a, b []byte) int {
	n := min(len(a), len(b))
	const block = 4096
	i := 0
	for i+block <= n && bytes.Equal(a[i:i+block], b[i:i+block]) {
		i += block
	}
	for i < n && a[i] == b[i] {
		i++
	}
	return i
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
