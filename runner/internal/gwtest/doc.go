// Package gwtest starts a real S3-compatible server, versitygw, on the
// loopback interface for tests, with its posix back end in a temporary
// directory so that tests can check uploaded objects as plain files. Tests
// skip when the versitygw binary is missing, unless the CI environment
// variable is set, in which case they fail: CI installs it (.ci/run).
package gwtest
