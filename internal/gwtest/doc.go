// Package gwtest starts real object-storage servers on the loopback
// interface for tests: versitygw, an S3-compatible server whose posix back
// end keeps objects as plain files in a temporary directory, and
// fake-gcs-server, a Google Cloud Storage emulator. Tests skip when a server
// binary is missing, unless the CI environment variable is set, in which
// case they fail: CI installs both (.ci/run).
package gwtest
