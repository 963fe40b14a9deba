package lsp

import (
	"testing"

	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/wurzel-dev/wurzel/lang"
)

func TestTextPositions(t *testing.T) {
	// "😀" is 4 bytes and 2 UTF-16 units, "é" 2 bytes and 1 unit.
	tx := newText([]byte("a😀é=1\r\nxy\n"))
	tests := []struct {
		off  int
		line int
		char int
	}{
		{0, 0, 0}, {1, 0, 1}, {5, 0, 3}, {7, 0, 4}, {8, 0, 5}, {11, 1, 0}, {12, 1, 1}, {14, 2, 0},
	}
	for _, tt := range tests {
		p := tx.position(tt.off)
		if int(p.Line) != tt.line || int(p.Character) != tt.char {
			t.Errorf("position(%d) = %d:%d, want %d:%d", tt.off, p.Line, p.Character, tt.line, tt.char)
		}
		if got := tx.offset(p); got != tt.off {
			t.Errorf("offset(%d:%d) = %d, want %d", p.Line, p.Character, got, tt.off)
		}
	}
	// Positions inside a surrogate pair, past a line's end or past the
	// document's end are clamped.
	clamped := []struct {
		p    protocol.Position
		want int
	}{
		{protocol.Position{Line: 0, Character: 2}, 1},
		{protocol.Position{Line: 0, Character: 99}, 9},
		{protocol.Position{Line: 7, Character: 0}, 14},
	}
	for _, tt := range clamped {
		if got := tx.offset(tt.p); got != tt.want {
			t.Errorf("offset(%d:%d) = %d, want %d", tt.p.Line, tt.p.Character, got, tt.want)
		}
	}
}

func TestURIs(t *testing.T) {
	path := "/tmp/a dir/p#1.wurzel.hcl"
	uri := pathToURI(path)
	if uri != "file:///tmp/a%20dir/p%231.wurzel.hcl" {
		t.Errorf("pathToURI = %s", uri)
	}
	back, err := uriToPath(uri)
	if err != nil || back != path {
		t.Errorf("uriToPath(%s) = %q, %v", uri, back, err)
	}
	if _, err := uriToPath("untitled:Untitled-1"); err == nil {
		t.Error("a non-file URI was accepted")
	}
}

// Incremental changes count UTF-16 units too (the server asks for full
// text, but a client may send ranges).
func TestApplyChange(t *testing.T) {
	ws := newWorkspace(lang.Options{}, nil)
	ws.open("file:///p.wurzel.hcl", "/p.wurzel.hcl", []byte("a = \"😀x\"\nb = 1\n"))
	ws.applyChange("file:///p.wurzel.hcl", "/p.wurzel.hcl", protocol.TextDocumentContentChangeEvent{
		Range: &protocol.Range{Start: protocol.Position{Line: 0, Character: 7}, End: protocol.Position{Line: 1, Character: 1}},
		Text:  "y\"\nc",
	})
	if got, want := string(ws.docs["/p.wurzel.hcl"].text.src), "a = \"😀y\"\nc = 1\n"; got != want {
		t.Errorf("after the change: %q, want %q", got, want)
	}
}
