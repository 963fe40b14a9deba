package lsp

import (
	"strings"
	"testing"
)

// TestDeepNestingKeepsTheServerAlive opens a document of 100,000 nested
// parentheses, which used to overflow the parser's stack and kill the
// server: it is refused with a diagnostic at the place, and the server goes
// on answering hover, completion and formatting requests about it.
func TestDeepNestingKeepsTheServerAlive(t *testing.T) {
	deep := validMain + "locals {\n  x = " + strings.Repeat("(", 100_000) + "1" + strings.Repeat(")", 100_000) + "\n}\n"
	f := setup(t, deep)
	got := f.c.publishedDiagnostics(f.mainURI)[f.mainURI]
	found := false
	for _, d := range got {
		found = found || strings.Contains(d.Message, "Nesting too deep")
	}
	if !found {
		t.Fatalf("diagnostics %+v, want Nesting too deep", got)
	}
	at := map[string]any{"textDocument": map[string]any{"uri": f.mainURI}, "position": map[string]any{"line": strings.Count(validMain, "\n") + 1, "character": 300}}
	var hover any
	f.c.call("textDocument/hover", at, &hover)
	var completion any
	f.c.call("textDocument/completion", at, &completion)
	params := map[string]any{"textDocument": map[string]any{"uri": f.mainURI}, "options": map[string]any{"tabSize": 2, "insertSpaces": true}}
	var edits []textEdit
	if err := f.c.callErr("textDocument/formatting", params, &edits); err == nil {
		t.Error("formatting a document nested too deep succeeded")
	}
	// Still alive: a fixed document is checked again.
	f.change(validMain)
	if got := f.c.publishedDiagnostics(f.mainURI)[f.mainURI]; len(got) != 0 {
		t.Errorf("diagnostics of the fixed document: %+v", got)
	}
}
