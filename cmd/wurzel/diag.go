package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"

	"github.com/wurzel-dev/wurzel/internal/srclimit"
)

// sources finds the text of the files that diagnostics point into, so that
// both the human and the JSON output can quote them. Files the front end
// parsed are used as they are; any other file (a --var-file, a file given to
// fmt on stdin) is added with add or read from disk on first use.
type sources struct {
	files   map[string]*hcl.File
	raw     map[string][]byte
	indexes map[string]*fileIndex
	// cwd is the directory that filenames are shown relative to; empty
	// means show them as they are.
	cwd string
}

func newSources(files map[string]*hcl.File) *sources {
	cwd, _ := os.Getwd()
	return &sources{files: files, raw: map[string][]byte{}, cwd: cwd}
}

// add records the text of filename, for sources that are not on disk.
func (s *sources) add(filename string, src []byte) { s.raw[filename] = src }

// bytes returns the text of filename, or nil when it cannot be found.
func (s *sources) bytes(filename string) []byte {
	if f, ok := s.files[filename]; ok && f != nil && f.Bytes != nil {
		return f.Bytes
	}
	if src, ok := s.raw[filename]; ok {
		return src
	}
	src, err := os.ReadFile(filename)
	if err != nil {
		src = nil
	}
	s.raw[filename] = src // remember failures too: read each file once
	return src
}

// file returns the parsed file filename with text src, parsing it when the
// front end did not, so that snippets can name their enclosing block. A file
// with syntax errors still yields what the parser recovered.
func (s *sources) file(filename string, src []byte) *hcl.File {
	if f, ok := s.files[filename]; ok {
		return f
	}
	var f *hcl.File
	json := strings.HasSuffix(filename, ".json")
	switch {
	case srclimit.Check(filename, src, json).HasErrors():
		// Too deep to parse safely: snippets go without their context.
		f = &hcl.File{Bytes: src}
	case json:
		f, _ = hcljson.Parse(src, filename)
	default:
		f, _ = hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	}
	if s.files == nil {
		s.files = map[string]*hcl.File{}
	}
	s.files[filename] = f
	return f
}

// display returns filename as the user should see it: relative to the
// current directory when it lies below it.
func (s *sources) display(filename string) string {
	if s.cwd == "" || filename == "" || strings.HasPrefix(filename, "<") {
		return filename
	}
	abs, err := filepath.Abs(filename)
	if err != nil {
		return filename
	}
	rel, err := filepath.Rel(s.cwd, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filename
	}
	return rel
}

// displayText rewrites the absolute paths below the current directory in a
// diagnostic's text as relative ones, as display does for its range, so
// that "already declared at a.wurzel.hcl:5" reads the same whether the
// pipeline was named by a relative or an absolute path.
func (s *sources) displayText(text string) string {
	if s.cwd == "" || s.cwd == string(filepath.Separator) {
		return text
	}
	return strings.ReplaceAll(text, s.cwd+string(filepath.Separator), "")
}

// snippet is the quoted source of one diagnostic: whole lines of code, with
// the subject's bytes marked by offsets into Code.
type snippet struct {
	// Context names the enclosing block, like `step "embed"`; empty when
	// unknown.
	Context   string
	Code      string
	StartLine int
	// HighlightStart and HighlightEnd are byte offsets into Code.
	HighlightStart, HighlightEnd int
	Values                       []exprValue
}

// exprValue is a variable the diagnostic's expression refers to, with a
// short description of its value, like `var.chunk_tokens` `is -1`.
type exprValue struct {
	Traversal string `json:"traversal"`
	Statement string `json:"statement"`
}

// snippetOf quotes the source of d, or returns nil when d has no subject or
// its file cannot be read.
func (s *sources) snippetOf(d *hcl.Diagnostic) *snippet {
	if d.Subject == nil || d.Subject.Filename == "" {
		return nil
	}
	src := s.bytes(d.Subject.Filename)
	if src == nil {
		return nil
	}
	highlight := *d.Subject
	if highlight.End.Byte < highlight.Start.Byte {
		highlight.End = highlight.Start // a malformed range: show its start
	}
	if highlight.Empty() {
		// Show at least one character so that the reader sees where.
		highlight.End.Byte++
		highlight.End.Column++
	}
	covered := highlight
	if d.Context != nil && d.Context.Filename == highlight.Filename {
		covered = hcl.RangeOver(covered, *d.Context)
	}

	ix := s.index(highlight.Filename, src)
	var code bytes.Buffer
	codeStart, startLine := -1, 0
	for i := ix.lineOf(max(0, covered.Start.Byte-1)); i < len(ix.lineStarts); i++ {
		start, end := ix.line(src, i)
		if start >= covered.End.Byte {
			break
		}
		if !lineTouches(start, end, covered) {
			continue
		}
		if codeStart < 0 {
			codeStart, startLine = start, i+1
		}
		code.Write(src[start:end])
		code.WriteByte('\n')
	}
	if codeStart < 0 {
		return nil
	}
	text := strings.TrimSuffix(code.String(), "\n")
	sn := &snippet{
		Code:           text,
		StartLine:      startLine,
		HighlightStart: clamp(highlight.Start.Byte-codeStart, 0, len(text)),
		HighlightEnd:   clamp(highlight.End.Byte-codeStart, 0, len(text)),
		Values:         expressionValues(d),
	}
	if highlight.Start.Byte > 0 {
		sn.Context = ix.context(highlight.Start.Byte - 1)
	}
	return sn
}

// lineTouches reports whether the line [start, end) shares a byte with r,
// or holds the position of an empty r.
func lineTouches(start, end int, r hcl.Range) bool {
	// end excludes the newline; a range may end just after it.
	return start < r.End.Byte && end >= r.Start.Byte
}

// index returns the index of filename, whose text is src, made on first use.
func (s *sources) index(filename string, src []byte) *fileIndex {
	if ix, ok := s.indexes[filename]; ok {
		return ix
	}
	ix := newFileIndex(src, s.file(filename, src), strings.HasSuffix(filename, ".json"))
	if s.indexes == nil {
		s.indexes = map[string]*fileIndex{}
	}
	s.indexes[filename] = ix
	return ix
}

func clamp(n, lo, hi int) int {
	return max(lo, min(n, hi))
}

// expressionValues describes the values of the variables that d's
// expression refers to, as far as d's evaluation context knows them, sorted
// and without duplicates. Marked values (sensitive ones) are never shown.
func expressionValues(d *hcl.Diagnostic) []exprValue {
	if d.Expression == nil || d.EvalContext == nil {
		return nil
	}
	seen := map[string]bool{}
	var out []exprValue
	for _, traversal := range d.Expression.Variables() {
		name := traversalString(traversal)
		if seen[name] {
			continue
		}
		val, diags := traversal.TraverseAbs(d.EvalContext)
		if diags.HasErrors() {
			continue
		}
		statement, ok := describeValue(val)
		if !ok {
			continue
		}
		seen[name] = true
		out = append(out, exprValue{Traversal: name, Statement: statement})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Traversal < out[j].Traversal })
	return out
}

// traversalString writes a traversal as it appears in source, like
// `step.split.output.chunks` or `var.list[0]`.
func traversalString(t hcl.Traversal) string {
	var b strings.Builder
	for _, step := range t {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			b.WriteString(s.Name)
		case hcl.TraverseAttr:
			b.WriteString("." + s.Name)
		case hcl.TraverseIndex:
			if s.Key.Type() == cty.String && s.Key.IsKnown() && !s.Key.IsMarked() {
				fmt.Fprintf(&b, "[%q]", s.Key.AsString())
			} else if s.Key.Type() == cty.Number && s.Key.IsKnown() && !s.Key.IsMarked() {
				b.WriteString("[" + s.Key.AsBigFloat().Text('f', -1) + "]")
			} else {
				b.WriteString("[...]")
			}
		default:
			b.WriteString("[...]")
		}
	}
	return b.String()
}

// describeValue returns a short statement about v, like `is "abc"` or `is a
// list of string with 3 elements`; ok is false for values that must not or
// cannot be shown (unknown or marked sensitive).
func describeValue(v cty.Value) (statement string, ok bool) {
	if v.IsMarked() {
		return "has a sensitive value", true
	}
	if !v.IsKnown() {
		return "", false
	}
	if v.IsNull() {
		return "is null", true
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		s := v.AsString()
		if len(s) > 80 {
			s = s[:77] + "..."
		}
		return fmt.Sprintf("is %q", s), true
	case ty == cty.Number:
		return "is " + v.AsBigFloat().Text('g', -1), true
	case ty == cty.Bool:
		return fmt.Sprintf("is %t", v.True()), true
	case ty.IsListType(), ty.IsSetType(), ty.IsMapType():
		kind := "list"
		if ty.IsSetType() {
			kind = "set"
		} else if ty.IsMapType() {
			kind = "map"
		}
		return fmt.Sprintf("is a %s of %s with %s", kind, ty.ElementType().FriendlyName(), plural(v.LengthInt(), "element")), true
	case ty.IsTupleType():
		return fmt.Sprintf("is a tuple with %s", plural(v.LengthInt(), "element")), true
	case ty.IsObjectType():
		return fmt.Sprintf("is an object with %s", plural(len(ty.AttributeTypes()), "attribute")), true
	}
	return "is a " + ty.FriendlyName(), true
}

// plural writes n with noun, adding an "s" unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// countDiagnostics returns the number of errors and warnings in diags.
func countDiagnostics(diags hcl.Diagnostics) (errors, warnings int) {
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			errors++
		} else {
			warnings++
		}
	}
	return errors, warnings
}
