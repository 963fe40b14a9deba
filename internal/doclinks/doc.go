// Package doclinks keeps the repository's Markdown documentation true to
// itself: its test follows every relative link in README.md and docs/ and
// fails on a file that does not exist or a heading that is not there. The
// package has no code of its own.
package doclinks
