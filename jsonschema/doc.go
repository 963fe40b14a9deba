// Package jsonschema generates the JSON Schema (draft 2020-12) of pipeline
// files written in HCL's JSON syntax (.wurzel.hcl.json), from the language's
// schema table (lang.Schema), the same table the front end decodes with.
// Editors use it to complete and check JSON pipeline files and to show the
// language's documentation on hover; `wurzel schema` prints it.
//
// The schema follows HCL's JSON mapping: a block type is a property whose
// value is an object keyed by the block's labels, one level per label, ending
// in the block's body; a block may also be given as an array of such objects.
// Any string value may be an HCL template ("${var.x}"), so an attribute of a
// non-string type also accepts a string holding an interpolation. A body
// accepts only the attributes and blocks the language defines, and "//"
// comment properties.
package jsonschema
