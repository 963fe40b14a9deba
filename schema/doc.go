// Package schema describes the shape of wurzel's language as data: block
// types with their labels, attributes and nested blocks, and the types,
// formats, defaults and allowed values of attributes.
//
// The front end (package lang) decodes every block against these tables;
// the generated language reference, the language server's hover and
// completion and `wurzel schema` read the same tables. Back ends add blocks
// of their own (an `argo` block in `pipeline`, say) as Extensions: the front
// end decodes them generically into ir.Block values, and the back end reads
// those through the typed handles of this package (String, Bool, Int,
// StringMap, Nested, ...), so that the name written in the table and the
// name read by the back end are one Go value and cannot drift apart.
//
// The package also owns the value formats ("duration", "cron", "timezone",
// "quantity", ...) and their checks. It depends on the IR, never on HCL.
package schema
