package lsp

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/driver"
	"github.com/wurzel-dev/wurzel/targets"
)

const jsonPipeline = `{
  "pipeline": { "j": { "image": "busybox:1.36" } },
  "step": {
    "produce": {
      "command": ["echo"],
      "output": { "data": { "path": "out/data" } }
    },
    "consume": {
      "command": ["cat"],
      "input": { "data": { "from": "step.produce.output.data" } }
    }
  }
}
`

// JSON syntax files get diagnostics, definitions, symbols and reference
// completion; formatting leaves them alone as wurzel fmt does.
func TestJSONSyntax(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "p.wurzel.hcl.json")
	write(t, path, jsonPipeline)
	uri := string(pathToURI(path))
	c := startServer(t, Options{Targets: backend.Lenient(targets.All()...)})
	c.initialize(string(pathToURI(dir)))
	broken := strings.Replace(jsonPipeline, `"path": "out/data"`, `"path": "out/data", "typo": 1`, 1)
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "json", "version": 1, "text": broken}})
	got := c.publishedDiagnostics(uri)
	if len(got[uri]) == 0 || !strings.Contains(got[uri][0].Message, "typo") {
		t.Errorf("diagnostics of the broken JSON file = %+v, want one about typo", got[uri])
	}
	c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": 2}, "contentChanges": []any{map[string]any{"text": jsonPipeline}}})
	c.publishedDiagnostics(uri)

	var locs []location
	c.call("textDocument/definition", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": positionOf(t, jsonPipeline, `"step.produce.out`, 0)}, &locs)
	want := positionOf(t, jsonPipeline, `"output": { `, 0)
	if len(locs) != 1 || locs[0].Range.Start != want {
		t.Errorf("definition of step.produce.output.data = %+v, want %+v", locs, want)
	}

	var syms []symbol
	c.call("textDocument/documentSymbol", map[string]any{"textDocument": map[string]any{"uri": uri}}, &syms)
	var names []string
	for _, s := range syms {
		names = append(names, s.Name)
	}
	if strings.Join(names, " ") != "j produce consume" {
		t.Errorf("symbols = %q", names)
	}

	typed := strings.Replace(jsonPipeline, `"from": "step.produce.output.data"`, `"from": "step.produce.output."`, 1)
	c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": 3}, "contentChanges": []any{map[string]any{"text": typed}}})
	c.publishedDiagnostics(uri)
	var list completionList
	c.call("textDocument/completion", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": positionOf(t, typed, `step.produce.output.`, 0)}, &list)
	if len(list.Items) != 1 || list.Items[0].Label != "data" {
		t.Errorf("completion after step.produce.output. = %+v, want data", list.Items)
	}

	var edits []textEdit
	c.call("textDocument/formatting", map[string]any{"textDocument": map[string]any{"uri": uri}, "options": map[string]any{"tabSize": 2, "insertSpaces": true}}, &edits)
	if len(edits) != 0 {
		t.Errorf("formatting changed a JSON file: %+v", edits)
	}
}

func TestJSONHover(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "p.wurzel.hcl.json")
	write(t, path, jsonPipeline)
	uri := string(pathToURI(path))
	c := startServer(t, Options{})
	c.initialize(string(pathToURI(dir)))
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "json", "version": 1, "text": jsonPipeline}})
	c.publishedDiagnostics(uri)
	hover := func(marker string, back int) string {
		var h *hoverResult
		c.call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": positionOf(t, jsonPipeline, marker, back)}, &h)
		if h == nil {
			return ""
		}
		return h.Contents.Value
	}
	tests := []struct{ marker, want string }{
		{`"comm`, driver.Schema().Lookup("step").Attribute("command").Description},
		{`"ste`, driver.Schema().Lookup("step").Description},
		{`"outp`, driver.Schema().Lookup("step", "output").Description},
		{`"pa`, driver.Schema().Lookup("step", "output").Attribute("path").Description},
		{`"fro`, driver.Schema().Lookup("step", "input").Attribute("from").Description},
		{`"ima`, driver.Schema().Lookup("pipeline").Attribute("image").Description},
	}
	for _, tt := range tests {
		if got := hover(tt.marker, 1); !strings.Contains(got, tt.want) {
			t.Errorf("hover on %s = %q, want %q", tt.marker, got, tt.want)
		}
	}
	// A value is not a key: no schema documentation.
	if got := hover(`"ec`, 1); got != "" {
		t.Errorf("hover on a value = %q, want nothing", got)
	}
}
