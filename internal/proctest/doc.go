// Package proctest finds the processes a test's child started, through
// Linux's /proc, so that tests that kill a runner or an executor with
// SIGKILL can check that nothing it started lives on.
package proctest
