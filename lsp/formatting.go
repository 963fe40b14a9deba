package lsp

import (
	"fmt"

	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/wurzel-dev/wurzel/format"
)

// formatting formats a native-syntax file with the code of `wurzel fmt`:
// one edit replacing the document when it changes. JSON files are left
// alone, as `wurzel fmt` leaves them.
func (s *Server) formatting(_ *glsp.Context, p *protocol.DocumentFormattingParams) ([]protocol.TextEdit, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	path, err := uriToPath(p.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	t := s.ws.textOf(path)
	if t == nil {
		return nil, fmt.Errorf("%s is not open", path)
	}
	out, diags := format.Source(path, t.src)
	if diags.HasErrors() {
		return nil, fmt.Errorf("cannot format %s: %s", path, diags.Errs()[0])
	}
	if string(out) == string(t.src) {
		return []protocol.TextEdit{}, nil
	}
	return []protocol.TextEdit{{
		Range:   protocol.Range{Start: protocol.Position{}, End: t.end()},
		NewText: string(out),
	}}, nil
}
