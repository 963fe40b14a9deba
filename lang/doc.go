// Package lang is wurzel's front end: it parses .wurzel.hcl and
// .wurzel.hcl.json files, decodes every block against an explicit schema,
// resolves references, type-checks and evaluates expressions, and builds the
// IR (package compiler/ir). Every problem is an hcl.Diagnostic with a source
// range; loading never stops at the first error.
package lang
