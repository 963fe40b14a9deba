package ir

import "fmt"

// Pos is a position in a source file. Line and Column are 1-based, Byte is a
// 0-based offset, as in hcl.Pos.
type Pos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

// Range is a span of source text, as in hcl.Range.
type Range struct {
	Filename string `json:"filename"`
	Start    Pos    `json:"start"`
	End      Pos    `json:"end"`
}

// String formats the range like the Go toolchain does: file:line:column.
func (r Range) String() string {
	if r.Filename == "" {
		return "<unknown>"
	}
	return fmt.Sprintf("%s:%d:%d", r.Filename, r.Start.Line, r.Start.Column)
}

// Severity of a Diagnostic.
type Severity int

const (
	// Error makes the pipeline invalid.
	Error Severity = iota
	// Warning is reported but does not make the pipeline invalid.
	Warning
)

// Diagnostic is a problem found by a pass that runs after the front end, for
// example a target's own checks. The driver converts these to hcl.Diagnostics,
// so back ends never import HCL.
type Diagnostic struct {
	Severity Severity
	Summary  string
	Detail   string
	// Subject is the source range the problem is about. It may be the zero
	// Range when no better place is known.
	Subject Range
	// Requirement marks an error that is not a mistake in the pipeline but
	// something one target needs to run it (an image for Argo, a local
	// secret source for DVC). Checking without a chosen target reports it as
	// a warning; see backend.Lenient.
	Requirement bool
}

// Errorf is a shorthand for an error Diagnostic.
func Errorf(subject Range, summary, detailFormat string, args ...any) Diagnostic {
	return Diagnostic{Severity: Error, Summary: summary, Detail: fmt.Sprintf(detailFormat, args...), Subject: subject}
}

// Requiref is a shorthand for an error Diagnostic with Requirement set.
func Requiref(subject Range, summary, detailFormat string, args ...any) Diagnostic {
	d := Errorf(subject, summary, detailFormat, args...)
	d.Requirement = true
	return d
}

// Warningf is a shorthand for a warning Diagnostic.
func Warningf(subject Range, summary, detailFormat string, args ...any) Diagnostic {
	return Diagnostic{Severity: Warning, Summary: summary, Detail: fmt.Sprintf(detailFormat, args...), Subject: subject}
}

// IsZero reports whether r is the zero Range: no place is known.
func (r Range) IsZero() bool { return r == Range{} }

// Or returns r, or fallback when r is the zero Range.
func (r Range) Or(fallback Range) Range {
	if r.IsZero() {
		return fallback
	}
	return r
}

// ListRanges are where a list attribute and its elements were written.
type ListRanges struct {
	// Range is the whole expression; zero when the attribute is not set.
	Range Range `json:",omitzero"`
	// Elems holds one range per element when the list was written out
	// element by element; nil when it was computed (a function call, a
	// variable).
	Elems []Range `json:",omitempty"`
}

// Elem returns where element i was written, or the whole list's range.
func (l ListRanges) Elem(i int) Range {
	if i >= 0 && i < len(l.Elems) {
		return l.Elems[i].Or(l.Range)
	}
	return l.Range
}

// MapRanges are where a map attribute and its values were written.
type MapRanges struct {
	// Range is the whole expression; zero when the attribute is not set.
	Range Range `json:",omitzero"`
	// Keys holds the range of each value written out by key; a key of a
	// computed map has none.
	Keys map[string]Range `json:",omitempty"`
}

// Key returns where the value of key k was written, or the whole map's
// range.
func (m MapRanges) Key(k string) Range {
	if r, ok := m.Keys[k]; ok {
		return r.Or(m.Range)
	}
	return m.Range
}
