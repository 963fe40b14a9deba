package format

import (
	"bytes"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/wurzel-dev/wurzel/internal/srclimit"
	"github.com/wurzel-dev/wurzel/internal/utf8src"
)

// NativeSuffix and JSONSuffix name the two kinds of pipeline files.
const (
	NativeSuffix = ".wurzel.hcl"
	JSONSuffix   = ".wurzel.hcl.json"
)

// IsNativeFile reports whether name is a pipeline file in HCL native syntax,
// the only kind that a directory walk formats.
func IsNativeFile(name string) bool {
	return strings.HasSuffix(name, NativeSuffix)
}

// IsJSONFile reports whether name is in HCL's JSON syntax, which Source
// leaves alone.
func IsJSONFile(name string) bool {
	return strings.HasSuffix(name, ".json")
}

// Source returns src, the contents of the file filename, in canonical layout.
//
// A file that does not parse is never formatted: Source returns nil and the
// parser's diagnostics, ranged in filename, so that a caller leaves the file
// as it is. Files in JSON syntax (by name) come back unchanged.
func Source(filename string, src []byte) ([]byte, hcl.Diagnostics) {
	if IsJSONFile(filename) {
		return src, nil
	}
	if d := utf8src.Check(filename, src); d != nil {
		return nil, hcl.Diagnostics{d}
	}
	if diags := srclimit.Check(filename, src, false); diags.HasErrors() {
		return nil, diags
	}
	// The parser is the judge of validity: hclwrite formats token by token
	// and would happily "format" broken input into different broken input.
	if _, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos); diags.HasErrors() {
		return nil, diags
	}
	normalised := normaliseLineEnds(src)
	out := endWithOneNewline(hclwrite.Format(normalised))
	if r, changed := firstChangedToken(filename, normalised, out); changed {
		// hclwrite decides spacing token by token and can join tokens that
		// the lexer then reads differently ("0 .0" becomes the number
		// "0.0"). A formatter must never change meaning, so refuse.
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot format without changing the expression",
			Detail:   "Formatting would join the tokens here into different ones and so change what the file means. Add or remove the spaces by hand, then format again.",
			Subject:  &r,
		}}
	}
	return out, nil
}

// normaliseLineEnds makes every line end in a bare LF: a CRLF becomes an
// LF, and so do carriage returns that end a line's text ("#\r\r\n"). Such
// a line could not be written back with an LF after it, since its last CR
// and the LF would read as one CRLF the next time, so keeping it would make
// formatting twice differ from formatting once. A carriage return anywhere
// else stays.
func normaliseLineEnds(src []byte) []byte {
	if !bytes.Contains(src, []byte("\r\n")) {
		return src
	}
	out := make([]byte, 0, len(src))
	for i := 0; i < len(src); {
		j := i
		for j < len(src) && src[j] == '\r' {
			j++
		}
		if j > i && j < len(src) && src[j] == '\n' {
			i = j // drop the CRs before the LF
			continue
		}
		if j == i {
			j++
		}
		out = append(out, src[i:j]...)
		i = j
	}
	return out
}

// firstChangedToken compares the tokens of before and after, ignoring
// layout, and returns the range in before of the first token that differs.
func firstChangedToken(filename string, before, after []byte) (hcl.Range, bool) {
	a, b := significant(before, filename), significant(after, filename)
	for i := range a {
		if i >= len(b) || a[i].text != b[i].text {
			return a[i].rng, true
		}
	}
	if len(b) > len(a) {
		if len(a) > 0 {
			return a[len(a)-1].rng, true
		}
		return hcl.Range{Filename: filename, Start: hcl.InitialPos, End: hcl.InitialPos}, true
	}
	return hcl.Range{}, false
}

type token struct {
	text string
	rng  hcl.Range
}

// significant lexes src and keeps what layout cannot change: every token
// but newlines, with comments and heredoc end markers trimmed of trailing
// white space.
func significant(src []byte, filename string) []token {
	lexed, _ := hclsyntax.LexConfig(src, filename, hcl.InitialPos)
	out := make([]token, 0, len(lexed))
	for _, tok := range lexed {
		switch tok.Type {
		case hclsyntax.TokenNewline, hclsyntax.TokenEOF:
			continue
		case hclsyntax.TokenComment, hclsyntax.TokenCHeredoc:
			out = append(out, token{strings.TrimRight(string(tok.Bytes), " \t\r\n"), tok.Range})
		default:
			out = append(out, token{string(tok.Bytes), tok.Range})
		}
	}
	return out
}

// endWithOneNewline trims trailing blank lines and makes a non-empty text end
// with a single newline.
func endWithOneNewline(b []byte) []byte {
	trimmed := bytes.TrimRight(b, " \t\r\n")
	if len(trimmed) == 0 {
		return []byte{}
	}
	out := make([]byte, len(trimmed), len(trimmed)+1)
	copy(out, trimmed)
	return append(out, '\n')
}
