// Package format gives wurzel files their canonical layout.
//
// The canonical layout is hclwrite's: indentation, spacing around `=` and
// operators, and aligned `=` signs in runs of attributes. Formatting changes
// only whitespace: it never rewrites, reorders or removes expressions,
// comments or blocks, so the formatted file means exactly what the original
// meant. On top of hclwrite it normalises line endings to "\n" and ends every
// non-empty file with exactly one newline, as gofmt does.
//
// Files in HCL's JSON syntax are left alone. Source is a pure function so
// that the command line and the language server format alike.
package format
