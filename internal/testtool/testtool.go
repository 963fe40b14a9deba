package testtool

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// InCI reports whether the tests run in CI (the CI environment variable is
// set), where nothing they need may be missing.
func InCI() bool { return os.Getenv("CI") != "" }

// Need returns the path of the program name on PATH. Without it, t skips,
// or fails in CI; from says where the program comes from ("Debian package
// graphviz"), for the message.
func Need(t testing.TB, name, from string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		Missing(t, "%s is not installed (%s)", name, from)
	}
	return path
}

// Missing ends t for something it needs that this machine lacks, described
// by format and args: a skip, or in CI a failure.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if InCI() {
		t.Fatal(msg + "; CI must run this test (.ci/run installs it)")
	}
	t.Skip(msg)
}
