package main

import (
	"os"

	"github.com/wurzel-dev/wurzel/runner/fetch"
)

func main() {
	os.Exit(fetch.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
