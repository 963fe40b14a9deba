//go:build !unix

package podmantest

import "os"

// lockFile does nothing: podman tests run on Linux only.
func lockFile(*os.File) (unlock func(), err error) { return func() {}, nil }
