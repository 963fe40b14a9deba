package lsp

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/wurzel-dev/wurzel/driver"
	"github.com/wurzel-dev/wurzel/internal/srclimit"
	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/lang"
)

// at is what a request at one position needs: the document's text, the
// offset, and the last check of its directory.
type at struct {
	path  string
	text  *text
	off   int
	check *checked
}

// locate resolves a text document position; ok is false when the document
// is unknown.
func (s *Server) locate(uri protocol.DocumentUri, pos protocol.Position) (at, bool) {
	path, err := uriToPath(uri)
	if err != nil {
		return at{}, false
	}
	t := s.ws.textOf(path)
	if t == nil {
		return at{}, false
	}
	return at{path: path, text: t, off: t.offset(pos), check: s.ws.lastCheck(path)}, true
}

// refAt is the reference written at the position, or nil.
func (a at) refAt() *lang.Ref {
	if a.check == nil {
		return nil
	}
	for _, r := range a.check.res.Refs {
		if sameFile(r.Range.Filename, a.path, a.check.dir) && r.Range.Start.Byte <= a.off && a.off < r.Range.End.Byte {
			return r
		}
	}
	return nil
}

// declAt is the declaration whose name is at the position, or nil.
func (a at) declAt() *lang.Decl {
	if a.check == nil {
		return nil
	}
	for _, d := range a.check.res.Decls {
		if sameFile(d.NameRange.Filename, a.path, a.check.dir) && contains(d.NameRange, a.off) {
			return d
		}
	}
	return nil
}

func sameFile(filename, path, dir string) bool {
	if !filepath.IsAbs(filename) {
		filename = filepath.Join(dir, filename)
	}
	return filepath.Clean(filename) == path
}

func (s *Server) definition(_ *glsp.Context, p *protocol.DefinitionParams) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.locate(p.TextDocument.URI, p.Position)
	if !ok {
		return nil, nil
	}
	ref := a.refAt()
	if ref == nil || ref.Decl == nil {
		return nil, nil
	}
	loc, ok := s.location(a.check, ref.Decl.NameRange)
	if !ok {
		return nil, nil
	}
	return []protocol.Location{loc}, nil
}

// location converts an HCL range of a checked directory to an LSP location.
func (s *Server) location(c *checked, r hcl.Range) (protocol.Location, bool) {
	path := r.Filename
	if !filepath.IsAbs(path) {
		path = filepath.Join(c.dir, path)
	}
	t := c.texts[path]
	if t == nil {
		return protocol.Location{}, false
	}
	return protocol.Location{URI: s.ws.uriOf(path), Range: t.rangeOf(r.Start.Byte, r.End.Byte)}, true
}

func (s *Server) hover(_ *glsp.Context, p *protocol.HoverParams) (*protocol.Hover, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.locate(p.TextDocument.URI, p.Position)
	if !ok {
		return nil, nil
	}
	if ref := a.refAt(); ref != nil {
		rng := a.text.rangeOf(ref.Range.Start.Byte, ref.Range.End.Byte)
		return markdown(referenceDoc(a.check, ref), &rng), nil
	}
	if d := a.declAt(); d != nil {
		rng := a.text.rangeOf(d.NameRange.Start.Byte, d.NameRange.End.Byte)
		return markdown(referenceDoc(a.check, &lang.Ref{Kind: d.Kind, Name: d.Name, Step: d.Step, Decl: d}), &rng), nil
	}
	if isJSONFile(a.path) {
		path, start, end, ok := jsonKeyAt(a.text.src, a.off)
		if !ok {
			return nil, nil
		}
		doc := jsonSchemaDoc(path)
		if doc == "" {
			return nil, nil
		}
		rng := a.text.rangeOf(start, end)
		return markdown(doc, &rng), nil
	}
	doc, r := schemaDocAt(a.text.src, a.off)
	if doc == "" {
		return nil, nil
	}
	rng := a.text.rangeOf(r.Start.Byte, r.End.Byte)
	return markdown(doc, &rng), nil
}

func markdown(s string, rng *protocol.Range) *protocol.Hover {
	return &protocol.Hover{Contents: protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: s}, Range: rng}
}

// schemaDocAt documents the block type, block label or attribute name at
// off, walking the syntax tree (hclsyntax recovers the blocks around a
// syntax error) alongside the schema table.
func schemaDocAt(src []byte, off int) (string, hcl.Range) {
	if srclimit.Check("", src, false).HasErrors() {
		return "", hcl.Range{} // too deep to parse safely; diagnostics say so
	}
	file, _ := hclsyntax.ParseConfig(src, "", hcl.InitialPos)
	if file == nil {
		return "", hcl.Range{}
	}
	body, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		return "", hcl.Range{}
	}
	schema := driver.Schema()
	for {
		for _, attr := range body.Attributes {
			if contains(attr.NameRange, off) {
				if a := schema.Attribute(attr.Name); a != nil {
					return attributeDoc(a), attr.NameRange
				}
				return "", hcl.Range{}
			}
		}
		var inner *hclsyntax.Block
		for _, blk := range body.Blocks {
			if contains(blk.Range(), off) {
				inner = blk
				break
			}
		}
		if inner == nil {
			return "", hcl.Range{}
		}
		bs := schema.Block(inner.Type)
		if bs == nil {
			return "", hcl.Range{}
		}
		if contains(inner.TypeRange, off) {
			return blockDoc(bs), inner.TypeRange
		}
		for _, lr := range inner.LabelRanges {
			if contains(lr, off) {
				return blockDoc(bs), lr
			}
		}
		body, schema = inner.Body, bs
	}
}

func contains(r hcl.Range, off int) bool { return r.Start.Byte <= off && off < r.End.Byte }

// referenceDoc says what a reference points to: the declaration's kind,
// name and place, what the IR knows about it, and its source.
func referenceDoc(c *checked, ref *lang.Ref) string {
	var b strings.Builder
	name := ref.Name
	if ref.Kind == lang.DeclOutput || ref.Kind == lang.DeclInput {
		name = ref.Step + "." + ref.Name
	}
	d := ref.Decl
	if d == nil {
		fmt.Fprintf(&b, "**%s** `%s`: not declared", ref.Kind, name)
		return b.String()
	}
	fmt.Fprintf(&b, "**%s** `%s`, declared at %s:%d", ref.Kind, name, filepath.Base(d.DefRange.Filename), d.DefRange.Start.Line)
	if facts := irFacts(c.res.Pipeline, ref); facts != "" {
		b.WriteString("\n\n" + facts)
	}
	if src := declSource(c, d); src != "" {
		lang := "hcl"
		if isJSONFile(d.Range.Filename) {
			lang = "json"
		}
		fmt.Fprintf(&b, "\n\n```%s\n%s\n```", lang, src)
	}
	return b.String()
}

// maxSourceLines bounds the source shown on hover.
const maxSourceLines = 12

// declSource is the declaration's text, cut after maxSourceLines.
func declSource(c *checked, d *lang.Decl) string {
	path := d.Range.Filename
	if !filepath.IsAbs(path) {
		path = filepath.Join(c.dir, path)
	}
	t := c.texts[path]
	if t == nil || d.Range.End.Byte > len(t.src) || d.Range.Start.Byte > d.Range.End.Byte {
		return ""
	}
	lines := strings.Split(string(t.src[d.Range.Start.Byte:d.Range.End.Byte]), "\n")
	if len(lines) > maxSourceLines {
		lines = append(lines[:maxSourceLines], "...")
	}
	return strings.Join(lines, "\n")
}

// irFacts are the evaluated facts about a reference's target, when the
// pipeline was valid enough to build the IR. Sensitive values stay hidden.
func irFacts(p *ir.Pipeline, ref *lang.Ref) string {
	if p == nil {
		return ""
	}
	switch ref.Kind {
	case lang.DeclVariable:
		for _, v := range p.Variables {
			if v.Name == ref.Name {
				if v.Sensitive {
					return fmt.Sprintf("Type `%s`, sensitive: value hidden.", v.Type)
				}
				return fmt.Sprintf("Type `%s`, value `%s`.", v.Type, compactJSON(v.Value))
			}
		}
	case lang.DeclStep:
		if s := p.Step(ref.Name); s != nil {
			return fmt.Sprintf("Image `%s`; %d input(s), %d output(s).", s.Image, len(s.Inputs), len(s.Outputs))
		}
	case lang.DeclOutput:
		if s := p.Step(ref.Step); s != nil {
			if o := s.Output(ref.Name); o != nil {
				return fmt.Sprintf("Path `%s`, type `%s`.", o.Path, o.Type)
			}
		}
	case lang.DeclInput:
		if s := p.Step(ref.Step); s != nil {
			if in := s.Input(ref.Name); in != nil {
				from := in.Source
				if in.From != nil {
					from = "step." + in.From.Step + ".output." + in.From.Output
				}
				return fmt.Sprintf("Path `%s`, from `%s`.", in.Path, from)
			}
		}
	case lang.DeclSecret:
		if s := p.Secret(ref.Name); s != nil {
			return fmt.Sprintf("Keys `%s`, mounted at `%s`.", strings.Join(s.Keys, "`, `"), s.MountPath)
		}
	case lang.DeclVolume:
		if v := p.Volume(ref.Name); v != nil {
			return fmt.Sprintf("Type `%s`, mounted at `%s`.", v.Type, v.MountPath)
		}
	}
	return ""
}

// references lists every reference to the declaration at the position (on
// its name or on one of its references), across the pipeline's files, and
// the declaration itself when the client asks for it.
func (s *Server) references(_ *glsp.Context, p *protocol.ReferenceParams) ([]protocol.Location, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.locate(p.TextDocument.URI, p.Position)
	if !ok || a.check == nil {
		return nil, nil
	}
	decl := a.declAt()
	if ref := a.refAt(); ref != nil {
		decl = ref.Decl
	}
	if decl == nil {
		return nil, nil
	}
	out := []protocol.Location{}
	if p.Context.IncludeDeclaration {
		if loc, ok := s.location(a.check, decl.NameRange); ok {
			out = append(out, loc)
		}
	}
	for _, r := range a.check.res.Refs {
		if r.Decl != decl {
			continue
		}
		if loc, ok := s.location(a.check, r.Range); ok {
			out = append(out, loc)
		}
	}
	return out, nil
}
