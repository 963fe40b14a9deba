// Package lang is wurzel's front end: it parses .wurzel.hcl and
// .wurzel.hcl.json files, decodes every block against an explicit schema,
// resolves references, type-checks and evaluates expressions, and builds the
// IR (package ir). Every problem is an hcl.Diagnostic with a source
// range; loading never stops at the first error.
//
// Load and LoadSources run these phases in order:
//
//   - parse: each file with the parser its suffix asks for; a native file
//     item by item (each top-level block or attribute on its own, in
//     parallel, at its place in the file), which gives the body a parse of
//     the whole file gives and lets a ParseCache (Options.Cache) reparse
//     only the items from a change on; a file with a syntax error is
//     parsed whole, so that the parser's recovery and messages are its
//     own (parsecache.go);
//   - decode: each top-level block with its decodeXBlock function
//     (pipeline.go, variable.go, locals.go, secret.go, volume.go, step.go),
//     recording declarations (Result.Decls) and reporting duplicates across
//     files;
//   - variables: defaults, WURZEL_VAR_<name>, --var-file, --var, then
//     validations; sensitive values are marked;
//   - locals: evaluated in dependency order (cycles reported);
//   - evaluate: every attribute, converted to the type the schema gives and
//     checked (names, paths, durations, quantities, cron, time zones, enums,
//     environment names, sensitive values), with the ranges of what was
//     written kept in the IR's typed Ranges fields;
//   - instances (foreach.go): before any step is evaluated, each step's
//     for_each is, and the step becomes one instance per key (<step>-<key>);
//     its attributes are then evaluated once per instance with each in
//     scope, and identical diagnostics and references are kept once.
//     References to steps (stepref.go) choose instances: step.x["k"],
//     step.x[each.key], step.x[*] (a fan-in);
//   - back ends' blocks (extension.go): the blocks back ends add to the
//     language (Options.Schema) are decoded generically, against their
//     schema, into ir.Block values that the back end reads;
//   - graph: from and depends_on resolved statically, input types checked
//     against their producers, cycles found (Tarjan), steps ordered (Kahn,
//     ties by name);
//   - warnings: unused variables, secrets and volumes. What a secret needs
//     to run somewhere (a kubernetes or local source) is for the targets to
//     say.
//
// Before parsing, internal/srclimit refuses source nested too deeply for
// the parsers' recursion, and finds where the top-level items start. Every
// evaluation goes through loader.eval, which charges a budget per load
// (budget.go; instrument.go wraps the nodes of the expression tree that
// cost, numbers.go bounds numbers; JSON syntax is evaluated by jsoneval.go
// so that its templates are instrumented too); every function is wrapped by
// guard (guard.go), which keeps sensitive marks on results, turns panics
// and infinite numbers into errors and charges the budget. docs/limits.md
// lists the bounds.
//
// Schema (schema.go) describes the language's own blocks; with the back
// ends' blocks (package driver puts them together) it is the single
// description of the language: the decoders, docs/language.md, editor help
// and the JSON Schema are all derived from it.
package lang
