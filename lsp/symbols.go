package lsp

import (
	"encoding/json"
	"fmt"

	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/wurzel-dev/wurzel/lang"
)

var symbolKind = map[lang.DeclKind]protocol.SymbolKind{
	lang.DeclPipeline: protocol.SymbolKindModule,
	lang.DeclStep:     protocol.SymbolKindFunction,
	lang.DeclInput:    protocol.SymbolKindField,
	lang.DeclOutput:   protocol.SymbolKindField,
	lang.DeclSecret:   protocol.SymbolKindKey,
	lang.DeclVolume:   protocol.SymbolKindObject,
	lang.DeclVariable: protocol.SymbolKindVariable,
	lang.DeclLocal:    protocol.SymbolKindConstant,
}

// documentSymbol outlines a file: the pipeline, variables, locals, secrets,
// volumes and steps with their inputs and outputs, from the declarations
// the front end found (in both syntaxes).
func (s *Server) documentSymbol(_ *glsp.Context, p *protocol.DocumentSymbolParams) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	path, err := uriToPath(p.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	c := s.ws.lastCheck(path)
	t := s.ws.textOf(path)
	if c == nil || t == nil {
		return []protocol.DocumentSymbol{}, nil
	}
	out := []protocol.DocumentSymbol{}
	steps := map[string]int{} // step name -> index in out
	for _, d := range c.res.Decls {
		if !sameFile(d.Range.Filename, path, c.dir) {
			continue
		}
		sym := toSymbol(t, d)
		if d.Kind == lang.DeclInput || d.Kind == lang.DeclOutput {
			if i, ok := steps[d.Step]; ok {
				out[i].Children = append(out[i].Children, sym)
				continue
			}
		}
		if d.Kind == lang.DeclStep {
			steps[d.Name] = len(out)
		}
		out = append(out, sym)
	}
	return out, nil
}

func toSymbol(t *text, d *lang.Decl) protocol.DocumentSymbol {
	detail := string(d.Kind)
	rng := t.rangeOf(d.Range.Start.Byte, d.Range.End.Byte)
	sel := t.rangeOf(d.NameRange.Start.Byte, d.NameRange.End.Byte)
	// LSP requires the selection inside the range.
	if d.NameRange.Start.Byte < d.Range.Start.Byte || d.NameRange.End.Byte > d.Range.End.Byte {
		sel = rng
	}
	return protocol.DocumentSymbol{Name: d.Name, Detail: &detail, Kind: symbolKind[d.Kind], Range: rng, SelectionRange: sel}
}

func compactJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
