// Package guardian is the guardian process that package guard starts: the
// init function of this package turns a copy of the runner's executable
// started under the name Argv0 into the guardian before main runs.
//
// Go initialises every package a program links before main, and a
// package as soon as the packages it imports are initialised and those
// that sort before it are not ready yet. A guardian ends in this package's
// init, so it imports as little as it can (no strings, bytes, os/exec,
// os/signal or fmt): the packages it would wait for, and those their
// imports let go first (unicode's tables, the command line's), would be
// initialised in every guardian for nothing.
package guardian
