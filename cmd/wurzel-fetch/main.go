// Command wurzel-fetch is the wurzel runner's fetch helper: it downloads one
// go-getter `source` input. `wurzel step exec` starts it when a step has a
// source input, finding it next to the wurzel binary or on PATH; it is not
// meant to be run by hand. See docs/runtime.md.
package main

import (
	"os"

	"github.com/wurzel-dev/wurzel/runner/fetch"
)

func main() {
	os.Exit(fetch.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
