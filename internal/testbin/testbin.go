package testbin

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

var (
	once     sync.Once
	dir      string
	buildErr error
)

// Dir builds the binaries once per test binary and returns the directory
// that holds them.
func Dir(t testing.TB) string {
	t.Helper()
	once.Do(build)
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return dir
}

// Wurzel returns the path of the built wurzel binary.
func Wurzel(t testing.TB) string {
	t.Helper()
	return filepath.Join(Dir(t), "wurzel")
}

// Step returns the path of the built wurzel-step binary.
func Step(t testing.TB) string {
	t.Helper()
	return filepath.Join(Dir(t), "wurzel-step")
}

// FetchHelper returns the path of the built wurzel-fetch binary.
func FetchHelper(t testing.TB) string {
	t.Helper()
	return filepath.Join(Dir(t), "wurzel-fetch")
}

func build() {
	dir, buildErr = os.MkdirTemp("", "wurzel-testbin-")
	if buildErr != nil {
		return
	}
	cmd := exec.Command("go", "build", "-o", dir+string(filepath.Separator),
		"github.com/wurzel-dev/wurzel/cmd/wurzel", "github.com/wurzel-dev/wurzel/cmd/wurzel-fetch",
		"github.com/wurzel-dev/wurzel/cmd/wurzel-step")
	// Static, as `make build` and the runner image build them: container
	// steps start them in images without a C library.
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		buildErr = fmt.Errorf("building wurzel, wurzel-fetch and wurzel-step: %v\n%s", err, out)
	}
}

// Cleanup removes the binaries; call it from TestMain after m.Run.
func Cleanup() {
	if dir != "" {
		_ = os.RemoveAll(dir)
	}
}
