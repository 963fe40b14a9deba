// Package testtool owns one rule of the tests: a test that needs a program
// or a server this machine may lack skips without it on a developer's
// machine, and fails when CI is set, where .ci/run installs everything, so
// that no test is left skipping in CI.
package testtool
