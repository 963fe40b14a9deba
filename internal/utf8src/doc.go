// Package utf8src refuses pipeline files that are not UTF-8 text, with a
// diagnostic at the first offending byte. HCL's scanner reads invalid bytes
// as parts of identifiers, so such a file "parses" into names nobody wrote,
// and a line ending next to an invalid byte can even change what the file
// means once its line endings are normalised (as `wurzel fmt` does).
package utf8src
