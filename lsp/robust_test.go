package lsp

import (
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/driver"
	"github.com/wurzel-dev/wurzel/lang"
)

// TestEveryOffsetIsSafe asks for completion and hover documentation at every
// offset of complete, broken and half-typed documents: none may panic, and
// completion at a body position of a step must offer the step's attributes.
func TestEveryOffsetIsSafe(t *testing.T) {
	res := driver.CheckSources("/p", map[string][]byte{"main.wurzel.hcl": []byte(validMain), "n.wurzel.hcl": []byte(neighbour)}, lang.Options{})
	docs := []string{
		validMain,
		invalidMain,
		neighbour,
		"step \"a\" {\n  command = [\n",
		"step \"a\" {\n  input \"x\" {\n    from = step.\n",
		"}}}{{{\n\"unterminated\n${\n<<EOF\nx\n",
		"locals {\n  a = \"${var.\"\n}\n",
		"# comment\nstep \"😀\" { # é\n  env = { A = \"b\" } /* c */\n}\n",
		"",
		jsonPipeline,
		`{"step": [{"a": {"command": ["x"], "//": "c"}}], "locals": {"x": {"y": 1}}, "bad": `,
	}
	for _, doc := range docs {
		tx := newText([]byte(doc))
		for off := 0; off <= len(doc); off++ {
			complete(tx, off, res.Decls, false)
			complete(tx, off, res.Decls, true)
			schemaDocAt(tx.src, off)
			if path, _, _, ok := jsonKeyAt(tx.src, off); ok {
				jsonSchemaDoc(path)
			}
			tx.offset(tx.position(off))
		}
	}
	// A sanity check that the scan above exercised real answers.
	tx := newText([]byte(validMain))
	off := strings.Index(validMain, "  settings") + 2
	items := complete(tx, off, res.Decls, false)
	found := false
	for _, it := range items {
		found = found || it.Label == "timeout"
	}
	if !found {
		t.Errorf("completion at the start of a step line does not offer timeout: %+v", items)
	}
}

// FuzzCursor feeds arbitrary text and offsets to the code that reads
// half-written documents: completion, hover documentation and position
// conversion must never panic.
func FuzzCursor(f *testing.F) {
	for _, seed := range []string{validMain, neighbour, "step \"a\" {\n  input \"x\" {\n    from = step.\n", "a = <<EOF\n${\nEOF\n", "\"\\u{1F600}\" = 😀"} {
		f.Add(seed, len(seed)/2)
	}
	f.Fuzz(func(t *testing.T, src string, off int) {
		tx := newText([]byte(src))
		n := len(src) + 1
		off = (off%n + n) % n
		complete(tx, off, nil, false)
		complete(tx, off, nil, true)
		schemaDocAt(tx.src, off)
		if path, start, end, ok := jsonKeyAt(tx.src, off); ok {
			jsonSchemaDoc(path)
			if start > off || off >= end {
				t.Fatalf("key range %d-%d does not hold offset %d", start, end, off)
			}
		}
		if got := tx.offset(tx.position(off)); got > len(src) {
			t.Fatalf("offset %d beyond the text", got)
		}
	})
}
