package format

import (
	"bytes"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
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
	// The parser is the judge of validity: hclwrite formats token by token
	// and would happily "format" broken input into different broken input.
	if _, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos); diags.HasErrors() {
		return nil, diags
	}
	normalised := bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	return endWithOneNewline(hclwrite.Format(normalised)), nil
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
