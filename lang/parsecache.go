package lang

import (
	"bytes"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"

	"github.com/wurzel-dev/wurzel/internal/srclimit"
	"github.com/wurzel-dev/wurzel/internal/utf8src"
)

// ParseCache keeps the parse of every file between loads, for a caller that
// loads the same pipeline again and again as it changes a little: the
// language server, on every pause in typing. Loading a file whose text did
// not change reuses its parse. A changed file in native syntax is parsed
// item by item (each top-level block or attribute on its own), and the
// items before the first change are reused: they are the same text at the
// same place; the items after it that are the same text at another place
// (an edit added or removed lines or characters above them) get their old
// parse moved to the new place, which costs a fraction of parsing them.
// Loads through a cache give exactly the diagnostics and results of loads
// without one.
//
// A cache holds the last version of each file it parsed, and only that:
// its memory does not grow with the number of loads. Files of a directory
// that a load no longer reads are dropped.
//
// A ParseCache is safe for concurrent use; its zero value is not usable,
// make one with NewParseCache.
type ParseCache struct {
	mu    sync.Mutex
	files map[string]*parsedFile // by file name as in ranges
}

// NewParseCache returns an empty cache.
func NewParseCache() *ParseCache {
	return &ParseCache{files: map[string]*parsedFile{}}
}

// parsedFile is the outcome of parsing one version of a file.
type parsedFile struct {
	src   []byte
	file  *hcl.File
	diags hcl.Diagnostics
	// unreadable is set for a file that was not parsed (not UTF-8, or
	// beyond srclimit's bounds).
	unreadable bool
	// items are the file's top-level items as parsed one by one; nil when
	// the file was parsed whole.
	items []*parsedItem
}

// parsedItem is the parse of the text of one top-level item (with the
// comments and blank lines that follow it), at its place in the file.
type parsedItem struct {
	start hcl.Pos // at the start of a line
	src   []byte
	body  *hclsyntax.Body
	diags hcl.Diagnostics
	// relocated is set when body is the parse of the same text at another
	// place, moved here (see relocate).
	relocated bool
}

// parse returns the parse of src as filename, from the cache when it holds
// this text.
func (c *ParseCache) parse(filename string, src []byte) *parsedFile {
	c.mu.Lock()
	prev := c.files[filename]
	c.mu.Unlock()
	if prev != nil && bytes.Equal(prev.src, src) {
		return prev
	}
	p := parseSource(filename, src, prev)
	c.mu.Lock()
	c.files[filename] = p
	c.mu.Unlock()
	return p
}

// keepOnly drops the files of dir that are not in loaded.
func (c *ParseCache) keepOnly(dir string, loaded []string) {
	keep := make(map[string]bool, len(loaded))
	for _, f := range loaded {
		keep[f] = true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for name := range c.files {
		if filepath.Dir(name) == filepath.Clean(dir) && !keep[name] {
			delete(c.files, name)
		}
	}
}

// parseSource parses one file as the loader does without a cache; prev, the
// file's previous version, lends the items that did not change.
func parseSource(filename string, src []byte, prev *parsedFile) *parsedFile {
	if d := utf8src.Check(filename, src); d != nil {
		return &parsedFile{src: src, file: &hcl.File{Bytes: src}, diags: hcl.Diagnostics{d}, unreadable: true}
	}
	json := strings.HasSuffix(filename, ".json")
	var errs, warnings hcl.Diagnostics
	var starts []int
	if json {
		errs, warnings = srclimit.CheckAll(filename, src, true)
	} else {
		// Checked before parsing: the parser would die of the nesting it
		// refuses, and Go cannot recover from a stack overflow.
		errs, warnings, starts = srclimit.CheckItems(filename, src)
	}
	if errs.HasErrors() {
		return &parsedFile{src: src, file: &hcl.File{Bytes: src}, diags: errs, unreadable: true}
	}
	if json || len(starts) < 2 {
		return parseWhole(filename, src, json, warnings)
	}
	items := parseItems(filename, src, starts, prev)
	body, ok := joinItems(items)
	if !ok {
		return parseWhole(filename, src, false, warnings)
	}
	return &parsedFile{src: src, file: &hcl.File{Body: body, Bytes: src}, diags: warnings, items: items}
}

// parseWhole parses the file in one piece.
func parseWhole(filename string, src []byte, json bool, warnings hcl.Diagnostics) *parsedFile {
	var f *hcl.File
	var diags hcl.Diagnostics
	if json {
		f, diags = hcljson.Parse(src, filename)
	} else {
		f, diags = hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	}
	return &parsedFile{src: src, file: f, diags: append(diags, warnings...)}
}

// parseItems parses the text between each two starts on its own, at its
// place in the file, reusing prev's parse of an item with the same text at
// the same place and relocating it for the same text at another place. The items to parse are shared among the processors: a
// change near the top of a large file leaves most of it to parse again.
func parseItems(filename string, src []byte, starts []int, prev *parsedFile) []*parsedItem {
	old := map[int]*parsedItem{}
	// moved finds an item of prev by its text, for one that is the same
	// text at another place (after an edit above it): its parse is
	// relocated rather than made again. Items with diagnostics, whose
	// messages depend on more than the item, are parsed again.
	moved := map[string]*parsedItem{}
	if prev != nil {
		for _, it := range prev.items {
			old[it.start.Byte] = it
			if len(it.diags) == 0 {
				moved[string(it.src)] = it
			}
		}
	}
	items := make([]*parsedItem, len(starts))
	var todo []int
	line := 1
	for i, start := range starts {
		if i > 0 {
			line += bytes.Count(src[starts[i-1]:start], []byte{'\n'})
		}
		end := len(src)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		pos := hcl.Pos{Line: line, Column: 1, Byte: start}
		if o := old[start]; o != nil && o.start == pos && bytes.Equal(o.src, src[start:end]) {
			// The same parse, over the new text: the old one may go.
			items[i] = &parsedItem{start: pos, src: src[start:end], body: o.body, diags: o.diags}
			continue
		}
		if o := moved[string(src[start:end])]; o != nil {
			body := relocate(o.body, pos.Line-o.start.Line, pos.Byte-o.start.Byte)
			items[i] = &parsedItem{start: pos, src: src[start:end], body: body, relocated: true}
			continue
		}
		items[i] = &parsedItem{start: pos, src: src[start:end]}
		todo = append(todo, i)
	}
	parseAll(filename, items, todo)
	return items
}

// parseAll parses the items listed in todo, on as many goroutines as there
// are processors.
func parseAll(filename string, items []*parsedItem, todo []int) {
	workers := min(runtime.GOMAXPROCS(0), len(todo)/8+1)
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				it := items[i]
				f, diags := hclsyntax.ParseConfig(it.src, filename, it.start)
				it.body, it.diags = f.Body.(*hclsyntax.Body), diags
			}
		}()
	}
	for _, i := range todo {
		next <- i
	}
	close(next)
	wg.Wait()
}

// joinItems puts the items' bodies together into the body a parse of the
// whole file gives. It fails when an item has a syntax error or the items
// set one attribute twice: the parser's recovery and messages then depend
// on the whole file, which is parsed instead.
func joinItems(items []*parsedItem) (*hclsyntax.Body, bool) {
	body := &hclsyntax.Body{Attributes: hclsyntax.Attributes{}, Blocks: hclsyntax.Blocks{}}
	for _, it := range items {
		if len(it.diags) > 0 {
			return nil, false
		}
		for name, a := range it.body.Attributes {
			if _, twice := body.Attributes[name]; twice {
				return nil, false
			}
			body.Attributes[name] = a
		}
		body.Blocks = append(body.Blocks, it.body.Blocks...)
	}
	first, last := items[0].body, items[len(items)-1].body
	body.SrcRange = hcl.RangeBetween(first.SrcRange, last.SrcRange)
	body.EndRange = last.EndRange
	return body, true
}
