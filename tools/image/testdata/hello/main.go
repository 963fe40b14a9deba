// Command hello stands in for the wurzel binaries in the image tests that
// check the archive's structure.
package main

import "fmt"

func main() { fmt.Println("hello") }
