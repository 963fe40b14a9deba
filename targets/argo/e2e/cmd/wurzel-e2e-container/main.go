package main

import (
	"fmt"
	"os"

	"github.com/wurzel-dev/wurzel/targets/argo/e2e/container"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: wurzel-e2e-container SPEC.json")
		os.Exit(2)
	}
	err := func() error {
		s, err := container.Read(os.Args[1])
		if err != nil {
			return err
		}
		return container.Setup(s)
	}()
	// Only a failure returns: tell the kubelet why, as a runtime would.
	pipe := os.NewFile(container.StartErrorFD, "start-error")
	if pipe != nil {
		fmt.Fprint(pipe, err.Error())
	}
	fmt.Fprintln(os.Stderr, "wurzel-e2e-container:", err)
	os.Exit(128)
}
