// Package stepcmd is the command line of wurzel-step (cmd/wurzel-step), the
// runner on its own: `wurzel step exec` without the rest of wurzel, so that
// a process that only runs one step starts fast and is small to copy. It
// takes the same spec and run id as `wurzel step exec` and keeps the same
// contract and exit codes (see docs/runtime.md).
package stepcmd
