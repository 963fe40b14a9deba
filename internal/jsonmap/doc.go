// Package jsonmap maps small JSON documents (a step spec, a manifest) onto
// Go values without reflection, for programs that read one of each and
// end: encoding/json's first look at a struct type costs such a process
// more than the reading. A decoder built from its functions takes only
// what encoding/json decodes to the same value, and stops (reports false
// from Decode) on anything else, which its caller then hands to
// encoding/json: bytes that are not UTF-8, a document that is not valid
// JSON or not an object, a name the decoder does not know (encoding/json
// also matches names in another case), a name given twice (encoding/json
// merges the values), a value of another type. Lexing is easyjson's
// jlexer; easyjson's root package, which links net/http, is not imported.
package jsonmap
