package main

import (
	"os"

	"github.com/wurzel-dev/wurzel/runner/stepcmd"
)

// version is set at build time (-ldflags "-X main.version=...").
var version = "dev"

func main() {
	os.Exit(stepcmd.Main(version, os.Args[1:], os.Environ(), os.Stdout, os.Stderr))
}
