package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/wurzel-dev/wurzel/internal/srclimit"
)

const diagSource = `pipeline "p" {
  image = "i"
}

step "split" {
  command  = ["split", var.mode]
  settings = {
    size  = var.size
    token = var.token
  }
}
`

// parseDiagSource parses diagSource and returns the file and the
// attributes of its step block by name.
func parseDiagSource(t *testing.T) (*hcl.File, map[string]*hclsyntax.Attribute) {
	t.Helper()
	f, diags := hclsyntax.ParseConfig([]byte(diagSource), "p.wurzel.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	step := f.Body.(*hclsyntax.Body).Blocks[1]
	return f, step.Body.Attributes
}

func evalContext() *hcl.EvalContext {
	return &hcl.EvalContext{Variables: map[string]cty.Value{
		"var": cty.ObjectVal(map[string]cty.Value{
			"mode":  cty.StringVal("words"),
			"size":  cty.NumberIntVal(-3),
			"token": cty.StringVal("s3cr3t").Mark("sensitive"),
		}),
	}}
}

func TestSnippetSingleLine(t *testing.T) {
	f, attrs := parseDiagSource(t)
	expr := attrs["command"].Expr
	d := &hcl.Diagnostic{
		Severity:    hcl.DiagError,
		Summary:     "Invalid command",
		Subject:     expr.Range().Ptr(),
		Expression:  expr,
		EvalContext: evalContext(),
	}
	src := &sources{files: map[string]*hcl.File{"p.wurzel.hcl": f}, raw: map[string][]byte{}}
	sn := src.snippetOf(d)
	if sn == nil {
		t.Fatal("no snippet")
	}
	want := &snippet{
		Context:        `step "split"`,
		Code:           `  command  = ["split", var.mode]`,
		StartLine:      6,
		HighlightStart: 13,
		HighlightEnd:   32,
		Values:         []exprValue{{Traversal: "var.mode", Statement: `is "words"`}},
	}
	if diff := cmp.Diff(want, sn); diff != "" {
		t.Errorf("snippet (-want +got):\n%s", diff)
	}
	if got := sn.Code[sn.HighlightStart:sn.HighlightEnd]; got != `["split", var.mode]` {
		t.Errorf("highlighted %q", got)
	}
}

func TestSnippetNeverShowsSensitiveValues(t *testing.T) {
	f, attrs := parseDiagSource(t)
	settings := attrs["settings"].Expr
	d := &hcl.Diagnostic{
		Severity:    hcl.DiagError,
		Summary:     "Invalid settings",
		Subject:     settings.Range().Ptr(),
		Expression:  settings,
		EvalContext: evalContext(),
	}
	src := &sources{files: map[string]*hcl.File{"p.wurzel.hcl": f}, raw: map[string][]byte{}}
	var text bytes.Buffer
	(&diagWriter{w: &text, src: src}).write(d)
	var js bytes.Buffer
	if err := writeValidateJSON(&js, src, hcl.Diagnostics{d}); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"text": text.String(), "json": js.String()} {
		if strings.Contains(out, "s3cr3t") {
			t.Errorf("%s output shows a sensitive value:\n%s", name, out)
		}
		if !strings.Contains(out, "has a sensitive value") || !strings.Contains(out, "is -3") {
			t.Errorf("%s output lacks the values of the expression:\n%s", name, out)
		}
	}
}

func TestTextMultiLineSubject(t *testing.T) {
	f, attrs := parseDiagSource(t)
	settings := attrs["settings"].Expr
	d := &hcl.Diagnostic{
		Severity: hcl.DiagWarning,
		Summary:  "Odd settings",
		Detail:   "Settings become environment variables.",
		Subject:  settings.Range().Ptr(),
	}
	src := &sources{files: map[string]*hcl.File{"p.wurzel.hcl": f}, raw: map[string][]byte{}}
	var out bytes.Buffer
	(&diagWriter{w: &out, src: src}).write(d)
	want := `Warning: Odd settings

  on p.wurzel.hcl:7:14, in step "split":
   7 |   settings = {
     |              ^
   8 |     size  = var.size
     |     ^^^^^^^^^^^^^^^^
   9 |     token = var.token
     |     ^^^^^^^^^^^^^^^^^
  10 |   }
     |   ^

Settings become environment variables.

`
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("text (-want +got):\n%s", diff)
	}
}

func TestTextLongSubjectIsElided(t *testing.T) {
	src := []byte("x = [\n" + strings.Repeat("  1,\n", 20) + "]\n")
	f, diags := hclsyntax.ParseConfig(src, "long.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	attr := f.Body.(*hclsyntax.Body).Attributes["x"]
	d := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Long", Subject: attr.Expr.Range().Ptr()}
	var out bytes.Buffer
	(&diagWriter{w: &out, src: &sources{files: map[string]*hcl.File{"long.hcl": f}}}).write(d)
	text := out.String()
	if !strings.Contains(text, " | ...\n") {
		t.Errorf("long subject not elided:\n%s", text)
	}
	if lines := strings.Count(text, " | "); lines > 2*maxSnippetLines+1 {
		t.Errorf("%d snippet lines for a long subject:\n%s", lines, text)
	}
	if !strings.Contains(text, "   1 | x = [") || !strings.Contains(text, "  22 | ]") {
		t.Errorf("first or last line of the subject missing:\n%s", text)
	}
}

func TestTextEmptySubjectGetsOneCaret(t *testing.T) {
	src := []byte("a = 1\n\tb = \n")
	_, diags := hclsyntax.ParseConfig(src, "e.hcl", hcl.InitialPos)
	if !diags.HasErrors() {
		t.Fatal("want a parse error")
	}
	s := &sources{raw: map[string][]byte{"e.hcl": src}}
	var out bytes.Buffer
	(&diagWriter{w: &out, src: s}).write(diags[0])
	if !strings.Contains(out.String(), "  2 | \tb = \n    | \t    ^\n") {
		t.Errorf("want one caret after the tab-indented text:\n%q", out.String())
	}
}

func TestJSONDiagnostics(t *testing.T) {
	f, attrs := parseDiagSource(t)
	expr := attrs["command"].Expr
	diags := hcl.Diagnostics{
		{Severity: hcl.DiagError, Summary: "Bad", Detail: "Why.", Subject: expr.Range().Ptr()},
		{Severity: hcl.DiagWarning, Summary: "No place"},
	}
	var out bytes.Buffer
	src := &sources{files: map[string]*hcl.File{"p.wurzel.hcl": f}, raw: map[string][]byte{}}
	if err := writeValidateJSON(&out, src, diags); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"format_version": "1.0",
		"valid":          false,
		"error_count":    1.0,
		"warning_count":  1.0,
		"diagnostics": []any{
			map[string]any{
				"severity": "error",
				"summary":  "Bad",
				"detail":   "Why.",
				"range": map[string]any{
					"filename": "p.wurzel.hcl",
					"start":    map[string]any{"line": 6.0, "column": 14.0, "byte": 60.0},
					"end":      map[string]any{"line": 6.0, "column": 33.0, "byte": 79.0},
				},
				"snippet": map[string]any{
					"context":                `step "split"`,
					"code":                   `  command  = ["split", var.mode]`,
					"start_line":             6.0,
					"highlight_start_offset": 13.0,
					"highlight_end_offset":   32.0,
					"values":                 []any{},
				},
			},
			map[string]any{"severity": "warning", "summary": "No place", "detail": ""},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("JSON (-want +got):\n%s", diff)
	}
}

func TestDisplayIsRelativeToTheWorkingDirectory(t *testing.T) {
	cwd := t.TempDir()
	s := &sources{cwd: cwd}
	for in, want := range map[string]string{
		filepath.Join(cwd, "a", "p.wurzel.hcl"): filepath.Join("a", "p.wurzel.hcl"),
		"/elsewhere/p.wurzel.hcl":               "/elsewhere/p.wurzel.hcl",
		"<stdin>":                               "<stdin>",
	} {
		if got := s.display(in); got != want {
			t.Errorf("display(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestColorFor(t *testing.T) {
	var buf bytes.Buffer
	tests := []struct {
		environ []string
		want    bool
	}{
		{nil, false}, // not a terminal
		{[]string{"CLICOLOR_FORCE=1"}, true},
		{[]string{"CLICOLOR_FORCE=0"}, false},
		{[]string{"CLICOLOR_FORCE=1", "NO_COLOR=1"}, false},
		{[]string{"NO_COLOR="}, false},
	}
	for _, tt := range tests {
		if got := colorFor(&buf, tt.environ).on; got != tt.want {
			t.Errorf("colorFor(buffer, %q) = %v, want %v", tt.environ, got, tt.want)
		}
	}
	// A regular file is not a terminal either.
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if colorFor(f, nil).on {
		t.Error("colour on for a regular file")
	}
}

// FuzzDiagnostics prints the diagnostics of arbitrary sources, also with
// subjects moved out of place, in both formats: printing must never panic
// and the JSON must stay valid.
func FuzzDiagnostics(f *testing.F) {
	for _, seed := range []string{
		"a = = 1\n",
		"step \"x\" {\n  command = [\"a\"\n}\n",
		"x = <<EOT\n\thi\n",
		"\xff\xfe = 1",
		"a = \"\u00e9\u00e9\u00e9\" +\n",
		"{\"step\": {\"a\": [}}",
	} {
		f.Add([]byte(seed), 0, 3)
	}
	f.Fuzz(func(t *testing.T, src []byte, shift, width int) {
		diags := srclimit.Check("f.wurzel.hcl", src, false)
		if !diags.HasErrors() { // what wurzel never parses, it never prints from a parse
			_, diags = hclsyntax.ParseConfig(src, "f.wurzel.hcl", hcl.InitialPos)
		}
		// A subject pointing anywhere, even outside the file or backwards.
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagWarning,
			Summary:  "Anywhere",
			Subject: &hcl.Range{
				Filename: "f.wurzel.hcl",
				Start:    hcl.Pos{Line: 1, Column: 1, Byte: shift},
				End:      hcl.Pos{Line: 1, Column: 1, Byte: shift + width},
			},
		})
		s := &sources{raw: map[string][]byte{"f.wurzel.hcl": src}}
		var text, js bytes.Buffer
		(&diagWriter{w: &text, src: s, pal: palette{on: true}}).writeAll(diags)
		if err := writeValidateJSON(&js, s, diags); err != nil {
			t.Fatal(err)
		}
		if !json.Valid(js.Bytes()) {
			t.Fatalf("invalid JSON: %s", js.Bytes())
		}
	})
}

func TestTextLongLineIsCropped(t *testing.T) {
	// A JSON pipeline on one line, with the problem far to the right.
	padding := strings.Repeat(`"k": 1, `, 100)
	src := []byte(`{` + padding + `"bad": 1}`)
	at := bytes.Index(src, []byte(`"bad"`))
	d := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Far", Subject: &hcl.Range{
		Filename: "one.wurzel.hcl.json",
		Start:    hcl.Pos{Line: 1, Column: at + 1, Byte: at},
		End:      hcl.Pos{Line: 1, Column: at + 6, Byte: at + 5},
	}}
	var out bytes.Buffer
	(&diagWriter{w: &out, src: &sources{raw: map[string][]byte{"one.wurzel.hcl.json": src}}}).write(d)
	lines := strings.Split(out.String(), "\n")
	var code, marks string
	for i, l := range lines {
		if strings.HasPrefix(l, "  1 | ") {
			code, marks = l, lines[i+1]
		}
	}
	if len(code) > maxLineBytes+20 {
		t.Errorf("line not cropped: %d bytes", len(code))
	}
	if !strings.Contains(code, `| ..."k"`) || !strings.HasSuffix(code, `"bad": 1}`) {
		t.Errorf("cropped line %q lacks the start marker or the highlighted end", code)
	}
	if col := strings.Index(marks, "^^^^^"); col < 0 || code[col:col+5] != `"bad"` {
		t.Errorf("carets not under the subject:\n%s\n%s", code, marks)
	}
}

func TestTextReplacesControlCharacters(t *testing.T) {
	src := []byte("a = \"\x1b[31mred\"\n")
	d := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Sum\x1b[2J", Detail: "De\x07tail", Subject: &hcl.Range{
		Filename: "c.hcl",
		Start:    hcl.Pos{Line: 1, Column: 5, Byte: 4},
		End:      hcl.Pos{Line: 1, Column: 15, Byte: 14},
	}}
	var out bytes.Buffer
	(&diagWriter{w: &out, src: &sources{raw: map[string][]byte{"c.hcl": src}}}).write(d)
	if strings.ContainsAny(out.String(), "\x1b\x07") {
		t.Errorf("control characters reach the terminal: %q", out.String())
	}
	if !strings.Contains(out.String(), "  1 | a = \"?[31mred\"\n    |     ^^^^^^^^^^\n") {
		t.Errorf("unexpected snippet: %q", out.String())
	}
}
