package main

import (
	"encoding/json"
	"io"

	"github.com/hashicorp/hcl/v2"
)

// The machine-readable output of validate follows Terraform's `validate
// -json` so that editors and CI tools that read one can read the other.
// format_version changes in its major part only for incompatible changes.
const jsonFormatVersion = "1.0"

type jsonValidateOutput struct {
	FormatVersion string           `json:"format_version"`
	Valid         bool             `json:"valid"`
	ErrorCount    int              `json:"error_count"`
	WarningCount  int              `json:"warning_count"`
	Diagnostics   []jsonDiagnostic `json:"diagnostics"`
}

type jsonDiagnostic struct {
	Severity string       `json:"severity"`
	Summary  string       `json:"summary"`
	Detail   string       `json:"detail"`
	Range    *jsonRange   `json:"range,omitempty"`
	Snippet  *jsonSnippet `json:"snippet,omitempty"`
}

// jsonRange is a half-open span: Start inclusive, End exclusive. Line and
// column are 1-based, column counting characters; byte is 0-based.
type jsonRange struct {
	Filename string  `json:"filename"`
	Start    jsonPos `json:"start"`
	End      jsonPos `json:"end"`
}

type jsonPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

type jsonSnippet struct {
	// Context is null when the subject is not inside a block.
	Context              *string     `json:"context"`
	Code                 string      `json:"code"`
	StartLine            int         `json:"start_line"`
	HighlightStartOffset int         `json:"highlight_start_offset"`
	HighlightEndOffset   int         `json:"highlight_end_offset"`
	Values               []exprValue `json:"values"`
}

// writeValidateJSON writes diags as one indented JSON document.
func writeValidateJSON(w io.Writer, src *sources, diags hcl.Diagnostics) error {
	errs, warns := countDiagnostics(diags)
	out := jsonValidateOutput{
		FormatVersion: jsonFormatVersion,
		Valid:         errs == 0,
		ErrorCount:    errs,
		WarningCount:  warns,
		Diagnostics:   make([]jsonDiagnostic, 0, len(diags)),
	}
	for _, d := range diags {
		out.Diagnostics = append(out.Diagnostics, toJSONDiagnostic(src, d))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// Source code and pseudo-file names ("<value for var.x>") read as
	// written; this is not HTML.
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

func toJSONDiagnostic(src *sources, d *hcl.Diagnostic) jsonDiagnostic {
	jd := jsonDiagnostic{Severity: severityName(d.Severity), Summary: d.Summary, Detail: src.displayText(d.Detail)}
	if d.Subject == nil {
		return jd
	}
	jd.Range = &jsonRange{
		Filename: src.display(d.Subject.Filename),
		Start:    jsonPos(d.Subject.Start),
		End:      jsonPos(d.Subject.End),
	}
	if sn := src.snippetOf(d); sn != nil {
		js := &jsonSnippet{
			Code:                 sn.Code,
			StartLine:            sn.StartLine,
			HighlightStartOffset: sn.HighlightStart,
			HighlightEndOffset:   sn.HighlightEnd,
			Values:               sn.Values,
		}
		if js.Values == nil {
			js.Values = []exprValue{}
		}
		if sn.Context != "" {
			js.Context = &sn.Context
		}
		jd.Snippet = js
	}
	return jd
}

func severityName(s hcl.DiagnosticSeverity) string {
	if s == hcl.DiagWarning {
		return "warning"
	}
	return "error"
}
