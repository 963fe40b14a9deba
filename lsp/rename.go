package lsp

import (
	"fmt"
	"path/filepath"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/wurzel-dev/wurzel/inspect"
	"github.com/wurzel-dev/wurzel/lang"
)

// renameTarget is the declaration a rename at the position renames, and the
// range of the name under the cursor.
func (a at) renameTarget() (*lang.Decl, hcl.Range, bool) {
	if ref := a.refAt(); ref != nil {
		if ref.Step != "" && contains(ref.StepRange, a.off) {
			if d := a.check.decl(lang.DeclStep, "", ref.Step); d != nil {
				return d, ref.StepRange, true
			}
			return nil, hcl.Range{}, false
		}
		return ref.Decl, ref.NameRange, ref.Decl != nil
	}
	if d := a.declAt(); d != nil && d.Kind != lang.DeclPipeline {
		return d, d.NameRange, true
	}
	return nil, hcl.Range{}, false
}

// decl finds a declaration of the check.
func (c *checked) decl(kind lang.DeclKind, step, name string) *lang.Decl {
	for _, d := range c.res.Decls {
		if d.Kind == kind && d.Step == step && d.Name == name {
			return d
		}
	}
	return nil
}

// prepareRename tells the client whether the position names something that
// can be renamed, and which text to replace.
func (s *Server) prepareRename(_ *glsp.Context, p *protocol.PrepareRenameParams) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.locate(p.TextDocument.URI, p.Position)
	if !ok || a.check == nil {
		return nil, nil
	}
	d, r, ok := a.renameTarget()
	if !ok {
		return nil, nil
	}
	start, end, ok := nameWithin(a.text.src, r, d.Name)
	if !ok {
		return nil, nil
	}
	return protocol.RangeWithPlaceholder{Range: a.text.rangeOf(start, end), Placeholder: d.Name}, nil
}

// rename rewrites a declaration's name and every reference to it, in every
// file of the pipeline directory: a step's name also in step.NAME.output.X.
func (s *Server) rename(ctx *glsp.Context, p *protocol.RenameParams) (*protocol.WorkspaceEdit, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.locate(p.TextDocument.URI, p.Position)
	if !ok || a.check == nil {
		return nil, nil
	}
	d, _, ok := a.renameTarget()
	if !ok {
		return nil, fmt.Errorf("nothing to rename here: put the cursor on the name of a step, input, output, secret, volume, variable or local")
	}
	if err := lang.CheckDeclName(d.Kind, p.NewName); err != nil {
		return nil, err
	}
	if p.NewName != d.Name && a.check.decl(d.Kind, d.Step, p.NewName) != nil {
		return nil, fmt.Errorf("there is already a %s named %q", d.Kind, p.NewName)
	}
	changes := map[protocol.DocumentUri][]protocol.TextEdit{}
	for _, r := range renameRanges(a.check, d) {
		uri, edit, err := s.renameEdit(a.check, r.rng, r.name, p.NewName)
		if err != nil {
			return nil, err
		}
		changes[uri] = append(changes[uri], edit)
	}
	if msg := renameWarning(d, p.NewName); msg != "" {
		ctx.Notify(protocol.ServerWindowShowMessage, protocol.ShowMessageParams{Type: protocol.MessageTypeWarning, Message: msg})
	}
	return &protocol.WorkspaceEdit{Changes: changes}, nil
}

// renameWarning names the environment variables a rename changes for the
// steps' commands. The rename cannot rewrite the programs that read them.
func renameWarning(d *lang.Decl, newName string) string {
	before, after := inspect.EnvSuffix(d.Name), inspect.EnvSuffix(newName)
	if before == after {
		return ""
	}
	var from, to string
	switch d.Kind {
	case lang.DeclStep:
		from, to = before+"__<KEY> (its settings)", after+"__<KEY>"
	case lang.DeclInput:
		from, to = "WURZEL_INPUT_"+before, "WURZEL_INPUT_"+after
	case lang.DeclOutput:
		from, to = "WURZEL_OUTPUT_"+before, "WURZEL_OUTPUT_"+after
	case lang.DeclSecret:
		from, to = "WURZEL_SECRET_"+before+"_DIR", "WURZEL_SECRET_"+after+"_DIR"
	case lang.DeclVolume:
		from, to = "WURZEL_VOLUME_"+before, "WURZEL_VOLUME_"+after
	default:
		return ""
	}
	return fmt.Sprintf("Renaming %s %q to %q changes what commands see: %s becomes %s. Update the programs that read it.", d.Kind, d.Name, newName, from, to)
}

// nameRange is a range that spells name, among other text.
type nameRange struct {
	rng  hcl.Range
	name string
}

// renameRanges lists every place that spells d's name, sorted by file and
// position: the declaration's label and the references to it.
func renameRanges(c *checked, d *lang.Decl) []nameRange {
	out := []nameRange{{d.NameRange, d.Name}}
	for _, ref := range c.res.Refs {
		if ref.Decl == d {
			out = append(out, nameRange{ref.NameRange, d.Name})
		}
		if d.Kind == lang.DeclStep && ref.Kind == lang.DeclOutput && ref.Step == d.Name {
			out = append(out, nameRange{ref.StepRange, d.Name})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].rng.Filename != out[j].rng.Filename {
			return out[i].rng.Filename < out[j].rng.Filename
		}
		return out[i].rng.Start.Byte < out[j].rng.Start.Byte
	})
	return out
}

// renameEdit replaces name in the text of r with newName.
func (s *Server) renameEdit(c *checked, r hcl.Range, name, newName string) (protocol.DocumentUri, protocol.TextEdit, error) {
	path := r.Filename
	if !filepath.IsAbs(path) {
		path = filepath.Join(c.dir, path)
	}
	t := c.texts[path]
	if t == nil {
		return "", protocol.TextEdit{}, fmt.Errorf("cannot rename: %s is not part of the last check", path)
	}
	start, end, ok := nameWithin(t.src, r, name)
	if !ok {
		return "", protocol.TextEdit{}, fmt.Errorf("cannot rename: %q at %s is written in a form this server cannot rewrite", name, r)
	}
	return s.ws.uriOf(path), protocol.TextEdit{Range: t.rangeOf(start, end), NewText: newName}, nil
}

// nameWithin finds name inside the source range r, which may also cover
// what surrounds it: the dot of ".name", the brackets and quotes of
// `["name"]`, the quotes of a block label or of a JSON key.
func nameWithin(src []byte, r hcl.Range, name string) (start, end int, ok bool) {
	start, end = r.Start.Byte, r.End.Byte
	if start < 0 || end > len(src) || start > end {
		return 0, 0, false
	}
	text := string(src[start:end])
	for _, wrap := range [][2]string{{"", ""}, {".", ""}, {`"`, `"`}, {`["`, `"]`}, {`[`, `]`}} {
		if text == wrap[0]+name+wrap[1] {
			return start + len(wrap[0]), end - len(wrap[1]), true
		}
	}
	return 0, 0, false
}
