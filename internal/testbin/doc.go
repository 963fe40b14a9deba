// Package testbin builds wurzel's binaries for tests that run them as
// processes: cmd/wurzel and its fetch helper cmd/wurzel-fetch, side by side
// in one directory, as an installation has them.
package testbin
