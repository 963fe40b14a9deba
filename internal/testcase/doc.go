// Package testcase reads the pipelines the repository keeps for its tests:
// the examples, and the front end's txtar cases under testdata/valid (the
// pipeline files, an optional "options" section, and expectation sections
// such as "ir.json" and "diagnostics"). Every package that tests against
// these pipelines reads them here, the same way.
package testcase
