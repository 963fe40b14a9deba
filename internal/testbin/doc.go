// Package testbin builds wurzel's binaries for tests that run them as
// processes: cmd/wurzel, its fetch helper cmd/wurzel-fetch and the step
// runner cmd/wurzel-step, side by side in one directory, as an installation
// has them.
package testbin
