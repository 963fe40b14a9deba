// Package lsp is wurzel's language server: it speaks the Language Server
// Protocol (3.16) over a stream, usually the standard input and output of
// `wurzel lsp`, so that editors show the problems `wurzel validate` reports
// while the user types, complete names, document the language on hover, jump
// to definitions, find references, rename declarations across files, outline
// a file and format it.
//
// Diagnostics come from the same code path as `wurzel validate`
// (driver.CheckSources with every target's checks) run on the whole
// pipeline directory of the edited file: the editor's unsaved buffers win
// over the files on disk, and every file of the directory gets its
// diagnostics, or an empty list once it became clean.
//
// Completion of blocks and attributes (native syntax) and hover
// documentation (native syntax, and the keys of JSON files) read the
// language's schema table (lang.Schema), the same table the front end
// decodes with, so the editor never documents an attribute the checker
// would refuse. References are completed in both syntaxes.
//
// A directory is re-checked when one of its documents is opened, saved or
// closed, when the client reports that one of its pipeline files changed on
// disk (workspace/didChangeWatchedFiles), and once typing pauses after a
// change (Options.Debounce, 150 ms by default), so that a burst of keystrokes
// costs one check. A request that reads the check's ranges (hover,
// definition, references, symbols, rename) first checks an edited directory
// itself, so answers always match the text. Completion does not wait: it
// reads the block around the cursor from the text itself, lexing only the
// top-level item that holds it, and names from the last check, so that it
// costs the same in a file of any size, also right after an edit.
//
// Checks keep the parse of every file (lang.ParseCache): a file that did not
// change is not parsed again, and in a changed file only the top-level
// items from the first changed one on are; the cache holds the last version
// of each file only. Clients send changes as ranges (incremental sync).
//
// LSP positions count UTF-16 code units per line; HCL ranges count bytes. A
// document converts between the two (see text.go).
//
// The protocol types and method dispatch are github.com/tliron/glsp's; the
// JSON-RPC connection is github.com/sourcegraph/jsonrpc2, on which glsp
// itself is built, over the server's own base-protocol stream (stream.go):
// a message whose body is not JSON, or not a JSON-RPC request, is answered
// with -32700 or -32600 and the session goes on, where jsonrpc2's codec
// would end it. Requests are handled one at a time in the order they
// arrive. A request that panics is answered with an internal error and
// logged; the session goes on.
package lsp
