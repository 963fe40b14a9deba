//go:build wurzel_e2e

package controller

import (
	"testing"

	_ "github.com/wurzel-dev/wurzel/targets/argo/e2e/harness"
)

func TestWurzelE2E(t *testing.T) {
	cancel, wfc := newController()
	defer cancel()
	_ = wfc
}
