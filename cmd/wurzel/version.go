package main

import (
	"fmt"
	"os"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/wurzel-dev/wurzel/runner"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

func init() { register(newVersionCmd) }

func newVersionCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the wurzel version and where its fetch helper and step runner are",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			fmt.Fprintf(a.stdout, "wurzel %s %s/%s\n", version, runtime.GOOS, runtime.GOARCH)
			// An installation without the helper runs every step except
			// those with source inputs or s3:// locations: worth seeing
			// before a run fails.
			exe, _ := os.Executable()
			helper, err := runner.FindFetchHelper(exe, func(k string) string { return spec.Getenv(a.environ, k) })
			if err != nil {
				helper = "not found: " + err.Error()
			}
			fmt.Fprintf(a.stdout, "fetch helper: %s\n", helper)
			// Only the Argo target's pods need it (copy-binary).
			step, err := findStepRunner(exe, func(k string) string { return spec.Getenv(a.environ, k) })
			if err != nil {
				step = "not found: " + err.Error()
			}
			fmt.Fprintf(a.stdout, "step runner: %s\n", step)
			return nil
		},
	}
}
