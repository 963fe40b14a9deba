package utf8src

import (
	"fmt"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// Check returns nil when src is valid UTF-8, and otherwise an error
// diagnostic ranged on the first byte that is not.
func Check(filename string, src []byte) *hcl.Diagnostic {
	if utf8.Valid(src) {
		return nil
	}
	line, col, off := 1, 1, 0
	for off < len(src) {
		r, size := utf8.DecodeRune(src[off:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		off += size
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Invalid UTF-8",
		Detail:   fmt.Sprintf("Pipeline files must be UTF-8 text, but the byte 0x%02X here does not start a valid UTF-8 character. Save the file as UTF-8.", src[off]),
		Subject: &hcl.Range{
			Filename: filename,
			Start:    hcl.Pos{Line: line, Column: col, Byte: off},
			End:      hcl.Pos{Line: line, Column: col + 1, Byte: off + 1},
		},
	}
}
