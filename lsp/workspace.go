package lsp

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/driver"
	"github.com/wurzel-dev/wurzel/internal/srclimit"
	"github.com/wurzel-dev/wurzel/lang"
)

// document is a file the editor has open; its content wins over the disk.
type document struct {
	uri  protocol.DocumentUri
	text *text
}

// checked is the outcome of the last check of one pipeline directory.
type checked struct {
	dir string
	res *lang.Result
	// texts are the sources the check read, by absolute path, to convert
	// the result's byte ranges to LSP positions.
	texts map[string]*text
}

// workspace holds the open documents and the last check of every pipeline
// directory an open document lives in.
type workspace struct {
	load    lang.Options
	targets []backend.Target
	docs    map[string]*document // by absolute path
	checks  map[string]*checked  // by directory
	// published remembers, per directory, the files last given a non-empty
	// diagnostics list, so that they can be cleared once they are clean.
	published map[string]map[string]bool
	// stale are the directories edited since their last check: the check
	// waits until typing pauses, or until a request needs it.
	stale map[string]bool
	// outbox holds the notifications of checks that a request forced; the
	// server sends them after answering.
	outbox []*protocol.PublishDiagnosticsParams
}

func newWorkspace(load lang.Options, targets []backend.Target) *workspace {
	// Every check re-parses only what changed since the last one.
	load.Cache = lang.NewParseCache()
	return &workspace{
		load:      load,
		targets:   targets,
		docs:      map[string]*document{},
		checks:    map[string]*checked{},
		published: map[string]map[string]bool{},
		stale:     map[string]bool{},
	}
}

func (ws *workspace) open(uri protocol.DocumentUri, path string, src []byte) {
	t := newText(src)
	if d := ws.docs[path]; d != nil {
		t.inherit(d.text)
	}
	ws.docs[path] = &document{uri: uri, text: t}
}

// applyChange applies an incremental change. The server asks for full
// content, but a client may still send ranges.
func (ws *workspace) applyChange(uri protocol.DocumentUri, path string, c protocol.TextDocumentContentChangeEvent) {
	d := ws.docs[path]
	if d == nil {
		return
	}
	start, end := d.text.offset(c.Range.Start), d.text.offset(c.Range.End)
	if end < start {
		start, end = end, start
	}
	src := make([]byte, 0, len(d.text.src)-(end-start)+len(c.Text))
	src = append(src, d.text.src[:start]...)
	src = append(src, c.Text...)
	src = append(src, d.text.src[end:]...)
	ws.open(uri, path, src)
}

func (ws *workspace) close(path string) { delete(ws.docs, path) }

// sources collects the pipeline files of dir: those on disk, replaced or
// completed by the open documents in dir.
func (ws *workspace) sources(dir string) map[string][]byte {
	files := map[string][]byte{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.IsDir() || !lang.IsPipelineFile(e.Name()) {
			continue
		}
		if src, err := srclimit.ReadFile(filepath.Join(dir, e.Name()), srclimit.MaxFileSize); err == nil {
			files[e.Name()] = src
		}
	}
	for path, d := range ws.docs {
		if filepath.Dir(path) == dir && lang.IsPipelineFile(path) {
			files[filepath.Base(path)] = d.text.src
		}
	}
	return files
}

// check re-checks the pipeline in dir exactly as `wurzel validate` does and
// returns the notifications to send: every file with diagnostics, every
// file that had some and is now clean, and every open document.
func (ws *workspace) check(dir string) []*protocol.PublishDiagnosticsParams {
	delete(ws.stale, dir)
	files := ws.sources(dir)
	if len(files) == 0 {
		return ws.clear(dir)
	}
	c := &checked{dir: dir, texts: map[string]*text{}}
	prev := ws.checks[dir]
	for name, src := range files {
		path := filepath.Join(dir, name)
		c.texts[path] = ws.textFor(path, src, prev)
	}
	c.res = driver.CheckSources(dir, files, ws.load, ws.targets...)
	ws.checks[dir] = c
	return ws.publish(c)
}

// textFor is the text of path holding src: the open document's, or the
// last check's when the file did not change.
func (ws *workspace) textFor(path string, src []byte, prev *checked) *text {
	if d := ws.docs[path]; d != nil && bytes.Equal(d.text.src, src) {
		return d.text
	}
	if prev != nil {
		if t := prev.texts[path]; t != nil && bytes.Equal(t.src, src) {
			return t
		}
	}
	return newText(src)
}

// clear empties the diagnostics of a directory that holds no pipeline file
// any more.
func (ws *workspace) clear(dir string) []*protocol.PublishDiagnosticsParams {
	delete(ws.checks, dir)
	var out []*protocol.PublishDiagnosticsParams
	for _, path := range sortedPaths(ws.published[dir]) {
		out = append(out, &protocol.PublishDiagnosticsParams{URI: ws.uriOf(path), Diagnostics: []protocol.Diagnostic{}})
	}
	delete(ws.published, dir)
	return out
}

func (ws *workspace) publish(c *checked) []*protocol.PublishDiagnosticsParams {
	byPath := map[string][]protocol.Diagnostic{}
	for _, d := range c.res.Diagnostics {
		path, rng := ws.locate(c, d)
		byPath[path] = append(byPath[path], toDiagnostic(d, rng))
	}
	send := map[string]bool{}
	for path := range byPath {
		send[path] = true
	}
	for path := range ws.published[c.dir] {
		send[path] = true
	}
	for path := range ws.docs {
		if filepath.Dir(path) == c.dir {
			send[path] = true
		}
	}
	now := map[string]bool{}
	var out []*protocol.PublishDiagnosticsParams
	for _, path := range sortedPaths(send) {
		diags := byPath[path]
		if diags == nil {
			diags = []protocol.Diagnostic{}
		} else {
			now[path] = true
		}
		out = append(out, &protocol.PublishDiagnosticsParams{URI: ws.uriOf(path), Diagnostics: diags})
	}
	ws.published[c.dir] = now
	return out
}

// locate finds the file and LSP range of a diagnostic. One without a source
// range (a problem of the whole pipeline, such as a missing pipeline block)
// is shown at the start of the first open document of the directory, or of
// its first file.
func (ws *workspace) locate(c *checked, d *hcl.Diagnostic) (string, protocol.Range) {
	// "<value for var.x>" ranges are in a --var value, not in a file.
	if d.Subject != nil && !strings.HasPrefix(d.Subject.Filename, "<") {
		path := d.Subject.Filename
		if !filepath.IsAbs(path) {
			path = filepath.Join(c.dir, path)
		}
		if t := c.texts[path]; t != nil {
			return path, t.rangeOf(d.Subject.Start.Byte, d.Subject.End.Byte)
		}
		if d.Subject.Filename != "" {
			return path, protocol.Range{
				Start: protocol.Position{Line: protocol.UInteger(max(d.Subject.Start.Line-1, 0))},
				End:   protocol.Position{Line: protocol.UInteger(max(d.Subject.Start.Line-1, 0))},
			}
		}
	}
	var candidates []string
	for path := range ws.docs {
		if filepath.Dir(path) == c.dir {
			candidates = append(candidates, path)
		}
	}
	if len(candidates) == 0 {
		for path := range c.texts {
			candidates = append(candidates, path)
		}
	}
	sort.Strings(candidates)
	return candidates[0], protocol.Range{}
}

func toDiagnostic(d *hcl.Diagnostic, rng protocol.Range) protocol.Diagnostic {
	sev := protocol.DiagnosticSeverityError
	if d.Severity == hcl.DiagWarning {
		sev = protocol.DiagnosticSeverityWarning
	}
	msg := d.Summary
	if d.Detail != "" {
		msg += ": " + d.Detail
	}
	source := "wurzel"
	return protocol.Diagnostic{Range: rng, Severity: &sev, Source: &source, Message: msg}
}

// uriOf is the URI the client used for an open document, or a file URI.
func (ws *workspace) uriOf(path string) protocol.DocumentUri {
	if d := ws.docs[path]; d != nil {
		return d.uri
	}
	return pathToURI(path)
}

// lastCheck is the check of the directory holding path, brought up to date
// first when the directory was edited since: answers must match the text.
func (ws *workspace) lastCheck(path string) *checked {
	dir := dirOf(path)
	if ws.stale[dir] {
		ws.outbox = append(ws.outbox, ws.check(dir)...)
	}
	return ws.checks[dir]
}

// takeOutbox returns and forgets the notifications waiting to be sent.
func (ws *workspace) takeOutbox() []*protocol.PublishDiagnosticsParams {
	out := ws.outbox
	ws.outbox = nil
	return out
}

// textOf is the current content of path: the open document, or the file as
// the last check read it.
func (ws *workspace) textOf(path string) *text {
	if d := ws.docs[path]; d != nil {
		return d.text
	}
	if c := ws.lastCheck(path); c != nil {
		return c.texts[path]
	}
	return nil
}

func sortedPaths(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for p := range m {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func dirOf(path string) string { return filepath.Dir(path) }

// uriToPath converts a file URI to a clean absolute path.
func uriToPath(uri protocol.DocumentUri) (string, error) {
	u, err := url.Parse(string(uri))
	if err != nil {
		return "", fmt.Errorf("bad document uri %q: %v", uri, err)
	}
	if u.Scheme != "file" {
		return "", fmt.Errorf("unsupported document uri %q: only file URIs are supported", uri)
	}
	path := filepath.FromSlash(u.Path)
	// Windows URIs carry a drive letter after a slash: file:///C:/x.
	if len(path) > 2 && path[0] == filepath.Separator && path[2] == ':' {
		path = path[1:]
	}
	return filepath.Clean(path), nil
}

// pathToURI converts an absolute path to a file URI.
func pathToURI(path string) protocol.DocumentUri {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return protocol.DocumentUri((&url.URL{Scheme: "file", Path: p}).String())
}
