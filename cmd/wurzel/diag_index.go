package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcled"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// fileIndex is what snippets need to know about one file, computed once so
// that printing n diagnostics costs time in proportion to n and the size of
// their snippets, not n times the size of the file.
type fileIndex struct {
	// lineStarts are the byte offsets at which the lines start.
	lineStarts []int
	// context finds the name of the block around an offset.
	context func(offset int) string
}

func newFileIndex(src []byte, f *hcl.File, isJSON bool) *fileIndex {
	ix := &fileIndex{lineStarts: []int{0}}
	for i, c := range src {
		if c == '\n' && i+1 < len(src) {
			ix.lineStarts = append(ix.lineStarts, i+1)
		}
	}
	ix.context = func(int) string { return "" }
	if f == nil {
		return ix
	}
	if body, ok := f.Body.(*hclsyntax.Body); ok {
		ix.context = blockContext(body.Blocks)
	} else if isJSON && json.Valid(src) {
		ix.context = jsonContext(src)
	} else {
		// A broken JSON file: HCL recovers what it can and stops at the
		// first error, so there are few diagnostics to place.
		ix.context = func(offset int) string { return hcled.ContextString(f, offset) }
	}
	return ix
}

// line returns the bytes [start, end) of line i (0-based), without its line
// ending, as bufio.ScanLines splits them.
func (ix *fileIndex) line(src []byte, i int) (start, end int) {
	start = ix.lineStarts[i]
	end = len(src)
	if i+1 < len(ix.lineStarts) {
		end = ix.lineStarts[i+1] - 1
	} else if end > start && src[end-1] == '\n' {
		end--
	}
	if end > start && src[end-1] == '\r' {
		end--
	}
	return start, end
}

// lineOf returns the index of the line holding offset.
func (ix *fileIndex) lineOf(offset int) int {
	return max(0, sort.SearchInts(ix.lineStarts, offset+1)-1)
}

// blockContext names the top-level block around an offset the way
// hcled.ContextString does (`step "embed"`), by binary search.
func blockContext(blocks hclsyntax.Blocks) func(int) string {
	return func(offset int) string {
		i := sort.Search(len(blocks), func(i int) bool { return blocks[i].Range().Start.Byte > offset }) - 1
		if i < 0 || !blocks[i].Range().ContainsOffset(offset) {
			return ""
		}
		b := blocks[i]
		var buf strings.Builder
		buf.WriteString(b.Type)
		for _, l := range b.Labels {
			fmt.Fprintf(&buf, " %q", l)
		}
		return buf.String()
	}
}

// jsonContainer is an object or array of a JSON file: its byte range, the
// innermost container around it, and its path (`step.embed`) as
// hcled.ContextString would give it.
type jsonContainer struct {
	start, end int
	parent     int
	path       string
}

// jsonContext names the innermost object or array around an offset of a
// JSON file, from one pass over its tokens.
func jsonContext(src []byte) func(int) string {
	var all []jsonContainer
	type open struct {
		index   int
		isArray bool
		count   int
		key     string
		wantKey bool
	}
	var stack []open
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		end := int(dec.InputOffset())
		step := ""
		if n := len(stack); n > 0 {
			top := &stack[n-1]
			if !top.isArray && top.wantKey {
				if k, ok := tok.(string); ok {
					top.key, top.wantKey = k, false
					continue
				}
			}
			if top.isArray {
				step = fmt.Sprintf("[%d]", top.count)
			} else {
				step = "." + top.key
			}
			if d, ok := tok.(json.Delim); !ok || d == '[' || d == '{' {
				top.count++
				top.wantKey = true
			}
		}
		d, ok := tok.(json.Delim)
		if !ok {
			continue
		}
		switch d {
		case '{', '[':
			parent := -1
			path := ""
			if n := len(stack); n > 0 {
				parent = stack[n-1].index
				path = all[parent].path + step
			}
			all = append(all, jsonContainer{start: end - 1, end: len(src), parent: parent, path: path})
			stack = append(stack, open{index: len(all) - 1, isArray: d == '[', wantKey: true})
		case '}', ']':
			if n := len(stack); n > 0 {
				all[stack[n-1].index].end = end
				stack = stack[:n-1]
			}
		}
	}
	return func(offset int) string {
		i := sort.Search(len(all), func(i int) bool { return all[i].start > offset }) - 1
		for i >= 0 && !(offset >= all[i].start && offset < all[i].end) {
			i = all[i].parent
		}
		if i < 0 {
			return ""
		}
		return strings.TrimPrefix(all[i].path, ".")
	}
}
