package container

import (
	"os"
	"testing"

	"github.com/wurzel-dev/wurzel/internal/podmantest"
	"github.com/wurzel-dev/wurzel/internal/testbin"
)

func TestMain(m *testing.M) {
	code := m.Run()
	podmantest.Cleanup()
	testbin.Cleanup()
	os.Exit(code)
}
