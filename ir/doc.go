// Package ir defines wurzel's intermediate representation: the checked,
// fully evaluated pipeline that the front end (package lang) builds and the
// back ends (packages under targets/) lower.
//
// The IR is made of plain Go values: no HCL or cty types leak out of the front
// end. Every slice is in a deterministic order (steps topologically, ties
// broken by name; everything else by name or declaration order as documented
// on each field), so the same source always yields an identical IR. Source
// ranges are kept on every named object so that passes after the front end can
// still report diagnostics against the user's files.
package ir
