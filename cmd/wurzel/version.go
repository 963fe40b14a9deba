package main

import (
	"fmt"
	"os"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/wurzel-dev/wurzel/runner"
)

func init() { register(newVersionCmd) }

func newVersionCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the wurzel version and where its fetch helper is",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			fmt.Fprintf(a.stdout, "wurzel %s %s/%s\n", version, runtime.GOOS, runtime.GOARCH)
			// An installation without the helper runs every step except
			// those with source inputs: worth seeing before a run fails.
			exe, _ := os.Executable()
			helper, err := runner.FindFetchHelper(exe, func(k string) string { return getenv(a.environ, k) })
			if err != nil {
				helper = "not found: " + err.Error()
			}
			fmt.Fprintf(a.stdout, "fetch helper: %s\n", helper)
			return nil
		},
	}
}
