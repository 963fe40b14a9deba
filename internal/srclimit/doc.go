// Package srclimit checks the shape of pipeline source before it is parsed.
//
// HCL's parsers, and everything that later walks what they build, recurse
// once per level of nesting. Go cannot recover from a stack overflow: a file
// of 100,000 opening parentheses would kill validate, fmt and the language
// server with it. Check refuses, with a ranged error, source that nests
// deeper than MaxNesting or holds more than MaxTokens tokens, by scanning it
// once without building anything. It also finds what may make the text
// mean something else than it shows: bidirectional control characters
// ("Trojan Source") and identifiers that mix scripts (Confusables).
package srclimit
