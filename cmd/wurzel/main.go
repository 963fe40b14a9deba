// Command wurzel checks, formats, generates and runs wurzel pipelines.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:]))
}
