package lsp

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/driver"
	"github.com/wurzel-dev/wurzel/lang"
	"github.com/wurzel-dev/wurzel/targets"
)

type workspaceEdit struct {
	Changes map[string][]textEdit `json:"changes"`
}

// applyEdits applies LSP text edits (ranges in UTF-16 units; these texts
// are ASCII) to src, last first so that earlier offsets stay valid.
func applyEdits(t *testing.T, src string, edits []textEdit) string {
	t.Helper()
	lines := strings.SplitAfter(src, "\n")
	offset := func(p position) int {
		off := 0
		for i := 0; i < p.Line; i++ {
			off += len(lines[i])
		}
		return off + p.Character
	}
	sort.Slice(edits, func(i, j int) bool { return offset(edits[i].Range.Start) > offset(edits[j].Range.Start) })
	for _, e := range edits {
		src = src[:offset(e.Range.Start)] + e.NewText + src[offset(e.Range.End):]
	}
	return src
}

// renameAt asks for a rename at the marker and applies the edits to the
// fixture's two files on disk, returning their new texts.
func (f *fixture) renameAt(t *testing.T, text, marker string, back int, newName string) (main, neighbourText string, err error) {
	t.Helper()
	var edit workspaceEdit
	err = f.c.callErr("textDocument/rename", map[string]any{
		"textDocument": map[string]any{"uri": f.mainURI},
		"position":     positionOf(t, text, marker, back),
		"newName":      newName,
	}, &edit)
	if err != nil {
		return "", "", err
	}
	for uri := range edit.Changes {
		if uri != f.mainURI && uri != f.neighbourURI {
			t.Errorf("edit of an unexpected document %s", uri)
		}
	}
	neighbourPath := filepath.Join(f.dir, "neighbour.wurzel.hcl")
	old, _ := os.ReadFile(neighbourPath)
	main = applyEdits(t, text, edit.Changes[f.mainURI])
	neighbourText = applyEdits(t, string(old), edit.Changes[f.neighbourURI])
	return main, neighbourText, nil
}

// checkValid writes both files and requires the pipeline to be valid.
func (f *fixture) checkValid(t *testing.T, main, neighbourText string) {
	t.Helper()
	write(t, f.mainPath, main)
	write(t, filepath.Join(f.dir, "neighbour.wurzel.hcl"), neighbourText)
	res := driver.Check(f.dir, lang.Options{}, backend.Lenient(targets.All()...)...)
	if res.Diagnostics.HasErrors() {
		t.Errorf("the renamed pipeline is invalid:\n%s\n--- main\n%s\n--- neighbour\n%s", res.Diagnostics.Error(), main, neighbourText)
	}
}

func TestRenameStepFromItsLabel(t *testing.T) {
	f := setup(t, validMain)
	f.c.publishedDiagnostics(f.mainURI)
	main, nb, err := f.renameAt(t, validMain, `step "re`, 0, "fetch")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(main, `step "fetch" {`) || !strings.Contains(nb, "from = step.fetch.output.pages") {
		t.Errorf("not renamed:\n%s\n%s", main, nb)
	}
	if strings.Contains(main+nb, "read") {
		t.Errorf("the old name is left:\n%s\n%s", main, nb)
	}
	f.checkValid(t, main, nb)
	// The settings' environment names change with the step's name.
	if msg := f.c.showMessage(t); !strings.Contains(msg, "READ__<KEY> (its settings) becomes FETCH__<KEY>") {
		t.Errorf("warning: %q", msg)
	}
}

// showMessage waits for a window/showMessage notification and returns its
// text.
func (c *client) showMessage(t *testing.T) string {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case m := <-c.notes:
			if m.Method != "window/showMessage" {
				continue
			}
			var p struct {
				Message string `json:"message"`
			}
			if err := json.Unmarshal(m.Params, &p); err != nil {
				t.Fatal(err)
			}
			return p.Message
		case <-timeout:
			t.Fatal("no window/showMessage")
		}
	}
}

func TestRenameFromReferences(t *testing.T) {
	cases := []struct {
		name, marker string
		back         int
		newName      string
		mainHas      []string
		neighbourHas []string
	}{
		{"variable", "var.n", 1, "pages_per_doc", []string{`variable "pages_per_doc"`, "n = var.pages_per_doc"}, nil},
		{"volume", "volume.ca", 0, "scratch", []string{`volume "scratch"`, "[volume.scratch]"}, nil},
		{"output", `output "pa`, 0, "docs", []string{`output "docs"`}, []string{"step.read.output.docs"}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			f := setup(t, validMain)
			f.c.publishedDiagnostics(f.mainURI)
			main, nb, err := f.renameAt(t, validMain, tt.marker, tt.back, tt.newName)
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range tt.mainHas {
				if !strings.Contains(main, want) {
					t.Errorf("main lacks %q:\n%s", want, main)
				}
			}
			for _, want := range tt.neighbourHas {
				if !strings.Contains(nb, want) {
					t.Errorf("neighbour lacks %q:\n%s", want, nb)
				}
			}
			f.checkValid(t, main, nb)
		})
	}
}

func TestRenameRefusesBadNames(t *testing.T) {
	f := setup(t, validMain)
	f.c.publishedDiagnostics(f.mainURI)
	for newName, want := range map[string]string{
		"Fetch": "not a valid step name",
		"count": `already a step named`,
	} {
		if _, _, err := f.renameAt(t, validMain, `step "re`, 0, newName); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("rename to %q: err = %v, want %q", newName, err, want)
		}
	}
	if _, _, err := f.renameAt(t, validMain, `image = "bus`, 0, "x"); err == nil || !strings.Contains(err.Error(), "nothing to rename") {
		t.Errorf("rename of a string: err = %v", err)
	}
}

func TestPrepareRename(t *testing.T) {
	f := setup(t, validMain)
	f.c.publishedDiagnostics(f.mainURI)
	var got struct {
		Range       lspRange `json:"range"`
		Placeholder string   `json:"placeholder"`
	}
	f.c.call("textDocument/prepareRename", map[string]any{
		"textDocument": map[string]any{"uri": f.mainURI},
		"position":     positionOf(t, validMain, "var.n", 1),
	}, &got)
	// The name only, without "var.".
	want := positionOf(t, validMain, "var.n", 1)
	if got.Placeholder != "n" || got.Range.Start != want || got.Range.End.Character != want.Character+1 {
		t.Errorf("prepareRename at var.n = %+v, want n at %+v", got, want)
	}
}

func TestRenameInJSONSyntax(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "p.wurzel.hcl.json")
	text := `{
  "pipeline": {"j": {"image": "busybox:1.36"}},
  "step": {
    "make": {"command": ["true"], "output": {"out": {"path": "o"}}},
    "use": {"command": ["true"], "input": {"in": {"from": "step.make.output.out"}}}
  }
}
`
	write(t, path, text)
	uri := string(pathToURI(path))
	c := startServer(t, Options{})
	c.initialize(string(pathToURI(dir)))
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "json", "version": 1, "text": text}})
	c.publishedDiagnostics(uri)
	var edit workspaceEdit
	c.call("textDocument/rename", map[string]any{
		"textDocument": map[string]any{"uri": uri},
		"position":     positionOf(t, text, `"ma`, 0),
		"newName":      "build",
	}, &edit)
	got := applyEdits(t, text, edit.Changes[uri])
	if !strings.Contains(got, `"build": {"command"`) || !strings.Contains(got, `"step.build.output.out"`) || strings.Contains(got, "make") {
		t.Errorf("JSON rename:\n%s", got)
	}
	write(t, path, got)
	if res := driver.Check(dir, lang.Options{}); res.Diagnostics.HasErrors() {
		t.Errorf("the renamed pipeline is invalid:\n%s", res.Diagnostics.Error())
	}
}
