package lsp

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/driver"
	"github.com/wurzel-dev/wurzel/format"
	"github.com/wurzel-dev/wurzel/lang"
	"github.com/wurzel-dev/wurzel/targets"
)

// The pipeline of these tests spans two files. main is opened in the
// editor; neighbour stays on disk and reads main's step output.
const validMain = `pipeline "demo" {
  image = "busybox:1.36"
}

variable "n" {
  type        = number
  default     = 3
  description = "How many"
}

secret "token" {
  keys = ["value"]
  kubernetes {
    name = "token"
  }
  local {
    dir = "secrets"
  }
}

volume "cache" {
  type       = "empty_dir"
  mount_path = "/cache"
}

step "read" {
  command  = ["cat", "in"]
  settings = { n = var.n }
  volumes  = [volume.cache]
  output "pages" {
    path = "out/pages"
    type = "text"
  }
}
`

const neighbour = `step "count" {
  command = ["wc", "-l"]
  secrets = [secret.token]
  input "pages" {
    from = step.read.output.pages
  }
}
`

// invalidMain has an unknown attribute in the open file and renames the
// output the neighbour reads, which makes the neighbour invalid too.
var invalidMain = strings.Replace(strings.Replace(validMain,
	`command  = ["cat", "in"]`, `command  = ["cat", "in"]
  imagee   = "x"`, 1),
	`output "pages"`, `output "pagez"`, 1)

type fixture struct {
	c            *client
	dir          string
	mainPath     string
	mainURI      string
	neighbourURI string
	version      int
}

// setup writes the pipeline (main as given) to a temporary directory and
// opens main in a new session.
func setup(t *testing.T, main string) *fixture {
	t.Helper()
	return setupWith(t, main, Options{})
}

// setupWith is setup with the server's Options (Targets and Version are set
// here).
func setupWith(t *testing.T, main string, opts Options) *fixture {
	t.Helper()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "main.wurzel.hcl"), main)
	write(t, filepath.Join(dir, "neighbour.wurzel.hcl"), neighbour)
	f := &fixture{
		dir:          dir,
		mainPath:     filepath.Join(dir, "main.wurzel.hcl"),
		mainURI:      string(pathToURI(filepath.Join(dir, "main.wurzel.hcl"))),
		neighbourURI: string(pathToURI(filepath.Join(dir, "neighbour.wurzel.hcl"))),
	}
	opts.Targets, opts.Version = backend.Lenient(targets.All()...), "test"
	f.c = startServer(t, opts)
	f.c.initialize(string(pathToURI(dir)))
	f.c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": f.mainURI, "languageId": "hcl", "version": 1, "text": main,
	}})
	f.version = 1
	return f
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) change(text string) {
	f.version++
	f.c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": f.mainURI, "version": f.version},
		"contentChanges": []any{map[string]any{"text": text}},
	})
}

// TestIncrementalChanges sends edits as ranges, several in one
// notification, as the server asks: each applies to the text the one before
// it left, and the check sees the result.
func TestIncrementalChanges(t *testing.T) {
	f := setup(t, validMain)
	f.c.publishedDiagnostics(f.mainURI)
	at := positionOf(t, validMain, `"in"]`, len(`"in"]`))
	f.version++
	f.c.notify("textDocument/didChange", map[string]any{
		"textDocument": map[string]any{"uri": f.mainURI, "version": f.version},
		"contentChanges": []any{
			// "in" becomes var.missin, then var.missing.
			map[string]any{"range": map[string]any{"start": at, "end": position{at.Line, at.Character + 4}}, "text": "var.missin"},
			map[string]any{"range": map[string]any{"start": position{at.Line, at.Character + 10}, "end": position{at.Line, at.Character + 10}}, "text": "g"},
		},
	})
	got := f.c.publishedDiagnostics(f.mainURI)
	if len(got[f.mainURI]) != 1 || !strings.Contains(got[f.mainURI][0].Message, `"missing"`) {
		t.Errorf("diagnostics after the edits: %+v", got[f.mainURI])
	}
}

func TestInitializeAdvertisesFeatures(t *testing.T) {
	c := startServer(t, Options{})
	caps := c.initialize("file:///tmp")
	for _, k := range []string{"textDocumentSync", "completionProvider", "hoverProvider", "definitionProvider", "documentSymbolProvider", "documentFormattingProvider"} {
		if caps[k] == nil {
			t.Errorf("capability %s missing: %v", k, caps)
		}
	}
	if err := c.shutdown(); err != nil {
		t.Errorf("orderly shutdown: Serve returned %v", err)
	}
}

func TestExitWithoutShutdownIsAnError(t *testing.T) {
	c := startServer(t, Options{})
	c.initialize("file:///tmp")
	c.notify("exit", nil)
	if err := <-c.done; err == nil {
		t.Error("Serve returned nil after exit without shutdown")
	}
}

// TestDiagnosticsAreValidates checks that the diagnostics published for the
// open file and its neighbour are exactly those of `wurzel validate` on the
// same directory, and that both files are cleared once fixed in the buffer
// (not on disk).
func TestDiagnosticsAreValidates(t *testing.T) {
	f := setup(t, invalidMain)
	got := f.c.publishedDiagnostics(f.mainURI, f.neighbourURI)
	want := f.validate(t)
	if len(want[f.mainURI]) == 0 || len(want[f.neighbourURI]) == 0 {
		t.Fatalf("the invalid fixture should make both files invalid: %q", want)
	}
	compareDiagnostics(t, got, want, f.mainURI, f.neighbourURI)

	// Fixing the buffer, without saving, clears both files. Validate sees
	// the fix once it is on disk.
	f.change(validMain)
	got = f.c.publishedDiagnostics(f.mainURI, f.neighbourURI)
	write(t, f.mainPath, validMain)
	want = f.validate(t)
	compareDiagnostics(t, got, want, f.mainURI, f.neighbourURI)
	if len(got[f.neighbourURI]) != 0 {
		t.Errorf("the neighbour was not cleared: %+v", got[f.neighbourURI])
	}
	if err := f.c.shutdown(); err != nil {
		t.Error(err)
	}
}

// validate runs `wurzel validate`'s check on the fixture's directory and
// returns its diagnostics per file URI, as line and message.
func (f *fixture) validate(t *testing.T) map[string][]string {
	t.Helper()
	res := driver.Check(f.dir, lang.Options{}, backend.Lenient(targets.All()...)...)
	out := map[string][]string{}
	for _, d := range res.Diagnostics {
		uri := string(pathToURI(d.Subject.Filename))
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		out[uri] = append(out[uri], describe(d.Subject.Start.Line-1, msg))
	}
	return out
}

func compareDiagnostics(t *testing.T, got map[string][]diagnostic, want map[string][]string, uris ...string) {
	t.Helper()
	for _, uri := range uris {
		var have []string
		for _, d := range got[uri] {
			have = append(have, describe(d.Range.Start.Line, d.Message))
		}
		sort.Strings(have)
		sort.Strings(want[uri])
		if strings.Join(have, "\n") != strings.Join(want[uri], "\n") {
			t.Errorf("%s:\ngot  %q\nwant %q", uri, have, want[uri])
		}
	}
}

func describe(line int, msg string) string {
	return fmt.Sprintf("%d: %s", line, strings.TrimSpace(msg))
}

// TestDiagnosticRangesCountUTF16 puts characters outside the Basic
// Multilingual Plane (two UTF-16 units, four bytes) before an error on the
// same line.
func TestDiagnosticRangesCountUTF16(t *testing.T) {
	prefix := `  command  = ["😀é😀", `
	main := strings.Replace(validMain, `  command  = ["cat", "in"]`, prefix+`var.missing]`, 1)
	f := setup(t, main)
	got := f.c.publishedDiagnostics(f.mainURI)
	line := strings.Count(main[:strings.Index(main, prefix)], "\n")
	wantChar := len(utf16.Encode([]rune(prefix)))
	found := false
	for _, d := range got[f.mainURI] {
		if strings.Contains(d.Message, "missing") {
			found = true
			if d.Range.Start.Line != line || d.Range.Start.Character != wantChar {
				t.Errorf("range starts at %d:%d, want %d:%d", d.Range.Start.Line, d.Range.Start.Character, line, wantChar)
			}
			if d.Range.End.Character != wantChar+len("var.missing") {
				t.Errorf("range ends at character %d, want %d", d.Range.End.Character, wantChar+len("var.missing"))
			}
		}
	}
	if !found {
		t.Errorf("no diagnostic about var.missing: %+v", got)
	}
}

// positionOf is the LSP position just after the first occurrence of marker
// in text, moved back by back characters (ASCII only).
func positionOf(t *testing.T, text, marker string, back int) position {
	t.Helper()
	i := strings.Index(text, marker)
	if i < 0 {
		t.Fatalf("%q not in text", marker)
	}
	off := i + len(marker) - back
	line := strings.Count(text[:off], "\n")
	col := off - (strings.LastIndex(text[:off], "\n") + 1)
	return position{Line: line, Character: col}
}

type completionList struct {
	Items []struct {
		Label    string `json:"label"`
		Detail   string `json:"detail"`
		TextEdit struct {
			Range   lspRange `json:"range"`
			NewText string   `json:"newText"`
		} `json:"textEdit"`
	} `json:"items"`
}

func (f *fixture) complete(t *testing.T, text, marker string) (labels []string, list completionList) {
	t.Helper()
	f.change(text)
	f.c.publishedDiagnostics(f.mainURI)
	f.c.call("textDocument/completion", map[string]any{
		"textDocument": map[string]any{"uri": f.mainURI},
		"position":     positionOf(t, text, marker, 0),
	}, &list)
	for _, it := range list.Items {
		labels = append(labels, it.Label)
	}
	sort.Strings(labels)
	return labels, list
}

func TestCompletion(t *testing.T) {
	f := setup(t, validMain)
	f.c.publishedDiagnostics(f.mainURI)
	stepWith := func(line string) string {
		return validMain + "\nstep \"use\" {\n  command = [\"x\"]\n" + line + "\n}\n"
	}
	// shard has instances a and b.
	const shard = "\nstep \"shard\" {\n  for_each = toset([\"a\", \"b\"])\n  command = [\"x\"]\n  output \"rows\" { path = \"r\" }\n}\n"
	tests := []struct {
		name, text, marker string
		want               []string // all must be offered
		not                []string // none may be offered
	}{
		{"steps after step.", stepWith("  depends_on = [step.]"), "[step.", []string{"count", "read", "use"}, []string{"pages"}},
		{"output keyword", stepWith("  depends_on = [step.read.]"), "[step.read.", []string{"output"}, nil},
		{"outputs of a step", stepWith("  input \"x\" {\n    from = step.read.output.\n  }"), "step.read.output.", []string{"pages"}, []string{"read"}},
		{"secrets", stepWith("  secrets = [secret.]"), "[secret.", []string{"token"}, nil},
		{"volumes", stepWith("  volumes = [volume.]"), "[volume.", []string{"cache"}, nil},
		{"variables", stepWith("  settings = { a = var. }"), "var.", []string{"n"}, nil},
		{"step attributes and blocks", stepWith("  tim"), "  tim", []string{"image", "env", "input", "output", "retry", "timeout"}, []string{"command", "pipeline"}},
		{"top-level blocks", validMain + "\nst", "\nst", []string{"step", "variable", "secret", "volume", "locals"}, []string{"command"}},
		{"nested block attributes", stepWith("  retry {\n    \n  }"), "retry {\n    ", []string{"attempts", "backoff", "policy"}, []string{"command"}},
		{"allowed values", stepWith("  retry {\n    policy = \n  }"), "policy = ", []string{`on_failure`, `always`}, nil},
		{"reference roots in secrets", stepWith("  secrets = []"), "secrets = [", []string{"secret"}, []string{"volume", "upper"}},
		{"functions in expressions", stepWith("  settings = { a = up }"), "a = up", []string{"upper", "setproduct", "var", "local"}, []string{"step"}},
		{"each in a step", stepWith("  settings = { a = e }"), "a = e", []string{"each"}, nil},
		{"each.", stepWith("  command = [each.]"), "[each.", []string{"key", "value"}, nil},
		{"instance keys", shard + stepWith("  input \"x\" {\n    from = step.shard[\n  }"), "step.shard[", []string{"a", "b", "*", "each.key"}, nil},
		{"instance keys in quotes", shard + stepWith("  input \"x\" {\n    from = step.shard[\"\n  }"), "step.shard[\"", []string{"a", "b"}, []string{"*"}},
		{"no keys without for_each", shard + stepWith("  input \"x\" {\n    from = step.read[\n  }"), "step.read[", nil, []string{"*", "pages"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			labels, _ := f.complete(t, tt.text, tt.marker)
			have := map[string]bool{}
			for _, l := range labels {
				have[l] = true
			}
			for _, w := range tt.want {
				if !have[w] {
					t.Errorf("%q not offered; got %q", w, labels)
				}
			}
			for _, n := range tt.not {
				if have[n] {
					t.Errorf("%q offered; got %q", n, labels)
				}
			}
		})
	}
}

// A name with a dash is replaced as a whole: the edit starts after the dot,
// not at the dash, where editors' word boundaries would put it.
func TestCompletionReplacesDashedNames(t *testing.T) {
	f := setup(t, validMain)
	f.c.publishedDiagnostics(f.mainURI)
	text := validMain + "\nstep \"use\" {\n  command = [\"x\"]\n  depends_on = [step.rea-x]\n}\n"
	_, list := f.complete(t, text, "step.rea-x")
	if len(list.Items) == 0 {
		t.Fatal("nothing offered")
	}
	want := positionOf(t, text, "[step.", 0)
	if got := list.Items[0].TextEdit.Range.Start; got != want {
		t.Errorf("edit starts at %+v, want %+v", got, want)
	}
}

type hoverResult struct {
	Contents struct {
		Kind  string `json:"kind"`
		Value string `json:"value"`
	} `json:"contents"`
}

func (f *fixture) hover(t *testing.T, p position) string {
	t.Helper()
	var h *hoverResult
	f.c.call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": f.mainURI}, "position": p}, &h)
	if h == nil {
		return ""
	}
	return h.Contents.Value
}

func TestHover(t *testing.T) {
	f := setup(t, validMain)
	f.c.publishedDiagnostics(f.mainURI)
	command := driver.Schema().Lookup("step").Attribute("command")
	if got := f.hover(t, positionOf(t, validMain, "  command", 2)); !strings.Contains(got, command.Description) {
		t.Errorf("hover on command = %q, want the schema's description %q", got, command.Description)
	}
	output := driver.Schema().Lookup("step", "output")
	if got := f.hover(t, positionOf(t, validMain, "  output", 3)); !strings.Contains(got, output.Description) {
		t.Errorf("hover on output block = %q, want %q", got, output.Description)
	}
	got := f.hover(t, positionOf(t, validMain, "var.n", 1))
	for _, want := range []string{"variable", "`n`", "main.wurzel.hcl:5", "value `3`", "How many"} {
		if !strings.Contains(got, want) {
			t.Errorf("hover on var.n = %q, want it to contain %q", got, want)
		}
	}
	if got := f.hover(t, positionOf(t, validMain, `step "re`, 0)); !strings.Contains(got, "busybox:1.36") || !strings.Contains(got, "1 output") {
		t.Errorf("hover on a step's name = %q, want its evaluated image and outputs", got)
	}
	if got := f.hover(t, positionOf(t, validMain, "volume.cache", 2)); !strings.Contains(got, "/cache") {
		t.Errorf("hover on volume.cache = %q, want its mount path", got)
	}
}

type location struct {
	URI   string   `json:"uri"`
	Range lspRange `json:"range"`
}

func TestDefinition(t *testing.T) {
	f := setup(t, validMain)
	f.c.publishedDiagnostics(f.mainURI)
	var locs []location
	f.c.call("textDocument/definition", map[string]any{
		"textDocument": map[string]any{"uri": f.mainURI},
		"position":     positionOf(t, validMain, "volume.ca", 0),
	}, &locs)
	want := positionOf(t, validMain, `volume `, 0)
	if len(locs) != 1 || locs[0].URI != f.mainURI || locs[0].Range.Start != want {
		t.Errorf("definition of volume.cache = %+v, want %s at %+v", locs, f.mainURI, want)
	}
}

type symbol struct {
	Name     string   `json:"name"`
	Kind     int      `json:"kind"`
	Detail   string   `json:"detail"`
	Children []symbol `json:"children"`
}

func TestDocumentSymbols(t *testing.T) {
	f := setup(t, validMain)
	f.c.publishedDiagnostics(f.mainURI)
	var syms []symbol
	f.c.call("textDocument/documentSymbol", map[string]any{"textDocument": map[string]any{"uri": f.mainURI}}, &syms)
	var got []string
	for _, s := range syms {
		entry := s.Detail + " " + s.Name
		for _, c := range s.Children {
			entry += " [" + c.Detail + " " + c.Name + "]"
		}
		got = append(got, entry)
	}
	want := []string{"pipeline demo", "variable n", "secret token", "volume cache", "step read [output pages]"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("symbols:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

type textEdit struct {
	Range   lspRange `json:"range"`
	NewText string   `json:"newText"`
}

func TestFormatting(t *testing.T) {
	messy := strings.Replace(validMain, `  image = "busybox:1.36"`, "image=\"busybox:1.36\"\n  description =   \"d\"", 1)
	f := setup(t, messy)
	f.c.publishedDiagnostics(f.mainURI)
	var edits []textEdit
	params := map[string]any{"textDocument": map[string]any{"uri": f.mainURI}, "options": map[string]any{"tabSize": 2, "insertSpaces": true}}
	f.c.call("textDocument/formatting", params, &edits)
	want, diags := format.Source(f.mainPath, []byte(messy))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if len(edits) != 1 || edits[0].NewText != string(want) || edits[0].Range.Start != (position{}) {
		t.Fatalf("edits = %+v, want one replacing the document with\n%s", edits, want)
	}
	// A formatted document needs no edit.
	f.change(string(want))
	f.c.call("textDocument/formatting", params, &edits)
	if len(edits) != 0 {
		t.Errorf("formatted document got edits %+v", edits)
	}
	// A document that does not parse is refused, not mangled.
	f.change("step \"a\" {\n")
	if err := f.c.callErr("textDocument/formatting", params, &edits); err == nil {
		t.Error("formatting a broken document succeeded")
	}
}

// A neighbour changed on disk by another program is re-checked when the
// client reports it.
func TestWatchedFileChange(t *testing.T) {
	f := setup(t, validMain)
	f.c.publishedDiagnostics(f.mainURI)
	write(t, filepath.Join(f.dir, "neighbour.wurzel.hcl"), strings.Replace(neighbour, "output.pages", "output.nope", 1))
	f.c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": f.neighbourURI, "type": 2}}})
	got := f.c.publishedDiagnostics(f.neighbourURI)
	if len(got[f.neighbourURI]) == 0 || !strings.Contains(got[f.neighbourURI][0].Message, "nope") {
		t.Errorf("neighbour diagnostics after its change on disk = %+v", got[f.neighbourURI])
	}
}

// Unknown notifications are ignored silently; unknown requests get
// MethodNotFound.
func TestUnknownMethods(t *testing.T) {
	var log strings.Builder
	c := startServer(t, Options{Log: &log})
	c.initialize("file:///tmp")
	c.notify("$/somethingNew", map[string]any{})
	c.notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{}})
	if err := c.callErr("wurzel/unknown", map[string]any{}, nil); err == nil || !strings.Contains(err.Error(), "-32601") {
		t.Errorf("unknown request: err = %v, want MethodNotFound (-32601)", err)
	}
	if err := c.shutdown(); err != nil {
		t.Error(err)
	}
	if log.Len() != 0 {
		t.Errorf("the server logged: %s", log.String())
	}
}

// References of a step output span both files: the declaration in main and
// the input reading it in the neighbour.
func TestReferences(t *testing.T) {
	f := setup(t, validMain)
	f.c.publishedDiagnostics(f.mainURI)
	var locs []location
	f.c.call("textDocument/references", map[string]any{
		"textDocument": map[string]any{"uri": f.mainURI},
		"position":     positionOf(t, validMain, `output "pa`, 0),
		"context":      map[string]any{"includeDeclaration": true},
	}, &locs)
	var got []string
	for _, l := range locs {
		got = append(got, filepath.Base(l.URI)+":"+fmt.Sprint(l.Range.Start.Line))
	}
	want := []string{"main.wurzel.hcl:" + fmt.Sprint(positionOf(t, validMain, `output "pa`, 0).Line), "neighbour.wurzel.hcl:4"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("references = %q, want %q", got, want)
	}
}

func TestRequestBeforeInitialize(t *testing.T) {
	c := startServer(t, Options{})
	err := c.callErr("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": "file:///x.wurzel.hcl"}, "position": map[string]any{"line": 0, "character": 0}}, nil)
	if err == nil || !strings.Contains(err.Error(), "-32002") {
		t.Errorf("hover before initialize: err = %v, want ServerNotInitialized (-32002)", err)
	}
}

// A save re-checks: files that pipeline functions read (file("x.py")) may
// have changed on disk without the editor telling the server.
func TestSaveRechecks(t *testing.T) {
	main := strings.Replace(validMain, `["cat", "in"]`, `["cat", file("prog.txt")]`, 1)
	f := setup(t, main)
	got := f.c.publishedDiagnostics(f.mainURI)
	if len(got[f.mainURI]) == 0 {
		t.Fatal("no diagnostic for the missing prog.txt")
	}
	write(t, filepath.Join(f.dir, "prog.txt"), "x")
	f.c.notify("textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": f.mainURI}})
	got = f.c.publishedDiagnostics(f.mainURI)
	for _, d := range got[f.mainURI] {
		if d.Severity == 1 {
			t.Errorf("still an error after prog.txt appeared: %s", d.Message)
		}
	}
}

// Clients that expand snippets get attributes and blocks with the cursor
// placed inside; others (the default) get plain text.
func TestCompletionSnippets(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "main.wurzel.hcl")
	text := validMain + "\nstep \"use\" {\n  command = [\"x\"]\n  \n}\n"
	write(t, path, text)
	uri := string(pathToURI(path))
	c := startServer(t, Options{})
	c.call("initialize", map[string]any{"capabilities": map[string]any{
		"textDocument": map[string]any{"completion": map[string]any{"completionItem": map[string]any{"snippetSupport": true}}},
	}}, nil)
	c.notify("initialized", map[string]any{})
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "hcl", "version": 1, "text": text}})
	c.publishedDiagnostics(uri)
	var list struct {
		Items []struct {
			Label            string `json:"label"`
			InsertTextFormat int    `json:"insertTextFormat"`
			TextEdit         struct {
				NewText string `json:"newText"`
			} `json:"textEdit"`
		} `json:"items"`
	}
	c.call("textDocument/completion", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": positionOf(t, text, "[\"x\"]\n  ", 0)}, &list)
	got := map[string]string{}
	for _, it := range list.Items {
		if it.InsertTextFormat == 2 {
			got[it.Label] = it.TextEdit.NewText
		}
	}
	want := map[string]string{
		"timeout": `timeout = "$1"`,
		"secrets": "secrets = [$1]",
		"input":   "input \"${1:name}\" {\n  $0\n}",
		"retry":   "retry {\n  $0\n}",
	}
	for label, snippet := range want {
		if got[label] != snippet {
			t.Errorf("snippet of %s = %q, want %q", label, got[label], snippet)
		}
	}

	// A function's snippet puts the cursor between its parentheses.
	c.call("textDocument/completion", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": positionOf(t, text, `command = [`, 0)}, &list)
	for _, it := range list.Items {
		if it.Label == "upper" {
			if it.InsertTextFormat != 2 || it.TextEdit.NewText != "upper($1)" {
				t.Errorf("snippet of upper = %q (format %d), want %q", it.TextEdit.NewText, it.InsertTextFormat, "upper($1)")
			}
			return
		}
	}
	t.Error("upper not offered in a command")
}

// TestVarValueDiagnostics: a bad --var value given to `wurzel lsp` is ranged
// in "<value for var.n>", which is no file: the editor gets it on the open
// document, not on a URI that does not exist.
func TestVarValueDiagnostics(t *testing.T) {
	f := setupWith(t, validMain, Options{Load: lang.Options{Vars: []string{"n=[1"}}})
	got := f.c.publishedDiagnostics(f.mainURI)
	found := false
	for _, d := range got[f.mainURI] {
		found = found || strings.Contains(d.Message, "Invalid value for variable")
	}
	if !found {
		t.Errorf("the --var error is not on the open document: %+v", got)
	}
	for uri := range got {
		if uri != f.mainURI && uri != f.neighbourURI {
			t.Errorf("diagnostics published for %s", uri)
		}
	}
}

// TestEditsDoNotGrowMemory: the server keeps what the last check needs, not
// a copy per edit.
func TestEditsDoNotGrowMemory(t *testing.T) {
	first, last := editHeap(t, 300, 40, 1)
	if last > first+first/4 {
		t.Errorf("the live heap grew from %d to %d bytes over 40 edits", first, last)
	}
}
